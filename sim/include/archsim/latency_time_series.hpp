// LatencyTimeSeries: end-to-end latency and delivered events per fixed time
// window of the measured run, for "latency over time" charts. Memory is fixed
// at construction (at most kMaxWindows windows of kBuckets counters), whatever
// the simulated duration; recording is one bounds check and two stores.
// Latencies go into coarse log-linear buckets (16 per power of two, so a
// reported quantile is within about 3% of the recorded value); the per-window
// maximum is exact.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "archsim/result.hpp"

namespace archsim {

class LatencyTimeSeries {
 public:
  static constexpr int kMaxWindows = 200;
  static constexpr int kSubBuckets = 16;       ///< per power of two
  static constexpr int kMinExponent = -20;     ///< 2^-20 s, about 1 us: the lowest bucket holds everything below
  static constexpr int kMaxExponent = 12;      ///< 2^12 s, about 68 min: the highest bucket holds everything above
  static constexpr int kBuckets = (kMaxExponent - kMinExponent) * kSubBuckets;

  /// Windows covering [start_s, end_s) of simulated time, each `window_s()`
  /// wide: the smallest of 1, 2, 5 x 10^k seconds giving at most kMaxWindows.
  LatencyTimeSeries(double start_s, double end_s);

  /// The window width for a span of `span_s` seconds: the smallest of 1, 2,
  /// 5 x 10^k seconds giving at most kMaxWindows windows.
  static double window_for(double span_s);

  /// Records one event delivered at simulated time `now_s` (seconds) with
  /// end-to-end latency `latency_s`. Deliveries outside [start_s, end_s) are
  /// ignored.
  void record(double now_s, double latency_s) { record_in(window_of(now_s), latency_s); }
  /// The window of a delivery at `now_s`, or -1 when it is ignored; with
  /// record_in(), several deliveries at one instant find it once.
  int window_of(double now_s) const {
    const double w = (now_s - start_s_) * per_window_;
    return w >= 0 && w < windows_ ? static_cast<int>(w) : -1;
  }
  /// Records one delivery in window `window` (from window_of(); -1: none).
  void record_in(int window, double latency_s) {
    if (window < 0) return;
    const auto i = static_cast<size_t>(window);
    ++counts_[i * kBuckets + static_cast<size_t>(bucket_of(latency_s))];
    if (latency_s > max_s_[i]) max_s_[i] = latency_s;
  }

  /// Records many deliveries of one window, as record_in(window, latency_s)
  /// for each, with the window's counters and maximum found once.
  class Recorder;

  double window_s() const { return window_s_; }
  /// The series up to `end_s` (the measured window's actual end, earlier
  /// than the constructor's on an early stop). `source` and `basis` are
  /// copied into the timeline.
  LatencyTimeline timeline(double end_s, const std::string& source, const std::string& basis) const;

  /// Bucket of a latency (seconds): exponent and top 4 mantissa bits.
  static int bucket_of(double latency_s) {
    // in range, the bucket is the top 16 bits (sign, exponent, 4 mantissa
    // bits) less those of 2^kMinExponent: one unsigned comparison finds it
    const uint64_t fast = (std::bit_cast<uint64_t>(latency_s) >> 48) - (uint64_t{1023 + kMinExponent} << 4);
    if (fast < static_cast<uint64_t>(kBuckets)) return static_cast<int>(fast);
    if (!(latency_s >= 0x1p-20)) return 0;
    if (latency_s >= 0x1p12) return kBuckets - 1;
    const uint64_t bits = std::bit_cast<uint64_t>(latency_s);
    const int exponent = static_cast<int>(bits >> 52) - 1023;
    const int sub = static_cast<int>((bits >> 48) & 15);
    return (exponent - kMinExponent) * kSubBuckets + sub;
  }
  /// Middle of a bucket (seconds).
  static double bucket_value(int bucket);

 private:
  double start_s_;
  double window_s_;
  double per_window_;
  double windows_;                  // as double for the hot-path comparison
  std::vector<uint32_t> counts_;    // windows x kBuckets
  std::vector<double> max_s_;       // per window
};

/// Records the deliveries of one window (from window_of(); -1: none, each
/// record is ignored) with its counters and maximum held locally; the
/// destructor writes the maximum back. The series must not be recorded into
/// otherwise while a Recorder lives.
class LatencyTimeSeries::Recorder {
 public:
  Recorder(LatencyTimeSeries& series, int window)
      : series_(series), window_(window),
        counts_(window < 0 ? nullptr : series.counts_.data() + static_cast<size_t>(window) * kBuckets),
        max_s_(window < 0 ? 0.0 : series.max_s_[static_cast<size_t>(window)]) {}
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;
  ~Recorder() {
    if (window_ >= 0) series_.max_s_[static_cast<size_t>(window_)] = max_s_;
  }
  /// As record_in(window, latency_s).
  void record(double latency_s) {
    if (!counts_) return;
    ++counts_[static_cast<size_t>(bucket_of(latency_s))];
    if (latency_s > max_s_) max_s_ = latency_s;
  }

 private:
  LatencyTimeSeries& series_;
  const int window_;
  uint32_t* const counts_;
  double max_s_;
};

/// Places each failure type's representative episode on the candidate's
/// timeline (FailureEpisodeSummary::timeline_at_s): the first a quarter into
/// the window, the next ones after it with a gap. Illustrative placement:
/// the simulated run itself has no failures.
void place_episodes(CandidateResult& result);

}  // namespace archsim
