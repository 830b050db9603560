// `archsim report`: Result JSON files in, one comparison report out.
#include "archsim/cmd_report.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "archsim/atomic_file.hpp"
#include "archsim/cli_common.hpp"
#include "archsim/cli_errors.hpp"
#include "archsim/comparison.hpp"
#include "archsim/omb.hpp"
#include "archsim/result_json.hpp"
#include "archsim/sweep_reporter.hpp"

namespace archsim {

namespace {

namespace fs = std::filesystem;

ReportFormat resolve_format(const ReportOptions& opts) {
  if (opts.format) {
    if (auto format = parse_report_format(*opts.format)) return *format;
    throw std::invalid_argument(
        fmt::format("--format {}: unknown format, expected one of {}", *opts.format, report_format_names()));
  }
  if (!opts.output_path.empty())
    if (auto format = report_format_for_path(opts.output_path)) return *format;
  throw std::invalid_argument(fmt::format("no report format: give --format ({}) or an -o file ending in "
                                          ".html, .md, .csv or .json",
                                          report_format_names()));
}

}  // namespace

CLI::App* setup_report(CLI::App& app, ReportOptions& opts) {
  CLI::App* cmd = app.add_subcommand("report", "Write a comparison report (HTML, Markdown ADR, CSV, JSON) from Result JSON files");
  cmd->add_option("RESULT", opts.files, "Result JSON files written by `archsim simulate --json` or `check --json`; several are compared as "
                                  "one; or one sweep.json written by `archsim sweep`")
      ->required();
  cmd->add_option("-f,--format", opts.format,
                  "html (self-contained page with charts), md (Architecture Decision Record), csv (one row per "
                  "candidate) or json (the Result; several files merged); default: from the -o extension")
      ->type_name("FORMAT");
  cmd->add_option("-o,--output", opts.output_path,
                  "write the report to this file, atomically (its directory must exist); default: stdout")
      ->type_name("FILE");
  cmd->add_option("--omb-result", opts.omb_results,
                  "also compare an OpenMessaging Benchmark result JSON (from `bin/benchmark`, e.g. after `archsim "
                  "export omb`), read as a measured candidate judged on the first Result's latency targets")
      ->type_name("FILE");
  cmd->add_option("--omb-label", opts.omb_label, "name of the imported OMB candidate (default: \"<driver> (OMB)\")")
      ->type_name("NAME");
  cmd->footer(
      "Several RESULT files are compared as one: every candidate keeps its scenario's name, and the\n"
      "recommendation is the cheapest candidate meeting every requirement of its own scenario.\n"
      "CSV columns: scenario, candidate, kind, source, p50_s, p95_s, p99_s, p99_lo_s, p99_hi_s, p999_s,\n"
      "max_s, achieved_eps, offered_eps, max_consumer_lag_events, cost_usd_month, overloaded, meets_all,\n"
      "compute_usd_month, storage_usd_month, transfer_usd_month, delivery, availability_delivering,\n"
      "availability_within_target, lost_events_month, duplicated_events_month (see the README).\n"
      "A sweep.json (from `archsim sweep`) is reported on its own, as html (p99 against cost, a p99\n"
      "heatmap over the first two --vary with the feasibility boundary), csv or json.\n"
      "\n"
      "Examples:\n"
      "  archsim simulate scenarios/kappa-reference.json --json result.json\n"
      "  archsim report result.json --format html -o report.html\n"
      "  archsim report result.json -o decision.md\n"
      "  archsim report result.json --format csv > candidates.csv\n"
      "  archsim report reference.json clickstream.json --format html -o comparison.html\n"
      "  archsim simulate scenarios/kappa-reference.json --report report.html   (in one step)\n"
      "  archsim report result.json --omb-result omb-result.json -o predicted-vs-omb.html\n"
      "  archsim report check.json -o check.html          (predicted vs measured, from `archsim check --json`)\n"
      "  archsim report sweep-out/sweep.json -o sweep.html\n"
      "\n"
      "Exit status: 0 ok; 2 bad input (missing file, not JSON, not a Result: the error names the JSON\n"
      "path; unknown format; missing -o directory), and no file is written; 4 when the -o file cannot\n"
      "be written.");
  return cmd;
}

std::string read_text_file(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw std::invalid_argument(fmt::format("{}: no such file", path));
  if (fs::is_directory(path, ec)) throw std::invalid_argument(fmt::format("{}: is a directory, expected a file", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(fmt::format("{}: cannot be read", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

nlohmann::json read_json_file(const std::string& path) {
  try {
    return nlohmann::json::parse(read_text_file(path));
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for a number such as 1e400
    throw std::invalid_argument(fmt::format("{}: not JSON ({})", path, e.what()));
  }
}

/// A sweep.json (from `archsim sweep`) reported on its own: HTML, CSV or JSON.
int report_sweep(const ReportOptions& opts, ReportFormat format, const nlohmann::json& j, std::ostream& out,
                 std::ostream& err) {
  const std::string& path = opts.files.front();
  if (opts.files.size() > 1 || !opts.omb_results.empty())
    throw std::invalid_argument(fmt::format("{}: a sweep is reported on its own: give it as the only file, without "
                                            "--omb-result",
                                            path));
  if (format == ReportFormat::markdown)
    throw std::invalid_argument(fmt::format("{}: a sweep is reported as html, csv or json, not md", path));
  SweepOutcome sweep;
  try {
    sweep = sweep_from_json(j);
  } catch (const std::exception& e) {
    throw std::invalid_argument(fmt::format("{}: not an archsim sweep: {}", path, e.what()));
  }
  const SweepReporter reporter;
  std::ostringstream text;
  if (format == ReportFormat::html) reporter.write_html(sweep, text);
  if (format == ReportFormat::csv) reporter.write_csv(sweep, text);
  if (format == ReportFormat::json) text << reporter.to_json(sweep).dump(1) << '\n';
  if (opts.output_path.empty()) {
    out << text.str();
    out.flush();
    return exit_code::ok;
  }
  write_output(opts.output_path, text.str());
  err << fmt::format("wrote {} (sweep of {}: {} points)\n", opts.output_path, sweep.scenario_name, sweep.records.size());
  return exit_code::ok;
}

}  // namespace

Result read_result_file(const std::string& path) {
  const nlohmann::json j = read_json_file(path);
  try {
    return result_from_json(j);
  } catch (const std::exception& e) {
    throw std::invalid_argument(fmt::format("{}: not an archsim Result: {}", path, e.what()));
  }
}

int run_report(const ReportOptions& opts, std::ostream& out, std::ostream& err) {
  if (opts.files.empty()) throw std::invalid_argument("report: give at least one Result JSON file");
  const ReportFormat format = resolve_format(opts);
  check_output_path("-o", opts.output_path);
  if (const nlohmann::json first = read_json_file(opts.files.front()); is_sweep_json(first))
    return report_sweep(opts, format, first, out, err);
  std::vector<Result> results;
  for (const std::string& file : opts.files) results.push_back(read_result_file(file));
  for (const std::string& file : opts.omb_results) {
    // judged against the latency targets of the first Result's first candidate
    const std::vector<Verdict> targets = results.front().candidates.empty() ? std::vector<Verdict>{} : results.front().candidates.front().verdicts;
    Result measured = import_omb_result(read_text_file(file), file, opts.omb_label, targets);
    measured.scenario_name = results.front().scenario_name;  // one decision: the same scenario, measured
    results.push_back(std::move(measured));
  }
  const Comparison comparison = make_comparison(std::move(results));

  if (opts.output_path.empty()) {
    write_report(format, comparison, out);
    out.flush();
    return exit_code::ok;
  }
  std::ostringstream text;
  write_report(format, comparison, text);
  write_output(opts.output_path, text.str());
  err << fmt::format("wrote {} ({} candidate{} from {} file{})\n", opts.output_path, comparison.candidates.size(),
                     comparison.candidates.size() == 1 ? "" : "s", opts.files.size(), opts.files.size() == 1 ? "" : "s");
  return exit_code::ok;
}

}  // namespace archsim
