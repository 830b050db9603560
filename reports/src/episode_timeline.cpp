// Failure episodes' panels: time unit and selection (see episode_timeline.hpp).
#include "archsim/episode_timeline.hpp"

#include <algorithm>
#include <limits>

namespace archsim {

TimeUnit time_unit_for(double span_s) {
  if (span_s > 2 * 3600) return {"h", 3600};
  if (span_s > 5 * 60) return {"min", 60};
  return {"s", 1};
}

std::vector<const FailureEpisodeSummary*> traced_episodes(const CandidateResult& c) {
  std::vector<const FailureEpisodeSummary*> out;
  for (const FailureEpisodeSummary& e : c.availability.episodes)
    if (!e.trace.empty()) out.push_back(&e);
  return out;
}

double trace_peak_s(const std::vector<std::pair<double, double>>& trace) {
  double peak = 0;
  for (const auto& point : trace) peak = std::max(peak, point.second);
  return peak;
}

std::pair<double, double> episode_latency_range_s(const CandidateResult& c, std::optional<double> p99_target) {
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (const FailureEpisodeSummary* e : traced_episodes(c))
    for (const auto& point : e->trace)
      if (point.second > 0) lo = std::min(lo, point.second), hi = std::max(hi, point.second);
  if (p99_target) lo = std::min(lo, *p99_target), hi = std::max(hi, *p99_target);
  return {lo, hi};
}

double episode_span_s(const FailureEpisodeSummary& e) {
  const double traced = e.trace.empty() ? 0 : e.trace.back().first;
  return std::max({traced, e.trace_down_s + e.trace_late_s, 1e-3});
}

}  // namespace archsim
