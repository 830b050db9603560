// HtmlReporter: one self-contained page (see html_reporter.hpp). The page is
// built from sections: summary, requirements matrix, charts (html_charts),
// key figures and assumptions; the CSS is inline and there is no script.
#include "archsim/html_reporter.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "decision_summary.hpp"
#include "html_charts.hpp"
#include "html_extra_charts.hpp"
#include "html_timeline_chart.hpp"
#include "html_parts.hpp"
#include "archsim/units.hpp"
#include "number_format.hpp"

namespace archsim {

namespace {

using html::h;

constexpr const char* kCss = R"css(
:root { --pass: #1b7f3b; --pass-bg: #e3f4e8; --fail: #b00020; --fail-bg: #fde7ea; --warn: #8a5a00; --warn-bg: #fff3d6;
        --ink: #1d1d1f; --muted: #5f6368; --line: #d9dce1; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #f6f7f9;
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { font-size: 1.6rem; margin: 0 0 4px; }
.meta, .note, figcaption { color: var(--muted); font-size: 0.9rem; }
h2 { font-size: 1.25rem; margin: 0 0 12px; }
h3 { font-size: 1.05rem; margin: 16px 0 8px; }
.block { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 20px; margin: 18px 0; }
.banner { border-radius: 6px; padding: 12px 16px; margin: 0 0 14px; font-size: 1.1rem; }
.banner.pass { background: var(--pass-bg); border-left: 6px solid var(--pass); }
.banner.fail { background: var(--fail-bg); border-left: 6px solid var(--fail); }
.facts { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.fact { flex: 1 1 200px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.fact .label { color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; }
.fact .value { font-size: 1.3rem; font-weight: 600; }
.summary ul { margin: 6px 0 10px; padding-left: 1.3em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 6px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: #eef0f3; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.matrix td { min-width: 120px; }
.pass { color: var(--pass); }
.fail { color: var(--fail); }
td.pass { background: var(--pass-bg); }
td.fail { background: var(--fail-bg); }
td.warn { background: var(--warn-bg); color: var(--warn); }
td.none { color: var(--muted); }
.badge { font-weight: 700; }
.margin { display: block; font-size: 0.82rem; color: var(--ink); }
.recommended { font-weight: 700; }
figure { margin: 0; }
svg.chart { width: 100%; height: auto; max-width: 100%; display: block; font: 12px system-ui, "DejaVu Sans", sans-serif; }
svg.chart text { fill: #333; }
svg.chart .grid { stroke: #e5e7eb; }
svg.chart .axis-title { font-weight: 600; }
svg.chart .rule { fill: #b00020; font-weight: 600; }
svg.chart .region { fill: #1b7f3b; font-weight: 600; }
svg.chart .value, svg.chart .point { font-weight: 600; }
details { margin-top: 8px; }
summary { cursor: pointer; color: #0b57d0; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; min-width: 0; }
.meta, dd, code { overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 0.85rem; text-align: center; }
@media (max-width: 640px) {
  body { font-size: 14px; }
  main { padding: 12px 8px 32px; }
  .block { padding: 12px 10px; }
  header h1 { font-size: 1.3rem; }
  dl.kv { grid-template-columns: 1fr; }
  th, td { padding: 5px 5px; }
  /* Charts keep a legible text size on a phone and scroll sideways instead of shrinking. */
  svg.chart { min-width: 600px; }
}
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  /* A block may span pages (its numbers can be long); a chart, a row, the summary facts never split. */
  .block { border: none; padding: 0; margin: 0 0 14pt; }
  figure, tr, .facts, .banner, svg.chart { break-inside: avoid; page-break-inside: avoid; }
  .summary, #matrix { break-inside: avoid-page; }
  thead { display: table-header-group; }
  h2, h3, summary { break-after: avoid; page-break-after: avoid; }
  #assumptions { break-before: page; page-break-before: always; }
  /* Paper cannot be clicked: every <details> prints open, its summary as a plain heading. */
  details::details-content { content-visibility: visible; display: contents; }
  details > summary { list-style: none; color: var(--ink); font-weight: 600; cursor: auto; }
  details > summary::-webkit-details-marker { display: none; }
  .scroll { overflow: visible; }
  svg.chart { min-width: 0; }
  td.pass, td.fail, td.warn, .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

std::string list(const std::vector<std::string>& items_html) {
  std::string out = "<ul>\n";
  for (const std::string& item : items_html) out += "<li>" + item + "</li>\n";
  return out + "</ul>\n";
}

std::string fact(std::string_view label, std::string_view value_html, std::string_view detail_html = {}) {
  return fmt::format("<div class=\"fact\"><div class=\"label\">{}</div><div class=\"value\">{}</div>{}</div>\n",
                     h(label), value_html, detail_html.empty() ? "" : fmt::format("<div>{}</div>", detail_html));
}

std::string capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

std::string pass_mark(bool pass) { return pass ? "✔ PASS" : "✘ FAIL"; }

std::string summary_section(const Comparison& cmp) {
  std::string out = "<section class=\"block summary\" id=\"summary\">\n<h2>Executive summary</h2>\n";
  const size_t other = runner_up(cmp);
  if (cmp.has_recommendation()) {
    const ComparedCandidate& rec = cmp.candidates[cmp.recommended];
    const CandidateResult& c = rec.result;
    out += fmt::format("<p class=\"banner pass\"><strong>Recommended: {}</strong> ({} design). {}</p>\n", h(rec.label),
                       h(c.kind), h(cmp.recommendation_reason));
    size_t passed = 0;
    for (const Verdict& v : c.verdicts) passed += v.pass ? 1 : 0;
    const auto candidate_risks = risks(c);
    out += "<div class=\"facts\">\n";
    out += fact("Monthly cost", h(format_usd(c.cost_usd_month)), h(cost_sentence(c)));
    out += fact("p99 latency", h(format_latency(c.end_to_end.p99_s.value)),
                h("95% interval " + format_latency(c.end_to_end.p99_s.lo) + " to " + format_latency(c.end_to_end.p99_s.hi)));
    if (c.availability.estimated)
      out += fact("Availability", h(format_availability(c.availability.within_target.value)),
                  h(fmt::format("within the latency target; delivering {}; {} lost, {} duplicated per month ({})",
                                format_availability(c.availability.delivering.value), format_count(c.availability.lost_events_month),
                                format_count(c.availability.duplicated_events_month), c.delivery)));
    out += fact("Targets met", fmt::format("{} of {}", passed, c.verdicts.size()),
                c.overloaded ? "<span class=\"fail\">OVERLOADED</span>" : "keeps up with the offered load");
    out += "</div>\n";
    std::vector<std::string> met;
    for (const Verdict& v : c.verdicts)
      met.push_back(fmt::format("<span class=\"{}\"><strong>{}</strong></span> {}", v.pass ? "pass" : "fail",
                                pass_mark(v.pass), h(verdict_sentence(v))));
    if (!met.empty()) out += "<h3>Targets</h3>\n" + list(met);
    if (!candidate_risks.empty())
      out += fmt::format("<h3>Main risk</h3>\n<p>{}</p>\n", h(capitalised(candidate_risks.front()) + "."));
    if (candidate_risks.size() > 1) {
      std::vector<std::string> rest;
      for (size_t i = 1; i < candidate_risks.size(); ++i) rest.push_back(h(candidate_risks[i]));
      out += "<details><summary>Other risks</summary>\n" + list(rest) + "</details>\n";
    }
  } else {
    const std::string reason = without_prefix(cmp.recommendation_reason, "no candidate meets every requirement");
    out += fmt::format("<p class=\"banner fail\"><strong>No candidate meets every requirement</strong>{}</p>\n",
                       reason.empty() ? "." : ": " + h(reason));
  }
  std::vector<std::string> not_simulated;
  for (const ComparedCandidate& cc : cmp.candidates)
    if (cc.result.failed())
      not_simulated.push_back(fmt::format("<span class=\"fail\"><strong>{}</strong></span> <strong>{}</strong>: {}; "
                                          "it has no figures and is not recommended.",
                                          kNotSimulated, h(cc.label), h(failure_reason(cc.result))));
  if (!not_simulated.empty())
    out += fmt::format("<h3>Not simulated ({} of {} candidates)</h3>\n", not_simulated.size(), cmp.candidates.size()) +
           list(not_simulated);
  if (other < cmp.candidates.size() && !cmp.candidates[other].result.failed()) {
    const ComparedCandidate& ru = cmp.candidates[other];
    const auto failed = failures(ru.result);
    const char* role = cmp.has_recommendation() ? "Runner-up" : "Closest candidate";
    if (failed.empty()) {
      out += fmt::format("<h3>{}: {}</h3>\n<p>Also meets every requirement, at {}/month.</p>\n", role, h(ru.label),
                         h(format_usd(ru.result.cost_usd_month)));
    } else {
      out += fmt::format("<h3>{}: {} ({}/month)</h3>\n<p>Fails on:</p>\n", role, h(ru.label),
                         h(format_usd(ru.result.cost_usd_month)));
      std::vector<std::string> items;
      for (const std::string& f : failed) items.push_back("<span class=\"fail\"><strong>✘</strong></span> " + h(f));
      out += list(items);
    }
  }
  return out + "</section>\n";
}

std::string matrix_section(const Comparison& cmp) {
  const auto columns = requirement_columns(cmp);
  std::vector<std::string> header = {"Candidate"};
  for (const auto& col : columns)
    header.push_back(fmt::format("{}<span class=\"margin\">target {}</span>", h(col.name), h(col.target)));
  header.push_back("Load");
  header.push_back("Overall");
  std::string rows;
  for (size_t i = 0; i < cmp.candidates.size(); ++i) {
    const ComparedCandidate& cc = cmp.candidates[i];
    const CandidateResult& c = cc.result;
    rows += fmt::format("<tr><th scope=\"row\"{}>{}{}</th>", i == cmp.recommended ? " class=\"recommended\"" : "",
                        h(cc.label), i == cmp.recommended ? " <span class=\"margin\">★ recommended</span>" : "");
    if (c.failed()) {  // one cell across the requirements and the load: there is nothing to judge
      rows += fmt::format("<td class=\"fail\" colspan=\"{}\"><span class=\"badge\">✘ {}</span><span "
                          "class=\"margin\">{}</span></td><td class=\"fail\"><span class=\"badge\">✘ not "
                          "simulated</span></td></tr>\n",
                          columns.size() + 1, kNotSimulated, h(failure_reason(c)));
      continue;
    }
    for (const auto& col : columns) {
      const Verdict* v = find_verdict(c, col.name);
      if (v == nullptr) {
        rows += "<td class=\"none\">not judged</td>";
        continue;
      }
      std::string detail = verdict_value_text(*v);
      const std::string margin = verdict_margin_text(*v);
      if (!margin.empty()) detail += (detail.empty() ? "" : " · ") + margin;
      if (detail.empty()) {
        // A verdict without a number ("at-least-once: PASS (acks=all, ...)"): its explanation, minus the badge's word.
        detail = v->text.substr(std::min(v->text.size(), v->text.find(':') + 1));
        for (std::string_view word : {" PASS", " FAIL"})
          if (detail.rfind(word, 0) == 0) detail.erase(0, word.size());
        while (!detail.empty() && detail.front() == ' ') detail.erase(0, 1);
      }
      rows += fmt::format("<td class=\"{}\" title=\"{}\"><span class=\"badge\">{}</span><span class=\"margin\">{}</span></td>",
                          v->pass ? "pass" : "fail", h(verdict_sentence(*v)), pass_mark(v->pass), h(detail));
    }
    rows += c.overloaded ? fmt::format("<td class=\"warn\"><span class=\"badge\">⚠ OVERLOADED</span><span "
                                       "class=\"margin\">{}</span></td>",
                                       h(c.overload_reason))
                         : "<td>ok</td>";
    if (c.verdicts.empty())
      rows += "<td class=\"none\">no targets</td>";
    else
      rows += fmt::format("<td class=\"{}\"><span class=\"badge\">{}</span></td>", c.meets_all ? "pass" : "fail",
                          c.meets_all ? "✔ meets all" : "✘ fails");
    rows += "</tr>\n";
  }
  std::string head;
  for (const std::string& cell : header) head += "<th scope=\"col\">" + cell + "</th>";
  return fmt::format(
      "<section class=\"block\" id=\"matrix\">\n<h2>Requirements matrix</h2>\n"
      "<p class=\"note\">Each cell: PASS or FAIL, the value reached and the margin to the target (headroom when "
      "passing, how far over when failing).</p>\n"
      "<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr>{}</tr></thead>\n<tbody>\n{}</tbody></table></div>\n"
      "</section>\n",
      head, rows);
}

std::string figures_section(const Comparison& cmp) {
  std::vector<std::vector<std::string>> rows;
  for (const ComparedCandidate& cc : cmp.candidates) {
    const CandidateResult& c = cc.result;
    if (c.failed()) {
      rows.push_back({h(cc.label), h(c.kind), h(c.source), kMissingNumber, kMissingNumber, kMissingNumber,
                      std::string(kNotSimulated) + ": " + h(failure_reason(c)), kMissingNumber});
      continue;
    }
    std::string busiest = kMissingNumber;
    const Utilisation* top = nullptr;
    for (const Utilisation& u : c.utilisation)
      if (top == nullptr || u.peak > top->peak) top = &u;
    if (top != nullptr) busiest = h(fmt::format("{} {}", top->resource, format_percent(top->peak)));
    rows.push_back({h(cc.label), h(c.kind), h(c.source), h(format_count(c.offered_eps)), h(format_count(c.achieved_eps)),
                    h(format_count(c.max_consumer_lag_events)), busiest, h(format_usd(c.cost_usd_month))});
  }
  std::vector<std::vector<std::string>> util_rows;
  for (const ComparedCandidate& cc : cmp.candidates)
    for (const Utilisation& u : cc.result.utilisation)
      util_rows.push_back({h(cc.label), h(u.resource), h(format_percent(u.mean)), h(format_percent(u.peak))});
  std::string out = "<section class=\"block\" id=\"figures\">\n<h2>Key figures</h2>\n";
  out += html::table({"Candidate", "Kind", "Source", "Offered ev/s", "Achieved ev/s", "Max consumer lag (events)",
                      "Busiest resource (peak)", "Cost/month"},
                     rows, {3, 4, 5, 7});
  if (!util_rows.empty())
    out += "<details><summary>Utilisation of every resource (busy fraction)</summary>\n" +
           html::table({"Candidate", "Resource", "Mean", "Peak"}, util_rows, {2, 3}) + "</details>\n";
  return out + "</section>\n";
}

std::string assumptions_section(const Comparison& cmp) {
  std::string out = "<section class=\"block\" id=\"assumptions\">\n<h2>Assumptions and precision</h2>\n";
  for (const Result& r : cmp.sources) {
    out += "<dl class=\"kv\">\n";
    out += fmt::format("<dt>Scenario</dt><dd>{}</dd>\n", h(r.scenario_name));
    out += fmt::format("<dt>Scenario file</dt><dd><code>{}</code></dd>\n",
                       h(r.scenario_file.empty() ? "(not recorded)" : r.scenario_file));
    out += fmt::format("<dt>Seed</dt><dd>{}</dd>\n<dt>Mode</dt><dd>{}</dd>\n", r.seed, h(r.mode));
    out += fmt::format("<dt>archsim version</dt><dd>{}</dd>\n</dl>\n", h(r.archsim_version));
  }
  std::vector<std::vector<std::string>> rows;
  for (const ComparedCandidate& cc : cmp.candidates) {
    const CandidateResult& c = cc.result;
    if (c.failed()) {
      rows.push_back({h(cc.label), std::string(kNotSimulated), kMissingNumber, kMissingNumber, kMissingNumber,
                      kMissingNumber, kMissingNumber});
      continue;
    }
    const LatencySummary& l = c.end_to_end;
    auto interval = [&](const Estimate& e) {
      return l.count > 0 ? h(fmt::format("{} ({} to {})", format_latency(e.value), format_latency(e.lo), format_latency(e.hi)))
                         : std::string(kMissingNumber);
    };
    rows.push_back({h(cc.label), h(fmt::format("{:g} s", c.simulated_s)), h(fmt::format("{:g} s", c.warmup_s)),
                    c.stopped_early ? "yes, on the p99 confidence target" : "no", interval(l.p50_s), interval(l.p95_s),
                    interval(l.p99_s)});
  }
  out += "<h3>Simulation precision</h3>\n";
  out += html::table({"Candidate", "Simulated (measured)", "Warm-up (discarded)", "Stopped early", "p50 (95% interval)",
                      "p95 (95% interval)", "p99 (95% interval)"},
                     rows, {1, 2, 4, 5, 6});
  std::vector<std::pair<std::string, std::vector<std::string>>> notes;  // note, candidates
  for (const ComparedCandidate& cc : cmp.candidates)
    for (const std::string& note : cc.result.notes) {
      auto it = std::find_if(notes.begin(), notes.end(), [&](const auto& n) { return n.first == note; });
      if (it == notes.end()) it = notes.insert(notes.end(), {note, {}});
      it->second.push_back(cc.label);
    }
  if (!notes.empty()) {
    std::vector<std::string> items;
    for (const auto& [note, who] : notes)
      items.push_back(who.size() == cmp.candidates.size()
                          ? h(note)
                          : fmt::format("<strong>{}</strong>: {}", h(fmt::format("{}", fmt::join(who, ", "))), h(note)));
    out += "<h3>Modelling notes</h3>\n" + list(items);
  }
  std::vector<std::vector<std::string>> cost_rows;
  for (const ComparedCandidate& cc : cmp.candidates)
    for (const CostLine& line : cc.result.cost)
      cost_rows.push_back({h(cc.label), h(line.component), h(line.category), h(format_usd(line.usd_month)), h(line.basis),
                           h(line.price_source.empty() ? "not recorded (a Result from before archsim recorded sources)"
                                                       : line.price_source)});
  if (!cost_rows.empty())
    out += "<h3>Cost lines and catalog prices</h3>\n" +
           html::table({"Candidate", "Component", "Category", "USD/month", "Basis (catalog prices)",
                        "Price source (public source, as-of date, confidence)"},
                       cost_rows, {3});
  return out + "</section>\n";
}

}  // namespace

void HtmlReporter::report(const Result& result, std::ostream& out) { report(make_comparison({result}), out); }

void HtmlReporter::report(const Comparison& cmp, std::ostream& out) {
  const std::string title = "archsim report: " + cmp.title();
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
      << "<title>" << h(title) << "</title>\n<style>" << kCss << "</style>\n</head>\n<body>\n<main>\n";
  out << "<header>\n<h1>Architecture comparison: " << h(cmp.title()) << "</h1>\n";
  const auto failed = std::count_if(cmp.candidates.begin(), cmp.candidates.end(),
                                    [](const ComparedCandidate& cc) { return cc.result.failed(); });
  out << fmt::format("<p class=\"meta\">{} candidate{}{} simulated by archsim {}", cmp.candidates.size(),
                     cmp.candidates.size() == 1 ? "" : "s",
                     failed > 0 ? fmt::format(" ({} of them could not be)", failed) : std::string(),
                     h(cmp.sources.front().archsim_version));
  for (const Result& r : cmp.sources)
    out << fmt::format(" · {} (seed {}, {} mode)", h(r.scenario_file.empty() ? r.scenario_name : r.scenario_file),
                       r.seed, h(r.mode));
  out << "</p>\n</header>\n";
  out << summary_section(cmp) << matrix_section(cmp);
  // The charts draw the candidates with figures: one that failed to simulate has none (the summary and
  // the matrix name it with its reason).
  const Comparison charted = without_failed(cmp);
  if (charted.candidates.empty()) {
    out << "<section class=\"block\" id=\"charts\">\n<h2>Charts</h2>\n<p>No candidate was simulated, so there is "
           "nothing to chart: see the summary for why each one failed.</p>\n</section>\n";
  } else {
    out << html::latency_cdf_chart(charted) << html::stage_latency_chart(charted) << html::cost_breakdown_chart(charted)
        << html::cost_vs_latency_chart(charted);
    out << html::latency_timeline_charts(charted);
    // Availability and loss; predicted vs measured (only when the comparison holds a measured candidate).
    out << html::availability_chart(charted) << html::predicted_vs_measured_chart(charted);
  }
  out << figures_section(cmp) << assumptions_section(cmp);
  out << "<footer><p>Generated by archsim " << h(cmp.sources.front().archsim_version)
      << ". Simulated predictions: check the chosen design against a real broker before relying on them.</p></footer>\n";
  out << "</main>\n</body>\n</html>\n";
}

}  // namespace archsim
