// `archsim simulate`: load, simulate, report, write the Result, gate.
#include "archsim/cmd_simulate.hpp"

#include <chrono>
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
#include "archsim/cli_common.hpp"
#include "archsim/cli_errors.hpp"
#include "archsim/console_reporter.hpp"
#include "archsim/json_reporter.hpp"
#include "archsim/report_format.hpp"
#include "archsim/scenario_loader.hpp"
#include "archsim/run_estimate.hpp"
#include "archsim/simulator.hpp"
#include "archsim/units.hpp"

namespace archsim {

namespace {

namespace fs = std::filesystem;

/// The report format implied by --report's extension (checked before simulating).
std::optional<ReportFormat> report_format_of(const std::string& report_path) {
  if (report_path.empty()) return std::nullopt;
  if (auto format = report_format_for_path(report_path)) return format;
  throw std::invalid_argument(fmt::format("--report {}: unknown extension, expected .html, .md, .csv or .json",
                                          report_path));
}


/// The exit code of --gate, with the reason logged when it fails.
int gate(const Result& result, const SimulateOptions& opts, spdlog::logger& log) {
  const std::string name = opts.candidate ? *opts.candidate : result.recommended;
  if (name.empty()) {
    log.warn("gate: no candidate meets every requirement ({})", result.recommendation_reason);
    return exit_code::requirements_not_met;
  }
  for (const CandidateResult& c : result.candidates) {
    if (c.name != name) continue;
    if (c.meets_all) {
      log.info("gate: {} meets every requirement", name);
      return exit_code::ok;
    }
    std::vector<std::string> failed;
    for (const Verdict& v : c.verdicts)
      if (!v.pass) failed.push_back(v.text.empty() ? v.requirement : v.text);
    if (c.overloaded) failed.push_back("overloaded: " + c.overload_reason);
    log.warn("gate: {} does not meet its requirements: {}", name, fmt::join(failed, "; "));
    return exit_code::requirements_not_met;
  }
  throw std::logic_error(fmt::format("gate: candidate '{}' missing from the result", name));
}

}  // namespace

CLI::App* setup_simulate(CLI::App& app, SimulateOptions& opts) {
  CLI::App* cmd = app.add_subcommand("simulate", "Simulate a scenario's candidates and print the verdict table");
  cmd->add_option("FILE", opts.scenario_file, "scenario JSON file")->required();
  cmd->add_option("--candidate", opts.candidate, "simulate only this candidate (by name); with --gate, gate on it")
      ->type_name("NAME");
  cmd->add_option("--seed", opts.seed, "random seed, overriding simulation.seed; the same seed gives the same bytes")
      ->type_name("N");
  cmd->add_option_function<std::string>(
         "--mode", [&opts](const std::string& mode) { opts.mode = mode == "exact" ? SimMode::exact : SimMode::batched; },
         "override simulation.mode: batched (SimGrid moves record batches) or exact (one transfer per "
         "event, slow; only to validate batched)")
      ->type_name("MODE")
      ->check(CLI::IsMember({"batched", "exact"}));
  cmd->add_option("--json", opts.json_path,
                  "also write the full Result (schema_version 4) to this file, atomically; its directory "
                  "must exist")
      ->type_name("OUT");
  cmd->add_option("--report", opts.report_path,
                  "also write a report to this file, atomically, in the format of its extension: .html "
                  "(self-contained page), .md (decision record), .csv or .json (see `archsim report`)")
      ->type_name("FILE");
  cmd->add_option("-j,--jobs", opts.jobs, "candidates simulated in parallel processes; 0 = one per core")
      ->type_name("N")
      ->check(CLI::Range(0, 4096));
  cmd->add_option("--max-memory", opts.max_memory,
                  "bound on each simulation process's peak resident memory (e.g. 2GiB, 500MiB): a candidate "
                  "above it is stopped and reported as not simulated, the others go on")
      ->type_name("SIZE");
  cmd->add_flag("--gate", opts.gate,
                "exit 3 unless the recommended candidate (or the --candidate one) meets every requirement");
  cmd->add_flag("-q,--quiet", opts.quiet, "log only warnings and errors to stderr");
  cmd->add_flag("-y,--yes", opts.yes,
                "run even when the estimate says the run will take more than 15 minutes (without it, such a "
                "run is refused with the estimate)");
  cmd->footer(
      "Each candidate runs in its own process on SimGrid. The table on stdout has one row per\n"
      "candidate: end-to-end latency p50/p95/p99 (± the 95% confidence interval),\n"
      "p99.9, achieved throughput, maximum consumer lag, monthly cost, LOAD (OVERLOADED when a\n"
      "resource cannot keep up with the offered load) and VERDICT (PASS when every requirement\n"
      "is met). Then each requirement's verdict with its headroom, latency by stage,\n"
      "utilisation, cost lines, modelling notes and the recommendation: the cheapest candidate\n"
      "meeting every requirement. Progress and timing are logged to stderr.\n"
      "\n"
      "Examples:\n"
      "  archsim simulate scenarios/kappa-reference.json\n"
      "  archsim simulate scenarios/kappa-reference.json --candidate kappa-lean --seed 7\n"
      "  archsim simulate scenarios/clickstream-kappa.json --json result.json -j 2 -q\n"
      "  archsim simulate scenarios/kappa-reference.json --report report.html -q\n"
      "  archsim simulate scenarios/kappa-reference.json --gate || echo \"no design meets the targets\"\n"
      "\n"
      "A candidate whose simulation fails (its process crashed or went above --max-memory) is\n"
      "reported with its reason and no figures, never recommended; the others are still printed\n"
      "and written.\n"
      "\n"
      "Exit status: 0 ok (without --gate, also when designs fail); 1 a candidate could not be\n"
      "simulated (the others' results are still written), or an internal error; 2 bad input (invalid scenario,\n"
      "unknown --candidate, missing --json or --report directory, unknown --report extension,\n"
      "a run estimated above 15 minutes without --yes);\n"
      "3 with --gate when the recommended candidate (or the --candidate one) fails a requirement,\n"
      "or no candidate meets them all;\n"
      "4 when the --json or --report file cannot be written.");
  return cmd;
}

int run_simulate(const SimulateOptions& opts, std::ostream& out, std::ostream& err) {
  if (opts.jobs < 0) throw std::invalid_argument(fmt::format("--jobs {}: expected 0 or more", opts.jobs));
  check_output_path("--json", opts.json_path);
  check_output_path("--report", opts.report_path);
  const std::optional<ReportFormat> report_format = report_format_of(opts.report_path);
  auto log = make_logger(err, opts.quiet);

  const Scenario scenario = load_scenario_file(opts.scenario_file);
  if (opts.candidate) find_candidate(scenario, *opts.candidate, opts.scenario_file);
  if (opts.mode == SimMode::exact)
    for (const Candidate& c : scenario.candidates)
      if (c.batched_only() && (!opts.candidate || *opts.candidate == c.name))
        throw std::invalid_argument(fmt::format("--mode exact: candidate '{}' (broker kind \"{}\", engine \"{}\"{}) is simulated in batched mode only",
                                                c.name, c.broker.kind, c.processing.engine,
                                                c.processing.checkpoint_alignment ? ", checkpoint alignment" : ""));

  const RunEstimate estimate = estimate_run(scenario, opts.candidate, opts.mode, opts.jobs);
  require_confirmation(estimate, opts.yes);

  SimOptions sim;
  if (!opts.max_memory.empty()) {
    sim.max_memory_bytes = parse_size_bytes(opts.max_memory);
    if (!sim.max_memory_bytes || *sim.max_memory_bytes <= 0)
      throw std::invalid_argument(fmt::format("--max-memory {}: expected a size above zero such as 2GiB or 500MiB",
                                              opts.max_memory));
  }
  sim.candidate = opts.candidate;
  sim.seed = opts.seed;
  sim.mode = opts.mode;
  sim.jobs = opts.jobs;
  sim.scenario_file = opts.scenario_file;

  const size_t count = opts.candidate ? 1 : scenario.candidates.size();
  log->info("simulating {} candidate{} of {} ({} simulated s each after {} s warm-up, seed {})...", count,
            count == 1 ? "" : "s", scenario.name, scenario.simulation.duration_s, scenario.simulation.warmup_s,
            opts.seed.value_or(scenario.simulation.seed));
  const auto start = std::chrono::steady_clock::now();
  const Result result = simulate(scenario, sim);
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  log->info("simulated {} candidate{} in {:.2f} s wall time", result.candidates.size(),
            result.candidates.size() == 1 ? "" : "s", wall.count());

  ConsoleReporter(opts.colour).report(result, out);
  out.flush();

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

  size_t failed = 0;
  for (const CandidateResult& c : result.candidates)
    if (c.failed()) {
      ++failed;
      log->error("{} was not simulated: {} failed: {}", c.name, c.error->stage, c.error->message);
    }
  if (failed > 0) return exit_code::internal_error;  // the decision is incomplete, whatever --gate says
  return opts.gate ? gate(result, opts, *log) : exit_code::ok;
}

}  // namespace archsim
