// `archsim export omb SCENARIO --candidate NAME [-o DIR]`: the candidate's
// load and Kafka settings as OpenMessaging Benchmark files (workload.yaml,
// driver-kafka.yaml), so the same load can run on a real cluster with OMB and
// its result come back through `archsim report --omb-result`.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace archsim {

struct ExportOptions {
  std::string scenario_file;
  std::optional<std::string> candidate;  ///< default: the scenario's first candidate
  std::string output_dir = ".";          ///< must exist; workload.yaml and driver-kafka.yaml are written atomically
  std::string bootstrap_servers;         ///< written into the driver's commonConfig; "" = a placeholder to edit
};

/// Adds `export` with its `omb` subcommand to `app`. Returns `export omb`.
CLI::App* setup_export(CLI::App& app, ExportOptions& opts);

/// Writes the two files, lists them and the caveats (what OMB cannot
/// express) on `out`. Throws ScenarioError / std::invalid_argument for bad
/// input, EnvironmentError when a file cannot be written.
int run_export_omb(const ExportOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace archsim
