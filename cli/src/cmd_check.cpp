// `archsim check`: measured (real Kafka) vs predicted (SimGrid) for one candidate.
#include "archsim/cmd_check.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include "archsim/atomic_file.hpp"
#include "archsim/broker_thread.hpp"
#include "archsim/calibration.hpp"
#include "archsim/cli_common.hpp"
#include "archsim/cli_errors.hpp"
#include "archsim/delivery_semantics.hpp"
#include "archsim/json_reporter.hpp"
#include "archsim/report_format.hpp"
#include "archsim/comparison.hpp"  // check --report
#include "archsim/kafka_client.hpp"
#include "archsim/kafka_properties.hpp"
#include "archsim/edge_runner.hpp"
#include "archsim/edge_twin.hpp"
#include "archsim/kappa_runner.hpp"
#include "archsim/lambda_runner.hpp"
#include "archsim/lambda_twin.hpp"
#include "archsim/local_twin.hpp"
#include "archsim/scenario_loader.hpp"
#include "archsim/simulator.hpp"
#include "archsim/units.hpp"

namespace archsim {

namespace {

namespace fs = std::filesystem;

/// A duration option: "3s", "500ms", or a bare number of seconds.
double parse_duration_option(const std::string& option, const std::string& text) {
  if (const std::optional<double> s = parse_duration_s(text)) return *s;
  double seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(seconds) && seconds >= 0) return seconds;
  throw std::invalid_argument(
      fmt::format("{} {}: expected a duration such as 10s or 500ms (a bare number is seconds)", option, text));
}


/// "a:b:c" -> {"a", "b", "c"}.
std::vector<std::string> split_colons(const std::string& text) {
  std::vector<std::string> parts;
  size_t from = 0;
  for (size_t c = text.find(':'); c != std::string::npos; c = text.find(':', from)) {
    parts.push_back(text.substr(from, c - from));
    from = c + 1;
  }
  parts.push_back(text.substr(from));
  return parts;
}

/// "AT:DURATION[:BROKER|all]" -> a fault (default: the input topic's leader).
BrokerFault parse_broker_down(const std::string& text) {
  const auto bad = [&] {
    return std::invalid_argument(fmt::format(
        "--broker-down {}: expected AT:DURATION[:BROKER], e.g. 4s:3s (the leader of the input topic's partition 0), "
        "4s:3s:2 (broker 2) or 4s:30s:all (every broker)",
        text));
  };
  const std::vector<std::string> parts = split_colons(text);
  if (parts.size() < 2 || parts.size() > 3) throw bad();
  BrokerFault f;
  f.at_s = parse_duration_option("--broker-down", parts[0]);
  f.duration_s = parse_duration_option("--broker-down", parts[1]);
  if (parts.size() == 3 && parts[2] == "all") {
    f.broker_id = kAllBrokers;
  } else if (parts.size() == 3) {
    const auto [end, ec] = std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), f.broker_id);
    if (ec != std::errc() || end != parts[2].data() + parts[2].size() || f.broker_id < 1) throw bad();
  }
  return f;
}

/// "AT[:processor|sink]" -> a consumer restart.
ConsumerRestart parse_restart_consumer(const std::string& text) {
  const std::vector<std::string> parts = split_colons(text);
  ConsumerRestart r;
  if (parts.size() > 2 || (parts.size() == 2 && parts[1] != "processor" && parts[1] != "sink"))
    throw std::invalid_argument(fmt::format(
        "--restart-consumer {}: expected AT[:processor|sink], e.g. 5s (the processors' consumers) or 5s:sink", text));
  r.at_s = parse_duration_option("--restart-consumer", parts[0]);
  if (parts.size() == 2 && parts[1] == "sink") r.consumer = RestartedConsumer::sink;
  return r;
}

/// "20%" or "0.2" -> 0.2; nothing unless the whole text is such a number.
std::optional<double> parse_share(const std::string& text) {
  const bool percent = !text.empty() && text.back() == '%';
  const std::string number = percent ? text.substr(0, text.size() - 1) : text;
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size()) return std::nullopt;
  return percent ? value / 100 : value;
}

/// "1%[:produce|fetch]" or "0.01" -> 0.01 (in (0, 0.5]) and the request kinds.
double parse_request_errors(const std::string& spec, std::vector<int>& apis) {
  const std::vector<std::string> parts = split_colons(spec);
  const std::string& text = parts[0];
  apis = {0, 1};
  if (parts.size() == 2 && parts[1] == "produce") apis = {0};
  if (parts.size() == 2 && parts[1] == "fetch") apis = {1};
  if (parts.size() > 2 || (parts.size() == 2 && parts[1] != "produce" && parts[1] != "fetch"))
    throw std::invalid_argument(fmt::format(
        "--request-errors {}: expected SHARE[:produce|fetch], e.g. 1% (Produce and Fetch) or 1%:produce", spec));
  const double fraction = parse_share(text).value_or(NAN);
  if (!(fraction > 0) || fraction > 0.5)
    throw std::invalid_argument(fmt::format(
        "--request-errors {}: expected a share of requests from 0 (exclusive) to 50%, e.g. 1% or 0.01", spec));
  return fraction;
}

/// (predicted - measured) / measured, or NaN when it cannot be computed.
double share_error(double predicted, double measured) {
  return measured > 0 && std::isfinite(predicted) && std::isfinite(measured) ? (predicted - measured) / measured : NAN;
}

/// A share error as "+12.3%", or "n/a" when it is not a number.
std::string error_text(double e) { return std::isfinite(e) ? fmt::format("{:+.1f}%", e * 100) : "n/a"; }

/// share_error as "+12.3%", or "n/a".
std::string relative_error(double predicted, double measured) { return error_text(share_error(predicted, measured)); }

std::string eps_text(double eps) { return fmt::format("{:.0f} ev/s", eps); }

/// One line of the comparison table.
struct ComparisonRow {
  std::string metric, predicted, measured, error;
};

/// The stage named `name` of `c`, or nullptr.
const LatencySummary* stage_latency(const CandidateResult& c, const std::string& name) {
  for (const StageLatency& s : c.stages)
    if (s.stage == name) return &s.latency;
  return nullptr;
}

/// A latency row; a side without the figure shows `missing` and no error.
ComparisonRow latency_row(const std::string& metric, const LatencySummary* predicted, const LatencySummary* measured,
                          bool p99, const std::string& missing = "not modelled") {
  const auto value = [&](const LatencySummary* s) {
    return s != nullptr && s->count > 0 ? (p99 ? s->p99_s.value : s->p50_s.value) : NAN;
  };
  const auto cell = [&](const LatencySummary* s, const std::string& none) {
    return std::isfinite(value(s)) ? format_duration(value(s)) : none;
  };
  return {metric, cell(predicted, missing), cell(measured, "not measured"),
          relative_error(value(predicted), value(measured))};
}

void print_comparison(const CandidateResult& predicted, const CandidateResult& measured, std::ostream& out,
                      const std::vector<ComparisonRow>& extra_rows = {}) {
  std::vector<ComparisonRow> rows;
  rows.push_back({"throughput", eps_text(predicted.achieved_eps), eps_text(measured.achieved_eps),
                  relative_error(predicted.achieved_eps, measured.achieved_eps)});
  const auto row = [&](const std::string& name, double p, double m) {
    rows.push_back({name, format_duration(p), format_duration(m), relative_error(p, m)});
  };
  row("p50 end-to-end", predicted.end_to_end.p50_s.value, measured.end_to_end.p50_s.value);
  row("p99 end-to-end", predicted.end_to_end.p99_s.value, measured.end_to_end.p99_s.value);
  row("p99.9 end-to-end", predicted.end_to_end.p999_s.value, measured.end_to_end.p999_s.value);
  if (predicted.produce_ack.count > 0 && measured.produce_ack.count > 0)
    row("p99 produce ack", predicted.produce_ack.p99_s.value, measured.produce_ack.p99_s.value);
  // Stages both sides may report under the same name (exactly-once's commit wait).
  for (const std::string name : {"transaction commit"}) {
    const LatencySummary* p = stage_latency(predicted, name);
    const LatencySummary* m = stage_latency(measured, name);
    if (p == nullptr && m == nullptr) continue;
    rows.push_back(latency_row("p50 " + name, p, m, false));
    rows.push_back(latency_row("p99 " + name, p, m, true));
  }
  for (const ComparisonRow& extra : extra_rows) rows.push_back(extra);
  size_t width = 18;
  for (const ComparisonRow& r : rows) width = std::max(width, r.metric.size());
  out << fmt::format("{:<{}} {:>14} {:>14} {:>12}\n", "METRIC", width, "PREDICTED", "MEASURED", "REL. ERROR");
  for (const ComparisonRow& r : rows)
    out << fmt::format("{:<{}} {:>14} {:>14} {:>12}\n", r.metric, width, r.predicted, r.measured, r.error);
  out << "(relative error = (predicted - measured) / measured)\n";
}

/// The measured run's verdicts, stages, fault timeline, delivery counts and notes.
void print_measured(const CandidateResult& real, std::ostream& out) {
  out << "measured verdicts:\n";
  for (const Verdict& v : real.verdicts) out << "  " << v.text << '\n';
  if (real.overloaded) out << "  OVERLOADED: " << real.overload_reason << '\n';
  out << "measured stages:\n";
  for (const StageLatency& s : real.stages)
    out << fmt::format("  {:<18} p50 {:>9}  p99 {:>9}  ({})\n", s.stage, format_duration(s.latency.p50_s.value),
                       format_duration(s.latency.p99_s.value), s.description);
  const MeasuredDelivery& d = real.measured_delivery;
  out << fmt::format("measured delivery: sent {}, acked {}, failed {}, unknown {}, received {}, lost {}, "
                     "duplicated {}, redelivered {}\n",
                     d.sent, d.acked, d.failed, d.unknown, d.received, d.lost, d.duplicated, d.redelivered);
  if (!real.faults.empty()) {
    out << "fault timeline (seconds from the first intended send):\n";
    for (const FaultEvent& f : real.faults) out << "  " << FaultInjector::describe(f) << '\n';
  }
  out << "notes on the measurement:\n";
  for (const std::string& n : real.notes) out << "  - " << n << '\n';
  out.flush();
}

}  // namespace

CLI::App* setup_check(CLI::App& app, CheckOptions& opts) {
  CLI::App* cmd = app.add_subcommand(
      "check", "Run a candidate for real on Kafka and compare the measurement with its simulation");
  cmd->add_option("SCENARIO", opts.scenario_file, "scenario JSON file")->required();
  cmd->add_option("--candidate", opts.candidate, "the candidate to check (kind kappa, lambda or edge)")->type_name("NAME")->required();
  cmd->add_option("--bootstrap-servers", opts.bootstrap_servers,
                  "an external Kafka cluster (host:port,...); default: start the embedded mock cluster")
      ->type_name("LIST");
  cmd->add_option("--kafka-config", opts.kafka_config,
                  "librdkafka properties for every client: key=value lines, # comments (security.protocol, "
                  "sasl.*, ssl.*); secrets are never printed")
      ->type_name("FILE");
  cmd->add_option("--duration", opts.duration, "measured window after the warm-up (e.g. 10s, 500ms)")
      ->type_name("D")
      ->capture_default_str();
  cmd->add_option("--warmup", opts.warmup, "discarded from latency statistics, before the measured window")
      ->type_name("D")
      ->capture_default_str();
  cmd->add_option("--rate", opts.rate_eps,
                  "offered rate, events/s (default: the scenario's rate, capped at 20000 ev/s for this machine)")
      ->type_name("EPS");
  cmd->add_option("--rate-scale", opts.rate_scale, "offered rate as a fraction of the scenario's rate")
      ->type_name("F");
  cmd->add_option("--json", opts.json_path,
                  "also write a Result JSON with the simulated candidate NAME and the measured one "
                  "\"NAME (measured)\", atomically; its directory must exist")
      ->type_name("OUT");
  cmd->add_option("--report", opts.report_path,
                  "also write a report of the prediction and the measurement (predicted vs measured with "
                  "error bars) to this file, atomically, in the format of its extension: .html, .md, .csv or .json")
      ->type_name("FILE");
  cmd->add_option("--calibration", opts.calibration,
                  "calibration file (archsim calibrate -o FILE) for the local twin; default: calibrate now (about 5 s)")
      ->type_name("FILE");
  cmd->add_option("--platform", opts.platform,
                  "what the prediction simulates: twin (this machine, calibrated) or catalog (the scenario's hardware)")
      ->check(CLI::IsMember({"twin", "catalog"}))
      ->capture_default_str();
  cmd->add_option("--batch-interval", opts.batch_interval,
                  "Lambda candidates: the batch reader re-reads the input topic this often (default: the "
                  "candidate's batch interval, at most a quarter of warm-up + duration)")
      ->type_name("D");
  cmd->add_option("--inject-rtt", opts.inject_rtt_ms,
                  "embedded broker only: every response is delayed this many milliseconds (mock set_rtt); for an "
                  "edge candidate, the WAN round trip (core brokers only)")
      ->type_name("MS")
      ->check(CLI::Range(0, 10000));
  cmd->add_option("--broker-down", opts.broker_down,
                  "embedded broker only: take a broker down at AT for DURATION, AT:DURATION[:BROKER] (default "
                  "broker: the input topic's leader; all: every broker at once); repeatable")
      ->type_name("AT:DURATION[:ID|all]");
  cmd->add_option("--request-errors", opts.request_errors,
                  "embedded broker only: every broker fails this share of its Produce and Fetch requests (or "
                  "only those of one kind) with a retriable error (NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS, "
                  "REQUEST_TIMED_OUT) for the whole run, e.g. 1% or 1%:produce")
      ->type_name("SHARE[:produce|fetch]");
  cmd->add_option("--restart-consumer", opts.restart_consumer,
                  "drop the processors' consumers (or the sink's) at AT without a final offset commit, as a crash "
                  "would, and re-create them in the same group; they resume from the committed offsets "
                  "(at-least-once: the events read again are counted as explained duplicates; exactly-once: a "
                  "processor's open transaction is abandoned and aborted, nothing is duplicated); repeatable")
      ->type_name("AT[:processor|sink]");
  cmd->add_option("--message-timeout", opts.message_timeout,
                  "producers' message.timeout.ms: an event not acknowledged by then fails")
      ->type_name("D")
      ->capture_default_str();
  cmd->add_option("--tolerance", opts.tolerance,
                  "the agreement asked of the prediction: largest relative error of throughput, p50 and p99 "
                  "end-to-end, as a percentage or a share (printed always, enforced with --gate)")
      ->type_name("SHARE")
      ->capture_default_str();
  cmd->add_flag("--gate", opts.gate,
                "exit 3 unless the measured run meets its verdicts (every event delivered exactly once, the "
                "scenario's p95/p99 targets at the scaled load) and the prediction agrees within --tolerance");
  cmd->add_flag("-q,--quiet", opts.quiet, "log only warnings and errors to stderr");
  cmd->footer(
      "The real path: an open-loop producer sends the scenario's events (sizes and keys from its\n"
      "distributions, arrivals at intended times) at the scaled rate to an input topic; processor\n"
      "threads consume, spin the candidate's CPU per event and produce to an output topic; a sink\n"
      "consumer records end-to-end latency from the intended send time (no coordinated omission)\n"
      "and counts every sequence number (lost, duplicated). The producer uses the candidate's\n"
      "linger.ms and batch.size with enable.idempotence=true; consumers cap fetch.wait.max.ms at\n"
      "10 ms. Then the same candidate is simulated at the same rate on the local twin: this\n"
      "machine's calibrated figures (--calibration FILE, or a calibration made now) in place of\n"
      "the catalog's hardware, with the runner's settings (see archsim calibrate --help).\n"
      "--platform catalog simulates the scenario's hardware instead.\n"
      "\n"
      "Exactly-once (the candidate's processing.delivery, else the scenario's delivery): each\n"
      "processor thread produces inside a Kafka transaction and commits it, with its consumed\n"
      "offsets, every commit interval; consumers read_committed. The table adds the transaction\n"
      "commit wait and the commit call. The embedded broker runs the transaction protocol but\n"
      "does not hold uncommitted data back from read_committed readers (librdkafka's mock\n"
      "cluster); end-to-end is then the later of the sink's receipt and the event's commit.\n"
      "\n"
      "Lambda candidates (embedded broker): the speed layer runs as above; a batch reader\n"
      "re-reads the input topic every --batch-interval (default: the candidate's interval, at\n"
      "most a quarter of warm-up + duration), aggregates events and bytes per key and publishes\n"
      "a view; the table adds accuracy latency (event -> first published view holding it) and\n"
      "the check verifies that the last batch view equals the speed layer's view.\n"
      "\n"
      "Edge candidates (two embedded clusters): devices -> edge broker -> gateway (the local\n"
      "decision, measured at the edge; the candidate's forward ratio kept) -> core broker ->\n"
      "core processor -> core sink. --inject-rtt is the WAN round trip, added to every response\n"
      "of the core brokers; the table adds local-decision latency.\n"
      "\n"
      "Examples:\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-lean --duration 30s --rate 5000\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline --json check.json --gate\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline --report check.html\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline --calibration calibration.json\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline --broker-down 4s:3s\n"
      "  archsim check scenarios/fraud-lambda-vs-kappa.json --candidate kappa-exactly-once --rate 500\n"
      "  archsim check scenarios/fraud-lambda-vs-kappa.json --candidate lambda-audit --rate 500 \\\n"
      "      --duration 6s --batch-interval 1s\n"
      "  archsim check scenarios/iot-edge-vs-kappa.json --candidate edge-gateways --rate 1000 --inject-rtt 40\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline --request-errors 1%\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline --restart-consumer 5s\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline --duration 8s \\\n"
      "      --broker-down 2s:60s:all --message-timeout 5s   # every broker down: exit 4 with the counts\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline \\\n"
      "      --bootstrap-servers kafka-1:9092,kafka-2:9092 --kafka-config client.properties\n"
      "\n"
      "Faults (embedded broker, except --restart-consumer) are scheduled from the first intended\n"
      "send; the Result (--json) lists them under \"faults\" (start_s, end_s) on the clock of\n"
      "the measured \"timeline\" (latency per second), and counts delivery under \"delivery_counts\" (sent, acked,\n"
      "failed, unknown, received, lost, duplicated, redelivered, explanation).\n"
      "\n"
      "Exit status: 0 ok; 2 bad input (scenario, unknown candidate, malformed --kafka-config line,\n"
      "bad option); 3 with --gate when the measured run fails a verdict or the prediction misses\n"
      "--tolerance; 4 environment failure\n"
      "(broker unreachable within about 5 s, topic missing and not creatable, --json or --report\n"
      "not writable, or the broker did not acknowledge every event: e.g. every broker down for\n"
      "longer than --message-timeout; the measurement and --json are still written, with the\n"
      "counts of acknowledged, failed and unknown events).");
  return cmd;
}

bool Agreement::within() const {
  return !figures.empty() && std::all_of(figures.begin(), figures.end(), [](const AgreementFigure& f) { return f.within; });
}

std::string Agreement::summary() const {
  std::string text;
  for (const AgreementFigure& f : figures) {
    if (!text.empty()) text += ", ";
    text += f.metric + " " + error_text(f.error);
  }
  return text + fmt::format(" ({} ±{:g}%)", within() ? "within" : "outside", tolerance * 100);
}

Agreement judge_agreement(const CandidateResult& predicted, const CandidateResult& measured, double tolerance) {
  Agreement a;
  a.tolerance = tolerance;
  const auto add = [&](const std::string& metric, double p, double m) {
    const double e = share_error(p, m);
    a.figures.push_back({metric, e, std::isfinite(e) && std::abs(e) <= tolerance});
  };
  add("throughput", predicted.achieved_eps, measured.achieved_eps);
  add("p50 end-to-end", predicted.end_to_end.p50_s.value, measured.end_to_end.p50_s.value);
  add("p99 end-to-end", predicted.end_to_end.p99_s.value, measured.end_to_end.p99_s.value);
  return a;
}

double parse_tolerance(const std::string& text) {
  const double share = parse_share(text).value_or(NAN);
  if (!(share > 0) || share > 10)
    throw std::invalid_argument(fmt::format(
        "--tolerance {}: expected the largest relative error accepted, above 0 and at most 1000%, e.g. 20% or 0.2",
        text));
  return share;
}

int run_check(const CheckOptions& opts, std::ostream& out, std::ostream& err) {
  check_output_path("--json", opts.json_path);
  check_output_path("--report", opts.report_path);
  const std::optional<ReportFormat> report_format =
      opts.report_path.empty() ? std::nullopt : report_format_for_path(opts.report_path);
  if (!opts.report_path.empty() && !report_format)
    throw std::invalid_argument(
        fmt::format("--report {}: unknown extension, expected .html, .md, .csv or .json", opts.report_path));
  const double duration_s = parse_duration_option("--duration", opts.duration);
  const double warmup_s = parse_duration_option("--warmup", opts.warmup);
  if (!(duration_s > 0)) throw std::invalid_argument(fmt::format("--duration {}: expected more than 0", opts.duration));
  const double tolerance = parse_tolerance(opts.tolerance);
  auto log = make_logger(err, opts.quiet);

  KappaRunOptions run;
  if (!opts.kafka_config.empty()) {
    run.properties = KafkaProperties::load_file(opts.kafka_config);
    log->info("kafka config: {} properties from {}: {}", run.properties.items().size(), opts.kafka_config,
              run.properties.describe());
  }
  for (const std::string& f : opts.broker_down) run.faults.push_back(parse_broker_down(f));
  for (const std::string& r : opts.restart_consumer) run.restarts.push_back(parse_restart_consumer(r));
  if (!opts.request_errors.empty())
    run.request_error_fraction = parse_request_errors(opts.request_errors, run.request_error_apis);
  const double message_timeout_s = parse_duration_option("--message-timeout", opts.message_timeout);
  if (!(message_timeout_s >= 0.001) || message_timeout_s > 3600)
    throw std::invalid_argument(
        fmt::format("--message-timeout {}: expected 1ms to 1h", opts.message_timeout));
  run.message_timeout = std::chrono::milliseconds(std::lround(message_timeout_s * 1e3));
  run.injected_rtt_ms = opts.inject_rtt_ms;
  // A calibration file is read (and validated) before any long work.
  std::optional<Calibration> calibration;
  std::string calibration_origin = opts.calibration;
  if (opts.platform == "twin" && !opts.calibration.empty()) calibration = load_calibration_file(opts.calibration);
  const Scenario scenario = load_scenario_file(opts.scenario_file);
  const Candidate& candidate = find_candidate(scenario, opts.candidate, opts.scenario_file);
  // The real runners drive Kafka clients and spin the processing in threads:
  // a managed shard or publish/subscribe service, or functions, would be
  // measured as something else, so they are refused rather than mislabelled.
  if (candidate.broker.kind == "kinesis" || candidate.broker.kind == "pubsub")
    throw std::invalid_argument(fmt::format(
        "{}: candidate {} uses broker kind \"{}\"; check measures Kafka-protocol brokers only (kind \"kafka\" or "
        "\"managed-kafka\"), so it has nothing real to compare this prediction with",
        opts.scenario_file, candidate.name, candidate.broker.kind));
  if (candidate.processing.engine == "serverless")
    throw std::invalid_argument(fmt::format(
        "{}: candidate {} runs its processing as serverless functions; check runs the processing as threads consuming "
        "from Kafka (engines flink, kafka-streams, spark-streaming), so it cannot measure invocations or cold starts",
        opts.scenario_file, candidate.name));
  run.bootstrap_servers = opts.bootstrap_servers;
  run.rate = choose_rate(scenario, opts.rate_eps, opts.rate_scale);
  run.duration_s = duration_s;
  run.warmup_s = warmup_s;
  run.log = [&log](const std::string& line) { log->info("{}", line); };
  log->info("{}", run.rate.reason);

  std::optional<double> batch_interval_s;
  if (!opts.batch_interval.empty()) {
    if (candidate.kind != "lambda")
      throw std::invalid_argument(fmt::format("--batch-interval {}: only Lambda candidates have a batch layer; {} is {}",
                                              opts.batch_interval, candidate.name, candidate.kind));
    batch_interval_s = parse_duration_option("--batch-interval", opts.batch_interval);
  }

  KappaRunOutcome measured;
  std::optional<LambdaRunOutcome> lambda;
  std::optional<EdgeRunOutcome> edge;
  try {
    if (candidate.kind == "lambda") {
      lambda = run_lambda(scenario, candidate, LambdaRunOptions{run, batch_interval_s});
      measured = lambda->speed;
    } else if (candidate.kind == "edge") {
      edge = run_edge(scenario, candidate, run);
      measured.result = edge->result;
      measured.broker = edge->broker;
      measured.wall_s = edge->wall_s;
      measured.delivery = {edge->sent, edge->acked, 0, edge->at_core, edge->duplicated, edge->lost, 0};
      measured.processors = 1;
      measured.fetch_wait_max_s = edge->fetch_wait_max_s;
      measured.cpu_per_event_s = edge->core_cpu_per_event_s;
      measured.threads = edge->threads;
    } else {
      measured = run_kappa(scenario, candidate, run);
    }
  } catch (const KafkaError& e) {
    throw EnvironmentError(e.what());
  }
  const DeliveryCounts& d = measured.delivery;
  log->info("measured run done in {:.1f} s wall: {} sent, {} received, lost {}, duplicated {}", measured.wall_s,
            d.sent, d.received, d.lost, d.duplicated);
  if (!measured.failure.empty()) {
    // Nothing to compare with a prediction: report what was and was not
    // delivered (and write it), then fail as an environment failure.
    out << fmt::format("check {} of {}: the measured run FAILED on {}\n", candidate.name, scenario.name,
                       measured.broker);
    print_measured(measured.result, out);
    if (!opts.json_path.empty()) {
      Result failed;
      failed.archsim_version = version();
      failed.scenario_name = scenario.name;
      failed.scenario_file = opts.scenario_file;
      failed.seed = scenario.simulation.seed;
      failed.mode = "measured";
      failed.candidates.push_back(measured.result);
      failed.recommendation_reason = fmt::format("check of {}: the measured run failed: {}", candidate.name,
                                                 measured.failure);
      std::ostringstream json;
      JsonReporter().report(failed, json);
      write_output(opts.json_path, json.str());
      log->info("wrote the measured result to {}", opts.json_path);
    }
    throw EnvironmentError(fmt::format("the measured run of {} did not deliver every event: {}", candidate.name,
                                       measured.failure));
  }

  // The prediction: the same candidate at the same (scaled) rate, on the
  // local twin (calibrated) or on the catalog's hardware.
  Scenario scaled = scenario;
  scaled.workload.rate_eps = run.rate.rate_eps;
  std::vector<std::string> platform_notes;
  std::string platform_line;
  if (opts.platform == "twin") {
    if (!calibration) {
      log->info("no --calibration given: calibrating this machine now (about 5 s; keep one with archsim calibrate "
                "-o FILE)");
      CalibrateOptions co;
      co.bootstrap_servers = opts.bootstrap_servers;
      co.log = run.log;
      try {
        calibration = calibrate(co);
      } catch (const KafkaError& e) {
        throw EnvironmentError(e.what());
      }
      calibration_origin = "made by this check";
    }
    TwinRun tr;
    tr.rate_eps = run.rate.rate_eps;
    tr.duration_s = duration_s;
    tr.warmup_s = warmup_s;
    tr.fetch_wait_max_s = measured.fetch_wait_max_s;
    tr.processors = measured.processors;
    tr.cpu_per_event_s = measured.cpu_per_event_s;
    tr.injected_rtt_s = opts.inject_rtt_ms * 1e-3;
    LocalTwin twin = edge     ? make_edge_twin(scenario, candidate, tr,
                                             EdgeTwinRun{edge->gateway_cpu_per_event_s, edge->core_cpu_per_event_s},
                                             *calibration, calibration_origin)
                     : lambda ? make_lambda_twin(scenario, candidate, tr,
                                               LambdaTwinRun{lambda->batch_interval_s,
                                                             static_cast<int>(lambda->runs.size()),
                                                             lambda->full_history},
                                               *calibration, calibration_origin)
                            : make_local_twin(scenario, candidate, tr, *calibration, calibration_origin);
    scaled = std::move(twin.scenario);
    platform_notes = std::move(twin.notes);
    platform_line = fmt::format("SimGrid on the local twin ({})", calibration->describe(calibration_origin));
  } else {
    platform_notes.push_back(fmt::format(
        "prediction at the check's scaled rate ({:.0f} ev/s, {:.4g} x the scenario's); it simulates the catalog's "
        "hardware ({} brokers of {}), not the machine the measurement ran on",
        run.rate.rate_eps, run.rate.scale, candidate.broker.count, candidate.broker.instance.name));
    platform_line = "SimGrid, the catalog's hardware (--platform catalog; not this machine)";
    if (lambda) {
      for (Candidate& c : scaled.candidates)
        if (c.name == candidate.name) {
          c.batch.interval_s = lambda->batch_interval_s;
          c.batch.runs = std::max(1, static_cast<int>(lambda->runs.size()));
        }
      platform_notes.push_back(fmt::format("batch layer simulated with the run's interval {} and {} runs",
                                           format_duration(lambda->batch_interval_s), lambda->runs.size()));
    }
  }
  SimOptions sim;
  sim.candidate = candidate.name;
  sim.scenario_file = opts.scenario_file;
  log->info("simulating {} at {:.0f} ev/s ({} simulated s after {} s warm-up)...", candidate.name,
            run.rate.rate_eps, scaled.simulation.duration_s, scaled.simulation.warmup_s);
  Result result = simulate(scaled, sim);
  if (result.candidates.size() != 1) throw std::logic_error("check: the simulation returned no single candidate");
  if (const CandidateResult& c = result.candidates[0]; c.failed())
    throw std::runtime_error(fmt::format("check: the prediction of {} failed ({}): {}", c.name, c.error->stage, c.error->message));
  for (std::string& n : platform_notes) result.candidates[0].notes.push_back(std::move(n));
  result.candidates.push_back(measured.result);
  result.recommended.clear();
  result.recommendation_reason =
      fmt::format("check of {}: predicted vs measured at {:.0f} ev/s; no recommendation is made", candidate.name,
                  run.rate.rate_eps);
  const Agreement agreement = judge_agreement(result.candidates[0], result.candidates[1], tolerance);
  std::string agreement_hint;
  if (!agreement.within())
    if (const std::string findings = run_thread_findings(measured.threads); !findings.empty())
      agreement_hint = "; " + findings;
  result.candidates[1].notes.push_back(
      fmt::format("agreement with the prediction: {}{}", agreement.summary(), agreement_hint));
  const CandidateResult& predicted = result.candidates[0];
  const CandidateResult& real = result.candidates[1];

  out << fmt::format("check {} of {} at {:.0f} ev/s ({:.4g} x the scenario's rate), {} measured after {} warm-up\n",
                     candidate.name, scenario.name, run.rate.rate_eps, run.rate.scale, format_duration(duration_s),
                     format_duration(warmup_s));
  out << "measured on: " << measured.broker << '\n';
  out << "predicted on: " << platform_line << "\n\n";
  std::vector<ComparisonRow> extra_rows;
  if (measured.delivery_plan.transactional) {
    const Candidate* simulated = &candidate;
    for (const Candidate& c : scaled.candidates)
      if (c.name == candidate.name) simulated = &c;
    const DeliveryPlan plan = delivery_plan(scaled, *simulated);
    extra_rows.push_back({"mean commit call", format_duration(plan.commit_s), format_duration(measured.commit_mean_s),
                          relative_error(plan.commit_s, measured.commit_mean_s)});
  }
  if (lambda) {
    extra_rows.push_back(latency_row("p50 accuracy latency", &predicted.accuracy_latency, &real.accuracy_latency, false));
    extra_rows.push_back(latency_row("p99 accuracy latency", &predicted.accuracy_latency, &real.accuracy_latency, true));
    extra_rows.push_back({"mean batch run", format_duration(predicted.batch_layer.mean_run_s),
                          format_duration(real.batch_layer.mean_run_s),
                          relative_error(predicted.batch_layer.mean_run_s, real.batch_layer.mean_run_s)});
  }
  if (measured.threads.broker_busy >= 0) {
    // The local twin's brokers share one request handler, as the embedded
    // cluster's share its one I/O thread: their busy shares add up.
    double predicted_busy = -1;
    for (const Candidate& c : scaled.candidates)
      if (c.name == candidate.name && c.broker.shared_request_handler)
        for (const Utilisation& u : predicted.utilisation)
          if (u.resource == "broker cpu") predicted_busy = u.mean * c.broker.count;
    const auto percent = [](double share) { return share >= 0 ? fmt::format("{:.0f}%", 100 * share) : std::string("n/a"); };
    extra_rows.push_back({"broker thread busy", percent(predicted_busy), percent(measured.threads.broker_busy),
                          predicted_busy >= 0 ? relative_error(predicted_busy, measured.threads.broker_busy) : ""});
    extra_rows.push_back({"broker thread waiting", "0% (no contention)", percent(measured.threads.broker_waiting), ""});
    if (measured.threads.clients.busiest_io_runnable >= 0)
      extra_rows.push_back({"busiest client I/O thread runnable", "n/a (client CPU not simulated)",
                            percent(measured.threads.clients.busiest_io_runnable), ""});
  }
  if (edge) {
    extra_rows.push_back(latency_row("p50 local decision", &predicted.local_decision, &real.local_decision, false));
    extra_rows.push_back(latency_row("p99 local decision", &predicted.local_decision, &real.local_decision, true));
  }
  print_comparison(predicted, real, out, extra_rows);
  out << fmt::format("agreement (--tolerance {:g}%, on throughput, p50 and p99): {}{}\n", tolerance * 100,
                     agreement.within() ? "yes" : "NO", agreement.within() ? "" : ": " + agreement.summary() + agreement_hint);
  if (edge)
    out << fmt::format("edge: WAN round trip {} ms injected on the core cluster; {} sent, {} decided at the edge, {} "
                       "forwarded, {} at the core, lost {}, duplicated {} (end-to-end rows: device -> core sink)\n",
                       edge->wan_rtt_ms, edge->sent, edge->decided, edge->forwarded, edge->at_core, edge->lost,
                       edge->duplicated);
  if (lambda)
    out << fmt::format("lambda: {} batch runs every {}; last batch view {} events, speed view {} events, {} keys, {} "
                       "differ: {}\n",
                       lambda->runs.size(), format_duration(lambda->batch_interval_s), lambda->view_events,
                       lambda->speed_events, lambda->keys, lambda->mismatched_keys,
                       lambda->aggregate_matches ? "aggregates match" : "AGGREGATES DIFFER");
  if (measured.delivery_plan.transactional)
    out << fmt::format("exactly-once: {} transactions committed, {} aborted (commit every {}){}\n",
                       measured.transactions, measured.aborted_transactions,
                       format_duration(measured.delivery_plan.commit_interval_s),
                       measured.aborted_records_dropped > 0
                           ? fmt::format("; the sink dropped {} records of aborted transactions",
                                         measured.aborted_records_dropped)
                           : "");
  out << '\n';
  print_measured(real, out);

  if (!opts.json_path.empty()) {
    std::ostringstream json;
    JsonReporter().report(result, json);
    write_output(opts.json_path, json.str());
    log->info("wrote the result to {}", opts.json_path);
  }
  if (report_format) {
    std::ostringstream report;
    write_report(*report_format, make_comparison({result}), report);
    write_output(opts.report_path, report.str());
    log->info("wrote the report to {}", opts.report_path);
  }

  if (!opts.gate) return exit_code::ok;
  if (real.meets_all && agreement.within()) {
    log->info("gate: the measured run of {} meets its verdicts and agrees with the prediction ({})", candidate.name,
              agreement.summary());
    return exit_code::ok;
  }
  if (!real.meets_all) log->warn("gate: the measured run of {} fails a verdict", candidate.name);
  if (!agreement.within())
    log->warn("gate: the prediction of {} misses the agreement tolerance: {}", candidate.name, agreement.summary());
  return exit_code::requirements_not_met;
}

}  // namespace archsim
