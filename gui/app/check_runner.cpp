// run_cli_check (see check_runner.hpp).
#include "check_runner.hpp"

#include <exception>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "archsim/cli_errors.hpp"
#include "archsim/cmd_check.hpp"
#include "archsim/result_json.hpp"

namespace archsim::gui {

CheckOutcome run_cli_check(const std::filesystem::path& scenario_file, const std::string& candidate,
                           const std::string& duration, const std::filesystem::path& json_file) {
  CheckOptions options;
  options.scenario_file = scenario_file.string();
  options.candidate = candidate;
  options.duration = duration;
  options.json_path = json_file.string();
  std::ostringstream out, err;
  CheckOutcome outcome;
  try {
    outcome.exit_code = run_check(options, out, err);
  } catch (...) {
    outcome.exit_code = report_exception(std::current_exception(), err);
  }
  outcome.output = out.str();
  outcome.log = err.str();
  std::ifstream in(json_file);
  if (in) {
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_discarded()) {
      try {
        outcome.result = result_from_json(j);
      } catch (const std::exception& e) {
        outcome.log += std::string("\ncannot read the check's Result: ") + e.what();
      }
    }
  }
  return outcome;
}

}  // namespace archsim::gui
