// CLI errors and exit codes: the documented exit codes of the `archsim`
// command, the error type for environment failures, and the one place that
// turns an exception escaping a subcommand into a message and an exit code.
#pragma once

#include <exception>
#include <ostream>
#include <stdexcept>
#include <string>

#include "archsim/scenario_loader.hpp"

namespace archsim {

/// The exit codes of `archsim` (listed in `archsim --help` and README.md).
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int internal_error = 1;        ///< a bug: any unexpected exception
inline constexpr int invalid_input = 2;         ///< bad scenario, bad flags, missing file or directory
inline constexpr int requirements_not_met = 3;  ///< only with `simulate --gate`
inline constexpr int environment_failure = 4;   ///< the machine failed us: e.g. the result file cannot be written
}  // namespace exit_code

/// Something outside archsim and outside the user's input failed: a file
/// could not be written (disk full), a broker is unreachable, no display.
/// Maps to exit_code::environment_failure.
class EnvironmentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The exit-code table, as printed in the top-level help footer.
std::string exit_code_help();

/// Prints "FILE: N problem(s)" then one "  PATH: expected X, found Y" line per issue.
void print_scenario_error(const ScenarioError& error, std::ostream& err);

/// Prints the message of `error` to `err` and returns its exit code:
/// ScenarioError and std::invalid_argument -> invalid_input,
/// Interrupted -> 128 + signal (130 for Ctrl-C),
/// EnvironmentError -> environment_failure, anything else -> internal_error
/// ("internal error: ..."). Called once, in main (and by tests).
int report_exception(const std::exception_ptr& error, std::ostream& err);

}  // namespace archsim
