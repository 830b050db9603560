// libFuzzer target: the OpenMessaging Benchmark result importer. Property:
// any text gives a Result with one measured candidate whose percentiles do
// not decrease, or std::invalid_argument naming the file; nothing else.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "archsim/omb.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  archsim::Verdict p99;
  p99.requirement = "p99 latency";
  p99.target = 0.05;
  try {
    const archsim::Result r = archsim::import_omb_result(text, "fuzz.json", "", {p99});
    if (r.candidates.size() != 1 || r.candidates[0].source != "measured") std::abort();
    const auto& l = r.candidates[0].end_to_end;
    if (!(l.p50_s.value <= l.p99_s.value && l.p99_s.value <= l.max_s)) {
      std::fprintf(stderr, "percentiles out of order\n");
      std::abort();
    }
  } catch (const std::invalid_argument& e) {
    if (std::string_view(e.what()).find("fuzz.json") == std::string_view::npos) {
      std::fprintf(stderr, "error without the file name: %s\n", e.what());
      std::abort();
    }
  }
  return 0;
}
