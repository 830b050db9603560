// LogHistogram implementation.
#include "archsim/log_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>

namespace archsim {

namespace {
constexpr double kMaxValue = 1e7;  // seconds; larger values clamp to the top bucket
}

LogHistogram::LogHistogram(double relative_error) {
  if (!(relative_error > 0 && relative_error < 0.5)) throw std::invalid_argument("LogHistogram: relative_error must be in (0, 0.5)");
  gamma_ = (1 + relative_error) / (1 - relative_error);
  log_gamma_ = std::log(gamma_);
  buckets_.assign(static_cast<size_t>(std::ceil(std::log(kMaxValue / min_value_) / log_gamma_)) + 2, 0);
  layout_owner_ = layout_for(gamma_, min_value_, buckets_.size());
  layout_ = layout_owner_.get();
}

std::shared_ptr<const LogHistogram::Layout> LogHistogram::layout_for(double gamma, double min_value, size_t buckets) {
  static std::mutex mutex;
  static std::map<std::pair<double, size_t>, std::shared_ptr<const Layout>> cache;
  const std::lock_guard lock(mutex);
  auto& slot = cache[{gamma, buckets}];
  if (slot) return slot;
  if (buckets > std::numeric_limits<uint16_t>::max()) throw std::invalid_argument("LogHistogram: relative_error too small");

  auto layout = std::make_shared<Layout>();
  auto& bounds = layout->bounds;
  bounds.resize(buckets);
  const double log_gamma = std::log(gamma);
  for (size_t i = 0; i + 1 < buckets; ++i) bounds[i] = min_value * std::exp(static_cast<double>(i) * log_gamma);
  bounds.back() = std::numeric_limits<double>::infinity();
  layout->top = static_cast<int>(buckets) - 1;
  // The table covers every key from min_value's to the end of the binade
  // holding the top finite bound: any larger value is in the top bucket.
  const auto key_of = [](double v) { return std::bit_cast<uint64_t>(v) >> kMantissaShift; };
  layout->key_begin = key_of(min_value);
  const double top_finite = bounds[buckets - 2];
  layout->key_end = key_of(std::ldexp(1.0, std::ilogb(top_finite) + 1));
  layout->first_bucket.resize(layout->key_end - layout->key_begin);
  size_t i = 0;
  for (uint64_t key = layout->key_begin; key < layout->key_end; ++key) {
    const double lo = std::bit_cast<double>(key << kMantissaShift);  // the cell's smallest value
    while (i + 1 < buckets && lo > bounds[i]) ++i;                     // smallest i with lo <= bounds[i]
    layout->first_bucket[key - layout->key_begin] = static_cast<uint16_t>(i);
  }
  slot = std::move(layout);
  return slot;
}

double LogHistogram::value_of(int index) const {
  if (index == 0) return min_value_;
  // Bucket i holds (min*g^(i-1), min*g^i]; 2*g^i/(g+1) is within the relative error of both ends.
  return min_value_ * 2.0 * std::pow(gamma_, index) / (gamma_ + 1.0);
}

void LogHistogram::merge(const LogHistogram& other) {
  if (other.buckets_.size() != buckets_.size()) throw std::invalid_argument("LogHistogram::merge: different relative errors");
  if (other.count_ == 0) return;
  for (size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  min_ = std::min(min_, other.min_);
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
}

void LogHistogram::merge_weighted(const LogHistogram& other, double weight) {
  if (other.buckets_.size() != buckets_.size()) throw std::invalid_argument("LogHistogram::merge_weighted: different relative errors");
  if (other.count_ == 0 || weight <= 0) return;
  uint64_t added = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    const auto n = static_cast<uint64_t>(std::llround(static_cast<double>(other.buckets_[i]) * weight));
    buckets_[i] += n;
    added += n;
  }
  if (added == 0) return;
  min_ = std::min(min_, other.min_);
  count_ += added;
  sum_ += other.sum_ * weight;
  max_ = std::max(max_, other.max_);
}

void LogHistogram::clear() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  sum_ = max_ = 0;
  min_ = std::numeric_limits<double>::infinity();
}

double LogHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // rank of the q-quantile, 1-based (nearest rank)
  const auto rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::clamp(value_of(static_cast<int>(i)), min_, max_);
  }
  return max_;
}

std::vector<std::pair<double, double>> LogHistogram::cdf(int points) const {
  std::vector<std::pair<double, double>> out;
  if (count_ == 0 || points <= 0) return out;
  std::vector<std::pair<double, double>> all;
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    if (!buckets_[i]) continue;
    seen += buckets_[i];
    all.emplace_back(std::clamp(value_of(static_cast<int>(i)), min_, max_),
                     static_cast<double>(seen) / static_cast<double>(count_));
  }
  if (static_cast<int>(all.size()) <= points) return all;
  const double step = static_cast<double>(all.size() - 1) / (points - 1);
  for (int k = 0; k < points; ++k) out.push_back(all[static_cast<size_t>(std::lround(k * step))]);
  return out;
}

}  // namespace archsim
