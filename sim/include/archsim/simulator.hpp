// Simulator: the front door of the sim library. Runs every candidate of a
// scenario (each in its own forked process, since SimGrid allows one engine
// per process), evaluates the metrics against the requirements and returns
// one Result.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "archsim/result.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

struct SimOptions {
  std::optional<std::string> candidate;   ///< simulate only this one
  std::optional<uint64_t> seed;           ///< overrides simulation.seed
  std::optional<SimMode> mode;            ///< overrides simulation.mode
  int jobs = 0;                           ///< parallel candidate processes; 0 = all cores
  std::string scenario_file;              ///< recorded in the Result
  /// Borrowed, may be null; must outlive simulate(). When it turns true,
  /// simulate() kills its simulation processes and throws
  /// SimulationCancelled (checked about every 100 ms). Used by the GUI.
  const std::atomic<bool>* cancel = nullptr;
  /// Bound on each simulation process's peak resident memory (bytes). A
  /// process above it is stopped and its candidate reported as failed: the
  /// process being waited for is looked at about every 200 ms (and killed
  /// at once), and every process's peak (wait4's ru_maxrss) is judged when
  /// it ends, so the outcome does not depend on timing or --jobs.
  std::optional<double> max_memory_bytes;
};

/// Thrown by simulate() when SimOptions::cancel turned true.
class SimulationCancelled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Simulates and evaluates. A candidate whose simulation fails (its process
/// threw, crashed, was killed or went above options.max_memory_bytes) is
/// returned with CandidateResult::error set and no figures, and is never
/// recommended; the other candidates are simulated as usual. Throws
/// std::invalid_argument for an unknown candidate name, std::runtime_error
/// when no simulation process can be started, SimulationCancelled when
/// options.cancel turned true.
Result simulate(const Scenario& scenario, const SimOptions& options);

/// Simulates one candidate's pipeline (a Lambda candidate's speed layer) in
/// this process and returns what was measured, without cost or verdicts
/// (judge() adds them). Creates the SimGrid engine: callable once per
/// process. Used by simulate() in its child processes and by benchmarks.
CandidateResult simulate_candidate_in_process(const Scenario& scenario, const Candidate& candidate,
                                              uint64_t seed, SimMode mode);

/// Simulates a Lambda candidate's batch layer in this process (creates the
/// SimGrid engine: callable once per process).
CandidateResult simulate_batch_layer_in_process(const Scenario& scenario, const Candidate& candidate);

/// Simulates an edge candidate's representative site in this process
/// (creates the SimGrid engine: callable once per process).
CandidateResult simulate_edge_site_in_process(const Scenario& scenario, const Candidate& candidate, uint64_t seed);

/// archsim's version string.
std::string version();

}  // namespace archsim
