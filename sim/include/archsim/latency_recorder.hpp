// LatencyRecorder: a LogHistogram per time slice of the measured window, so
// the run can report quantiles with batch-means confidence intervals and
// decide to stop early once the interval of p99 is narrow enough.
#pragma once

#include <cstdint>
#include <vector>

#include "archsim/log_histogram.hpp"
#include "archsim/result.hpp"

namespace archsim {

class LatencyRecorder {
 public:
  /// Slices of `slice_s` seconds starting at `start_s`; at most `max_slices`
  /// (later records go to the last slice).
  LatencyRecorder(double start_s, double slice_s, int max_slices, double relative_error = 0.01);

  /// Records `count` events of latency `value_s`, observed at simulated time
  /// `now_s`. Inline: it runs once per simulated event.
  void record(double now_s, double value_s, uint64_t count) {
    const int i = slice_of(now_s);
    slices_[static_cast<size_t>(i)].record(value_s, count);
    if (i > last_used_) last_used_ = i;
  }
  /// Records one event (as record(now_s, value_s, 1)).
  void record(double now_s, double value_s) { record_in(slice_of(now_s), value_s); }
  /// Records one event in slice `slice` (from slice_of()): several events
  /// observed at one instant find their slice once.
  void record_in(int slice, double value_s) {
    slices_[static_cast<size_t>(slice)].record(value_s);
    if (slice > last_used_) last_used_ = slice;
  }
  /// The histogram of slice `slice` (from slice_of()), for recording
  /// several events of one instant through a LogHistogram::Recorder; then
  /// note_recorded(slice) when any was recorded (as record_in() does).
  LogHistogram& slice_histogram(int slice) { return slices_[static_cast<size_t>(slice)]; }
  void note_recorded(int slice) {
    if (slice > last_used_) last_used_ = slice;
  }
  /// The slice of an observation at simulated time `now_s`.
  int slice_of(double now_s) const {
    // floor of a slice position >= 1 is its truncation; below 1 (or NaN) is slice 0
    const double pos = (now_s - start_s_) / slice_s_;
    const int last = static_cast<int>(slices_.size()) - 1;
    return !(pos >= 1.0) ? 0 : pos >= static_cast<double>(last) ? last : static_cast<int>(pos);
  }

  /// All slices merged.
  LogHistogram merged() const;
  /// Estimate of quantile q with a 95% batch-means interval over `batches`
  /// consecutive groups of the slices recorded so far.
  Estimate quantile_estimate(double q, int batches) const;
  /// Relative half-width of the 95% interval of quantile q (infinity when
  /// there are fewer non-empty slices than batches).
  double relative_half_width(double q, int batches) const;
  /// Full summary (count, mean, p50..p99.9 with intervals, max, CDF).
  LatencySummary summary(int batches, int cdf_points = 60) const;

 private:
  int used_slices() const;
  double start_s_;
  double slice_s_;
  double relative_error_;
  std::vector<LogHistogram> slices_;
  int last_used_ = -1;
};

/// Two-sided 97.5% quantile of Student's t with `dof` degrees of freedom.
double student_t_975(int dof);

}  // namespace archsim
