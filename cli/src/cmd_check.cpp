// `archsim check`: measured (real Kafka) vs predicted (SimGrid) for one candidate.
#include "archsim/cmd_check.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include "archsim/atomic_file.hpp"
#include "archsim/cli_common.hpp"
#include "archsim/cli_errors.hpp"
#include "archsim/json_reporter.hpp"
#include "archsim/kafka_client.hpp"
#include "archsim/kafka_properties.hpp"
#include "archsim/kappa_runner.hpp"
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


/// (predicted - measured) / measured, as "+12.3%", or "n/a".
std::string relative_error(double predicted, double measured) {
  if (!(measured > 0) || !std::isfinite(predicted)) return "n/a";
  return fmt::format("{:+.1f}%", (predicted - measured) / measured * 100);
}

std::string eps_text(double eps) { return fmt::format("{:.0f} ev/s", eps); }

void print_comparison(const CandidateResult& predicted, const CandidateResult& measured, std::ostream& out) {
  struct Row {
    std::string metric, predicted, measured, error;
  };
  std::vector<Row> rows;
  rows.push_back({"throughput", eps_text(predicted.achieved_eps), eps_text(measured.achieved_eps),
                  relative_error(predicted.achieved_eps, measured.achieved_eps)});
  const auto latency_row = [&](const std::string& name, double p, double m) {
    rows.push_back({name, format_duration(p), format_duration(m), relative_error(p, m)});
  };
  latency_row("p50 end-to-end", predicted.end_to_end.p50_s.value, measured.end_to_end.p50_s.value);
  latency_row("p99 end-to-end", predicted.end_to_end.p99_s.value, measured.end_to_end.p99_s.value);
  latency_row("p99.9 end-to-end", predicted.end_to_end.p999_s.value, measured.end_to_end.p999_s.value);
  if (predicted.produce_ack.count > 0 && measured.produce_ack.count > 0)
    latency_row("p99 produce ack", predicted.produce_ack.p99_s.value, measured.produce_ack.p99_s.value);
  out << fmt::format("{:<18} {:>14} {:>14} {:>12}\n", "METRIC", "PREDICTED", "MEASURED", "REL. ERROR");
  for (const Row& r : rows)
    out << fmt::format("{:<18} {:>14} {:>14} {:>12}\n", r.metric, r.predicted, r.measured, r.error);
  out << "(relative error = (predicted - measured) / measured)\n";
}

}  // namespace

CLI::App* setup_check(CLI::App& app, CheckOptions& opts) {
  CLI::App* cmd = app.add_subcommand(
      "check", "Run a candidate for real on Kafka and compare the measurement with its simulation");
  cmd->add_option("SCENARIO", opts.scenario_file, "scenario JSON file")->required();
  cmd->add_option("--candidate", opts.candidate, "the candidate to check (kind kappa)")->type_name("NAME")->required();
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
  cmd->add_flag("--gate", opts.gate,
                "exit 3 unless the measured run meets its verdicts: every event delivered exactly once and the "
                "scenario's p95/p99 targets at the scaled load");
  cmd->add_flag("-q,--quiet", opts.quiet, "log only warnings and errors to stderr");
  cmd->footer(
      "The real path: an open-loop producer sends the scenario's events (sizes and keys from its\n"
      "distributions, arrivals at intended times) at the scaled rate to an input topic; processor\n"
      "threads consume, spin the candidate's CPU per event and produce to an output topic; a sink\n"
      "consumer records end-to-end latency from the intended send time (no coordinated omission)\n"
      "and counts every sequence number (lost, duplicated). The producer uses the candidate's\n"
      "linger.ms and batch.size with enable.idempotence=true; consumers cap fetch.wait.max.ms at\n"
      "10 ms. Then the same candidate is simulated at the same rate. The simulation runs on the\n"
      "catalog's hardware, not on this machine (a calibrated local twin is a later milestone),\n"
      "so read the errors as how far the catalog prediction is from this machine's broker.\n"
      "\n"
      "Examples:\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-lean --duration 30s --rate 5000\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline --json check.json --gate\n"
      "  archsim check scenarios/kappa-reference.json --candidate kappa-baseline \\\n"
      "      --bootstrap-servers kafka-1:9092,kafka-2:9092 --kafka-config client.properties\n"
      "\n"
      "Exit status: 0 ok; 2 bad input (scenario, unknown candidate, malformed --kafka-config line,\n"
      "bad option); 3 with --gate when the measured run fails a verdict; 4 environment failure\n"
      "(broker unreachable within about 5 s, topic missing and not creatable, --json not\n"
      "writable).");
  return cmd;
}

int run_check(const CheckOptions& opts, std::ostream& out, std::ostream& err) {
  check_output_path("--json", opts.json_path);
  const double duration_s = parse_duration_option("--duration", opts.duration);
  const double warmup_s = parse_duration_option("--warmup", opts.warmup);
  if (!(duration_s > 0)) throw std::invalid_argument(fmt::format("--duration {}: expected more than 0", opts.duration));
  auto log = make_logger(err, opts.quiet);

  KappaRunOptions run;
  if (!opts.kafka_config.empty()) {
    run.properties = KafkaProperties::load_file(opts.kafka_config);
    log->info("kafka config: {} properties from {}: {}", run.properties.items().size(), opts.kafka_config,
              run.properties.describe());
  }
  const Scenario scenario = load_scenario_file(opts.scenario_file);
  const Candidate& candidate = find_candidate(scenario, opts.candidate, opts.scenario_file);
  run.bootstrap_servers = opts.bootstrap_servers;
  run.rate = choose_rate(scenario, opts.rate_eps, opts.rate_scale);
  run.duration_s = duration_s;
  run.warmup_s = warmup_s;
  run.log = [&log](const std::string& line) { log->info("{}", line); };
  log->info("{}", run.rate.reason);

  KappaRunOutcome measured;
  try {
    measured = run_kappa(scenario, candidate, run);
  } catch (const KafkaError& e) {
    throw EnvironmentError(e.what());
  }
  const DeliveryCounts& d = measured.delivery;
  log->info("measured run done in {:.1f} s wall: {} sent, {} received, lost {}, duplicated {}", measured.wall_s,
            d.sent, d.received, d.lost, d.duplicated);

  // The prediction: the same candidate at the same (scaled) rate.
  Scenario scaled = scenario;
  scaled.workload.rate_eps = run.rate.rate_eps;
  SimOptions sim;
  sim.candidate = candidate.name;
  sim.scenario_file = opts.scenario_file;
  log->info("simulating {} at {:.0f} ev/s ({} simulated s after {} s warm-up)...", candidate.name,
            run.rate.rate_eps, scaled.simulation.duration_s, scaled.simulation.warmup_s);
  Result result = simulate(scaled, sim);
  if (result.candidates.size() != 1) throw std::logic_error("check: the simulation returned no single candidate");
  const std::string platform_note = fmt::format(
      "prediction at the check's scaled rate ({:.0f} ev/s, {:.4g} x the scenario's); it simulates the catalog's "
      "hardware ({} brokers of {}), not the machine the measurement ran on: a calibrated local twin is a later "
      "milestone",
      run.rate.rate_eps, run.rate.scale, candidate.broker.count, candidate.broker.instance.name);
  result.candidates[0].notes.push_back(platform_note);
  result.candidates.push_back(measured.result);
  result.recommended.clear();
  result.recommendation_reason =
      fmt::format("check of {}: predicted vs measured at {:.0f} ev/s; no recommendation is made", candidate.name,
                  run.rate.rate_eps);
  const CandidateResult& predicted = result.candidates[0];
  const CandidateResult& real = result.candidates[1];

  out << fmt::format("check {} of {} at {:.0f} ev/s ({:.4g} x the scenario's rate), {} measured after {} warm-up\n",
                     candidate.name, scenario.name, run.rate.rate_eps, run.rate.scale, format_duration(duration_s),
                     format_duration(warmup_s));
  out << "measured on: " << measured.broker << '\n';
  out << "predicted on: SimGrid, the catalog's hardware (not this machine; a calibrated local twin is a later "
         "milestone)\n\n";
  print_comparison(predicted, real, out);
  out << "\nmeasured verdicts:\n";
  for (const Verdict& v : real.verdicts) out << "  " << v.text << '\n';
  if (real.overloaded) out << "  OVERLOADED: " << real.overload_reason << '\n';
  out << "measured stages:\n";
  for (const StageLatency& s : real.stages)
    out << fmt::format("  {:<18} p50 {:>9}  p99 {:>9}  ({})\n", s.stage, format_duration(s.latency.p50_s.value),
                       format_duration(s.latency.p99_s.value), s.description);
  out << "notes on the measurement:\n";
  for (const std::string& n : real.notes) out << "  - " << n << '\n';
  out.flush();

  if (!opts.json_path.empty()) {
    std::ostringstream json;
    JsonReporter().report(result, json);
    write_output(opts.json_path, json.str());
    log->info("wrote the result to {}", opts.json_path);
  }

  if (!opts.gate) return exit_code::ok;
  if (real.meets_all) {
    log->info("gate: the measured run of {} meets its verdicts", candidate.name);
    return exit_code::ok;
  }
  log->warn("gate: the measured run of {} fails a verdict", candidate.name);
  return exit_code::requirements_not_met;
}

}  // namespace archsim
