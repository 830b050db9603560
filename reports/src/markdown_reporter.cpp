// MarkdownReporter: an Architecture Decision Record (see markdown_reporter.hpp).
#include "archsim/markdown_reporter.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "decision_summary.hpp"
#include "archsim/units.hpp"
#include "number_format.hpp"

namespace archsim {

namespace {

using Row = std::vector<std::string>;

/// A GitHub-flavoured table; cells must already be escaped.
void table(std::ostream& out, const Row& header, const std::vector<Row>& rows, const std::vector<bool>& right = {}) {
  auto line = [&](const Row& cells) {
    out << '|';
    for (const std::string& c : cells) out << ' ' << c << " |";
    out << '\n';
  };
  line(header);
  out << '|';
  for (size_t i = 0; i < header.size(); ++i) out << (i < right.size() && right[i] ? " ---: |" : " --- |");
  out << '\n';
  for (const Row& r : rows) line(r);
  out << '\n';
}

std::string md(std::string_view text) { return escape_markdown(text); }

std::string pass_fail(bool pass) { return pass ? "**PASS**" : "**FAIL**"; }

void write_context(const Comparison& cmp, std::ostream& out) {
  out << "## Context\n\n";
  const CandidateResult* any = nullptr;  // the first candidate with figures
  for (const ComparedCandidate& cc : cmp.candidates)
    if (any == nullptr && !cc.result.failed()) any = &cc.result;
  out << fmt::format("We must choose a streaming architecture for **{}**. archsim simulated {} candidate design{} "
                     "on SimGrid",
                     md(cmp.title()), cmp.candidates.size(), cmp.candidates.size() == 1 ? "" : "s");
  if (any != nullptr && any->offered_eps > 0)
    out << fmt::format(" under an offered load of about {} events/s", format_count(any->offered_eps));
  out << ".\n\n";
  for (const Result& r : cmp.sources)
    out << fmt::format("- Scenario `{}` from `{}`: seed {}, {} mode, archsim {}.\n", md(r.scenario_name),
                       md(r.scenario_file.empty() ? "(file not recorded)" : r.scenario_file), r.seed, md(r.mode),
                       md(r.archsim_version));
  if (any != nullptr)
    out << fmt::format("- Each candidate was measured for {:g} simulated seconds after {:g} s of warm-up; "
                       "percentiles carry 95% confidence intervals (batch means).\n",
                       any->simulated_s, any->warmup_s);
  for (const ComparedCandidate& cc : cmp.candidates)
    if (cc.result.failed())
      out << fmt::format("- **{}** could not be simulated ({}): it has no figures and cannot be chosen.\n",
                         md(cc.label), md(failure_reason(cc.result)));
  out << '\n';
  const auto columns = requirement_columns(cmp);
  if (columns.empty()) {
    out << "The scenario sets no targets, so no candidate is judged.\n\n";
    return;
  }
  out << "Targets to meet:\n\n";
  std::vector<Row> rows;
  for (const auto& col : columns) rows.push_back({md(col.name), md(col.target)});
  table(out, {"Requirement", "Target"}, rows);
}

void write_options(const Comparison& cmp, std::ostream& out) {
  out << "## Options considered\n\n";
  std::vector<Row> rows;
  for (size_t i = 0; i < cmp.candidates.size(); ++i) {
    const CandidateResult& c = cmp.candidates[i].result;
    if (c.failed()) {
      rows.push_back({md(cmp.candidates[i].label), md(c.kind), kMissingNumber, kMissingNumber, kMissingNumber,
                      kMissingNumber, std::string("**") + kNotSimulated + "**"});
      continue;
    }
    const bool measured = c.end_to_end.count > 0;
    rows.push_back({md(cmp.candidates[i].label) + (i == cmp.recommended ? " (recommended)" : ""), md(c.kind),
                    measured ? md(format_estimate(c.end_to_end.p99_s)) : kMissingNumber,
                    md(format_count(c.achieved_eps)) + " ev/s", md(format_usd(c.cost_usd_month)),
                    c.overloaded ? "OVERLOADED" : "ok",
                    c.verdicts.empty() ? "no targets" : pass_fail(c.meets_all)});
  }
  table(out, {"Option", "Kind", "p99 latency", "Throughput", "Cost/month", "Load", "Meets all targets"}, rows,
        {false, false, true, true, true, false, false});

  for (size_t i = 0; i < cmp.candidates.size(); ++i) {
    const ComparedCandidate& cc = cmp.candidates[i];
    const CandidateResult& c = cc.result;
    const LatencySummary& l = c.end_to_end;
    out << fmt::format("### Option {}: {}\n\n", i + 1, md(cc.label));
    if (c.failed()) {
      out << fmt::format("A {} design ({}, scenario {}). **{}**: {}. It has no figures and is not recommended.\n\n",
                         md(c.kind), md(c.source), md(cc.scenario), kNotSimulated, md(failure_reason(c)));
      continue;
    }
    out << fmt::format("A {} design ({}, scenario {}). End-to-end latency p50 {}, p95 {}, p99 {}, p99.9 {}, max {}; "
                       "{} events/s delivered of {} offered; largest consumer lag {} events; {}.\n\n",
                       md(c.kind), md(c.source), md(cc.scenario), md(format_estimate(l.p50_s)),
                       md(format_estimate(l.p95_s)), md(format_estimate(l.p99_s)), md(format_latency(l.p999_s.value)),
                       md(format_latency(l.max_s)), md(format_count(c.achieved_eps)), md(format_count(c.offered_eps)),
                       md(format_count(c.max_consumer_lag_events)), md(cost_sentence(c)));
    if (c.availability.estimated) {
      const AvailabilitySummary& a = c.availability;
      out << fmt::format("Runs {}. Availability from failure episodes: delivering {}, within the latency target {} "
                         "(95% of months between {} and {}); {} events lost and {} duplicated per month.\n\n",
                         md(c.delivery), md(format_availability(a.delivering.value)), md(format_availability(a.within_target.value)),
                         md(format_availability(a.within_target.lo)), md(format_availability(a.within_target.hi)),
                         md(format_count(a.lost_events_month)), md(format_count(a.duplicated_events_month)));
    }
    if (c.overloaded) out << "**OVERLOADED**: " << md(c.overload_reason) << "\n\n";
    if (!c.verdicts.empty()) {
      std::vector<Row> rows_v;
      for (const Verdict& v : c.verdicts)
        rows_v.push_back({md(v.requirement), md(verdict_value_text(v)), md(verdict_target_text(v)), pass_fail(v.pass),
                          md(verdict_margin_text(v))});
      table(out, {"Requirement", "Value", "Target", "Verdict", "Margin"}, rows_v, {false, true, true, false, true});
    }
  }
}

void write_decision(const Comparison& cmp, std::ostream& out) {
  out << "## Decision\n\n";
  if (cmp.has_recommendation()) {
    out << fmt::format("We choose **{}**", md(cmp.candidates[cmp.recommended].label));
    out << (cmp.recommendation_reason.empty() ? ".\n\n" : ": " + md(cmp.recommendation_reason) + ".\n\n");
  } else {
    const std::string reason = without_prefix(cmp.recommendation_reason, "no candidate meets every requirement");
    out << "No candidate meets every requirement, so none is chosen yet";
    out << (reason.empty() ? ".\n\n" : ": " + md(reason) + ".\n\n");
  }
  const size_t other = runner_up(cmp);
  if (other < cmp.candidates.size()) {
    const CandidateResult& r = cmp.candidates[other].result;
    const auto failed = failures(r);
    if (failed.empty())
      out << fmt::format("The runner-up, {}, also meets every requirement at {}/month.\n\n",
                         md(cmp.candidates[other].label), md(format_usd(r.cost_usd_month)));
    else {
      out << (cmp.has_recommendation() ? "The runner-up, " : "The closest candidate, ")
          << md(cmp.candidates[other].label) << ", fails on:\n\n";
      for (const std::string& f : failed) out << "- " << md(f) << '\n';
      out << '\n';
    }
  }
}

void write_consequences(const Comparison& cmp, std::ostream& out) {
  out << "## Consequences\n\n";
  const size_t focus = cmp.has_recommendation() ? cmp.recommended : runner_up(cmp);
  if (focus < cmp.candidates.size()) {
    const CandidateResult& c = cmp.candidates[focus].result;
    if (!c.failed()) out << fmt::format("- **Cost**: {} for {}.\n", md(cost_sentence(c)), md(cmp.candidates[focus].label));
    for (const Verdict& v : c.verdicts) out << "- **" << md(v.requirement) << "**: " << md(verdict_sentence(v)) << '\n';
    for (const std::string& r : risks(c)) out << "- **Risk**: " << md(r) << '\n';
    out << '\n';
  }
  std::vector<Row> rows;
  for (const ComparedCandidate& cc : cmp.candidates)
    for (const CostLine& line : cc.result.cost)
      rows.push_back({md(cc.label), md(line.component), md(line.category), md(format_usd(line.usd_month)),
                      md(line.basis)});
  if (!rows.empty()) {
    out << "Monthly cost lines (catalog prices in the basis):\n\n";
    table(out, {"Option", "Component", "Category", "USD/month", "Basis"}, rows, {false, false, false, true, false});
  }
  std::vector<std::string> notes;
  for (const ComparedCandidate& cc : cmp.candidates)
    for (const std::string& n : cc.result.notes)
      if (std::find(notes.begin(), notes.end(), n) == notes.end()) notes.push_back(n);
  if (!notes.empty()) {
    out << "Modelling notes:\n\n";
    for (const std::string& n : notes) out << "- " << md(n) << '\n';
    out << '\n';
  }
}

}  // namespace

std::string escape_markdown(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\n': case '\r': out += ' '; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '#':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

void MarkdownReporter::report(const Result& result, std::ostream& out) { report(make_comparison({result}), out); }

void MarkdownReporter::report(const Comparison& comparison, std::ostream& out) {
  out << "# ADR: streaming architecture for " << md(comparison.title()) << "\n\n";
  out << "- Status: proposed\n";
  out << "- Source: archsim " << md(comparison.sources.front().archsim_version) << " simulation results\n\n";
  write_context(comparison, out);
  write_options(comparison, out);
  write_decision(comparison, out);
  write_consequences(comparison, out);
}

}  // namespace archsim
