// `archsim report RESULT.json [MORE.json ...]`: read Result JSON files (from
// `simulate --json`), compare them as one, and write the comparison as
// HTML, Markdown (an ADR), CSV or JSON to stdout or, atomically, to a file.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "archsim/report_format.hpp"
#include "archsim/result.hpp"

namespace archsim {

struct ReportOptions {
  std::vector<std::string> files;        ///< Result JSON files, compared in this order
  std::optional<std::string> format;     ///< html | md | csv | json; default: from the -o extension
  std::string output_path;               ///< "" = stdout; else written atomically, its directory must exist
  std::vector<std::string> omb_results{};  ///< OpenMessaging Benchmark result JSON files, imported as measured candidates
  std::string omb_label{};               ///< name of the imported candidate; "" = "<driver> (OMB)"
};

/// Adds the `report` subcommand to `app`, storing its arguments in `opts`
/// (which must outlive parsing). Returns the subcommand.
CLI::App* setup_report(CLI::App& app, ReportOptions& opts);

/// Reads one Result JSON file. Throws std::invalid_argument naming the file
/// when it is missing, unreadable, not JSON, or not a Result (with the JSON
/// path of the first problem).
Result read_result_file(const std::string& path);

/// Reads a whole file as text. Throws std::invalid_argument naming the file
/// when it is missing, a directory or unreadable.
std::string read_text_file(const std::string& path);

/// Reads every file, writes the report to `out` or to opts.output_path.
/// Returns exit_code::ok. Throws std::invalid_argument for bad input (unknown
/// format, bad file, missing output directory; nothing is written then) and
/// EnvironmentError when the output file cannot be written.
int run_report(const ReportOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace archsim
