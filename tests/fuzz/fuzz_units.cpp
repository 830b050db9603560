// libFuzzer target: the duration and size parsers. Property: any text gives
// std::nullopt or a finite, non-negative number, and formatting that number
// back never fails.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "archsim/units.hpp"

namespace {
void check(std::optional<double> v, const char* what, std::string_view text) {
  if (!v) return;
  if (!std::isfinite(*v) || *v < 0) {
    std::fprintf(stderr, "%s(\"%.*s\") = %g: not a finite non-negative value\n", what, static_cast<int>(text.size()), text.data(), *v);
    std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto d = archsim::parse_duration_s(text);
  check(d, "parse_duration_s", text);
  if (d) (void)archsim::format_duration(*d);
  const auto b = archsim::parse_size_bytes(text);
  check(b, "parse_size_bytes", text);
  if (b) (void)archsim::format_bytes(*b);
  return 0;
}
