// `archsim check SCENARIO --candidate NAME`: run the candidate's data path for
// real on a Kafka-protocol broker (embedded by default, external by flag) at a
// scaled-down rate, simulate the same candidate at the same rate, and print
// predicted vs measured throughput and latency with relative errors.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "archsim/result.hpp"

namespace archsim {

struct CheckOptions {
  std::string scenario_file;
  std::string candidate;                  ///< the candidate to check (required)
  std::string bootstrap_servers;          ///< external cluster; "" = embedded mock cluster
  std::string kafka_config;               ///< librdkafka properties file; "" = none
  std::string duration = "10s";           ///< measured window (a duration with unit, or seconds)
  std::string warmup = "1s";              ///< discarded before the measured window
  std::optional<double> rate_eps;         ///< absolute offered rate
  std::optional<double> rate_scale;       ///< fraction of the scenario's rate
  std::string json_path;                  ///< Result JSON with both candidates; "" = none
  std::string report_path;                ///< report of both candidates, format from the extension; "" = none
  std::string calibration;                ///< calibration file for the local twin; "" = calibrate now
  std::string platform = "twin";          ///< "twin" (this machine, calibrated) | "catalog" (the scenario's hardware)
  std::string batch_interval;             ///< Lambda: batch reader interval (duration); "" = scaled from the candidate's
  int inject_rtt_ms = 0;                  ///< embedded brokers delay every response by this much
  std::vector<std::string> broker_down;   ///< "AT:DURATION[:BROKER|all]" each (durations like 3s)
  std::string request_errors;             ///< "1%" or "0.01": share of Produce/Fetch requests failed; "" = none
  std::vector<std::string> restart_consumer;  ///< "AT[:processor|sink]" each
  std::string message_timeout = "20s";    ///< producers' message.timeout.ms
  std::string tolerance = "20%";          ///< agreement asked of throughput, p50 and p99 ("20%" or 0.2)
  bool gate = false;                      ///< exit 3 unless the measured run meets its verdicts and agrees
  bool quiet = false;                     ///< log warnings only
};

/// One figure of the agreement between the prediction and the measurement.
struct AgreementFigure {
  std::string metric;   ///< "throughput", "p50 end-to-end", "p99 end-to-end"
  double error = 0;     ///< (predicted - measured) / measured; NaN when it cannot be computed
  bool within = false;  ///< |error| <= the tolerance (false when NaN)
};

/// Whether the prediction agrees with the measurement within a tolerance,
/// on the figures the agreement target names: throughput, p50 and p99
/// end-to-end. (p99.9 is printed, not judged: a short run holds too few
/// events beyond it for a stable figure.)
struct Agreement {
  double tolerance = 0.2;
  std::vector<AgreementFigure> figures;
  bool within() const;
  /// "throughput +0.4%, p50 end-to-end -2.0%, p99 end-to-end -54.3% (outside ±20%)".
  std::string summary() const;
};

/// The agreement of `predicted` with `measured` at `tolerance` (a share).
Agreement judge_agreement(const CandidateResult& predicted, const CandidateResult& measured, double tolerance);

/// "20%" or "0.2" -> 0.2; std::invalid_argument naming --tolerance unless in (0, 10].
double parse_tolerance(const std::string& text);

/// Adds the `check` subcommand to `app`, storing its arguments in `opts`
/// (which must outlive parsing). Returns the subcommand.
CLI::App* setup_check(CLI::App& app, CheckOptions& opts);

/// Runs the real path, then the simulation, prints the comparison on `out`
/// and progress on `err`. Returns exit_code::ok, or requirements_not_met
/// with --gate when the measured run fails a verdict (delivery, p95, p99) or
/// the prediction misses the agreement tolerance.
/// Throws std::invalid_argument / ScenarioError for bad input (exit 2) and
/// EnvironmentError when the broker is unreachable, a topic cannot be
/// created or the JSON cannot be written (exit 4).
int run_check(const CheckOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace archsim
