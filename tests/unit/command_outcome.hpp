// Shared by the unit tests that run a CLI subcommand in process: the
// reference scenario's path, and run_like_main, which calls a subcommand the
// way `main` does (exceptions become exit codes and messages) and captures
// its output.
#pragma once

#include <exception>
#include <filesystem>
#include <sstream>
#include <string>

#include "archsim/cli_errors.hpp"

namespace archsim::test_support {

/// scenarios/kappa-reference.json of the source tree.
inline const std::filesystem::path kReferenceScenario =
    std::filesystem::path(ARCHSIM_SOURCE_DIR) / "scenarios" / "kappa-reference.json";

/// Exit code and output of one subcommand run.
struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs `run(opts, out, err)` like main does: an escaping exception is
/// reported on `err` with its exit code.
template <typename Options, typename Run>
Outcome run_like_main(const Options& opts, Run run) {
  std::ostringstream out, err;
  Outcome o;
  try {
    o.code = run(opts, out, err);
  } catch (...) {
    o.code = report_exception(std::current_exception(), err);
  }
  o.out = out.str();
  o.err = err.str();
  return o;
}

}  // namespace archsim::test_support
