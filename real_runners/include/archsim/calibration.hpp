// Calibration: what this machine's Kafka path costs, measured by short probe
// runs (kafka_probes.hpp) on the embedded broker or an external cluster, and
// kept in a versioned JSON file the user can reuse. The local twin
// (local_twin.hpp) turns it into the hardware a prediction runs on.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace archsim {

/// Version written into (and required of) calibration files.
inline constexpr int kCalibrationVersion = 1;

struct Calibration {
  int version = kCalibrationVersion;
  std::string created_utc;          ///< ISO 8601, when it was measured
  std::string host;                 ///< machine name
  int cores = 1;                    ///< hardware threads of the machine
  std::string broker;               ///< what was measured: "embedded mock cluster (librdkafka 2.0.2)" or a list
  std::string librdkafka;           ///< client version
  double loopback_rtt_s = 0;        ///< TCP 1-byte ping-pong on 127.0.0.1, p50, seconds
  double loopback_bytes_per_s = 0;  ///< bulk TCP throughput on 127.0.0.1, bytes/s
  double produce_rtt_s = 0;         ///< one 100 B message, linger 0, produce() -> delivery report, p50, seconds
  double request_cost_s = 0;        ///< per produce request on the path's bottleneck (pipelined 100 B requests), seconds
  double byte_cost_s = 0;           ///< per payload byte on that path (64 KiB requests vs 100 B ones), seconds
  double producer_message_cost_s = 0;  ///< client CPU per message of a plain produce loop (100 B, linger 5 ms), seconds
  double consumer_message_cost_s = 0;  ///< client CPU per message of a consume loop (100 B), seconds
  int broker_io_threads = 1;        ///< threads serving requests for the whole cluster (the mock: 1, from its source)
  bool empty_fetch_held = false;    ///< an empty fetch is held for the full fetch.wait.max.ms (measured)
  /// Held-fetch probes at two fetch.wait.max.ms values (seconds): the mean
  /// produce -> consume time of a message produced at a random moment of a
  /// held fetch. Twice the mean is the period of the consumer's fetch cycle.
  double held_fetch_probe_wait_s = 0;
  double held_fetch_mean_s = 0;
  double held_fetch_probe_wait2_s = 0;
  double held_fetch_mean2_s = 0;

  /// Period of a consumer's fetch cycle on an idle partition when
  /// fetch.wait.max.ms is `wait_s`: the line through the two probes (twice
  /// their means), never below `wait_s`.
  double fetch_cycle_s(double wait_s) const;

  /// One line for notes: "calibration FILE (host, date): RTT ..., request ..., byte ...".
  std::string describe(const std::string& origin) const;
};

struct CalibrateOptions {
  std::string bootstrap_servers;     ///< "" = start an embedded mock cluster
  std::string topic = "archsim.calibrate";
  std::function<void(const std::string&)> log;  ///< progress lines; may be empty
};

/// Measures this machine's path (a few seconds). Throws KafkaError /
/// BrokerUnreachable (kafka_client.hpp) on Kafka failures.
Calibration calibrate(const CalibrateOptions& options);

/// The calibration as pretty JSON (the file format).
std::string calibration_to_json(const Calibration& c);

/// Parses and validates calibration JSON; `origin` names the file. Throws
/// ScenarioError (scenario_loader.hpp) listing every problem with its JSON
/// path (e.g. "/request_cost_s: expected a number > 0, found -1").
Calibration calibration_from_json(const std::string& text, const std::string& origin);

/// Reads a calibration file (ScenarioError for a missing or invalid file).
Calibration load_calibration_file(const std::filesystem::path& path);

}  // namespace archsim
