// `archsim validate FILE...`: load every scenario file and report, per file,
// either "FILE: OK (N candidates: a, b)" or every problem with its JSON path.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace archsim {

struct ValidateOptions {
  std::vector<std::string> files;  ///< scenario files, checked in order
};

/// Adds the `validate` subcommand to `app`, storing its arguments in `opts`
/// (which must outlive parsing). Returns the subcommand.
CLI::App* setup_validate(CLI::App& app, ValidateOptions& opts);

/// Checks every file: OK lines go to `out`, problems to `err`.
/// Returns exit_code::ok when all are valid, exit_code::invalid_input otherwise.
int run_validate(const ValidateOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace archsim
