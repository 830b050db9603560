// `archsim validate`: check scenario files without simulating them.
#include "archsim/cmd_validate.hpp"

#include <fmt/format.h>

#include "archsim/cli_errors.hpp"
#include "archsim/scenario_loader.hpp"

namespace archsim {

CLI::App* setup_validate(CLI::App& app, ValidateOptions& opts) {
  CLI::App* cmd =
      app.add_subcommand("validate", "Check scenario files and report every problem with its JSON path");
  cmd->add_option("FILE", opts.files, "scenario JSON files to check")->required();
  cmd->footer(
      "Checks each file against the scenario format without simulating it, and reports every\n"
      "problem at once.\n"
      "\n"
      "Examples:\n"
      "  archsim validate scenarios/kappa-reference.json\n"
      "  archsim validate scenarios/kappa-reference.json scenarios/clickstream-kappa.json\n"
      "\n"
      "Prints \"FILE: OK (N candidates: a, b)\" on stdout for a valid file, and for an\n"
      "invalid one every problem on stderr as \"PATH: expected X, found Y\".\n"
      "Exit status: 0 when every file is valid, 2 when any is not.");
  return cmd;
}

int run_validate(const ValidateOptions& opts, std::ostream& out, std::ostream& err) {
  int status = exit_code::ok;
  for (const std::string& file : opts.files) {
    try {
      const Scenario scenario = load_scenario_file(file);
      std::vector<std::string> names;
      for (const Candidate& candidate : scenario.candidates) names.push_back(candidate.name);
      out << fmt::format("{}: OK ({} candidate{}: {})\n", file, names.size(), names.size() == 1 ? "" : "s",
                         fmt::join(names, ", "));
    } catch (const ScenarioError& e) {
      print_scenario_error(e, err);
      status = exit_code::invalid_input;
    }
  }
  return status;
}

}  // namespace archsim
