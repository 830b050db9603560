// Units: strict parsing of "<number><unit>" strings (durations to seconds,
// sizes to bytes) and their human formatting with three significant digits.
// The accepted grammar is mirrored by the patterns in scenario.schema.json:
//   number  = digits [ "." digits ] [ ("e"|"E") ["+"|"-"] digits ]
//   text    = number [spaces or tabs] unit
#include "archsim/units.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <span>
#include <system_error>

#include <fmt/format.h>

namespace archsim {
namespace {

struct UnitScale {
  std::string_view name;
  double scale;  ///< size of one unit in the base unit (seconds or bytes)
};

constexpr std::array<UnitScale, 8> duration_units{{
    {"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0},
    {"m", 60.0}, {"min", 60.0}, {"h", 3600.0}, {"d", 86400.0},
}};

constexpr std::array<UnitScale, 9> size_units{{
    {"B", 1.0},
    {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
    {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Length of the leading unsigned decimal number of `text` (grammar in the
/// file comment), 0 when there is none.
size_t number_length(std::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    return i > start;
  };
  if (!digits()) return 0;
  if (i < text.size() && text[i] == '.') {
    const size_t dot = i++;
    if (!digits()) i = dot;  // "5." is not a number here: stop before the dot
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    const size_t mark = i++;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) i = mark;
  }
  return i;
}

/// Parses "<number>[blanks]<unit>" where unit is one of `units`; the whole
/// text must be consumed and the result must be finite.
std::optional<double> parse_with_units(std::string_view text, std::span<const UnitScale> units) {
  const size_t n = number_length(text);
  if (n == 0) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + n, value);
  if (ec != std::errc{} || end != text.data() + n) return std::nullopt;
  std::string_view rest = text.substr(n);
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  for (const UnitScale& unit : units) {
    if (rest == unit.name) {
      const double result = value * unit.scale;
      if (!std::isfinite(result)) return std::nullopt;
      return result;
    }
  }
  return std::nullopt;
}

/// Formats `value` (in base units, > 0 and finite) with three significant
/// digits in the largest unit of `units` (ascending) it reaches. When
/// rounding carries into the next unit ("999.9 ms" -> "1.00 s") the next
/// unit is used. The first unit may be `integral` (bytes: "512 B").
std::string format_scaled(double value, std::span<const UnitScale> units, bool first_integral) {
  size_t k = 0;
  while (k + 1 < units.size() && value >= units[k + 1].scale) ++k;
  // Far below the smallest unit (a subnormal, say) three significant
  // digits need scientific notation: 10^(2 - log10 v) would overflow.
  if (k == 0 && !first_integral && value / units[0].scale < 1e-3)
    return fmt::format("{:.3g} {}", value / units[0].scale, units[0].name);
  for (;; ++k) {
    const double v = value / units[k].scale;
    double rounded = std::round(v);
    int decimals = 0;
    if (!(k == 0 && first_integral)) {
      // Round to three significant digits, then show the decimals the
      // rounded value needs (0.9997 -> 1.00, not 1.000).
      const double scale = std::pow(10.0, 2 - std::floor(std::log10(v)));
      rounded = std::round(v * scale) / scale;
      decimals = std::max(0, 2 - static_cast<int>(std::floor(std::log10(rounded))));
    }
    const bool carries = k + 1 < units.size() && rounded * units[k].scale >= units[k + 1].scale;
    if (!carries) return fmt::format("{:.{}f} {}", rounded, decimals, units[k].name);
  }
}

/// Shared sign, zero and non-finite handling of the two formatters.
std::string format_any(double value, std::span<const UnitScale> units, bool first_integral,
                       std::string_view zero_text) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return std::string(zero_text);
  if (value < 0) return "-" + format_scaled(-value, units, first_integral);
  return format_scaled(value, units, first_integral);
}

// Display units: "m" and "min" are the same; show "min". Sizes show binary units.
constexpr std::array<UnitScale, 7> duration_display{{
    {"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0},
    {"min", 60.0}, {"h", 3600.0}, {"d", 86400.0},
}};
constexpr std::array<UnitScale, 6> size_display{{
    {"B", 1.0}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
    {"TiB", 1099511627776.0}, {"PiB", 1125899906842624.0},
}};

}  // namespace

std::optional<double> parse_duration_s(std::string_view text) {
  return parse_with_units(text, duration_units);
}

std::optional<double> parse_size_bytes(std::string_view text) {
  return parse_with_units(text, size_units);
}

std::string format_availability(double fraction) {
  if (!std::isfinite(fraction)) return "-";
  if (fraction >= 1) return "100%";
  if (fraction <= 0) return "0%";
  const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(1 - fraction) - 1e-9)) - 2, 1, 6);
  const double scale = std::pow(10.0, decimals);
  return fmt::format("{:.{}f}%", std::floor(100 * fraction * scale + 1e-6) / scale, decimals);
}

std::string format_duration(double seconds) {
  return format_any(seconds, duration_display, false, "0 s");
}

std::string format_bytes(double bytes) {
  return format_any(bytes, size_display, true, "0 B");
}

}  // namespace archsim
