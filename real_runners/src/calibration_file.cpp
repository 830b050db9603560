// Calibration file: the versioned JSON a calibration is kept in, validated
// on read with JSON paths, and what a calibration says (fetch cycle, notes
// line). Kept apart from the probes (calibration.cpp) so it needs no
// librdkafka: the fuzz build (tests/fuzz) compiles it alone.
#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "archsim/calibration.hpp"
#include "archsim/scenario_loader.hpp"

namespace archsim {

double Calibration::fetch_cycle_s(double wait_s) const {
  const double w1 = held_fetch_probe_wait_s, w2 = held_fetch_probe_wait2_s;
  const double p1 = 2 * held_fetch_mean_s, p2 = 2 * held_fetch_mean2_s;
  double period = wait_s;
  if (w2 > w1 && w1 > 0)
    period = p1 + (p2 - p1) / (w2 - w1) * (wait_s - w1);
  else if (w1 > 0)
    period = p1 / w1 * wait_s;
  return std::max(wait_s, period);
}

std::string Calibration::describe(const std::string& origin) const {
  return fmt::format(
      "calibration {} ({} on {}, {} cores, {}): produce round trip {:.0f} us, loopback RTT {:.0f} us, {:.1f} us per "
      "request, {:.2f} ns per byte, client {:.2f} us per produced and {:.2f} us per consumed message, {} broker I/O "
      "thread{}, empty fetch {}",
      origin, created_utc, host, cores, broker, produce_rtt_s * 1e6, loopback_rtt_s * 1e6, request_cost_s * 1e6,
      byte_cost_s * 1e9, producer_message_cost_s * 1e6, consumer_message_cost_s * 1e6, broker_io_threads,
      broker_io_threads == 1 ? "" : "s",
      empty_fetch_held ? fmt::format("held for the full fetch.wait.max.ms (probes: mean {:.1f} ms at {:.0f} ms, {:.1f} "
                                     "ms at {:.0f} ms)",
                                     held_fetch_mean_s * 1e3, held_fetch_probe_wait_s * 1e3, held_fetch_mean2_s * 1e3,
                                     held_fetch_probe_wait2_s * 1e3)
                       : "answered when data arrives");
}

std::string calibration_to_json(const Calibration& c) {
  nlohmann::ordered_json j;
  j["archsim_calibration_version"] = c.version;
  j["created_utc"] = c.created_utc;
  j["host"] = c.host;
  j["cores"] = c.cores;
  j["broker"] = c.broker;
  j["librdkafka"] = c.librdkafka;
  j["loopback_rtt_s"] = c.loopback_rtt_s;
  j["loopback_bytes_per_s"] = c.loopback_bytes_per_s;
  j["produce_rtt_s"] = c.produce_rtt_s;
  j["request_cost_s"] = c.request_cost_s;
  j["byte_cost_s"] = c.byte_cost_s;
  j["producer_message_cost_s"] = c.producer_message_cost_s;
  j["consumer_message_cost_s"] = c.consumer_message_cost_s;
  j["broker_io_threads"] = c.broker_io_threads;
  j["empty_fetch_held"] = c.empty_fetch_held;
  j["held_fetch_probe_wait_s"] = c.held_fetch_probe_wait_s;
  j["held_fetch_mean_s"] = c.held_fetch_mean_s;
  j["held_fetch_probe_wait2_s"] = c.held_fetch_probe_wait2_s;
  j["held_fetch_mean2_s"] = c.held_fetch_mean2_s;
  return j.dump(2) + "\n";
}

Calibration calibration_from_json(const std::string& text, const std::string& origin) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for a number such as 1e400
    throw ScenarioError(origin, {{"", "a calibration JSON document", fmt::format("invalid JSON ({})", e.what())}}, "calibration");
  }
  std::vector<ValidationIssue> issues;
  if (!j.is_object()) throw ScenarioError(origin, {{"", "a JSON object", std::string(j.type_name())}}, "calibration");
  auto found = [&](const char* key) -> std::string { return j.contains(key) ? j[key].dump() : "nothing"; };
  Calibration c;
  auto number = [&](const char* key, double& out, double min, bool min_exclusive) {
    if (!j.contains(key) || !j[key].is_number()) {
      issues.push_back({fmt::format("/{}", key), "a number", found(key)});
      return;
    }
    const double v = j[key].get<double>();
    if (min_exclusive ? !(v > min) : !(v >= min)) {
      issues.push_back({fmt::format("/{}", key), fmt::format("a number {} {:g}", min_exclusive ? ">" : ">=", min),
                        found(key)});
      return;
    }
    out = v;
  };
  auto integer = [&](const char* key, int& out, int min) {
    // Up to INT_MAX: a larger one would wrap when stored in an int.
    constexpr int max = std::numeric_limits<int>::max();
    const bool in_range =
        j.contains(key) && j[key].is_number_integer() &&
        (j[key].is_number_unsigned() ? j[key].get<uint64_t>() <= static_cast<uint64_t>(max) &&
                                           static_cast<int64_t>(j[key].get<uint64_t>()) >= min
                                     : j[key].get<int64_t>() >= min && j[key].get<int64_t>() <= max);
    if (!in_range) {
      issues.push_back({fmt::format("/{}", key), fmt::format("an integer from {} to {}", min, max), found(key)});
      return;
    }
    out = j[key].get<int>();
  };
  auto string = [&](const char* key, std::string& out) {
    if (!j.contains(key) || !j[key].is_string()) {
      issues.push_back({fmt::format("/{}", key), "a string", found(key)});
      return;
    }
    out = j[key].get<std::string>();
  };
  if (!j.contains("archsim_calibration_version") || j["archsim_calibration_version"] != kCalibrationVersion)
    issues.push_back({"/archsim_calibration_version", fmt::format("{} (a file written by archsim calibrate)",
                                                                   kCalibrationVersion),
                      found("archsim_calibration_version")});
  string("created_utc", c.created_utc);
  string("host", c.host);
  integer("cores", c.cores, 1);
  string("broker", c.broker);
  string("librdkafka", c.librdkafka);
  number("loopback_rtt_s", c.loopback_rtt_s, 0, true);
  number("loopback_bytes_per_s", c.loopback_bytes_per_s, 0, true);
  number("produce_rtt_s", c.produce_rtt_s, 0, true);
  number("request_cost_s", c.request_cost_s, 0, true);
  number("byte_cost_s", c.byte_cost_s, 0, false);
  number("producer_message_cost_s", c.producer_message_cost_s, 0, false);
  number("consumer_message_cost_s", c.consumer_message_cost_s, 0, false);
  integer("broker_io_threads", c.broker_io_threads, 1);
  if (!j.contains("empty_fetch_held") || !j["empty_fetch_held"].is_boolean())
    issues.push_back({"/empty_fetch_held", "true or false", found("empty_fetch_held")});
  else
    c.empty_fetch_held = j["empty_fetch_held"].get<bool>();
  number("held_fetch_probe_wait_s", c.held_fetch_probe_wait_s, 0, false);
  number("held_fetch_mean_s", c.held_fetch_mean_s, 0, false);
  number("held_fetch_probe_wait2_s", c.held_fetch_probe_wait2_s, 0, false);
  number("held_fetch_mean2_s", c.held_fetch_mean2_s, 0, false);
  const std::vector<std::string> known = {"archsim_calibration_version", "created_utc", "host", "cores", "broker",
                                          "librdkafka", "loopback_rtt_s", "loopback_bytes_per_s", "produce_rtt_s",
                                          "request_cost_s", "byte_cost_s", "producer_message_cost_s",
                                          "consumer_message_cost_s", "broker_io_threads", "empty_fetch_held",
                                          "held_fetch_probe_wait_s", "held_fetch_mean_s", "held_fetch_probe_wait2_s",
                                          "held_fetch_mean2_s"};
  for (const auto& [key, value] : j.items())
    if (std::find(known.begin(), known.end(), key) == known.end())
      issues.push_back({"/" + key, "no such key (a calibration has: " + fmt::format("{}", fmt::join(known, ", ")) + ")",
                        value.dump()});
  if (!issues.empty()) throw ScenarioError(origin, std::move(issues), "calibration");
  return c;
}

Calibration load_calibration_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in)
    throw ScenarioError(path.string(), {{"", "a readable calibration file (archsim calibrate -o FILE)",
                                         "a file that cannot be read"}},
                        "calibration");
  std::ostringstream s;
  s << in.rdbuf();
  return calibration_from_json(s.str(), path.string());
}

}  // namespace archsim
