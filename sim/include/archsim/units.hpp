// Units: parse durations ("250ms", "5m", "1h") to seconds and sizes
// ("64KiB", "1.5MB") to bytes. Used only by the scenario loader and the CLI.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace archsim {

/// Parses a duration with a unit: ns, us, ms, s, m (or min), h, d.
/// A bare number is rejected (the unit is required in strings).
/// Returns std::nullopt when the text is not a finite, non-negative duration.
std::optional<double> parse_duration_s(std::string_view text);

/// Parses a size with a unit: B, KB, MB, GB, TB (powers of 1000),
/// KiB, MiB, GiB, TiB (powers of 1024). Returns std::nullopt when the text
/// is not a finite, non-negative size.
std::optional<double> parse_size_bytes(std::string_view text);

/// Human form of a duration for tables: "182 ms", "3.2 s", "45 us".
std::string format_duration(double seconds);

/// Human form of a byte count: "64 KiB", "1.5 GiB".
std::string format_bytes(double bytes);

/// "99.95%": an availability (a fraction) with enough decimals to tell the
/// nines apart, never rounded up (only 1 prints as "100%"); "-" when not finite.
std::string format_availability(double fraction);

}  // namespace archsim
