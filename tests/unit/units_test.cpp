// Tests of units.hpp: duration and size parsing (accepted forms and rejects)
// and the human formatting used in tables.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "archsim/units.hpp"

namespace archsim {
namespace {

struct ParseCase {
  const char* text;
  double expected;
};

TEST(UnitsTest, ParsesDurationsInEveryUnit) {
  const ParseCase cases[] = {
      {"250ms", 0.25},   {"1.5 s", 1.5},      {"5m", 300},        {"5min", 300},
      {"1h", 3600},      {"2d", 172800},      {"45us", 45e-6},    {"100ns", 100e-9},
      {"0s", 0},         {"1e3ms", 1.0},      {"2.5E-1s", 0.25},  {"10\tms", 0.01},
      {"24h", 86400},    {"0.5 min", 30},     {"007s", 7},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_duration_s(c.text);
    ASSERT_TRUE(parsed.has_value()) << c.text;
    EXPECT_NEAR(*parsed, c.expected, std::abs(c.expected) * 1e-12) << c.text;
  }
}

TEST(UnitsTest, RejectsMalformedDurations) {
  const char* rejects[] = {
      "",         "ms",       "5",        "-5ms",      "+5ms",     "5 parsecs", "5mss",
      "5ms ",     " 5ms",     "5 m s",    "nan s",     "inf s",    "1e400s",    "1e308d",
      "5.ms",     ".5s",      "5,0s",     "0x10s",     "5MS",      "5 sec",     "5ms5",
      "1e",       "1es",      "5 S",
  };
  for (const char* text : rejects) {
    EXPECT_FALSE(parse_duration_s(text).has_value()) << '"' << text << '"';
  }
}

TEST(UnitsTest, ParsesSizesWithDecimalAndBinaryUnits) {
  const ParseCase cases[] = {
      {"512B", 512},        {"1KB", 1e3},         {"1.5MB", 1.5e6},   {"2GB", 2e9},
      {"1TB", 1e12},        {"64KiB", 65536},     {"1MiB", 1048576},  {"1 GiB", 1073741824.0},
      {"2TiB", 2.0 * 1099511627776.0},            {"0B", 0},          {"4 KiB", 4096},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_size_bytes(c.text);
    ASSERT_TRUE(parsed.has_value()) << c.text;
    EXPECT_DOUBLE_EQ(*parsed, c.expected) << c.text;
  }
}

TEST(UnitsTest, RejectsMalformedSizes) {
  const char* rejects[] = {"", "512", "B", "-1KB", "1kb", "1 KIB", "1XB", "1.5 MB extra",
                           "1e400B", "nanB", "1 b", "1MiBB", "1 K"};
  for (const char* text : rejects) {
    EXPECT_FALSE(parse_size_bytes(text).has_value()) << '"' << text << '"';
  }
}

TEST(UnitsTest, DurationsAndSizesDoNotShareUnits) {
  EXPECT_FALSE(parse_duration_s("5MB").has_value());
  EXPECT_FALSE(parse_size_bytes("5ms").has_value());
}

TEST(UnitsTest, FormatsDurationsWithThreeSignificantDigits) {
  EXPECT_EQ(format_duration(45e-6), "45.0 us");
  EXPECT_EQ(format_duration(0.182), "182 ms");
  EXPECT_EQ(format_duration(3.2), "3.20 s");
  EXPECT_EQ(format_duration(300), "5.00 min");
  EXPECT_EQ(format_duration(7200), "2.00 h");
  EXPECT_EQ(format_duration(3 * 86400.0), "3.00 d");
  EXPECT_EQ(format_duration(250e-9), "250 ns");
  EXPECT_EQ(format_duration(0.0123), "12.3 ms");
  EXPECT_EQ(format_duration(0), "0 s");
  EXPECT_EQ(format_duration(-0.5), "-500 ms");
}

TEST(UnitsTest, FormatDurationCarriesIntoTheNextUnit) {
  EXPECT_EQ(format_duration(0.9996), "1.00 s");    // not "1000 ms"
  EXPECT_EQ(format_duration(59.99), "1.00 min");   // not "60.0 s"
  EXPECT_EQ(format_duration(999.7e-6), "1.00 ms");
}

TEST(UnitsTest, FormatsDurationsFarBelowANanosecondInScientificNotation) {
  // Found by fuzz.units: 1.3e-320 s (subnormal) overflowed the rounding scale.
  EXPECT_EQ(format_duration(1.3333333333334e-320), "1.33e-311 ns");
  EXPECT_EQ(format_duration(2e-13), "0.0002 ns");
  EXPECT_EQ(format_duration(1e-12), "0.00100 ns");  // the smallest in fixed notation
  EXPECT_EQ(format_bytes(1e-320), "0 B");
}

TEST(UnitsTest, FormatsNonFiniteValuesPlainly) {
  EXPECT_EQ(format_duration(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(format_duration(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(format_bytes(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(UnitsTest, FormatsBytesInBinaryUnits) {
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(812.6), "813 B");
  EXPECT_EQ(format_bytes(65536), "64.0 KiB");
  EXPECT_EQ(format_bytes(1.5 * 1073741824.0), "1.50 GiB");
  EXPECT_EQ(format_bytes(1e6), "977 KiB");
  EXPECT_EQ(format_bytes(1048576), "1.00 MiB");
  EXPECT_EQ(format_bytes(1048575), "1020 KiB");  // three significant digits
  EXPECT_EQ(format_bytes(1023.7), "1.00 KiB");
  EXPECT_EQ(format_bytes(0), "0 B");
}

TEST(UnitsTest, FormattedValuesParseBack) {
  for (const double seconds : {45e-6, 0.182, 3.2, 300.0, 7200.0}) {
    std::string text = format_duration(seconds);
    if (text.ends_with(" min")) text = text.substr(0, text.size() - 4) + "min";
    const auto parsed = parse_duration_s(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_NEAR(*parsed, seconds, seconds * 5e-3) << text;
  }
}

}  // namespace
}  // namespace archsim
