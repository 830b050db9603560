// LatencyRecorder implementation: batch means over time slices.
#include "archsim/latency_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace archsim {

double student_t_975(int dof) {
  if (dof < 1) return std::numeric_limits<double>::infinity();
  // Cornish-Fisher expansion around z = 1.959964; exact to 3 digits for dof >= 3.
  const double z = 1.959964;
  const double v = dof;
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
}

LatencyRecorder::LatencyRecorder(double start_s, double slice_s, int max_slices, double relative_error)
    : start_s_(start_s), slice_s_(slice_s), relative_error_(relative_error),
      slices_(static_cast<size_t>(std::max(1, max_slices)), LogHistogram(relative_error)) {}

int LatencyRecorder::used_slices() const { return last_used_ + 1; }

LogHistogram LatencyRecorder::merged() const {
  LogHistogram all(relative_error_);
  for (const auto& s : slices_) all.merge(s);
  return all;
}

Estimate LatencyRecorder::quantile_estimate(double q, int batches) const {
  const LogHistogram all = merged();
  Estimate e{all.quantile(q), all.quantile(q), all.quantile(q)};
  const int n = used_slices();
  if (batches < 2 || n < batches) return e;
  std::vector<double> values;
  for (int b = 0; b < batches; ++b) {
    // batch b covers slices [b*n/batches, (b+1)*n/batches)
    LogHistogram h(relative_error_);
    for (int i = b * n / batches; i < (b + 1) * n / batches; ++i) h.merge(slices_[static_cast<size_t>(i)]);
    if (h.count() == 0) return e;
    values.push_back(h.quantile(q));
  }
  double mean = 0;
  for (double v : values) mean += v;
  mean /= batches;
  double var = 0;
  for (double v : values) var += (v - mean) * (v - mean);
  var /= (batches - 1);
  const double half = student_t_975(batches - 1) * std::sqrt(var / batches);
  e.lo = std::max(0.0, e.value - half);
  e.hi = e.value + half;
  return e;
}

double LatencyRecorder::relative_half_width(double q, int batches) const {
  const Estimate e = quantile_estimate(q, batches);
  if (used_slices() < batches || e.value <= 0) return std::numeric_limits<double>::infinity();
  return (e.hi - e.value) / e.value;
}

LatencySummary LatencyRecorder::summary(int batches, int cdf_points) const {
  const LogHistogram all = merged();
  LatencySummary s;
  s.count = all.count();
  s.mean_s = all.mean();
  s.max_s = all.max();
  s.p50_s = quantile_estimate(0.50, batches);
  s.p95_s = quantile_estimate(0.95, batches);
  s.p99_s = quantile_estimate(0.99, batches);
  s.p999_s = quantile_estimate(0.999, batches);
  s.cdf = all.cdf(cdf_points);
  return s;
}

}  // namespace archsim
