// The HTML report's availability, predicted-vs-measured and sweep heatmap
// charts on hand-built inputs, and reading a sweep.json back: each chart has
// its title, its numbers as a table and the marks that carry the verdict in
// more than colour; a sweep of 10,000 points stays a few MB.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "archsim/comparison.hpp"
#include "archsim/html_reporter.hpp"
#include "archsim/result.hpp"
#include "archsim/sweep_reporter.hpp"

#include "report_text.hpp"

namespace archsim {
namespace {

using test_support::count_occurrences;
using test_support::html;

LatencySummary chart_latency(double p99_s, double half_width) {
  LatencySummary l;
  l.count = 5000;
  auto est = [&](double v) { return Estimate{v, v * (1 - half_width), v * (1 + half_width)}; };
  l.p50_s = est(p99_s / 4);
  l.p95_s = est(p99_s / 1.5);
  l.p99_s = est(p99_s);
  l.p999_s = est(p99_s * 1.4);
  l.max_s = p99_s * 2;
  l.cdf = {{p99_s / 8, 0.01}, {p99_s / 4, 0.5}, {p99_s, 0.99}, {p99_s * 2, 1}};
  return l;
}

CandidateResult chart_candidate(const std::string& name, double p99_s, double cost) {
  CandidateResult c;
  c.name = name;
  c.kind = "kappa";
  c.delivery = "at-least-once";
  c.end_to_end = chart_latency(p99_s, 0.05);
  c.cost = {{"brokers", "compute", cost, "3 x m5.large"}};
  c.cost_usd_month = cost;
  c.offered_eps = c.achieved_eps = 1000;
  c.verdicts = {{"p99 latency", 0.2, p99_s, "s", p99_s <= 0.2, (0.2 - p99_s) / 0.2, "p99"}};
  c.meets_all = p99_s <= 0.2;
  return c;
}

AvailabilitySummary availability(double within, double delivering, double lost, double duplicated) {
  AvailabilitySummary a;
  a.estimated = true;
  a.within_target = {within, within - (1 - within), 1 - (1 - within) / 2};
  a.delivering = {delivering, delivering - (1 - delivering), 1 - (1 - delivering) / 2};
  a.down_s_month = (1 - delivering) * 730 * 3600;
  a.late_s_month = (delivering - within) * 730 * 3600;
  a.lost_events_month = lost;
  a.duplicated_events_month = duplicated;
  return a;
}

Result result(std::vector<CandidateResult> candidates) {
  Result r;
  r.archsim_version = "0.1.0";
  r.scenario_name = "charts";
  r.seed = 1;
  r.mode = "batched";
  r.candidates = std::move(candidates);
  return r;
}

/// The section with id `id`, up to its end.
std::string section(const std::string& page, const std::string& id) {
  const size_t at = page.find("<section class=\"block\" id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  return page.substr(at, page.find("</section>", at) - at);
}

// ---------------------------------------------------------- availability

TEST(AvailabilityChart, DowntimeAgainstTheTargetAndLossPerCandidate) {
  CandidateResult a = chart_candidate("steady", 0.1, 900), b = chart_candidate("flaky", 0.1, 700);
  a.availability = availability(0.9995, 0.9999, 0, 1200);
  b.availability = availability(0.995, 0.998, 35000, 0);
  for (CandidateResult* c : {&a, &b})
    c->verdicts.push_back({"availability", 0.999, c->availability.within_target.value, "fraction",
                           c->availability.within_target.value >= 0.999, 0, "availability"});
  const std::string block = section(html(result({a, b})), "availability");
  ASSERT_FALSE(block.empty());
  EXPECT_EQ(count_occurrences(block, "<svg"), 2u) << "downtime and loss";
  EXPECT_NE(block.find("<title>Availability per candidate: minutes per month not delivering</title>"), std::string::npos);
  EXPECT_NE(block.find("<title>Events lost and duplicated per month per candidate</title>"), std::string::npos);
  EXPECT_NE(block.find("minutes per month not delivering (log scale"), std::string::npos) << "axis with its unit";
  EXPECT_NE(block.find("target 99.9% = 43.8 min/month"), std::string::npos) << "the target line, labelled";
  EXPECT_NE(block.find("flaky: within target"), std::string::npos);
  EXPECT_NE(block.find("flaky: delivering"), std::string::npos);
  // The table behind it: availability with its interval, loss and duplicates, the verdict in words.
  EXPECT_NE(block.find("<details>"), std::string::npos);
  EXPECT_NE(block.find("99.95% (99.9% to 99.97"), std::string::npos);
  EXPECT_NE(block.find(">35k<"), std::string::npos);
  EXPECT_NE(block.find("35k lost"), std::string::npos) << "the bar carries its number as text";
  EXPECT_NE(block.find("1.2k duplicated"), std::string::npos);
  EXPECT_NE(block.find("✘ FAIL"), std::string::npos);
  EXPECT_NE(block.find("✔ PASS"), std::string::npos);
}

TEST(AvailabilityChart, SaysWhyWhenNoCandidateHasAFailureModel) {
  const std::string block = section(html(result({chart_candidate("a", 0.1, 100)})), "availability");
  ASSERT_FALSE(block.empty());
  EXPECT_EQ(count_occurrences(block, "<svg"), 0u);
  EXPECT_NE(block.find("No candidate has a failure model"), std::string::npos);
  EXPECT_NE(block.find("not estimated (no failure model)"), std::string::npos);
}

// ---------------------------------------------------- predicted vs measured

TEST(PredictedVsMeasuredChart, PairsTheMeasurementWithItsPredictionAndDrawsErrorBars) {
  CandidateResult predicted = chart_candidate("kappa-a", 0.100, 500), other = chart_candidate("kappa-b", 0.3, 300);
  CandidateResult measured = chart_candidate("kappa-a (measured)", 0.150, 500);
  measured.source = "measured";
  measured.end_to_end = chart_latency(0.150, 0.2);
  const std::string page = html(result({other, predicted, measured}));
  const std::string block = section(page, "check");
  ASSERT_FALSE(block.empty());
  EXPECT_NE(block.find("<title>Predicted versus measured end-to-end latency</title>"), std::string::npos);
  EXPECT_NE(block.find("end-to-end latency (ms, log scale)"), std::string::npos);
  // Paired by name (kappa-a, not the first simulated kappa-b): p99 100 ms vs 150 ms is -33.3%.
  EXPECT_NE(block.find("<td>kappa-a</td><td>p99</td>"), std::string::npos) << block;
  EXPECT_NE(block.find("-33.3%"), std::string::npos);
  EXPECT_NE(block.find("150 ms (120 ms to 180 ms)"), std::string::npos) << "the measured interval in the table";
  // 4 percentiles x 2 sides, each an error bar of 3 lines (bar and two caps).
  const std::regex error_bar_line("<line x1=\"[^\"]*\" y1=");  // line_px; grid and legend lines give x2 first
  EXPECT_EQ(static_cast<size_t>(std::distance(std::sregex_iterator(block.begin(), block.end(), error_bar_line),
                                              std::sregex_iterator())),
            4u * 2u * 3u);
  EXPECT_NE(block.find("<rect x="), std::string::npos) << "measured drawn as squares";
  EXPECT_NE(block.find("<circle"), std::string::npos) << "predicted drawn as circles";
}

TEST(PredictedVsMeasuredChart, SeveralCheckFilesPairEachMeasurementWithItsOwnPrediction) {
  auto check = [](double predicted_p99, double measured_p99) {
    CandidateResult predicted = chart_candidate("kappa-a", predicted_p99, 500);
    CandidateResult measured = chart_candidate("kappa-a (measured)", measured_p99, 500);
    measured.source = "measured";
    return result({predicted, measured});
  };
  std::ostringstream out;
  HtmlReporter().report(make_comparison({check(0.100, 0.150), check(0.200, 0.100)}), out);
  const std::string block = section(out.str(), "check");
  EXPECT_NE(block.find("<th scope=\"row\">kappa-a (measured) #1</th><td>kappa-a #1</td><td>p99</td>"), std::string::npos)
      << block;
  EXPECT_NE(block.find("<th scope=\"row\">kappa-a (measured) #2</th><td>kappa-a #2</td><td>p99</td>"), std::string::npos);
  EXPECT_NE(block.find("+100.0%"), std::string::npos) << "run 2: predicted 200 ms against measured 100 ms";
}

TEST(PredictedVsMeasuredChart, AbsentWithoutAMeasurement) {
  EXPECT_EQ(section(html(result({chart_candidate("a", 0.1, 100), chart_candidate("b", 0.2, 50)})), "check"), "");
}

// ------------------------------------------------------------------ sweeps

nlohmann::json record(size_t id, int x, int y, double p99_s, bool meets, bool overloaded = false) {
  nlohmann::json c = {{"name", "lean"},          {"kind", "kappa"},         {"cost_usd_month", 100.0 * x},
                      {"latency_count", 1000},   {"p50_s", p99_s / 3},      {"p95_s", p99_s / 2},
                      {"p99_s", p99_s},          {"p99_lo_s", p99_s * 0.9}, {"p99_hi_s", p99_s * 1.1},
                      {"achieved_eps", 1000.0},  {"offered_eps", 1000.0},   {"overloaded", overloaded},
                      {"overload_reason", ""},   {"meets_all", meets},
                      {"verdicts", nlohmann::json::array({{{"requirement", "p99 latency"}, {"pass", meets}}})}};
  return {{"point", id},
          {"key", fmt::format("/a={} /b={}", x, y)},
          {"overrides", {{"/a", x}, {"/b", y}}},
          {"status", "ok"},
          {"candidates", nlohmann::json::array({c})}};
}

SweepOutcome grid(int nx, int ny) {
  SweepOutcome s;
  s.scenario_name = "grid";
  SweepDim a{"/a", "", {}}, b{"/b", "", {}};
  for (int x = 1; x <= nx; ++x) a.values.push_back(x);
  for (int y = 1; y <= ny; ++y) b.values.push_back(y);
  s.dims = {a, b};
  size_t id = 0;
  for (int y = 1; y <= ny; ++y)
    for (int x = 1; x <= nx; ++x) {
      // faster with more of /a, slower with more of /b; feasible where p99 <= 100 ms
      const double p99 = 0.05 * y / x + 0.01 * x;
      s.records.push_back(record(id++, x, y, p99, p99 <= 0.1, x == 1 && y == ny));
    }
  s.summaries = summarise_sweep(s.records);
  return s;
}

std::string sweep_html(const SweepOutcome& s) {
  std::ostringstream out;
  SweepReporter().write_html(s, out);
  return out.str();
}

TEST(SweepHeatmap, GridWithFeasibilityBoundaryAndItsTable) {
  SweepOutcome s = grid(4, 3);
  nlohmann::json invalid = {{"point", 100}, {"key", "/a=2 /b=3"}, {"overrides", {{"/a", 2}, {"/b", 3}}},
                            {"status", "invalid"}, {"error", "min_insync_replicas above the replication factor"}};
  s.records.push_back(invalid);  // a second point in cell (2, 3): the simulated one wins the cell
  const std::string page = sweep_html(s);
  const std::string block = section(page, "heatmap-0");
  ASSERT_FALSE(block.empty());
  EXPECT_NE(block.find("<title>p99 latency of lean over /a and /b</title>"), std::string::npos);
  EXPECT_NE(block.find("feasibility boundary: inside, every requirement is met"), std::string::npos);
  // Feasible cells: p99 = 0.05*y/x + 0.01*x <= 0.1.
  size_t feasible = 0;
  for (int y = 1; y <= 3; ++y)
    for (int x = 1; x <= 4; ++x) feasible += 0.05 * y / x + 0.01 * x <= 0.1 ? 1 : 0;
  EXPECT_NE(block.find(fmt::format("{} of 12 cells meet every requirement", feasible)), std::string::npos) << block;
  EXPECT_EQ(count_occurrences(block, "<td class=\"num\">✔ "), feasible) << "the table marks the same cells";
  EXPECT_NE(block.find("overloaded"), std::string::npos);
  EXPECT_NE(block.find("/b \\ /a"), std::string::npos) << "the table's corner names both axes";
  EXPECT_NE(page.find("Content-Security-Policy"), std::string::npos);
}

TEST(SweepHeatmap, NeedsTwoSweptParameters) {
  SweepOutcome s = grid(3, 1);
  s.dims.resize(1);
  const std::string page = sweep_html(s);
  EXPECT_NE(page.find("A heatmap needs two swept parameters; this sweep varies 1."), std::string::npos);
}

TEST(SweepHeatmap, TenThousandPointsStayAFewMegabytes) {
  const std::string page = sweep_html(grid(100, 100));
  EXPECT_LT(page.size(), 4u * 1024 * 1024) << "HTML of a 10,000-point sweep: " << page.size() << " bytes";
  EXPECT_NE(page.find("of 10000 cells meet every requirement"), std::string::npos);
  EXPECT_EQ(count_occurrences(page, "<svg"), count_occurrences(page, "</svg>"));
}

TEST(SweepJson, RoundTripsAndNamesTheFirstBadField) {
  const SweepOutcome s = grid(3, 2);
  const nlohmann::json j = SweepReporter().to_json(s);
  ASSERT_TRUE(is_sweep_json(j));
  const SweepOutcome back = sweep_from_json(j);
  EXPECT_EQ(back.records.size(), 6u);
  EXPECT_EQ(back.dims.size(), 2u);
  EXPECT_EQ(SweepReporter().to_json(back), j);

  nlohmann::json bad = j;
  bad["points"][4]["candidates"][0].erase("p99_s");
  try {
    sweep_from_json(bad);
    FAIL() << "a missing p99_s must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("/points/4/candidates/0/p99_s"), std::string::npos) << e.what();
  }
  bad = j;
  bad["points"][1]["overrides"].erase("/b");
  EXPECT_THROW(sweep_from_json(bad), std::invalid_argument);
  EXPECT_FALSE(is_sweep_json(nlohmann::json::object({{"candidates", 1}})));
}

}  // namespace
}  // namespace archsim
