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

namespace {
constexpr double kExpZigguratR = 7.697117470131487;  // start of the base layer's tail (Marsaglia and Tsang)
}  // namespace

Rng::ExpZiggurat Rng::make_exp_ziggurat() {
  // Each layer has area v: the base strip r x exp(-r) plus the tail's exp(-r).
  const double r = kExpZigguratR;
  const double v = std::exp(-r) * (r + 1.0);
  constexpr double k2p53 = 0x1.0p53;
  ExpZiggurat z{};
  double x[256];  // x[i]: right edge of layer i's rectangle (i >= 1); x[255] = r
  x[255] = r;
  for (int i = 254; i >= 1; --i) x[i] = -std::log(v / x[i + 1] + std::exp(-x[i + 1]));
  const double q = v / std::exp(-r);  // the base layer as one rectangle of width q
  z.width[0] = q / k2p53;
  z.inside[0] = static_cast<uint64_t>(r / q * k2p53);
  z.f[0] = 1.0;
  for (int i = 1; i < 256; ++i) {
    z.width[i] = x[i] / k2p53;
    z.inside[i] = i == 1 ? 0 : static_cast<uint64_t>(x[i - 1] / x[i] * k2p53);  // abscissae below x_(i-1)
    z.f[i] = std::exp(-x[i]);
  }
  return z;
}

const Rng::ExpZiggurat Rng::kExpZiggurat = Rng::make_exp_ziggurat();

double Rng::exponential_outside(size_t layer, uint64_t m) {
  for (;;) {
    if (layer == 0) return kExpZigguratR - std::log(uniform_pos());  // the tail: r plus an exponential (memoryless)
    const double x = static_cast<double>(m) * kExpZiggurat.width[layer];
    // the wedge between the layer's rectangle and the curve: accept under exp(-x)
    if (kExpZiggurat.f[layer] + uniform() * (kExpZiggurat.f[layer - 1] - kExpZiggurat.f[layer]) < std::exp(-x)) return x;
    const uint64_t u = next_u64();
    layer = static_cast<size_t>(u & 255);
    m = u >> 11;
    if (m < kExpZiggurat.inside[layer]) return static_cast<double>(m) * kExpZiggurat.width[layer];
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
