// Reporters and the Result JSON codec, on hand-built Results: the console
// table names every candidate and verdict with aligned columns, the JSON
// round trip is lossless and byte-stable, and bad JSON is rejected with its path.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "archsim/console_reporter.hpp"
#include "archsim/json_reporter.hpp"
#include "archsim/result.hpp"
#include "archsim/result_json.hpp"

namespace archsim {
namespace {

LatencySummary make_latency(double p50_s, double p99_s) {
  LatencySummary l;
  l.count = 123456;
  l.mean_s = p50_s * 1.1;
  l.p50_s = {p50_s, p50_s * 0.98, p50_s * 1.02};
  l.p95_s = {p50_s * 2, p50_s * 2, p50_s * 2};  // no interval
  l.p99_s = {p99_s, p99_s * 0.95, p99_s * 1.04};
  l.p999_s = {p99_s * 1.5, p99_s * 1.4, p99_s * 1.7};
  l.max_s = p99_s * 3;
  l.cdf = {{p50_s, 0.5}, {p99_s, 0.99}, {p99_s * 3, 1.0}};
  return l;
}

CandidateResult make_candidate(const std::string& name, bool pass) {
  CandidateResult c;
  c.name = name;
  c.kind = "kappa";
  c.end_to_end = make_latency(0.0121, pass ? 0.182 : 0.412);
  c.stages = {{"producer", "linger and batching", make_latency(0.004, 0.006)},
              {"broker", "append and replication", make_latency(0.002, 0.011)}};
  c.offered_eps = 100000;
  c.achieved_eps = pass ? 99987.5 : 80012.25;
  c.max_consumer_lag_events = pass ? 1234 : 4.5e6;
  c.utilisation = {{"broker cpu", 0.42, 0.55}, {"broker nic", 0.31, 0.6}};
  c.cost = {{"brokers", "compute", 420.48, "3 x m5.large at $0.192/h x 730 h"},
            {"broker storage", "storage", 96, "1200 GB gp3 at $0.08/GB-month"}};
  c.cost_usd_month = 516.48;
  c.overloaded = !pass;
  c.overload_reason = pass ? "" : "broker nic at 130% of capacity";
  c.verdicts = {{"p99 latency", 0.2, pass ? 0.182 : 0.412, "s", pass, pass ? 0.09 : -1.06,
                 pass ? "p99 182 ms vs target 200 ms: PASS, 9% headroom"
                      : "p99 412 ms vs target 200 ms: FAIL, 106% over"},
                {"monthly budget", 1000, 516.48, "USD/month", true, 0.48,
                 "cost $516/month vs budget $1,000: PASS, 48% headroom"}};
  c.meets_all = pass;
  c.simulated_s = 60;
  c.warmup_s = 5;
  c.stopped_early = pass;
  c.notes = {"broker disks modelled as page cache writes", name + " only: shuffle not modelled"};
  return c;
}

Result make_result() {
  Result r;
  r.archsim_version = "0.1.0";
  r.scenario_name = "kappa-reference";
  r.scenario_file = "scenarios/kappa-reference.json";
  r.seed = 18446744073709551615ull;  // the largest seed survives the round trip
  r.mode = "batched";
  r.candidates = {make_candidate("small-cluster", true), make_candidate("tiny", false)};
  r.recommended = "small-cluster";
  r.recommendation_reason = "cheapest candidate meeting all requirements";
  return r;
}

std::string console_text(const Result& r, bool colour = false) {
  std::ostringstream out;
  ConsoleReporter(colour).report(r, out);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(ConsoleReporter, NamesEveryCandidateAndVerdict) {
  const Result r = make_result();
  const std::string text = console_text(r);
  for (const CandidateResult& c : r.candidates) {
    EXPECT_NE(text.find(c.name), std::string::npos) << c.name;
    for (const Verdict& v : c.verdicts) EXPECT_NE(text.find(v.text), std::string::npos) << v.text;
    for (const CostLine& line : c.cost) EXPECT_NE(text.find(line.basis), std::string::npos);
  }
  EXPECT_NE(text.find("OVERLOADED: broker nic at 130% of capacity"), std::string::npos);
  EXPECT_NE(text.find("Recommendation: small-cluster: cheapest candidate meeting all requirements"),
            std::string::npos);
  EXPECT_NE(text.find("182 ms"), std::string::npos);  // p99 in the table
  EXPECT_NE(text.find("$516"), std::string::npos) << text;
  EXPECT_EQ(text.find("$516.48"), std::string::npos) << "whole dollars from $10 up";
  EXPECT_NE(text.find("append and replication"), std::string::npos);
  // A note shared by all candidates is printed once, without a prefix.
  EXPECT_NE(text.find("  - broker disks modelled as page cache writes"), std::string::npos);
  EXPECT_NE(text.find("  - [tiny] tiny only: shuffle not modelled"), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << "no colour unless asked";
}

/// Terminal column where `needle` starts in `line` (UTF-8 aware: "±" is one column).
size_t column_of(const std::string& line, const std::string& needle) {
  const size_t byte = line.find(needle);
  if (byte == std::string::npos) return std::string::npos;
  return static_cast<size_t>(std::count_if(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(byte),
                                           [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; }));
}

TEST(ConsoleReporter, SummaryColumnsAreAligned) {
  const std::vector<std::string> lines = lines_of(console_text(make_result()));
  auto header = std::find_if(lines.begin(), lines.end(),
                             [](const std::string& l) { return l.rfind("CANDIDATE", 0) == 0; });
  ASSERT_NE(header, lines.end());
  ASSERT_GE(lines.end() - header, 3);
  const std::string& pass_row = *(header + 1);
  const std::string& fail_row = *(header + 2);
  EXPECT_EQ(pass_row.rfind("small-cluster", 0), 0u);
  EXPECT_EQ(fail_row.rfind("tiny", 0), 0u);
  // Left-aligned columns start where their titles start.
  EXPECT_EQ(column_of(pass_row, "kappa"), column_of(*header, "KIND"));
  EXPECT_EQ(column_of(fail_row, "kappa"), column_of(*header, "KIND"));
  EXPECT_EQ(column_of(pass_row, "PASS"), column_of(*header, "VERDICT"));
  EXPECT_EQ(column_of(fail_row, "FAIL"), column_of(*header, "VERDICT"));
  EXPECT_EQ(column_of(fail_row, "OVERLOADED"), column_of(*header, "LOAD"));
  EXPECT_EQ(column_of(pass_row, " ok "), column_of(*header, "LOAD") - 1);
  // Right-aligned columns end where their titles end.
  const size_t cost_end = column_of(*header, "COST/MONTH") + std::string("COST/MONTH").size();
  EXPECT_EQ(column_of(pass_row, "$516") + std::string("$516").size(), cost_end);
  for (const std::string& line : lines) EXPECT_TRUE(line.empty() || line.back() != ' ') << '"' << line << '"';
}

TEST(ConsoleReporter, ColourOnlyWhenAskedAndAlignmentKept) {
  const std::string coloured = console_text(make_result(), true);
  EXPECT_NE(coloured.find("\x1b["), std::string::npos);
  // Without its escape sequences, the coloured text is the plain text.
  std::string stripped;
  for (size_t i = 0; i < coloured.size(); ++i) {
    if (coloured[i] == '\x1b') {
      i = coloured.find('m', i);
      ASSERT_NE(i, std::string::npos);
      continue;
    }
    stripped += coloured[i];
  }
  EXPECT_EQ(stripped, console_text(make_result(), false));
}

TEST(ConsoleReporter, NoRecommendationAndNoSamples) {
  Result r = make_result();
  r.recommended.clear();
  r.recommendation_reason = "no candidate meets p99 <= 200 ms";
  r.candidates[1].end_to_end = LatencySummary{};
  r.candidates[1].verdicts.clear();
  const std::string text = console_text(r);
  EXPECT_NE(text.find("Recommendation: none: no candidate meets p99 <= 200 ms"), std::string::npos);
  EXPECT_NE(text.find("no targets"), std::string::npos);
}

TEST(ResultJson, RoundTripIsLossless) {
  const Result r = make_result();
  const nlohmann::json j = to_json(r);
  const Result back = result_from_json(j);
  EXPECT_EQ(to_json(back), j);
  EXPECT_EQ(back.seed, r.seed);
  ASSERT_EQ(back.candidates.size(), 2u);
  EXPECT_EQ(back.candidates[1].end_to_end.p99_s.hi, r.candidates[1].end_to_end.p99_s.hi);
  EXPECT_EQ(back.candidates[0].end_to_end.cdf, r.candidates[0].end_to_end.cdf);
  EXPECT_EQ(back.candidates[0].verdicts[0].text, r.candidates[0].verdicts[0].text);
  EXPECT_EQ(back.candidates[1].overload_reason, r.candidates[1].overload_reason);
  EXPECT_EQ(back.candidates[0].notes, r.candidates[0].notes);
  // Through text too, byte for byte.
  const std::string text = j.dump(2);
  EXPECT_EQ(to_json(result_from_json(nlohmann::json::parse(text))).dump(2), text);
}

TEST(ResultJson, StableKeyNamesWithUnits) {
  const nlohmann::json j = to_json(make_result());
  EXPECT_EQ(j.at("schema_version"), 4);
  const auto& c = j.at("candidates").at(0);
  EXPECT_TRUE(c.at("timeline").contains("window_s"));
  EXPECT_TRUE(c.at("timeline").at("points").is_array());
  EXPECT_TRUE(c.contains("delivery"));
  EXPECT_TRUE(c.at("availability").at("within_target").contains("lo"));
  EXPECT_TRUE(c.at("availability").contains("lost_events_month"));
  EXPECT_DOUBLE_EQ(c.at("end_to_end").at("p99_s").at("value").get<double>(), 0.182);
  EXPECT_TRUE(c.at("end_to_end").at("p99_s").contains("lo"));
  EXPECT_TRUE(c.at("end_to_end").at("p99_s").contains("hi"));
  EXPECT_DOUBLE_EQ(c.at("cost").at(0).at("usd_month").get<double>(), 420.48);
  EXPECT_DOUBLE_EQ(c.at("cost_usd_month").get<double>(), 516.48);
  EXPECT_TRUE(c.at("stages").at(0).at("latency").contains("p50_s"));
}

TEST(ResultJson, IdenticalInputsGiveIdenticalBytes) {
  std::ostringstream a, b;
  JsonReporter().report(make_result(), a);
  JsonReporter().report(make_result(), b);
  EXPECT_EQ(a.str(), b.str());
  EXPECT_EQ(a.str().back(), '\n');
  EXPECT_EQ(nlohmann::json::parse(a.str()), to_json(make_result()));
}

TEST(ResultJson, NonFiniteNumbersBecomeNullAndReadBackAsNaN) {
  Result r = make_result();
  r.candidates[0].verdicts[0].headroom = std::numeric_limits<double>::infinity();
  const nlohmann::json j = to_json(r);
  EXPECT_TRUE(nlohmann::json::parse(j.dump()).at("candidates").at(0).at("verdicts").at(0).at("headroom").is_null());
  EXPECT_TRUE(std::isnan(result_from_json(nlohmann::json::parse(j.dump())).candidates[0].verdicts[0].headroom));
}

std::string error_of(const nlohmann::json& j) {
  try {
    result_from_json(j);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ResultJson, BadInputNamesThePath) {
  nlohmann::json j = to_json(make_result());

  nlohmann::json wrong_type = j;
  wrong_type["candidates"][1]["end_to_end"]["p99_s"]["value"] = "fast";
  EXPECT_NE(error_of(wrong_type).find("/candidates/1/end_to_end/p99_s/value: expected a number"),
            std::string::npos)
      << error_of(wrong_type);

  nlohmann::json missing = j;
  missing["candidates"][0]["stages"][1].erase("latency");
  EXPECT_NE(error_of(missing).find("/candidates/0/stages/1/latency"), std::string::npos) << error_of(missing);

  nlohmann::json bad_cdf = j;
  bad_cdf["candidates"][0]["end_to_end"]["cdf"][2] = nlohmann::json::array({1});
  EXPECT_NE(error_of(bad_cdf).find("/candidates/0/end_to_end/cdf/2"), std::string::npos) << error_of(bad_cdf);

  nlohmann::json negative_count = j;
  negative_count["candidates"][0]["end_to_end"]["count"] = -1;
  EXPECT_NE(error_of(negative_count).find("/candidates/0/end_to_end/count"), std::string::npos);

  nlohmann::json future = j;
  future["schema_version"] = 5;
  EXPECT_NE(error_of(future).find("/schema_version: expected schema version 2 to 4, found number 5"),
            std::string::npos)
      << error_of(future);

  EXPECT_NE(error_of(nlohmann::json::array()).find("/: expected an object"), std::string::npos);
  EXPECT_NE(error_of(nlohmann::json{{"schema_version", 2}}).find("/archsim_version"), std::string::npos);

  nlohmann::json no_availability = j;
  no_availability["candidates"][0].erase("availability");
  EXPECT_NE(error_of(no_availability).find("/candidates/0/availability"), std::string::npos) << error_of(no_availability);
}

TEST(ResultJson, CandidateCodecStandsAlone) {
  const CandidateResult c = make_candidate("solo", false);
  EXPECT_EQ(to_json(candidate_from_json(to_json(c))), to_json(c));
  nlohmann::json j = to_json(c);
  j["verdicts"][0]["pass"] = "yes";
  try {
    candidate_from_json(j);
    FAIL() << "accepted a string for a boolean";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/verdicts/0/pass: expected true or false"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace archsim
