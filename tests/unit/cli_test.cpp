// CLI subcommands in process (no command line): bad input is exit code 2 with
// a message naming the problem (the JSON path for a malformed scenario), and
// every exception type maps to its documented exit code.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "archsim/cli_errors.hpp"
#include "archsim/cmd_simulate.hpp"
#include "archsim/cmd_validate.hpp"
#include "command_outcome.hpp"

namespace archsim {
namespace {

namespace fs = std::filesystem;

using archsim::test_support::Outcome;
using archsim::test_support::run_like_main;

Outcome validate(std::vector<std::string> files) {
  ValidateOptions opts;
  opts.files = std::move(files);
  return run_like_main(opts, run_validate);
}

Outcome simulate(const SimulateOptions& opts) { return run_like_main(opts, run_simulate); }

/// A scratch file under the temp dir, removed at the end.
class TempScenario {
 public:
  explicit TempScenario(const std::string& text) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            (std::string("archsim-cli-") + info->name() + "-" + std::to_string(::getpid()) + ".json");
    std::ofstream(path_) << text;
  }
  ~TempScenario() { fs::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

nlohmann::json reference_json() {
  std::ifstream in(archsim::test_support::kReferenceScenario);
  return nlohmann::json::parse(in);
}

TEST(CliValidate, ShippedReferenceIsOk) {
  const Outcome o = validate({archsim::test_support::kReferenceScenario.string()});
  EXPECT_EQ(o.code, exit_code::ok) << o.err;
  EXPECT_NE(o.out.find(archsim::test_support::kReferenceScenario.string() + ": OK ("), std::string::npos) << o.out;
}

TEST(CliValidate, MissingFileIsInvalidInput) {
  const Outcome o = validate({"/nonexistent/scenario.json"});
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.err.find("/nonexistent/scenario.json"), std::string::npos) << o.err;
  EXPECT_TRUE(o.out.empty()) << o.out;
}

TEST(CliValidate, MalformedScenarioNamesTheJsonPath) {
  nlohmann::json j = reference_json();
  j["candidates"][0]["broker"]["partitions"] = "many";
  TempScenario bad(j.dump(2));
  const Outcome o = validate({bad.path()});
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.err.find("/candidates/0/broker/partitions: expected"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("\"many\""), std::string::npos) << o.err;
}

TEST(CliValidate, ChecksEveryFileAndFailsIfAnyIsBad) {
  TempScenario truncated("{\"name\": \"x\", ");
  const Outcome o = validate({archsim::test_support::kReferenceScenario.string(), truncated.path()});
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.out.find(archsim::test_support::kReferenceScenario.string() + ": OK"), std::string::npos) << o.out;
  EXPECT_NE(o.err.find(truncated.path()), std::string::npos) << o.err;
}

TEST(CliSimulate, MissingScenarioIsInvalidInput) {
  SimulateOptions opts;
  opts.scenario_file = "/nonexistent/scenario.json";
  const Outcome o = simulate(opts);
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.err.find("/nonexistent/scenario.json"), std::string::npos) << o.err;
}

TEST(CliSimulate, MalformedScenarioNamesTheJsonPath) {
  nlohmann::json j = reference_json();
  j["workload"]["rate"]["mean_eps"] = -5;
  TempScenario bad(j.dump(2));
  SimulateOptions opts;
  opts.scenario_file = bad.path();
  const Outcome o = simulate(opts);
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.err.find("/workload/rate/mean_eps: expected"), std::string::npos) << o.err;
  EXPECT_TRUE(o.out.empty()) << "nothing simulated, no table";
}

TEST(CliSimulate, UnknownCandidateListsTheKnownOnes) {
  SimulateOptions opts;
  opts.scenario_file = archsim::test_support::kReferenceScenario.string();
  opts.candidate = "no-such-design";
  const Outcome o = simulate(opts);
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.err.find("unknown candidate 'no-such-design'"), std::string::npos) << o.err;
  // A named document: ranging over reference_json().at(...) read a
  // temporary already destroyed (heap-use-after-free under ASan, issue 8).
  const nlohmann::json reference = reference_json();
  for (const auto& c : reference.at("candidates"))
    EXPECT_NE(o.err.find(c.at("name").get<std::string>()), std::string::npos) << o.err;
}

TEST(CliSimulate, MissingOutputDirectoryIsInvalidInputBeforeSimulating) {
  SimulateOptions opts;
  opts.scenario_file = archsim::test_support::kReferenceScenario.string();
  opts.json_path = "/nonexistent-dir/x.json";
  const Outcome o = simulate(opts);
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.err.find("/nonexistent-dir"), std::string::npos) << o.err;
  EXPECT_TRUE(o.out.empty());
  EXPECT_FALSE(fs::exists("/nonexistent-dir/x.json"));
}

TEST(CliErrors, EachExceptionMapsToItsExitCode) {
  auto code_of = [](auto exception) {
    std::ostringstream err;
    return std::pair{report_exception(std::make_exception_ptr(exception), err), err.str()};
  };
  const auto [scenario_code, scenario_text] =
      code_of(ScenarioError("s.json", {{"/workload/rate_eps", "a number above 0", "-5"}}));
  EXPECT_EQ(scenario_code, exit_code::invalid_input);
  EXPECT_NE(scenario_text.find("s.json"), std::string::npos) << scenario_text;
  EXPECT_NE(scenario_text.find("/workload/rate_eps"), std::string::npos) << scenario_text;

  EXPECT_EQ(code_of(std::invalid_argument("bad flag")).first, exit_code::invalid_input);
  EXPECT_EQ(code_of(EnvironmentError("disk full")).first, exit_code::environment_failure);
  const auto [internal_code, internal_text] = code_of(std::runtime_error("boom"));
  EXPECT_EQ(internal_code, exit_code::internal_error);
  EXPECT_EQ(internal_text, "internal error: boom\n");
  EXPECT_EQ(code_of(42).first, exit_code::internal_error);
}

TEST(CliErrors, ExitCodeHelpListsEveryCode) {
  const std::string help = exit_code_help();
  for (int code : {exit_code::ok, exit_code::internal_error, exit_code::invalid_input,
                   exit_code::requirements_not_met, exit_code::environment_failure})
    EXPECT_NE(help.find("  " + std::to_string(code) + "  "), std::string::npos) << code;
}

TEST(CliSetup, ParsesEveryFlagIntoTheOptions) {
  CLI::App app("test");
  SimulateOptions opts;
  setup_simulate(app, opts);
  app.parse("simulate s.json --candidate a --seed 42 --mode exact --json out.json -j 2 --gate -q", false);
  EXPECT_EQ(opts.scenario_file, "s.json");
  EXPECT_EQ(opts.candidate, "a");
  EXPECT_EQ(opts.seed, 42u);
  EXPECT_EQ(opts.mode, SimMode::exact);
  EXPECT_EQ(opts.json_path, "out.json");
  EXPECT_EQ(opts.jobs, 2);
  EXPECT_TRUE(opts.gate);
  EXPECT_TRUE(opts.quiet);

  CLI::App defaults_app("test");
  SimulateOptions defaults;
  setup_simulate(defaults_app, defaults);
  defaults_app.parse("simulate s.json", false);
  EXPECT_FALSE(defaults.candidate);
  EXPECT_FALSE(defaults.seed);
  EXPECT_FALSE(defaults.mode);
  EXPECT_EQ(defaults.jobs, 0);
  EXPECT_FALSE(defaults.gate);

  CLI::App bad_app("test");
  SimulateOptions bad;
  setup_simulate(bad_app, bad);
  EXPECT_THROW(bad_app.parse("simulate s.json --mode fast", false), CLI::ValidationError);
}

}  // namespace
}  // namespace archsim
