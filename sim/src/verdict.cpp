#include "archsim/verdict.hpp"

// GCC 12 warns -Wrestrict inside std::string's inlined copies here, a known
// false positive (GCC bug 105651); the code is plain string building.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include <algorithm>

#include <fmt/format.h>

#include "archsim/units.hpp"

namespace archsim {

std::string percent(double fraction) {
  const double p = 100 * fraction;
  return p >= 99.5 && p < 100 ? fmt::format("{:.1f}%", std::min(p, 99.9)) : fmt::format("{:.0f}%", p);
}

Verdict latency_verdict(const std::string& name, const Estimate& e, double target, const CandidateResult& r) {
  Verdict v;
  v.requirement = name + " latency";
  v.target = target;
  v.value = e.value;
  v.unit = "s";
  if (r.overloaded) {
    v.pass = false;
    v.headroom = -1;
    v.text = fmt::format("{} vs target {}: FAIL, overloaded ({})", name, format_duration(target), r.overload_reason);
    return v;
  }
  v.pass = e.value <= target;
  v.headroom = (target - e.value) / target;
  if (v.pass) {
    v.text = fmt::format("{} {} vs target {}: PASS, {} headroom", name, format_duration(e.value), format_duration(target), percent(v.headroom));
    if (e.hi > target) v.text += fmt::format(" (marginal: the 95% interval reaches {})", format_duration(e.hi));
  } else {
    v.text = fmt::format("{} {} vs target {}: FAIL, {:.0f}% over", name, format_duration(e.value), format_duration(target), -100 * v.headroom);
    if (e.lo <= target) v.text += fmt::format(" (marginal: the 95% interval reaches down to {})", format_duration(e.lo));
  }
  return v;
}

}  // namespace archsim
