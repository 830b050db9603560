// `archsim simulate FILE`: simulate a scenario's candidates, print the
// verdict table, optionally write the full Result JSON and a report, and gate
// on the verdict.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

#include "archsim/scenario.hpp"

namespace archsim {

struct SimulateOptions {
  std::string scenario_file;
  std::optional<std::string> candidate;  ///< simulate only this candidate (and gate on it)
  std::optional<uint64_t> seed;          ///< overrides simulation.seed of the scenario
  std::optional<SimMode> mode;           ///< overrides simulation.mode of the scenario
  std::string json_path;                 ///< where to write the Result JSON; "" = nowhere
  std::string report_path;               ///< where to write a report (.html/.md/.csv/.json); "" = nowhere
  int jobs = 0;                          ///< parallel candidate processes; 0 = all cores
  std::string max_memory;                ///< "" or a size ("2GiB"): bound on each simulation process's peak memory
  bool gate = false;                     ///< exit 3 unless the recommended/named candidate meets every requirement
  bool quiet = false;                    ///< log warnings only
  bool yes = false;                      ///< run even when the estimate is above the confirmation threshold
  bool colour = false;                   ///< colour the table (set by main when stdout is a terminal)
};

/// Adds the `simulate` subcommand to `app`, storing its arguments in `opts`
/// (which must outlive parsing). Returns the subcommand.
CLI::App* setup_simulate(CLI::App& app, SimulateOptions& opts);

/// Loads, simulates, prints the console table to `out` and logs to `err`.
/// Returns exit_code::ok, or exit_code::requirements_not_met when gating
/// fails. Throws ScenarioError / std::invalid_argument for bad input
/// (unknown candidate, missing output directory, report extension not one of
/// .html/.md/.csv/.json) and EnvironmentError when the JSON or the report
/// cannot be written; see report_exception.
int run_simulate(const SimulateOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace archsim
