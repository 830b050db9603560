// LogHistogram: constant-memory latency histogram with logarithmic buckets
// (DDSketch-style), relative error of any quantile at most 1% for values in
// [1 ns, ~1e7 s]. Values below 1 ns count in the lowest bucket.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace archsim {

class LogHistogram {
 public:
  /// `relative_error`: bound on |estimate - true| / true for any quantile.
  explicit LogHistogram(double relative_error = 0.01);

  /// Records `count` occurrences of `value_s` (seconds, >= 0).
  void record(double value_s, uint64_t count = 1);
  /// Adds every count of `other` (same relative error).
  void merge(const LogHistogram& other);
  /// Adds `weight` times every count of `other`, rounded per bucket (a mixture).
  void merge_weighted(const LogHistogram& other, double weight);
  void clear();

  uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  double max() const { return max_; }
  double min() const { return count_ ? min_ : 0.0; }
  /// Value at quantile q in [0, 1]; 0 when empty.
  double quantile(double q) const;
  /// Up to `points` (latency, cumulative fraction) pairs, ascending.
  std::vector<std::pair<double, double>> cdf(int points) const;

 private:
  int index_of(double v);
  double value_of(int index) const;
  void build_bounds();


  double gamma_;
  double log_gamma_;
  double inv_log2_gamma_;  // 1 / log2(gamma)
  double log2_min_;
  // Upper bound of every bucket (min * gamma^i; the top one infinite), built
  // on the first record and shared by copies: index_of finds a value's
  // bucket from a polynomial log2 estimate and one comparison or two
  // instead of a call to std::log per recorded value.
  std::shared_ptr<const std::vector<double>> bounds_;
  double min_value_ = 1e-9;
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  double sum_ = 0;
  double max_ = 0;
  double min_ = 0;
};

}  // namespace archsim
