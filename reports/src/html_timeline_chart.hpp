// The HTML report's "latency over time" chart: per candidate, the simulated
// run's end-to-end p50/p99/max per window with the p99 target, and the
// availability model's representative failure episodes drawn on the same
// axis as shaded intervals with their modelled latency (illustrative
// placement; the simulated run itself has no failures).
#pragma once

#include <string>

#include "archsim/comparison.hpp"

namespace archsim::html {

/// One chart block per candidate that has a timeline; "" when none has.
std::string latency_timeline_charts(const Comparison& comparison);

}  // namespace archsim::html
