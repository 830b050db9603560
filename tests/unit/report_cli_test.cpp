// `archsim report` in process: Result files in, a report out; bad input
// (missing file, not JSON, not a Result, unknown format, missing output
// directory) is exit code 2 with a message naming the problem, and leaves
// no output file behind.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "archsim/cli_errors.hpp"
#include "archsim/cmd_report.hpp"
#include "archsim/result_json.hpp"
#include "command_outcome.hpp"

namespace archsim {
namespace {

namespace fs = std::filesystem;

using test_support::Outcome;

Outcome run(const ReportOptions& opts) { return test_support::run_like_main(opts, run_report); }

class ReportCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("archsim-report-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    Result r;
    r.archsim_version = "0.1.0";
    r.scenario_name = "tiny";
    r.mode = "batched";
    CandidateResult c;
    c.name = "only, \"one\"";
    c.kind = "kappa";
    r.candidates = {c};
    write("result.json", to_json(r).dump(2));
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path(name)) << text; }

  fs::path dir_;
};

TEST_F(ReportCommand, WritesEachFormatToStdout) {
  for (const char* format : {"html", "md", "csv", "json"}) {
    const Outcome o = run({{path("result.json")}, format, ""});
    EXPECT_EQ(o.code, exit_code::ok) << format << ": " << o.err;
    EXPECT_FALSE(o.out.empty()) << format;
  }
  EXPECT_EQ(run({{path("result.json")}, "csv", ""}).out.rfind("scenario,candidate,", 0), 0u);
}

TEST_F(ReportCommand, WritesAFileInTheFormatOfItsExtension) {
  const Outcome o = run({{path("result.json"), path("result.json")}, std::nullopt, path("adr.md")});
  EXPECT_EQ(o.code, exit_code::ok) << o.err;
  EXPECT_TRUE(o.out.empty());
  std::ifstream in(path("adr.md"));
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first.rfind("# ADR: ", 0), 0u) << first;
}

TEST_F(ReportCommand, BadInputIsExitTwoAndNoFile) {
  write("not-json.json", "{\"schema_version\": 1,");
  write("overflow.json", "{\"schema_version\": 2, \"x\": 1e400}");  // nlohmann: out_of_range, once exit 1
  write("not-result.json", "{\"schema_version\": 2, \"candidates\": [{\"name\": 7}]}");
  struct Case {
    ReportOptions opts;
    std::string message;
  };
  const std::string out = path("out.html");
  const Case cases[] = {
      {{{path("missing.json")}, "html", out}, "missing.json: no such file"},
      {{{path("not-json.json")}, "html", out}, "not-json.json: not JSON"},
      {{{path("overflow.json")}, "html", out}, "overflow.json: not JSON ([json.exception.out_of_range.406] number overflow"},
      {{{path("not-result.json")}, "html", out}, "not-result.json: not an archsim Result: "},
      {{{path("result.json")}, "pdf", out}, "--format pdf: unknown format, expected one of html, md, csv, json"},
      {{{path("result.json")}, std::nullopt, path("out.txt")}, "no report format"},
      {{{path("result.json")}, "html", path("no-dir/out.html")}, "does not exist"},
      {{{path("result.json"), path("missing.json")}, "html", out}, "missing.json: no such file"},
  };
  for (const Case& c : cases) {
    const Outcome o = run(c.opts);
    EXPECT_EQ(o.code, exit_code::invalid_input) << c.message;
    EXPECT_NE(o.err.find(c.message), std::string::npos) << o.err;
    EXPECT_FALSE(fs::exists(out)) << c.message;
    EXPECT_FALSE(fs::exists(path("out.txt")));
  }
}

TEST_F(ReportCommand, NotAResultNamesTheJsonPath) {
  write("bad.json", "{\"schema_version\": 2, \"candidates\": [{\"name\": 7}]}");
  const Outcome o = run({{path("bad.json")}, "csv", ""});
  EXPECT_EQ(o.code, exit_code::invalid_input);
  EXPECT_NE(o.err.find("/"), std::string::npos);
  EXPECT_TRUE(o.out.empty());
}

}  // namespace
}  // namespace archsim
