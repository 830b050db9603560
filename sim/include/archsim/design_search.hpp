// Design search (`archsim recommend`): the cheapest design of one candidate's
// design space meeting every requirement with a margin, found without
// simulating the whole grid. Designs are visited in order of a cost lower
// bound computed without simulation (exact for Kappa; a Lambda transient
// batch cluster counts only its start-up and publish time per run and edge
// WAN traffic counts as 0, since both need a run); the
// search stops when the next bound reaches the best feasible cost found (or
// the budget), and skips a design that has no more of any monotone resource
// (broker count, io_threads, processing or batch instances, sink
// concurrency) than a design already seen failing a latency or overload
// requirement with every other setting equal (assumption: more of those
// never makes a design worse; partitions and parallelism are not assumed
// monotone, see is_monotone_setting). A design failing a requirement decided by its
// configuration alone (delivery semantics: acks, min.insync.replicas) is
// skipped without simulation. Simulations are cached, so a second search
// (e.g. with the p99 target relaxed) only simulates what it newly needs.
// Early stopping: where a short run stands for the full one (a Kappa
// candidate under a constant rate, batched mode, a probe window of at least
// kMinProbeWindowS), a design is first simulated for kProbeFraction of its
// duration (same warm-up and seed: a prefix of the full run); when the 95%
// confidence interval of that probe's p99 lies wholly above the p99 target
// (less the margin) times kProbeGuard, the design's failure is decided and
// it is not simulated in full. Anything else, and every design that could
// be chosen, is simulated in full.
// Coarse to fine: when a monotone setting has kCoarseMinValues values or
// more, a first pass runs the same search over every k-th of its values (k
// about the square root of the count, the last value kept). Its failures
// high up the ranges rule out the designs below them and its feasible
// designs bound the cost; the second pass then searches every design with
// both. It skips only what the monotonicity assumption or the cost bound
// rule out, so it chooses what a single pass would (at equal cost, possibly
// another design). Partitions, parallelism and other settings not assumed
// monotone are never coarsened: there it would be a heuristic.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "archsim/result.hpp"
#include "archsim/scenario.hpp"
#include "archsim/sweep_grid.hpp"
#include "archsim/sweep_run.hpp"

namespace archsim {

/// Share of the simulated duration a probe runs (after the same warm-up).
inline constexpr double kProbeFraction = 0.25;
/// Probes only where the probe window is at least this long, seconds.
inline constexpr double kMinProbeWindowS = 5;
/// A probe decides a failure only when its p99 CI's lower end exceeds the
/// target (less the margin) by this factor: a guard beyond the 95% CI.
inline constexpr double kProbeGuard = 1.1;
/// A monotone setting with at least this many values is searched coarse to
/// fine: every k-th value first (k about the square root of the count).
inline constexpr size_t kCoarseMinValues = 4;

/// How a simulated design fares against the requirements.
struct DesignCheck {
  bool feasible = false;
  bool fails_resource = false;           ///< fails something other than the budget (latency, overload, delivery)
  std::vector<std::string> shortfalls;   ///< "p99 latency 240 ms vs target 200 ms: 20% over"
  std::string binding;                   ///< requirement with the least headroom ("p99 latency")
  double binding_headroom = 0;
};

/// Judges a candidate's result with `margin` (fraction of each latency or
/// budget target kept as headroom) and the p99 target multiplied by `p99_factor`.
DesignCheck check_design(const CandidateResult& result, double margin, double p99_factor);

/// One design of the space.
struct Design {
  SweepPoint point;                      ///< id and overrides
  std::optional<Scenario> scenario;      ///< empty when the loader rejects it
  std::string invalid_reason;
  double cost_lower_bound = 0;           ///< USD/month, without simulation
  std::string static_failure;            ///< a verdict failing without simulation (delivery semantics), "" if none
};

/// What one search found.
struct SearchOutcome {
  std::optional<size_t> chosen;          ///< design id
  std::vector<size_t> visited;           ///< designs judged (simulated now or cached), in order
  size_t pruned = 0;                     ///< skipped by monotonicity
  size_t ruled_out = 0;                  ///< skipped: a requirement fails by configuration alone (delivery semantics)
  size_t unreached = 0;                  ///< not visited: their bound reached the best cost (or the budget)
  size_t new_simulations = 0;            ///< simulations this search ran (probes included)
  size_t new_probes = 0;                 ///< of which short probes
  size_t decided_by_probe = 0;           ///< designs failed on their probe alone, not simulated in full
  size_t coarse_visited = 0;             ///< of `visited`, judged in the coarse pass (the first ones)
};

class DesignSearch {
 public:
  /// The design space of candidate `candidate_index` of `plan`'s scenario:
  /// the grid of `plan.dims` (each under /candidates/<index>/).
  DesignSearch(const SweepPlan& plan, size_t candidate_index, int jobs);

  /// Searches with `margin` and the p99 target times `p99_factor`.
  SearchOutcome search(double margin, double p99_factor);

  const std::string& candidate() const { return candidate_; }
  const std::vector<Design>& designs() const { return designs_; }
  size_t invalid() const;
  /// The simulated result of design `id`: its full run, else its probe
  /// (only a failing probe decides), or nullptr.
  const CandidateResult* result(size_t id) const;
  /// Simulations run so far, probes included.
  size_t simulations() const { return simulations_; }
  /// Short probe simulations run so far.
  size_t probes() const { return probes_; }
  /// Paths of the settings searched coarse to fine (monotone, at least
  /// kCoarseMinValues values); empty when the search is a single pass.
  std::vector<std::string> coarse_dimensions() const;

 private:
  bool dominated_by_failure(size_t id, const std::vector<size_t>& failed) const;
  /// Per design: in the coarse subset; empty when no setting is coarsened.
  std::vector<bool> coarse_subset() const;
  void simulate(const std::vector<size_t>& ids, bool probe);
  bool can_probe(size_t id) const;
  bool probe_decides_failure(size_t id, double margin, double p99_factor) const;

  std::string candidate_;
  std::vector<SweepDim> dims_;
  std::vector<bool> monotone_;
  std::vector<Design> designs_;
  std::optional<double> budget_;
  int jobs_ = 0;
  std::map<size_t, CandidateResult> cache_;
  std::map<size_t, std::string> failures_;  ///< simulation errors
  std::map<size_t, CandidateResult> probe_cache_;
  std::map<size_t, std::string> probe_failures_;
  size_t simulations_ = 0;
  size_t probes_ = 0;
};

/// Whether the setting at `path` is a monotone resource (see above).
bool is_monotone_setting(const std::string& path);

}  // namespace archsim
