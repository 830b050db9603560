// histogram_summary: a LatencySummary of a plain LogHistogram (quantiles
// without confidence intervals: lo = hi = value), for the real runners'
// stages that are not sliced over the measured window.
#pragma once

#include "archsim/log_histogram.hpp"
#include "archsim/result.hpp"

namespace archsim {

/// Count, mean, p50..p99.9 (lo = hi = value), max and a 60-point CDF of `h`.
LatencySummary histogram_summary(const LogHistogram& h);

}  // namespace archsim
