// LogHistogram: the table lookup puts every value in the bucket the
// definition says (smallest i with v <= 1 ns * gamma^i), quantiles stay
// within the relative error, and min/max/count/merge behave at the edges.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "archsim/log_histogram.hpp"

namespace {

using archsim::LogHistogram;

// The definition: the smallest i with v <= min * gamma^i, over the bounds
// computed the plain way (binary search over them).
struct Definition {
  explicit Definition(double relative_error) {
    const double gamma = (1 + relative_error) / (1 - relative_error);
    const double log_gamma = std::log(gamma);
    const int buckets = static_cast<int>(std::ceil(std::log(1e7 / 1e-9) / log_gamma)) + 2;
    for (int i = 0; i + 1 < buckets; ++i) bounds.push_back(1e-9 * std::exp(static_cast<double>(i) * log_gamma));
  }
  int bucket(double v) const {
    if (!(v > 1e-9)) return 0;
    return static_cast<int>(std::lower_bound(bounds.begin(), bounds.end(), v) - bounds.begin());
  }
  std::vector<double> bounds;
};

TEST(LogHistogram, LookupMatchesTheDefinitionEverywhere) {
  for (const double rel : {0.01, 0.001, 0.05}) {
    const LogHistogram h(rel);
    const Definition def(rel);
    std::mt19937_64 gen(12345);
    std::uniform_real_distribution<double> exponent(-10.0, 8.0);
    for (int k = 0; k < 200000; ++k) {
      const double v = std::pow(10.0, exponent(gen));
      ASSERT_EQ(h.index_of(v), def.bucket(v)) << "value " << v << " relative error " << rel;
    }
    // exactly on a bound and either side of it, where a lookup off by one would show
    for (size_t i = 1; i < def.bounds.size(); i += 7) {
      const double bound = def.bounds[i];
      for (const double v : {std::nextafter(bound, 0.0), bound, std::nextafter(bound, 1e300)})
        ASSERT_EQ(h.index_of(v), def.bucket(v)) << "value " << v;
    }
  }
}

TEST(LogHistogram, EdgeValuesLandInTheEndBuckets) {
  LogHistogram h;
  EXPECT_EQ(h.index_of(0.0), 0);
  EXPECT_EQ(h.index_of(1e-9), 0);
  EXPECT_EQ(h.index_of(-1.0), 0);
  EXPECT_EQ(h.index_of(std::numeric_limits<double>::quiet_NaN()), 0);
  const int top = h.index_of(std::numeric_limits<double>::infinity());
  EXPECT_EQ(h.index_of(1e300), top);
  EXPECT_EQ(h.index_of(2e7), top);
  EXPECT_LT(h.index_of(1e6), top);
}

TEST(LogHistogram, QuantilesWithinTheRelativeError) {
  LogHistogram h(0.01);
  std::mt19937_64 gen(7);
  std::lognormal_distribution<double> dist(std::log(0.01), 1.0);
  std::vector<double> values;
  for (int i = 0; i < 100000; ++i) {
    values.push_back(dist(gen));
    h.record(values.back());
  }
  std::sort(values.begin(), values.end());
  for (const double q : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = values[static_cast<size_t>(std::ceil(q * static_cast<double>(values.size()))) - 1];
    EXPECT_NEAR(h.quantile(q) / exact, 1.0, 0.0101) << "q " << q;
  }
  EXPECT_EQ(h.count(), 100000u);
  EXPECT_DOUBLE_EQ(h.min(), values.front());
  EXPECT_DOUBLE_EQ(h.max(), values.back());
}

TEST(LogHistogram, ZeroCountsAreIgnoredAndBadValuesCountAsZero) {
  LogHistogram h;
  h.record(5.0, 0);
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.max(), 0.0);
  EXPECT_EQ(h.min(), 0.0);
  h.record(-3.0);
  h.record(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(h.count(), 2u);
  EXPECT_EQ(h.min(), 0.0);
  EXPECT_EQ(h.max(), 0.0);
}

TEST(LogHistogram, MergeKeepsMinMaxAndCounts) {
  LogHistogram a, b, empty;
  a.record(0.002, 3);
  b.record(0.5);
  b.record(0.0001);
  a.merge(empty);
  EXPECT_DOUBLE_EQ(a.min(), 0.002);
  a.merge(b);
  EXPECT_EQ(a.count(), 5u);
  EXPECT_DOUBLE_EQ(a.min(), 0.0001);
  EXPECT_DOUBLE_EQ(a.max(), 0.5);
  a.clear();
  EXPECT_EQ(a.count(), 0u);
  EXPECT_EQ(a.min(), 0.0);
  a.record(0.3);
  EXPECT_DOUBLE_EQ(a.min(), 0.3);
}

}  // namespace
