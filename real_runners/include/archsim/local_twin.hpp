// LocalTwin: the candidate a real check actually ran, as a Scenario the
// simulator can run on this machine's calibrated figures instead of the
// catalog's hardware. Nothing in the simulator changes: the twin is a
// transformed Scenario (hardware, broker, client and run settings replaced by
// what the real runner used and what the calibration measured), and its
// notes say how each part was mapped.
#pragma once

#include <string>
#include <vector>

#include "archsim/calibration.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

/// The real run the twin mirrors (what run_kappa used).
struct TwinRun {
  double rate_eps = 0;          ///< offered mean rate
  double duration_s = 10;       ///< measured window
  double warmup_s = 1;
  double fetch_wait_max_s = 0;  ///< fetch.wait.max.ms the runner's consumers used
  int processors = 1;           ///< processor threads the runner started
  double cpu_per_event_s = 0;   ///< spin per event in the processors
  double injected_rtt_s = 0;    ///< delay the embedded brokers added to every response
};

struct LocalTwin {
  Scenario scenario;                 ///< one candidate, named like the original
  std::vector<std::string> notes;    ///< how the twin was built, for the predicted result
};

/// Builds the twin of `candidate` (kind kappa) for `run` with `calibration`
/// (described as `calibration_origin` in the notes).
LocalTwin make_local_twin(const Scenario& scenario, const Candidate& candidate, const TwinRun& run,
                          const Calibration& calibration, const std::string& calibration_origin);

/// Mean wait in a producer accumulator with linger `linger_s` when events
/// for a partition arrive at `rate_eps`: continuous arrivals (`burst_period_s`
/// = 0) or bursts every `burst_period_s` seconds (a held fetch hands them
/// over at once). The batch opens at its first event and closes `linger_s` later.
double accumulator_mean_wait_s(double linger_s, double rate_eps, double burst_period_s);

/// The waits of the bursts of one accumulator batch, in order, when bursts
/// come every `burst_period_s` (equal sizes): the first waits `linger_s`,
/// burst j waits linger - j x period. One entry, the linger, without bursts.
std::vector<double> accumulator_burst_waits_s(double linger_s, double burst_period_s);

/// Mean period of a consumer's fetch cycle on a broker that answers a fetch
/// finding data after the round trip `round_trip_s` and holds one finding
/// none for a full cycle `held_cycle_s` (librdkafka's mock cluster), when
/// the consumer's partitions on that broker receive `batches_per_s` batches
/// (Poisson): a fetch sent after a take finds data with probability
/// 1 - exp(-batches_per_s x round_trip_s); otherwise a held cycle passes
/// before the next one takes what joined.
double held_fetch_period_s(double batches_per_s, double round_trip_s, double held_cycle_s);

}  // namespace archsim
