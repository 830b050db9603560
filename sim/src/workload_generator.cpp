// WorkloadGenerator and KeySampler implementation.
#include "archsim/workload_generator.hpp"

#include <algorithm>
#include <cmath>

namespace archsim {

namespace {
constexpr int64_t kHeadKeys = 65536;
}  // namespace

KeySampler::KeySampler(int64_t cardinality, double skew) : cardinality_(std::max<int64_t>(1, cardinality)), skew_(skew) {
  if (skew_ <= 0) return;  // uniform: no table
  const int64_t head = std::min(cardinality_, kHeadKeys);
  cumulative_.resize(static_cast<size_t>(head));
  double sum = 0;
  for (int64_t k = 0; k < head; ++k) {
    sum += std::pow(static_cast<double>(k + 1), -skew_);
    cumulative_[static_cast<size_t>(k)] = sum;
  }
  double tail = 0;
  if (cardinality_ > head) {
    // integral of x^-s from head+0.5 to N+0.5
    const double a = static_cast<double>(head) + 0.5, b = static_cast<double>(cardinality_) + 0.5;
    tail = std::abs(skew_ - 1.0) < 1e-12 ? std::log(b / a) : (std::pow(b, 1 - skew_) - std::pow(a, 1 - skew_)) / (1 - skew_);
  }
  tail_mass_ = tail / (sum + tail);
  for (auto& c : cumulative_) c /= sum;
}

uint64_t KeySampler::sample_skewed(Rng& rng) const {
  const int64_t head = static_cast<int64_t>(cumulative_.size());
  if (tail_mass_ > 0 && rng.uniform() < tail_mass_)
    return static_cast<uint64_t>(head) + rng.below(static_cast<uint64_t>(cardinality_ - head));
  const double u = rng.uniform();
  return static_cast<uint64_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin());
}

std::vector<double> KeySampler::bucket_shares(int buckets) const {
  std::vector<double> share(static_cast<size_t>(buckets), 0.0);
  const auto nb = static_cast<uint64_t>(buckets);
  if (skew_ <= 0) {
    // uniform keys: exact counts per bucket for small cardinalities, even split otherwise
    if (cardinality_ <= 1000000) {
      for (int64_t k = 0; k < cardinality_; ++k) share[mix64(static_cast<uint64_t>(k)) % nb] += 1.0 / static_cast<double>(cardinality_);
    } else {
      std::fill(share.begin(), share.end(), 1.0 / buckets);
    }
    return share;
  }
  const double head_mass = 1.0 - tail_mass_;
  double prev = 0;
  for (size_t k = 0; k < cumulative_.size(); ++k) {
    share[mix64(k) % nb] += (cumulative_[k] - prev) * head_mass;
    prev = cumulative_[k];
  }
  for (auto& s : share) s += tail_mass_ / buckets;
  return share;
}

double rate_factor(const RatePattern& pattern, double t_s) {
  double f = 1.0;
  if (pattern.kind == RatePatternKind::diurnal)
    f = 1.0 + (pattern.peak_factor - 1.0) * std::cos(2.0 * M_PI * (t_s - pattern.peak_at_s) / pattern.period_s);
  for (const auto& b : pattern.bursts)
    if (t_s >= b.start_s && t_s < b.start_s + b.duration_s) f *= b.factor;
  return std::max(0.0, f);
}

double max_rate_factor(const RatePattern& pattern) {
  double f = pattern.kind == RatePatternKind::diurnal ? pattern.peak_factor : 1.0;
  double burst = 1.0;
  for (const auto& b : pattern.bursts) burst *= std::max(1.0, b.factor);  // overlapping bursts multiply
  return f * burst;
}

WorkloadGenerator::WorkloadGenerator(const Workload& workload, double rate_eps, const KeySampler& keys, Rng rng, double pattern_offset_s)
    : workload_(workload), keys_(keys), rng_(rng), rate_max_(rate_eps * max_rate_factor(workload.pattern)), mean_gap_s_(1.0 / rate_max_),
      constant_rate_(workload.pattern.kind == RatePatternKind::constant && workload.pattern.bursts.empty()),
      constant_size_(workload.event_size.kind == SizeDistKind::constant), pattern_offset_s_(pattern_offset_s) {
  const auto& d = workload.event_size;
  if (d.kind == SizeDistKind::lognormal) {
    const LognormalFit fit = lognormal_from_mean_p99(d.mean_bytes, d.p99_bytes);
    ln_mu_ = fit.mu;
    ln_sigma_ = fit.sigma;
  }
}

double WorkloadGenerator::sample_size() {
  const auto& d = workload_.event_size;
  switch (d.kind) {
    case SizeDistKind::constant: return d.bytes;
    case SizeDistKind::uniform: return d.min_bytes + (d.max_bytes - d.min_bytes) * rng_.uniform();
    case SizeDistKind::lognormal: return std::exp(ln_mu_ + ln_sigma_ * rng_.normal());
  }
  return d.bytes;
}

GeneratedEvent WorkloadGenerator::draw_one() {
  if (!constant_rate_) return next_patterned();
  t_ += rng_.exponential(mean_gap_s_);
  const double bytes = constant_size_ ? workload_.event_size.bytes : sample_size();
  return GeneratedEvent{t_, bytes, keys_.sample(rng_)};
}

void WorkloadGenerator::refill() {
  head_ = 0;
  if (!constant_rate_ || !constant_size_ || !keys_.uniform()) {
    for (auto& e : block_) e = draw_one();
    return;
  }
  // the common case, as draw_one() does it, with the stream and clock in locals
  Rng rng = rng_;
  double t = t_;
  const double gap_s = mean_gap_s_;
  const double bytes = workload_.event_size.bytes;
  const auto keys = static_cast<uint64_t>(keys_.cardinality());
  for (auto& e : block_) {
    t += rng.exponential(gap_s);
    e = GeneratedEvent{t, bytes, rng.below(keys)};  // keys_.sample(rng) for uniform keys
  }
  rng_ = rng;
  t_ = t;
}

GeneratedEvent WorkloadGenerator::next_patterned() {
  const double base = rate_max_ / max_rate_factor(workload_.pattern);
  for (;;) {
    t_ += rng_.exponential(1.0 / rate_max_);
    if (rng_.uniform() * rate_max_ <= base * rate_factor(workload_.pattern, t_ + pattern_offset_s_)) break;
  }
  return GeneratedEvent{t_, sample_size(), keys_.sample(rng_)};
}

}  // namespace archsim
