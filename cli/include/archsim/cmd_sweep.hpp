// `archsim sweep SCENARIO --vary PATH=SPEC ...`: simulate every point of a
// grid of scenario variants in parallel, into a resumable journal, then
// sweep.csv and sweep.json, and print the Pareto front and feasible region.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace archsim {

struct SweepOptions {
  std::string scenario_file;
  std::vector<std::string> varies;  ///< "PATH=SPEC" each
  std::string sweep_file;           ///< JSON sweep file; "" = none
  std::string candidate;            ///< simulate only this candidate; "" = all
  int jobs = 0;                     ///< points simulated at once; 0 = one per core
  std::string out_dir = "sweep-out";
  std::string report_path;          ///< also write an HTML report here; "" = none
  bool yes = false;                 ///< confirm a large sweep
  bool quiet = false;
  bool terminal = false;            ///< stderr is a terminal (set by main): redraw the progress bar
  // Distributed sweep (`--cluster`): points go to workers over Kafka.
  std::string cluster;              ///< bootstrap servers; "" = simulate locally
  std::string kafka_config;         ///< librdkafka properties file; "" = none
  int partitions = 12;              ///< of the jobs and results topics archsim creates
  size_t confirm_points = 200;      ///< more points than this need --yes
  double confirm_wall_s = 600;      ///< a longer estimate needs --yes
};

/// Adds the `sweep` subcommand to `app`, storing its arguments in `opts`.
CLI::App* setup_sweep(CLI::App& app, SweepOptions& opts);

/// Runs the sweep. Returns exit_code::ok; throws std::invalid_argument (exit
/// 2) for bad --vary, a journal of another sweep, or a large sweep without
/// --yes, a --report not ending in .html, ScenarioError for a bad scenario, EnvironmentError when an output
/// cannot be written or (with --cluster) the Kafka cluster is unreachable or refuses the sweep's topics.
int run_sweep(const SweepOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace archsim
