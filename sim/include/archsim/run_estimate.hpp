// RunEstimate: how much work a simulation will be, known before it starts,
// so a scenario that would run for hours is refused up front with the
// estimate and a way to proceed (`--yes`, a shorter duration, an early stop
// on the p99 interval) instead of being left to occupy the machine.
#pragma once

#include <optional>
#include <string>

#include "archsim/scenario.hpp"

namespace archsim {

/// Simulated events per wall second on one core that the estimate assumes:
/// a conservative reading of bench/simulation_speed on the reference Kappa
/// scenario, batched mode (7.2 M on a slow 2-core machine before the 20%
/// instruction cut of 2026-11-26, 20-22 M on a 2-core AMD EPYC after it;
/// other topologies and a loaded machine are slower). Exact mode is assumed
/// this many times slower.
inline constexpr double kEstimatedEventsPerWallSecond = 5e6;
inline constexpr double kExactModeSlowdown = 30;

/// Above this estimated wall time a run needs explicit confirmation.
inline constexpr double kConfirmAboveWallSeconds = 15 * 60;

struct RunEstimate {
  double events = 0;        ///< simulated events, every chosen candidate, warm-up included (at most: early stop may cut it)
  double cpu_s = 0;         ///< one core's wall time for all of them
  double wall_s = 0;        ///< with `jobs` candidates in parallel
  int candidates = 0;
  /// "2 candidates x 100,000 events/s x 605 s = 1.2e8 events, about 6.7 min of wall time"
  std::string text() const;
};

/// Estimates the run of `scenario` (only `candidate` when given; `mode`
/// overrides the scenario's) on `jobs` parallel processes (0 = all cores).
RunEstimate estimate_run(const Scenario& scenario, const std::optional<std::string>& candidate,
                         std::optional<SimMode> mode, int jobs);

/// Throws std::invalid_argument (exit 2) naming the estimate and the ways to
/// proceed when the estimate is above kConfirmAboveWallSeconds and the user
/// did not confirm.
void require_confirmation(const RunEstimate& estimate, bool confirmed);

}  // namespace archsim
