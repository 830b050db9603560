// LogHistogram: constant-memory latency histogram with logarithmic buckets
// (DDSketch-style), relative error of any quantile at most 1% for values in
// [1 ns, ~1e7 s]. Values below 1 ns count in the lowest bucket.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace archsim {

class LogHistogram {
 public:
  /// `relative_error`: bound on |estimate - true| / true for any quantile.
  explicit LogHistogram(double relative_error = 0.01);

  /// Records one occurrence of `value_s` (seconds, >= 0; negative and NaN
  /// count as 0). Inline: it runs several times per simulated event.
  void record(double value_s) {
    buckets_[static_cast<size_t>(lookup().record_index(value_s))] += 1;
    count_ += 1;
    sum_ += value_s;  // value_s * 1.0, as record(value_s, 1) adds
    max_ = std::max(max_, value_s);  // as "if (value_s > max_) max_ = value_s", without a branch
    min_ = std::min(min_, value_s);
  }
  /// Records `count` occurrences of `value_s`.
  void record(double value_s, uint64_t count) {
    if (count == 0) return;
    buckets_[static_cast<size_t>(lookup().record_index(value_s))] += count;
    count_ += count;
    sum_ += value_s * static_cast<double>(count);
    max_ = std::max(max_, value_s);  // as "if (value_s > max_) max_ = value_s", without a branch
    min_ = std::min(min_, value_s);
  }
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

  /// Bucket of `v` (> 0): the smallest i with v <= min * gamma^i. Public
  /// for the test that checks it against the definition.
  int index_of(double v) const { return lookup().index_of(v); }

  /// Records many values in a row (see below).
  class Recorder;

 private:
  // Bucket bounds and the lookup table from a value's exponent and top
  // mantissa bits to its bucket, built once per relative error and shared by
  // every histogram (immutable after construction). A table cell spans a
  // 2^-kMantissaBits relative range, narrower than a bucket, so the lookup
  // lands on the bucket or the one below it and one comparison settles it:
  // the same buckets as the definition, without a logarithm per value.
  static constexpr int kMantissaBits = 8;
  static constexpr int kMantissaShift = 52 - kMantissaBits;
  struct Layout {
    std::vector<double> bounds;          // upper bound of bucket i: min * gamma^i; the top one infinite
    std::vector<uint16_t> first_bucket;  // per table cell: bucket of the cell's smallest value
    uint64_t key_begin = 0;              // table key of min_value_
    uint64_t key_end = 0;                // first key at or past which every value is in the top bucket
    int top = 0;
  };
  static std::shared_ptr<const Layout> layout_for(double gamma, double min_value, size_t buckets);
  // What index_of() reads, gathered so a Recorder can keep it in registers.
  struct Lookup {
    const uint16_t* first_bucket;
    const double* bounds;
    uint64_t key_begin;
    uint64_t cells;  // table cells: key_end - key_begin
    int top;
    double min_value;
    // The table cell of v; `cells` or more when the table does not cover v:
    // zero, below min_value's cell, at or past key_end (infinity, NaN) or
    // negative (the sign bit makes the key huge). One unsigned comparison
    // thus tells the common case from every other.
    uint64_t cell_of(double v) const { return (std::bit_cast<uint64_t>(v) >> kMantissaShift) - key_begin; }
    int in_table(double v, uint64_t cell) const {
      int i = first_bucket[cell];
      while (v > bounds[i]) ++i;
      return i;
    }
    // Outside the table: below min_value's cell (or not a positive number) is bucket 0, past it the top.
    int outside(double v) const { return v > min_value ? top : 0; }
    int index_of(double v) const {
      const uint64_t cell = cell_of(v);
      return cell < cells ? in_table(v, cell) : outside(v);
    }
    // index_of(value_s) for a value being recorded, which first turns a
    // negative or NaN value into 0 (the value then recorded).
    int record_index(double& value_s) const {
      const uint64_t cell = cell_of(value_s);
      if (cell < cells) return in_table(value_s, cell);  // a positive finite value
      if (!(value_s >= 0)) value_s = 0;
      return outside(value_s);
    }
  };
  Lookup lookup() const {
    return Lookup{layout_->first_bucket.data(), layout_->bounds.data(), layout_->key_begin,
                  layout_->key_end - layout_->key_begin, layout_->top, min_value_};
  }

  double value_of(int index) const;
  double gamma_;
  double log_gamma_;
  std::shared_ptr<const Layout> layout_owner_;
  const Layout* layout_ = nullptr;
  double min_value_ = 1e-9;
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  double sum_ = 0;
  double max_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
};

/// Records values one after another with the histogram's totals and
/// lookup tables held in locals (registers), for loops over many events:
/// the same buckets, count, sum, min and max as record(value_s) called
/// for each value in the same order. The histogram must not be used
/// otherwise while the Recorder lives; its destructor writes the totals back.
class LogHistogram::Recorder {
 public:
  explicit Recorder(LogHistogram& h)
      : h_(h), lookup_(h.lookup()), buckets_(h.buckets_.data()), count_(h.count_), sum_(h.sum_), max_(h.max_), min_(h.min_) {}
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;
  ~Recorder() {
    h_.count_ = count_;
    h_.sum_ = sum_;
    h_.max_ = max_;
    h_.min_ = min_;
  }
  /// As LogHistogram::record(value_s).
  void record(double value_s) {
    buckets_[static_cast<size_t>(lookup_.record_index(value_s))] += 1;
    count_ += 1;
    sum_ += value_s;
    max_ = std::max(max_, value_s);  // as "if (value_s > max_) max_ = value_s", without a branch
    min_ = std::min(min_, value_s);
  }
  /// As `n` calls of record(value_s): one bucket lookup, and still one
  /// addition to the sum per event (the same rounding).
  void record_repeated(double value_s, uint64_t n) {
    if (n == 0) return;
    buckets_[static_cast<size_t>(lookup_.record_index(value_s))] += n;
    count_ += n;
    for (uint64_t k = 0; k < n; ++k) sum_ += value_s;
    max_ = std::max(max_, value_s);  // as "if (value_s > max_) max_ = value_s", without a branch
    min_ = std::min(min_, value_s);
  }

 private:
  LogHistogram& h_;
  const Lookup lookup_;
  uint64_t* buckets_;
  uint64_t count_;
  double sum_;
  double max_;
  double min_;
};

}  // namespace archsim
