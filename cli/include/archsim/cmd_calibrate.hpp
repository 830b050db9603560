// `archsim calibrate`: measure this machine's Kafka path (loopback, broker
// request and byte costs, client costs, held empty fetches) with short probe
// runs and write the calibration file `archsim check --calibration` reads.
#pragma once

#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace archsim {


struct CalibrateCmdOptions {
  std::string bootstrap_servers;        ///< "" = the embedded mock cluster
  std::string output = "calibration.json";  ///< written atomically; "-" = stdout
  bool quiet = false;
};

/// Adds the `calibrate` subcommand to `app`. Returns the subcommand.
CLI::App* setup_calibrate(CLI::App& app, CalibrateCmdOptions& opts);

/// Measures, prints a summary on `err`, writes the file. Returns
/// exit_code::ok. Throws EnvironmentError when the broker is unreachable or
/// the file cannot be written (exit 4), std::invalid_argument for bad options.
int run_calibrate(const CalibrateCmdOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace archsim
