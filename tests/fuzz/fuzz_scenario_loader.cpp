// libFuzzer target: scenario text in, a Scenario or a ScenarioError out.
// The property (issue 8): for every input, parse_scenario either returns a
// Scenario or throws ScenarioError whose every issue names a JSON path
// (an empty path only for the document itself); no other exception, no
// crash, no sanitizer report. Anything else aborts the fuzzer.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "archsim/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const archsim::Scenario sc = archsim::parse_scenario(text, "fuzz.json", ARCHSIM_FUZZ_DATA_DIR);
    if (sc.candidates.empty()) {
      std::fprintf(stderr, "a valid scenario without candidates\n");
      std::abort();
    }
  } catch (const archsim::ScenarioError& e) {
    if (e.issues().empty()) {
      std::fprintf(stderr, "ScenarioError without issues: %s\n", e.what());
      std::abort();
    }
    for (const auto& issue : e.issues())
      if (!issue.path.empty() && issue.path.front() != '/') {
        std::fprintf(stderr, "issue path is not a JSON pointer: %s\n", issue.message().c_str());
        std::abort();
      }
  }
  return 0;
}
