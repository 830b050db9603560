// Rng implementation: xoshiro256** seeded by splitmix64.
#include "archsim/rng.hpp"

#include <algorithm>

namespace archsim {

uint64_t hash_name(std::string_view name) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

Rng::Rng(uint64_t seed, std::string_view component) {
  uint64_t x = mix64(seed) ^ hash_name(component);
  for (auto& s : s_) {
    x = mix64(x);
    s = x;
  }
}

double Rng::normal() {
  const double u1 = uniform_pos();
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

LognormalFit lognormal_from_mean_p99(double mean, double p99) {
  // mean = exp(mu + s^2/2), p99 = exp(mu + z s)  =>  s^2/2 - z s + ln(p99/mean) = 0
  constexpr double kZ99 = 2.3263478740408408;  // standard normal 99th percentile
  const double g = std::log(p99 / mean);
  const double sigma = kZ99 - std::sqrt(std::max(0.0, kZ99 * kZ99 - 2.0 * g));
  return LognormalFit{std::log(mean) - sigma * sigma / 2.0, sigma};
}

double Rng::gamma(double shape) {
  // Marsaglia-Tsang; shape < 1 boosted by U^(1/shape).
  if (shape < 1.0) return gamma(shape + 1.0) * std::pow(uniform_pos(), 1.0 / shape);
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x = normal();
    double v = 1.0 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const double u = uniform_pos();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double Rng::unit_mean_factor_random(double cv) {
  if (cv == 1.0) return exponential(1.0);
  const double shape = 1.0 / (cv * cv);
  return gamma(shape) / shape;
}

}  // namespace archsim
