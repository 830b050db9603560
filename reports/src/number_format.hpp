// Number formatting shared by the reporters: money, counts, percentages,
// latencies and estimates in the short forms a reader scans ("$9,904",
// "12.5k", "88%", "13.1 ms ±38 us"). Non-finite numbers print as "-".
#pragma once

#include <string>

#include "archsim/result.hpp"

namespace archsim {

/// What every formatter prints for a missing (non-finite) number.
inline constexpr const char* kMissingNumber = "-";

/// "1,234,567" from a non-negative whole number.
std::string group_thousands(double whole);

/// "$9.50" below ten dollars, "$9,904" from ten dollars up.
std::string format_usd(double usd);

/// "950", "12.5k", "1.20M": a count or rate with an SI suffix.
std::string format_count(double n);

/// "88%" from the fraction 0.88.
std::string format_percent(double fraction);

/// "13.1 ms": a latency in seconds, "-" when not finite.
std::string format_latency(double seconds);

/// "182 ms ±4.1 ms": the estimate with the larger half of its 95% interval.
std::string format_estimate(const Estimate& e);

/// "88% headroom", "6% over", or "3.3x the target" / "9,730x the target" (beyond 100% over)
/// from a verdict's headroom fraction (target - value) / target.
std::string format_headroom(double headroom);

}  // namespace archsim
