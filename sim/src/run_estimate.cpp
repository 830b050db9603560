#include "archsim/run_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "archsim/units.hpp"

namespace archsim {

namespace {

std::string wall_text(double s) {
  if (s < 120) return fmt::format("{:.0f} s", s);
  if (s < 2 * 3600) return fmt::format("{:.0f} min", s / 60);
  if (s < 2 * 86400) return fmt::format("{:.1f} hours", s / 3600);
  return fmt::format("{:.1f} days", s / 86400);
}

}  // namespace

std::string RunEstimate::text() const {
  return fmt::format("{} candidate{}, {:.3g} simulated events in all, about {} of wall time ({} of CPU at ~{:.0f}k "
                     "simulated events per second per core)",
                     candidates, candidates == 1 ? "" : "s", events, wall_text(wall_s), wall_text(cpu_s),
                     kEstimatedEventsPerWallSecond / 1e3);
}

RunEstimate estimate_run(const Scenario& scenario, const std::optional<std::string>& candidate,
                         std::optional<SimMode> mode, int jobs) {
  RunEstimate e;
  const double horizon = scenario.simulation.warmup_s + scenario.simulation.duration_s;
  const bool exact = mode.value_or(scenario.simulation.mode) == SimMode::exact;
  const double speed = kEstimatedEventsPerWallSecond / (exact ? kExactModeSlowdown : 1.0);
  double longest = 0;
  for (const auto& c : scenario.candidates) {
    if (candidate && c.name != *candidate) continue;
    ++e.candidates;
    // every event of the workload crosses the simulated pipeline once (an
    // edge candidate's core sees fewer, its site model a share: an upper bound)
    const double events = scenario.workload.rate_eps * horizon;
    e.events += events;
    longest = std::max(longest, events / speed);
  }
  e.cpu_s = e.events / speed;
  const double cores = jobs > 0 ? jobs : std::max(1u, std::thread::hardware_concurrency());
  e.wall_s = std::max(longest, e.cpu_s / std::min<double>(cores, std::max(1, e.candidates)));
  return e;
}

void require_confirmation(const RunEstimate& estimate, bool confirmed) {
  if (confirmed || estimate.wall_s <= kConfirmAboveWallSeconds) return;
  throw std::invalid_argument(fmt::format(
      "this run is large: {}.\n"
      "  To run it anyway, add --yes. To make it smaller: shorten /simulation/duration, set\n"
      "  /simulation/p99_ci_rel_width (e.g. 0.05) to stop once p99 is that precise, simulate one\n"
      "  candidate with --candidate, or lower /workload/rate/mean_eps and scale the design down.",
      estimate.text()));
}

}  // namespace archsim
