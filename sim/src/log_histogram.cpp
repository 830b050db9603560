// LogHistogram implementation.
#include "archsim/log_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace archsim {

namespace {
constexpr double kMaxValue = 1e7;  // seconds; larger values clamp to the top bucket
}

LogHistogram::LogHistogram(double relative_error) {
  if (!(relative_error > 0 && relative_error < 0.5)) throw std::invalid_argument("LogHistogram: relative_error must be in (0, 0.5)");
  gamma_ = (1 + relative_error) / (1 - relative_error);
  log_gamma_ = std::log(gamma_);
  inv_log2_gamma_ = 1.0 / std::log2(gamma_);
  log2_min_ = std::log2(min_value_);
  buckets_.assign(static_cast<size_t>(std::ceil(std::log(kMaxValue / min_value_) / log_gamma_)) + 2, 0);
}

void LogHistogram::build_bounds() {
  auto bounds = std::make_shared<std::vector<double>>(buckets_.size());
  for (size_t i = 0; i + 1 < buckets_.size(); ++i) (*bounds)[i] = min_value_ * std::exp(static_cast<double>(i) * log_gamma_);
  bounds->back() = std::numeric_limits<double>::infinity();
  bounds_ = std::move(bounds);
}

namespace {
// log2(v) for a positive normal double: the exponent plus a quartic fit of
// log2(1 + f) on the mantissa (|error| < 2e-4, a small fraction of a bucket).
double approx_log2(double v) {
  const auto bits = std::bit_cast<uint64_t>(v);
  const double e = static_cast<double>(static_cast<int>(bits >> 52) - 1023);
  const double f = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL) - 1.0;
  return e + f * (1.4385479301572133 + f * (-0.6780894559424325 + f * (0.32364630772713443 + f * -0.0842946558520375)));
}
}  // namespace

int LogHistogram::index_of(double v) {
  // Bucket i (i >= 1) holds (min*g^(i-1), min*g^i]: the smallest i with v <= min*g^i.
  if (!(v > min_value_)) return 0;
  if (!bounds_) build_bounds();
  const auto& bounds = *bounds_;
  const int top = static_cast<int>(bounds.size()) - 1;
  const double estimate = (approx_log2(v) - log2_min_) * inv_log2_gamma_;
  int i = std::clamp(static_cast<int>(estimate), 1, top);
  while (i > 1 && v <= bounds[static_cast<size_t>(i) - 1]) --i;
  while (v > bounds[static_cast<size_t>(i)]) ++i;
  return i;
}

double LogHistogram::value_of(int index) const {
  if (index == 0) return min_value_;
  // Bucket i holds (min*g^(i-1), min*g^i]; 2*g^i/(g+1) is within the relative error of both ends.
  return min_value_ * 2.0 * std::pow(gamma_, index) / (gamma_ + 1.0);
}

void LogHistogram::record(double value_s, uint64_t count) {
  if (count == 0) return;
  if (value_s < 0 || std::isnan(value_s)) value_s = 0;
  buckets_[static_cast<size_t>(index_of(value_s))] += count;
  if (count_ == 0 || value_s < min_) min_ = value_s;
  count_ += count;
  sum_ += value_s * static_cast<double>(count);
  max_ = std::max(max_, value_s);
}

void LogHistogram::merge(const LogHistogram& other) {
  if (other.buckets_.size() != buckets_.size()) throw std::invalid_argument("LogHistogram::merge: different relative errors");
  if (other.count_ == 0) return;
  for (size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  if (count_ == 0 || other.min_ < min_) min_ = other.min_;
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
  if (count_ == 0 || other.min_ < min_) min_ = other.min_;
  count_ += added;
  sum_ += other.sum_ * weight;
  max_ = std::max(max_, other.max_);
}

void LogHistogram::clear() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  sum_ = max_ = min_ = 0;
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
