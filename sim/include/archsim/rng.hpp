// Rng: a small, fast, reproducible random stream (xoshiro256**), seeded from
// (scenario seed, component id) so every component has its own stream and
// results do not depend on the order components draw in. Distributions are
// implemented here, not taken from <random>, so numbers are identical across
// standard libraries.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace archsim {

class Rng {
 public:
  /// A stream identified by the run's seed and a component name ("producer/3").
  Rng(uint64_t seed, std::string_view component);

  /// Uniform 64-bit integer (xoshiro256**). Inline, like the draws below:
  /// several run per simulated event.
  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, 1).
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  /// Uniform in (0, 1]: safe for log().
  double uniform_pos() { return 1.0 - uniform(); }
  /// Exponential with the given mean.
  double exponential(double mean) { return mean * standard_exponential(); }
  /// Exponential with mean 1: the ziggurat of Marsaglia and Tsang (2000)
  /// with 256 layers. One draw gives the layer (low 8 bits) and a 53-bit
  /// uniform (top bits); about 98.9% of draws land inside their layer's
  /// rectangle and return at once, without a logarithm. Inline: it runs
  /// once per simulated event (inter-arrival times).
  double standard_exponential() {
    const uint64_t u = next_u64();
    const auto layer = static_cast<size_t>(u & 255);
    const uint64_t m = u >> 11;
    if (m < kExpZiggurat.inside[layer]) return static_cast<double>(m) * kExpZiggurat.width[layer];
    // the rare rest on a copy of the state, so this object's address does
    // not escape: a local Rng in a loop of draws then stays in registers
    Rng rest = *this;
    const double x = rest.exponential_outside(layer, m);
    *this = rest;
    return x;
  }
  /// Standard normal (Box-Muller, one value per call).
  double normal();
  /// Gamma-distributed positive factor with mean 1 and coefficient of
  /// variation `cv` (cv=0: exactly 1; cv=1: exponential).
  double unit_mean_factor(double cv) { return cv <= 0 ? 1.0 : unit_mean_factor_random(cv); }
  /// Uniform integer in [0, n) (Lemire's multiply-shift; the tiny bias is
  /// irrelevant for simulation).
  uint64_t below(uint64_t n) { return static_cast<uint64_t>((static_cast<__uint128_t>(next_u64()) * n) >> 64); }

 private:
  static uint64_t rotl(uint64_t v, int k) { return (v << k) | (v >> (64 - k)); }
  // The exponential ziggurat's layers, numbered as Marsaglia and Tsang do:
  // layer 0 is the base strip (with the tail beyond r), layer i >= 1 the
  // rectangle [0, x_i] x [exp(-x_i), exp(-x_(i-1))], all of equal area.
  struct ExpZiggurat {
    uint64_t inside[256];  // a 53-bit uniform below this lands under the curve for sure
    double width[256];     // the layer's width / 2^53 (so m * width is the abscissa)
    double f[256];         // exp(-x_i): the layer's lower edge (f[0] = 1)
  };
  static ExpZiggurat make_exp_ziggurat();
  static const ExpZiggurat kExpZiggurat;  // immutable, built at start-up
  double exponential_outside(size_t layer, uint64_t m);
  double gamma(double shape);
  double unit_mean_factor_random(double cv);
  uint64_t s_[4];
};

/// Parameters (mu, sigma of the underlying normal) of the lognormal law with
/// the given mean and 99th percentile; needs mean < p99 < 14.9 x mean (the
/// loader checks), and clamps to the nearest fit outside that.
struct LognormalFit {
  double mu = 0;
  double sigma = 0;
};
LognormalFit lognormal_from_mean_p99(double mean, double p99);

/// FNV-1a hash of a name, for seeding and key hashing.
uint64_t hash_name(std::string_view name);
/// A well-mixed hash of an integer (splitmix64 finaliser).
inline uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace archsim
