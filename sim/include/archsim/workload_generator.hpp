// WorkloadGenerator: one source's event stream: non-homogeneous Poisson
// arrivals following the scenario's rate pattern (thinning), sizes from the
// size distribution and keys from a Zipf law. KeySampler is shared (read
// only) by all sources of a run.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "archsim/rng.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

/// Samples key ranks (0 = hottest) from Zipf(skew) over `cardinality` keys.
/// The hottest min(cardinality, 65536) keys are tabulated exactly; the tail
/// is approximated by its integral and sampled uniformly (stated in notes).
class KeySampler {
 public:
  KeySampler(int64_t cardinality, double skew);
  /// Inline for uniform keys (no skew): it runs once per simulated event.
  uint64_t sample(Rng& rng) const {
    if (skew_ <= 0) return rng.below(static_cast<uint64_t>(cardinality_));
    return sample_skewed(rng);
  }
  /// Probability of each of `buckets` hash buckets (key -> mix64(key) % buckets).
  std::vector<double> bucket_shares(int buckets) const;
  /// Every key equally likely (no skew): sample() is rng.below(cardinality()).
  bool uniform() const { return skew_ <= 0; }
  bool tail_approximated() const { return tail_mass_ > 0; }
  /// Keys are ranks in [0, cardinality()).
  int64_t cardinality() const { return cardinality_; }

 private:
  uint64_t sample_skewed(Rng& rng) const;
  int64_t cardinality_;
  double skew_;
  std::vector<double> cumulative_;  // of the tabulated head, normalised to head mass
  double tail_mass_ = 0;            // probability of the untabulated tail
};

/// Instantaneous rate multiplier of the pattern at time t (mean 1 for diurnal over a period).
double rate_factor(const RatePattern& pattern, double t_s);
/// Upper bound of rate_factor over all t.
double max_rate_factor(const RatePattern& pattern);

struct GeneratedEvent {
  double time_s;
  double bytes;
  uint64_t key;
};

class WorkloadGenerator {
 public:
  /// `rate_eps`: this source's mean rate; `pattern_offset_s`: the rate
  /// pattern's clock when the simulation clock is 0.
  WorkloadGenerator(const Workload& workload, double rate_eps, const KeySampler& keys, Rng rng, double pattern_offset_s = 0);
  /// The next event after the previous one. Inline: it runs once per
  /// simulated event. Events are drawn kBlock at a time (a constant rate
  /// and size with the random stream's state in locals, so in registers),
  /// which gives the same events as drawing them one by one: each draws
  /// its gap, size and key, in that order, from the generator's own stream.
  GeneratedEvent next() {
    const GeneratedEvent e = peek();
    ++head_;
    return e;
  }
  /// The event next() returns next, without taking it (valid until then).
  const GeneratedEvent& peek() {
    if (head_ == kBlock) refill();
    return block_[head_];
  }
  /// Takes the event peek() shows (as next() without the copy).
  void pop() { ++head_; }

 private:
  static constexpr size_t kBlock = 64;
  void refill();
  GeneratedEvent draw_one();
  GeneratedEvent next_patterned();
  double sample_size();
  const Workload& workload_;
  const KeySampler& keys_;
  Rng rng_;
  double rate_max_;
  double mean_gap_s_;     // 1 / rate_max_
  bool constant_rate_;    // constant pattern without bursts: no thinning
  bool constant_size_;    // constant event size: no draw
  double t_ = 0;
  double pattern_offset_s_ = 0;
  double ln_mu_ = 0, ln_sigma_ = 0;  // lognormal parameters
  std::array<GeneratedEvent, kBlock> block_{};  // drawn, not yet returned from head_ on
  size_t head_ = kBlock;
};

}  // namespace archsim
