// Comparison reporters on hand-built Results: HTML (escaping of hostile
// names, every section and chart present, no external URL), Markdown (ADR
// sections, table shape, escaping), CSV (stable header, RFC 4180 quoting),
// the Comparison of several Results and the report formats.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "archsim/comparison.hpp"
#include "archsim/console_reporter.hpp"
#include "archsim/csv_reporter.hpp"
#include "archsim/html_reporter.hpp"
#include "archsim/markdown_reporter.hpp"
#include "archsim/report_format.hpp"
#include "archsim/result.hpp"
#include "archsim/result_json.hpp"

#include "report_text.hpp"

namespace archsim {
namespace {

using test_support::count_occurrences;

const std::string kHostile = "<script>alert(\"x\")</script> & 'co', \"quoted\" | pipe";

LatencySummary reporter_latency(double p50_s, double p99_s) {
  LatencySummary l;
  l.count = 1000;
  l.mean_s = p50_s;
  l.p50_s = {p50_s, p50_s * 0.99, p50_s * 1.01};
  l.p95_s = {p99_s * 0.9, p99_s * 0.88, p99_s * 0.92};
  l.p99_s = {p99_s, p99_s * 0.97, p99_s * 1.03};
  l.p999_s = {p99_s * 1.2, p99_s * 1.2, p99_s * 1.2};
  l.max_s = p99_s * 1.5;
  l.cdf = {{p50_s * 0.5, 0.01}, {p50_s, 0.5}, {p99_s, 0.99}, {p99_s * 1.5, 1.0}};
  return l;
}

CandidateResult reporter_candidate(const std::string& name, double p99_s, double cost_usd, bool overloaded = false) {
  CandidateResult c;
  c.name = name;
  c.kind = "kappa";
  c.end_to_end = reporter_latency(p99_s / 3, p99_s);
  c.stages = {{"producer", "batching", reporter_latency(0.002, 0.004)}, {"fetch", "fetch wait", reporter_latency(0.003, 0.009)}};
  c.offered_eps = 100000;
  c.achieved_eps = overloaded ? 70000 : 100000;
  c.max_consumer_lag_events = 500;
  c.utilisation = {{"broker cpu", 0.3, 0.4}};
  c.cost = {{"brokers", "compute", cost_usd * 0.5, "3 x m5.large at 0.096 USD/h x 730 h"},
            {"broker storage", "storage", cost_usd * 0.2, "100 GB at 0.08 USD/GB-month"},
            {"cross-zone transfer", "transfer", cost_usd * 0.3, "1000 GB x 0.01 USD/GB"}};
  c.cost_usd_month = cost_usd;
  c.overloaded = overloaded;
  c.overload_reason = overloaded ? "processing cpu at 140% of capacity" : "";
  const bool fast = p99_s <= 0.2, cheap = cost_usd <= 1000;
  c.verdicts = {{"p99 latency", 0.2, p99_s, "s", fast, (0.2 - p99_s) / 0.2, fast ? "p99: PASS" : "p99: FAIL"},
                {"monthly budget", 1000, cost_usd, "USD/month", cheap, (1000 - cost_usd) / 1000,
                 cheap ? "cost: PASS" : "cost: FAIL"},
                {"delivery semantics", 0, 0, "", true, 0, "at-least-once: PASS (acks=all)"}};
  c.meets_all = fast && cheap && !overloaded;
  c.simulated_s = 30;
  c.warmup_s = 5;
  c.notes = {"failures are not modelled"};
  return c;
}

Result result() {
  Result r;
  r.archsim_version = "0.1.0";
  r.scenario_name = "ref";
  r.scenario_file = "scenarios/ref.json";
  r.seed = 42;
  r.mode = "batched";
  r.candidates = {reporter_candidate(kHostile, 0.150, 800), reporter_candidate("lean", 0.450, 600),
                  reporter_candidate("big", 0.05, 2500, true)};
  r.recommended = kHostile;
  r.recommendation_reason = kHostile + " is the cheapest candidate meeting every requirement";
  return r;
}

template <typename Reporter>
std::string render(const Result& r) {
  std::ostringstream out;
  Reporter().report(r, out);
  return out.str();
}

// ------------------------------------------------------------------ HTML

TEST(HtmlReporter, EscapesEveryStringFromTheResult) {
  const std::string page = render<HtmlReporter>(result());
  EXPECT_EQ(page.find("<script"), std::string::npos) << "a candidate name must never inject markup";
  EXPECT_NE(page.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;"), std::string::npos);
  EXPECT_EQ(page.find("alert(\"x\")"), std::string::npos);
}

TEST(HtmlReporter, HasSummaryMatrixChartsAndAssumptions) {
  const std::string page = render<HtmlReporter>(result());
  for (const char* id : {"id=\"summary\"", "id=\"matrix\"", "id=\"latency-cdf\"", "id=\"stages\"", "id=\"cost\"",
                         "id=\"tradeoff\"", "id=\"assumptions\""})
    EXPECT_NE(page.find(id), std::string::npos) << id;
  EXPECT_EQ(count_occurrences(page, "<svg"), 4u);
  EXPECT_EQ(count_occurrences(page, "<svg"), count_occurrences(page, "</svg>"));
  // Every chart has its title right after the opening tag, and a table behind it.
  const std::regex titled("<svg[^>]*>\\s*<title>[^<]+</title>");
  EXPECT_EQ(static_cast<size_t>(std::distance(std::sregex_iterator(page.begin(), page.end(), titled),
                                              std::sregex_iterator())),
            4u);
  EXPECT_GE(count_occurrences(page, "<details>"), 4u);
  // Summary in plain words: recommendation with its reason, cost, runner-up failure, main risk.
  EXPECT_NE(page.find("Recommended: &lt;script&gt;"), std::string::npos);
  EXPECT_NE(page.find("is the cheapest candidate meeting every requirement"), std::string::npos);
  EXPECT_NE(page.find("$800"), std::string::npos);
  EXPECT_NE(page.find("Runner-up: "), std::string::npos);
  EXPECT_NE(page.find("Main risk"), std::string::npos);
  // Matrix: colour plus text, overload flagged in words.
  EXPECT_NE(page.find("✔ PASS"), std::string::npos);
  EXPECT_NE(page.find("✘ FAIL"), std::string::npos);
  EXPECT_NE(page.find("OVERLOADED"), std::string::npos);
  EXPECT_NE(page.find("25% headroom"), std::string::npos);   // p99 150 ms vs 200 ms
  EXPECT_NE(page.find("2.25x the target"), std::string::npos);  // p99 450 ms vs 200 ms: far over, in times
  // Assumptions: seed, mode, version, notes, cost basis, warm-up.
  for (const char* s : {"scenarios/ref.json", ">42<", "batched", "0.1.0", "failures are not modelled",
                        "3 x m5.large at 0.096 USD/h x 730 h", "Warm-up"})
    EXPECT_NE(page.find(s), std::string::npos) << s;
  EXPECT_NE(page.find("@media print"), std::string::npos);
  EXPECT_NE(page.find("break-inside: avoid"), std::string::npos);
  EXPECT_NE(page.find("name=\"viewport\""), std::string::npos);
}

TEST(HtmlReporter, MakesNoExternalReference) {
  const std::string page = render<HtmlReporter>(result());
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find("@import"), std::string::npos);
  EXPECT_EQ(page.find("url("), std::string::npos);
}

TEST(HtmlReporter, NoRecommendationNoSamplesAndOneCandidate) {
  Result r = result();
  r.recommended.clear();
  r.recommendation_reason = "no candidate meets every requirement: lean fails p99 latency";
  r.candidates[1].end_to_end = LatencySummary{};
  r.candidates[1].stages.clear();
  const std::string page = render<HtmlReporter>(r);
  EXPECT_NE(page.find("<strong>No candidate meets every requirement</strong>"), std::string::npos);
  EXPECT_NE(page.find("every requirement</strong>: lean fails p99 latency"), std::string::npos)
      << "the reason, without repeating the heading";
  EXPECT_NE(page.find("Closest candidate"), std::string::npos);

  Result one = result();
  one.candidates.resize(1);
  const std::string single = render<HtmlReporter>(one);
  EXPECT_EQ(count_occurrences(single, "<svg"), 4u);
  EXPECT_EQ(single.find("Runner-up"), std::string::npos);
}

// -------------------------------------------------------------- Markdown

/// Number of cells of a GFM table row: unescaped pipes minus one.
size_t cells(const std::string& row) {
  size_t pipes = 0;
  for (size_t i = 0; i < row.size(); ++i)
    if (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) ++pipes;
  return pipes - 1;
}

TEST(MarkdownReporter, IsAnAdrWithWellFormedTables) {
  const std::string md = render<MarkdownReporter>(result());
  size_t at = 0;
  for (const char* heading : {"# ADR: ", "- Status: proposed", "## Context", "## Options considered", "## Decision",
                              "## Consequences"}) {
    const size_t next = md.find(heading, at);
    ASSERT_NE(next, std::string::npos) << heading << " missing or out of order";
    at = next;
  }
  // Every table: a header, a separator of the same width, rows of the same width.
  std::istringstream in(md);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  size_t tables = 0;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].rfind("|", 0) != 0 || (i > 0 && lines[i - 1].rfind("|", 0) == 0)) continue;
    ++tables;
    const size_t width = cells(lines[i]);
    ASSERT_TRUE(std::regex_match(lines[i + 1], std::regex("\\|( -{3,}:? \\|)+"))) << lines[i + 1];
    for (size_t j = i + 1; j < lines.size() && lines[j].rfind("|", 0) == 0; ++j)
      EXPECT_EQ(cells(lines[j]), width) << lines[j];
  }
  EXPECT_GE(tables, 5u);
  EXPECT_NE(md.find("We choose **&lt;script&gt;"), std::string::npos);
  EXPECT_NE(md.find("\\| pipe"), std::string::npos) << "a pipe in a name must not split a table cell";
  EXPECT_EQ(md.find("<script"), std::string::npos);
  EXPECT_NE(md.find("OVERLOADED"), std::string::npos);
  EXPECT_NE(md.find("3 x m5.large at 0.096 USD/h x 730 h"), std::string::npos);
  EXPECT_NE(md.find("failures are not modelled"), std::string::npos);
}

TEST(MarkdownReporter, SaysWhenNothingIsChosen) {
  Result r = result();
  r.recommended.clear();
  r.recommendation_reason = "no candidate meets every requirement";
  r.candidates.erase(r.candidates.begin());  // lean and big remain, both failing
  const std::string md = render<MarkdownReporter>(r);
  EXPECT_NE(md.find("No candidate meets every requirement, so none is chosen yet"), std::string::npos);
  EXPECT_NE(md.find("The closest candidate, lean, fails on:"), std::string::npos) << md;
}

// ------------------------------------------------------------------- CSV

std::vector<std::string> csv_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t crlf = text.find("\r\n"); crlf != std::string::npos; crlf = text.find("\r\n", start)) {
    lines.push_back(text.substr(start, crlf - start));
    start = crlf + 2;
  }
  EXPECT_EQ(start, text.size()) << "every record ends with CRLF";
  return lines;
}

TEST(CsvReporter, StableHeaderAndOneRowPerCandidate) {
  const auto lines = csv_lines(render<CsvReporter>(result()));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0],
            "scenario,candidate,kind,source,p50_s,p95_s,p99_s,p99_lo_s,p99_hi_s,p999_s,max_s,achieved_eps,"
            "offered_eps,max_consumer_lag_events,cost_usd_month,overloaded,meets_all,compute_usd_month,"
            "storage_usd_month,transfer_usd_month,delivery,availability_delivering,availability_within_target,"
            "lost_events_month,duplicated_events_month,status,error");
  // lean: no quoted fields, so a plain split gives its 27 fields (a sentinel
  // comma keeps the empty error field at the end).
  std::vector<std::string> f;
  std::istringstream row(lines[2] + ",");
  for (std::string field; std::getline(row, field, ',');) f.push_back(field);
  ASSERT_EQ(f.size(), 27u) << lines[2];
  EXPECT_EQ(f[25], "ok");
  EXPECT_EQ(f[26], "");
  EXPECT_EQ(f[0], "ref");
  EXPECT_EQ(f[1], "lean");
  EXPECT_EQ(f[3], "simulated");
  const std::vector<double> want = {0.15, 0.405, 0.45, 0.4365, 0.4635, 0.54, 0.675, 100000, 100000, 500, 600};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(std::stod(f[4 + i]), want[i], want[i] * 1e-12) << i;
  EXPECT_EQ(f[15], "false");
  EXPECT_EQ(f[16], "false");
  EXPECT_NEAR(std::stod(f[17]), 300, 1e-9);
  EXPECT_NEAR(std::stod(f[18]), 120, 1e-9);
  EXPECT_NEAR(std::stod(f[19]), 180, 1e-9);
  EXPECT_NE(lines[3].find(",true,false,"), std::string::npos) << "big: overloaded, fails";
}

TEST(CsvReporter, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field(" padded"), "\" padded\"");
  const auto lines = csv_lines(render<CsvReporter>(result()));
  EXPECT_EQ(lines[1].rfind("ref,\"<script>alert(\"\"x\"\")</script> & 'co', \"\"quoted\"\" | pipe\",kappa,", 0), 0u)
      << lines[1];
}

TEST(CsvReporter, MissingLatencyIsAnEmptyField) {
  Result r = result();
  r.candidates[0].end_to_end = LatencySummary{};
  const auto lines = csv_lines(render<CsvReporter>(r));
  EXPECT_NE(lines[1].find(",kappa,simulated,,,,,,,,100000,"), std::string::npos) << lines[1];
}


// ------------------------------------------------- a candidate that failed

/// The Result of a run where "crashed" failed to simulate: no figures, its reason.
Result with_failed_candidate() {
  Result r = result();
  CandidateResult failed;
  failed.name = "crashed <b>";
  failed.kind = "kappa";
  failed.error = CandidateError{"simulation", "its simulation process was killed by signal 9 (Killed)"};
  r.candidates.insert(r.candidates.begin() + 1, failed);
  return r;
}

TEST(FailedCandidate, ResultJsonCarriesItsErrorAndReadsBack) {
  const Result r = with_failed_candidate();
  const nlohmann::json j = to_json(r);
  EXPECT_EQ(j.at("schema_version"), 4);
  const auto& c = j.at("candidates").at(1);
  EXPECT_EQ(c.at("error").at("stage"), "simulation");
  EXPECT_EQ(c.at("error").at("message"), "its simulation process was killed by signal 9 (Killed)");
  EXPECT_FALSE(j.at("candidates").at(0).contains("error")) << "only a failed candidate carries one";
  const Result back = result_from_json(j);
  ASSERT_TRUE(back.candidates[1].failed());
  EXPECT_EQ(back.candidates[1].error->message, "its simulation process was killed by signal 9 (Killed)");
  EXPECT_FALSE(back.candidates[0].failed());
  EXPECT_EQ(to_json(back), j);

  nlohmann::json bad = j;
  bad["candidates"][1]["error"]["message"] = 9;
  try {
    result_from_json(bad);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/candidates/1/error/message: expected a string"), std::string::npos) << e.what();
  }
}

TEST(FailedCandidate, HtmlNamesItWithItsReasonAndChartsTheOthers) {
  const std::string page = render<HtmlReporter>(with_failed_candidate());
  EXPECT_NE(page.find("Not simulated (1 of 4 candidates)"), std::string::npos);
  EXPECT_NE(page.find("<strong>crashed &lt;b&gt;</strong>: simulation failed: its simulation process was killed by "
                      "signal 9 (Killed)"),
            std::string::npos);
  EXPECT_NE(page.find("4 candidates (1 of them could not be) simulated"), std::string::npos);
  // The matrix: its row says so across the requirements, never a PASS/FAIL or a number.
  const size_t row = page.find("<tr><th scope=\"row\">crashed &lt;b&gt;</th>");
  ASSERT_NE(row, std::string::npos);
  const std::string matrix_row = page.substr(row, page.find("</tr>", row) - row);
  EXPECT_NE(matrix_row.find("✘ NOT SIMULATED"), std::string::npos) << matrix_row;
  EXPECT_NE(matrix_row.find("colspan=\"4\""), std::string::npos) << "3 requirements and the load" << matrix_row;
  EXPECT_EQ(matrix_row.find("PASS"), std::string::npos) << matrix_row;
  EXPECT_EQ(matrix_row.find("$"), std::string::npos) << matrix_row;
  // Still recommended: the one that was; the charts draw the three with figures only.
  EXPECT_NE(page.find("Recommended: &lt;script&gt;"), std::string::npos);
  EXPECT_EQ(count_occurrences(page, "<svg"), 4u);
  const size_t charts = page.find("id=\"latency-cdf\"");
  EXPECT_EQ(page.find("crashed &lt;b&gt;", charts), page.find("crashed &lt;b&gt;", page.find("id=\"figures\"")))
      << "no chart names the failed candidate; the key figures do";
  EXPECT_EQ(page.find("<b>"), std::string::npos);
}

TEST(FailedCandidate, NeverRecommendedEvenWhenTheResultSaysSo) {
  // A hand-edited (or older) Result that names the failed candidate, cheapest and "meeting all".
  Result r = with_failed_candidate();
  r.candidates[1].meets_all = true;
  r.recommended = r.candidates[1].name;
  const Comparison c = make_comparison({r});
  EXPECT_FALSE(c.has_recommendation());
  EXPECT_NE(c.recommendation_reason.find("which was not simulated"), std::string::npos) << c.recommendation_reason;
  const std::string page = render<HtmlReporter>(r);
  EXPECT_EQ(page.find("Recommended: crashed"), std::string::npos);
  EXPECT_NE(page.find("No candidate meets every requirement"), std::string::npos);
  const std::string md = render<MarkdownReporter>(r);
  EXPECT_EQ(md.find("We choose **crashed"), std::string::npos);
  // Across several Results, the cheapest candidate "meeting all" is skipped when it failed.
  Result other = result();
  other.scenario_name = "other";
  const Comparison across = make_comparison({r, other});
  ASSERT_TRUE(across.has_recommendation());
  EXPECT_FALSE(across.candidates[across.recommended].result.failed());
  // The closest candidate is never the one without figures while another has them.
  EXPECT_NE(page.find("Closest candidate: "), std::string::npos);
  EXPECT_EQ(page.find("Closest candidate: crashed"), std::string::npos);
}

TEST(FailedCandidate, MarkdownSaysItCouldNotBeSimulated) {
  const std::string md = render<MarkdownReporter>(with_failed_candidate());
  EXPECT_NE(md.find("- **crashed &lt;b&gt;** could not be simulated (simulation failed: its simulation process was "
                    "killed by signal 9 (Killed)): it has no figures and cannot be chosen."),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| crashed &lt;b&gt; | kappa | - | - | - | - | **NOT SIMULATED** |"), std::string::npos) << md;
  EXPECT_NE(md.find("### Option 2: crashed &lt;b&gt;\n\nA kappa design (simulated, scenario ref). **NOT SIMULATED**: "
                    "simulation failed:"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("We choose **&lt;script&gt;"), std::string::npos);
}

TEST(FailedCandidate, CsvRowHasEmptyNumbersAndTheReason) {
  const auto lines = csv_lines(render<CsvReporter>(with_failed_candidate()));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[2], "ref,crashed <b>,kappa,simulated,,,,,,,,,,,,,false,,,,,,,,,not simulated,"
                      "simulation failed: its simulation process was killed by signal 9 (Killed)");
}

TEST(FailedCandidate, ConsoleTableSaysNotSimulatedWithDashes) {
  std::ostringstream out;
  ConsoleReporter(false).report(with_failed_candidate(), out);
  const std::string text = out.str();
  std::istringstream lines(text);
  std::string line, row;
  while (std::getline(lines, line))
    if (line.rfind("crashed <b>", 0) == 0 && row.empty()) row = line;
  EXPECT_NE(row.find("NOT SIMULATED"), std::string::npos) << text;
  EXPECT_EQ(row.find_first_of("0123456789$"), std::string::npos) << "no number for a candidate without figures: " << row;
  EXPECT_NE(text.find("  crashed <b> (not simulated)\n    NOT SIMULATED: simulation failed: its simulation process "
                      "was killed by signal 9 (Killed)"),
            std::string::npos)
      << text;
}

// ------------------------------------------------------ Comparison, formats

TEST(Comparison, SeveralResultsKeepTheirScenarioAndRecommendAcrossThem) {
  Result a = result();
  Result b = result();
  b.scenario_name = "other";
  b.candidates = {reporter_candidate("lean", 0.1, 500)};
  b.recommended = "lean";
  const Comparison c = make_comparison({a, b});
  ASSERT_EQ(c.candidates.size(), 4u);
  EXPECT_EQ(c.candidates[1].label, "ref/lean");
  EXPECT_EQ(c.candidates[3].label, "other/lean");
  EXPECT_EQ(c.candidates[3].scenario, "other");
  ASSERT_TRUE(c.has_recommendation());
  EXPECT_EQ(c.recommended, 3u) << "the cheapest meeting every requirement of its own scenario";
  EXPECT_EQ(c.title(), "ref + other");
  const Result merged = merged_result(c);
  EXPECT_EQ(merged.recommended, "other/lean");
  EXPECT_EQ(merged.candidates.size(), 4u);
  EXPECT_NO_THROW(result_from_json(to_json(merged)));

  std::ostringstream csv;
  CsvReporter().report(c, csv);
  EXPECT_NE(csv.str().find("\r\nother,lean,kappa,"), std::string::npos);

  // The same scenario twice (e.g. two seeds): labels stay unique.
  const Comparison twice = make_comparison({a, a});
  EXPECT_EQ(twice.candidates[1].label, "lean #1");
  EXPECT_EQ(twice.candidates[4].label, "lean #2");
  EXPECT_THROW(make_comparison({}), std::invalid_argument);
}

TEST(ReportFormat, NamesAndExtensions) {
  EXPECT_EQ(parse_report_format("html"), ReportFormat::html);
  EXPECT_EQ(parse_report_format("md"), ReportFormat::markdown);
  EXPECT_EQ(parse_report_format("csv"), ReportFormat::csv);
  EXPECT_EQ(parse_report_format("json"), ReportFormat::json);
  EXPECT_EQ(parse_report_format("pdf"), std::nullopt);
  EXPECT_EQ(report_format_for_path("out/Report.HTML"), ReportFormat::html);
  EXPECT_EQ(report_format_for_path("adr.md"), ReportFormat::markdown);
  EXPECT_EQ(report_format_for_path("x.txt"), std::nullopt);
  EXPECT_EQ(report_format_for_path("noext"), std::nullopt);
  // JSON of one Result is that Result, byte for byte.
  std::ostringstream out;
  write_report(ReportFormat::json, make_comparison({result()}), out);
  EXPECT_EQ(out.str(), to_json(result()).dump(2) + "\n");
}

}  // namespace
}  // namespace archsim
