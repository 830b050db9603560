// Rng: the ziggurat exponential sampler follows the exponential law (mean,
// variance, tail fractions on both sides of the base layer's tail start
// r = 7.697), and a stream is reproducible from (seed, component).
#include <gtest/gtest.h>

#include <cmath>

#include "archsim/rng.hpp"

namespace {

using archsim::Rng;

TEST(Rng, ExponentialMatchesTheExponentialLaw) {
  Rng rng(2024, "rng-test");
  constexpr int n = 4000000;
  const double cut[] = {0.01, 0.1, 0.5, 1.0, 2.0, 4.0, 7.0, 7.697, 8.5, 10.0};
  int above[std::size(cut)] = {};
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double x = rng.exponential(2.0) / 2.0;  // the mean scales the standard sample
    ASSERT_GE(x, 0.0);
    sum += x;
    sum_sq += x * x;
    for (size_t k = 0; k < std::size(cut); ++k) above[k] += x > cut[k];
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 1.0, 4 * 1.0 / std::sqrt(n));                        // sd of the mean: 1/sqrt(n)
  EXPECT_NEAR(sum_sq / n - mean * mean, 1.0, 4 * std::sqrt(8.0 / n));   // sd of the variance: sqrt(8/n)
  for (size_t k = 0; k < std::size(cut); ++k) {
    const double p = std::exp(-cut[k]);
    const double sd = std::sqrt(n * p * (1 - p));
    EXPECT_NEAR(above[k], n * p, 5 * sd + 1) << "P(X > " << cut[k] << ")";
  }
}

TEST(Rng, SameSeedAndComponentGiveTheSameStream) {
  Rng a(42, "producer/1"), b(42, "producer/1"), c(42, "producer/2");
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const double x = a.exponential(1.0);
    EXPECT_EQ(x, b.exponential(1.0));
    differs = differs || x != c.exponential(1.0);
  }
  EXPECT_TRUE(differs);
}

}  // namespace
