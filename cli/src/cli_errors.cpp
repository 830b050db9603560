// Exception-to-exit-code mapping and error printing for the CLI (see cli_errors.hpp).
#include "archsim/cli_errors.hpp"

#include "archsim/interrupt.hpp"

#include <fmt/format.h>

namespace archsim {

std::string exit_code_help() {
  return fmt::format(
      "Exit codes:\n"
      "  {}  success\n"
      "  {}  internal error (a bug in archsim: please report it), or `simulate` could not simulate a\n"
      "     candidate (named with its reason; the other candidates are still printed and written)\n"
      "  {}  invalid input or usage: bad scenario (each problem is named by its JSON path),\n"
      "     unknown option or candidate, missing file or output directory\n"
      "  {}  requirements not met (only with `simulate --gate` or `check --gate`, and `recommend` finding no design;\n"
      "     check: also when the prediction misses --tolerance)\n"
      "  {}  environment failure: an output file could not be written (disk full), the Kafka broker is unreachable\n"
      "     or did not acknowledge every event of a `check` run (the counts are still printed and written)\n"
      "  130  interrupted by Ctrl-C (143 for SIGTERM): stopped cleanly, no partial output file left behind\n",
      exit_code::ok, exit_code::internal_error, exit_code::invalid_input, exit_code::requirements_not_met,
      exit_code::environment_failure);
}

void print_scenario_error(const ScenarioError& error, std::ostream& err) {
  const size_t n = error.issues().size();
  err << fmt::format("{}: invalid {}, {} problem{}:\n", error.file(), error.document(), n, n == 1 ? "" : "s");
  for (const ValidationIssue& issue : error.issues()) err << "  " << issue.message() << '\n';
  if (n == 0) err << "  " << error.what() << '\n';
}

int report_exception(const std::exception_ptr& error, std::ostream& err) {
  try {
    std::rethrow_exception(error);
  } catch (const ScenarioError& e) {
    print_scenario_error(e, err);
    return exit_code::invalid_input;
  } catch (const Interrupted& e) {
    err << e.what() << ": stopped, nothing written\n";
    return e.exit_code();
  } catch (const EnvironmentError& e) {
    err << "error: " << e.what() << '\n';
    return exit_code::environment_failure;
  } catch (const std::invalid_argument& e) {
    err << "error: " << e.what() << '\n';
    return exit_code::invalid_input;
  } catch (const std::exception& e) {
    err << "internal error: " << e.what() << '\n';
    return exit_code::internal_error;
  } catch (...) {
    err << "internal error: unknown exception\n";
    return exit_code::internal_error;
  }
}

}  // namespace archsim
