// Number formatting shared by the reporters (see number_format.hpp).
#include "number_format.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "archsim/units.hpp"

namespace archsim {

std::string group_thousands(double whole) {
  std::string digits = fmt::format("{:.0f}", whole);
  std::string out;
  const size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out.append(digits, 0, first);
  for (size_t i = first; i < digits.size(); i += 3) out.append(",").append(digits, i, 3);
  return out;
}

std::string format_usd(double usd) {
  if (!std::isfinite(usd)) return kMissingNumber;
  const char* sign = usd < 0 ? "-" : "";
  usd = std::fabs(usd);
  if (usd < 10) return fmt::format("{}${:.2f}", sign, usd);
  return fmt::format("{}${}", sign, group_thousands(std::round(usd)));
}

std::string format_count(double n) {
  if (!std::isfinite(n)) return kMissingNumber;
  const double a = std::fabs(n);
  if (a < 1e3) return fmt::format("{:.0f}", n);
  if (a < 1e6) return fmt::format("{:.3g}k", n / 1e3);
  if (a < 1e9) return fmt::format("{:.3g}M", n / 1e6);
  return fmt::format("{:.3g}G", n / 1e9);
}

std::string format_percent(double fraction) {
  if (!std::isfinite(fraction)) return kMissingNumber;
  return fmt::format("{:.0f}%", fraction * 100);
}

std::string format_latency(double seconds) {
  if (!std::isfinite(seconds)) return kMissingNumber;
  return format_duration(seconds);
}

std::string format_estimate(const Estimate& e) {
  if (!std::isfinite(e.value)) return kMissingNumber;
  const double half = std::max(e.value - e.lo, e.hi - e.value);
  // an interval below a millionth of the value is rounding noise, not precision worth printing
  if (!(half > 1e-6 * std::abs(e.value)) || !std::isfinite(half)) return format_duration(e.value);
  return fmt::format("{} ±{}", format_duration(e.value), format_duration(half));
}

std::string format_headroom(double headroom) {
  if (!std::isfinite(headroom)) return kMissingNumber;
  // Far over a target, a percentage is unreadable ("972668% over"): say how many times the target.
  if (headroom < -1) {
    const double times = 1 - headroom;
    return times < 100 ? fmt::format("{:.3g}x the target", times)
                       : fmt::format("{}x the target", group_thousands(std::round(times)));
  }
  if (headroom < 0) return fmt::format("{} over", format_percent(-headroom));
  return fmt::format("{} headroom", format_percent(headroom));
}

}  // namespace archsim
