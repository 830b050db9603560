// LatencyTimeSeries implementation: window choice, per-window quantiles from
// the coarse buckets, and the placement of modelled episodes on a timeline.
#include "archsim/latency_time_series.hpp"

#include <algorithm>
#include <cmath>

namespace archsim {

namespace {

/// Smallest 1, 2 or 5 x 10^k not below `v`.
double nice_at_least(double v) {
  if (!(v > 0) || !std::isfinite(v)) return 1;
  const double decade = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * decade >= v * (1 - 1e-12)) return m * decade;
  return 10 * decade;
}

}  // namespace

double LatencyTimeSeries::window_for(double span_s) { return nice_at_least(std::max(1e-6, span_s) / kMaxWindows); }

LatencyTimeSeries::LatencyTimeSeries(double start_s, double end_s)
    : start_s_(start_s), window_s_(window_for(end_s - start_s)) {
  per_window_ = 1.0 / window_s_;
  const int n = std::clamp(static_cast<int>(std::ceil((end_s - start_s) / window_s_ - 1e-9)), 1, kMaxWindows);
  windows_ = n;
  counts_.assign(static_cast<size_t>(n) * kBuckets, 0);
  max_s_.assign(static_cast<size_t>(n), 0.0);
}

double LatencyTimeSeries::bucket_value(int bucket) {
  const int exponent = bucket / kSubBuckets + kMinExponent;
  const int sub = bucket % kSubBuckets;
  return std::ldexp(1.0 + (sub + 0.5) / kSubBuckets, exponent);
}

LatencyTimeline LatencyTimeSeries::timeline(double end_s, const std::string& source, const std::string& basis) const {
  LatencyTimeline out;
  out.source = source;
  out.basis = basis;
  out.window_s = window_s_;
  const int n = static_cast<int>(windows_);
  for (int i = 0; i < n; ++i) {
    const double t0 = i * window_s_;
    const double width = std::min(window_s_, end_s - start_s_ - t0);
    if (width <= window_s_ * 1e-9) break;
    const uint32_t* c = &counts_[static_cast<size_t>(i) * kBuckets];
    uint64_t count = 0;
    for (int b = 0; b < kBuckets; ++b) count += c[b];
    TimelinePoint p;
    p.t_s = t0;
    p.count = count;
    p.max_s = max_s_[static_cast<size_t>(i)];
    p.delivered_eps = static_cast<double>(count) / width;
    auto quantile = [&](double q) {
      // the value of the event at rank ceil(q x count), capped at the exact maximum
      const auto rank = static_cast<uint64_t>(std::max(1.0, std::ceil(q * static_cast<double>(count))));
      uint64_t seen = 0;
      for (int b = 0; b < kBuckets; ++b) {
        seen += c[b];
        if (seen >= rank) return std::min(bucket_value(b), p.max_s);
      }
      return p.max_s;
    };
    if (count > 0) {
      p.p50_s = quantile(0.50);
      p.p99_s = quantile(0.99);
    }
    out.points.push_back(p);
  }
  return out;
}

void place_episodes(CandidateResult& r) {
  const double window = r.timeline.points.empty() ? r.simulated_s
                                                  : r.timeline.points.back().t_s + r.timeline.window_s;
  double at = 0.25 * window;
  for (auto& e : r.availability.episodes) {
    if (e.trace.empty()) continue;
    e.timeline_at_s = at;
    at += e.trace.back().first + 0.1 * window;
  }
}

}  // namespace archsim
