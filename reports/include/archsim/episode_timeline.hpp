// What the HTML report and the GUI share when they draw failure episodes
// next to a run's latency timeline: each episode gets a panel on its own time
// axis (a 6-hour repair next to a 10-second run would otherwise squash one of
// them to a pixel), in a unit that keeps its tick labels short.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "archsim/result.hpp"

namespace archsim {

/// A time axis unit: seconds, minutes or hours.
struct TimeUnit {
  const char* name;  ///< "s", "min", "h"
  double seconds;    ///< seconds per unit
};

/// The unit for an axis spanning `span_s` seconds: hours above 2 h, minutes
/// above 5 min, else seconds.
TimeUnit time_unit_for(double span_s);

/// The episodes of `c` that have a modelled latency trace, in Result order.
std::vector<const FailureEpisodeSummary*> traced_episodes(const CandidateResult& c);

/// The highest latency of an episode's trace (s); 0 for an empty trace.
double trace_peak_s(const std::vector<std::pair<double, double>>& trace);

/// The lowest and highest positive latency (s) of every traced episode of
/// `c` and of the p99 target: the one latency scale the episode panels share,
/// so they compare at a glance. (infinity, 0) when there is none.
std::pair<double, double> episode_latency_range_s(const CandidateResult& c, std::optional<double> p99_target);

/// The span an episode's own panel shows (s): its trace, or its down and late
/// intervals if longer; at least 1 ms.
double episode_span_s(const FailureEpisodeSummary& e);

}  // namespace archsim
