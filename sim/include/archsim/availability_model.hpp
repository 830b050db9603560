// AvailabilityModel: availability, loss and duplicates of a candidate over
// a month without simulating a month. Each failure type (broker loss,
// processing crash, gateway down, WAN outage, batch storage outage) is a
// representative episode evaluated many times over its repair-time
// distribution, and weighted by episodes per month (instances x month /
// MTBF). An episode is a fluid (rate-level) queue of the affected share of
// the traffic, fed by the simulated steady state: its arrival rate, the
// utilisation of the resources that drain the backlog, and its p99. The
// edge's WAN outage comes from the SimGrid site model instead.
#pragma once

#include <limits>
#include <utility>
#include <vector>

#include "archsim/result.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

/// One failure episode of the affected share of the traffic, time 0 = the failure.
struct EpisodeSpec {
  double rate_eps = 0;                 ///< arrivals of the affected share, events/s
  double stall_s = 0;                  ///< the affected events cannot move for this long
  double capacity_eps = 0;             ///< drain rate of the affected share after the stall
  double degraded_until_s = 0;         ///< until then the drain rate is degraded_capacity_eps (a broker still being repaired)
  double degraded_capacity_eps = 0;
  double hold_events = std::numeric_limits<double>::infinity();  ///< what upstream buffers hold during the stall
  double block_s = 0;                  ///< beyond hold_events, sources block (max.block.ms): an arrival is lost only if the stall outlasts it by more than this
  double expiry_s = std::numeric_limits<double>::infinity();     ///< held longer than this: lost (delivery.timeout.ms)
  double replay_events = 0;            ///< at the restart, processed again first (since the last commit)
  double replay_age_s = 0;             ///< their creation times span [-replay_age_s, 0)
  bool replay_is_duplicate = true;     ///< at-least-once: already delivered once; exactly-once: uncommitted, delivered late
  double lost_at_failure = 0;          ///< acknowledged events lost with the failed component
  double base_latency_s = 0;           ///< steady-state p99, added to the time an event waits
  double target_s = std::numeric_limits<double>::infinity();    ///< p99 target
};

struct EpisodeOutcome {
  double down_s = 0;         ///< not delivering at all
  double late_s = 0;         ///< delivering, but the oldest waiting event is past the target
  double lost = 0;
  double duplicated = 0;
  bool recovers = true;      ///< false: the backlog never drains (no spare capacity)
};

/// Evaluates one episode (a fluid FIFO queue on a time grid of a few thousand steps).
/// With `trace`, also appends (seconds since the failure, age of the oldest
/// waiting event plus spec.base_latency_s) at every step, from (0, base) to
/// the recovery.
EpisodeOutcome run_episode(const EpisodeSpec& spec, std::vector<std::pair<double, double>>* trace = nullptr);

/// At most `points` points of `trace` (time-ascending): consecutive runs are
/// merged into their highest latency, so peaks survive the thinning.
std::vector<std::pair<double, double>> thin_trace(const std::vector<std::pair<double, double>>& trace, size_t points);

/// The availability part of a candidate's result, from its steady-state
/// figures in `result` (end-to-end p99, utilisation, stages, edge summary).
/// Not estimated (estimated = false) without a failure model.
AvailabilitySummary estimate_availability(const Scenario& scenario, const Candidate& candidate, const CandidateResult& result);

}  // namespace archsim
