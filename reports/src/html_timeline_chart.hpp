// The HTML report's "latency over time" charts: per candidate with a
// timeline, a panel of the run (end-to-end p50/p99/max per window with the
// p99 target; a measured run's injected faults shaded on the same clock),
// then one panel per failure episode of the availability model, each on its
// own time axis from the failure (modelled, not simulated), the episodes on
// one latency scale, so a 6-hour repair and a 10-second one both stay readable.
#pragma once

#include <string>

#include "archsim/comparison.hpp"

namespace archsim::html {

/// One chart block per candidate that has a timeline; "" when none has.
std::string latency_timeline_charts(const Comparison& comparison);

}  // namespace archsim::html
