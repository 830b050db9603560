// libFuzzer target: the calibration file reader (calibration_from_json).
// Property (issue 8): any text gives a Calibration that passes the file's
// own checks and survives a round trip through calibration_to_json, or a
// ScenarioError whose every issue names a JSON path (empty only for the
// document itself); no other exception, no crash, no sanitizer report.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "archsim/calibration.hpp"
#include "archsim/scenario_loader.hpp"

namespace {
[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "%s\n", why.c_str());
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const archsim::Calibration c = archsim::calibration_from_json(text, "fuzz-calibration.json");
    if (c.cores < 1 || c.broker_io_threads < 1) fail("a valid calibration with fewer than one core or I/O thread");
    for (double v : {c.loopback_rtt_s, c.loopback_bytes_per_s, c.produce_rtt_s, c.request_cost_s, c.byte_cost_s,
                     c.producer_message_cost_s, c.consumer_message_cost_s, c.held_fetch_probe_wait_s,
                     c.held_fetch_mean_s, c.held_fetch_probe_wait2_s, c.held_fetch_mean2_s})
      if (!std::isfinite(v) || v < 0) fail("a valid calibration with a negative or infinite figure");
    const nlohmann::json j = nlohmann::json::parse(text);  // valid: the reader parsed it
    if (j["cores"].get<int64_t>() != c.cores || j["broker_io_threads"].get<int64_t>() != c.broker_io_threads)
      fail("an integer read as another value (cores " + std::to_string(c.cores) + ", file " + j["cores"].dump() + ")");
    (void)c.describe("fuzz-calibration.json");
    (void)c.fetch_cycle_s(0.5);
    const std::string written = archsim::calibration_to_json(c);
    const archsim::Calibration again = archsim::calibration_from_json(written, "round trip");
    if (archsim::calibration_to_json(again) != written) fail("a calibration that does not survive its round trip");
  } catch (const archsim::ScenarioError& e) {
    if (e.issues().empty()) fail(std::string("ScenarioError without issues: ") + e.what());
    if (e.file() != "fuzz-calibration.json") fail(std::string("an error naming another file: ") + e.what());
    for (const auto& issue : e.issues())
      if (!issue.path.empty() && issue.path.front() != '/') fail("issue path is not a JSON pointer: " + issue.message());
  }
  return 0;
}
