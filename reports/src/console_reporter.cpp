// ConsoleReporter: the verdict table and its supporting sections, for a
// terminal (see console_reporter.hpp for the layout).
#include "archsim/console_reporter.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "archsim/units.hpp"
#include "decision_summary.hpp"
#include "number_format.hpp"
#include "text_table.hpp"

namespace archsim {

namespace {

constexpr const char* kMissing = kMissingNumber;

TextCell verdict_cell(const CandidateResult& c) {
  if (c.verdicts.empty()) return TextCell("no targets");
  return c.meets_all ? TextCell("PASS", Tone::good) : TextCell("FAIL", Tone::bad);
}

void print_heading(std::ostream& out, const std::string& title) { out << '\n' << title << '\n'; }

void print_summary(const Result& result, std::ostream& out, bool colour) {
  TextTable table({{"CANDIDATE"},
                   {"KIND"},
                   {"P50", Align::right},
                   {"P95", Align::right},
                   {"P99", Align::right},
                   {"P99.9", Align::right},
                   {"ACHIEVED", Align::right},
                   {"MAX LAG", Align::right},
                   {"COST/MONTH", Align::right},
                   {"AVAIL", Align::right},
                   {"LOST/MONTH", Align::right},
                   {"LOAD"},
                   {"VERDICT"}});
  for (const CandidateResult& c : result.candidates) {
    if (c.failed()) {  // no figures: a dash in every number column, never a zero
      table.add_row({c.name, c.kind, kMissing, kMissing, kMissing, kMissing, kMissing, kMissing, kMissing, kMissing,
                     kMissing, kMissing, TextCell(kNotSimulated, Tone::bad)});
      continue;
    }
    const bool measured = c.end_to_end.count > 0;
    auto latency = [&](const Estimate& e) { return measured ? format_estimate(e) : std::string(kMissing); };
    table.add_row({c.name, c.kind, latency(c.end_to_end.p50_s), latency(c.end_to_end.p95_s),
                   latency(c.end_to_end.p99_s),
                   measured ? format_latency(c.end_to_end.p999_s.value) : std::string(kMissing),
                   format_count(c.achieved_eps) + " ev/s", format_count(c.max_consumer_lag_events) + " ev",
                   format_usd(c.cost_usd_month),
                   c.availability.estimated ? format_availability(c.availability.within_target.value) : std::string(kMissing),
                   c.availability.estimated ? format_count(c.availability.lost_events_month) : std::string(kMissing),
                   c.overloaded ? TextCell("OVERLOADED", Tone::warn) : TextCell("ok"), verdict_cell(c)});
  }
  table.print(out, colour);
}

void print_verdicts(const Result& result, std::ostream& out, bool colour) {
  print_heading(out, "Verdicts");
  for (const CandidateResult& c : result.candidates) {
    if (c.failed()) {
      const std::string line = std::string(kNotSimulated) + ": " + failure_reason(c);
      out << fmt::format("  {} (not simulated)\n", c.name);
      out << "    " << (colour ? colourise(line, Tone::bad) : line) << '\n';
      continue;
    }
    std::string run = fmt::format("{} s measured after {} s warm-up{}", fmt::format("{:g}", c.simulated_s),
                                  fmt::format("{:g}", c.warmup_s),
                                  c.stopped_early ? ", stopped early on the p99 confidence target" : "");
    out << fmt::format("  {} ({}; {}; offered {} ev/s, achieved {} ev/s)\n", c.name, c.source, run,
                       format_count(c.offered_eps), format_count(c.achieved_eps));
    if (c.overloaded) {
      const std::string line = "OVERLOADED: " + (c.overload_reason.empty() ? "reason not given" : c.overload_reason);
      out << "    " << (colour ? colourise(line, Tone::warn) : line) << '\n';
    }
    if (c.verdicts.empty()) out << "    no requirements to judge\n";
    for (const Verdict& v : c.verdicts) {
      const std::string line = v.text.empty() ? fmt::format("{}: {}", v.requirement, v.pass ? "PASS" : "FAIL") : v.text;
      out << "    " << (colour ? colourise(line, v.pass ? Tone::good : Tone::bad) : line) << '\n';
    }
  }
}

/// Failure episodes per candidate and how availability was estimated.
void print_availability(const Result& result, std::ostream& out, bool colour) {
  TextTable table({{"CANDIDATE"},
                   {"DELIVERY"},
                   {"FAILURE"},
                   {"PER MONTH", Align::right},
                   {"SHARE", Align::right},
                   {"REPAIR", Align::right},
                   {"DOWN", Align::right},
                   {"LATE", Align::right},
                   {"LOST/EP", Align::right},
                   {"DUP/EP", Align::right}});
  for (const CandidateResult& c : result.candidates)
    for (const FailureEpisodeSummary& e : c.availability.episodes)
      table.add_row({c.name, c.delivery, e.failure, fmt::format("{:.3g}", e.per_month), fmt::format("{:.3g}%", 100 * e.share), format_latency(e.mean_repair_s),
                     format_latency(e.down_s), format_latency(e.late_s), format_count(e.lost_events), format_count(e.duplicated_events)});
  if (table.empty()) return;
  print_heading(out, "Availability (failure episodes; per-episode means)");
  table.print(out, colour, "  ");
  for (const CandidateResult& c : result.candidates) {
    const auto& a = c.availability;
    if (!a.estimated) continue;
    out << fmt::format("  {}: delivering {} (95% of months {} to {}), within target {} (95% of months {} to {}); "
                       "{:.1f} min/month down, {:.1f} min/month late; lost {}/month, duplicated {}/month\n",
                       c.name, format_availability(a.delivering.value), format_availability(a.delivering.lo), format_availability(a.delivering.hi),
                       format_availability(a.within_target.value), format_availability(a.within_target.lo), format_availability(a.within_target.hi),
                       a.down_s_month / 60, a.late_s_month / 60, format_count(a.lost_events_month), format_count(a.duplicated_events_month));
  }
}

void print_stages(const Result& result, std::ostream& out, bool colour) {
  TextTable table({{"CANDIDATE"}, {"STAGE"}, {"P50", Align::right}, {"P99", Align::right}, {"DESCRIPTION"}});
  for (const CandidateResult& c : result.candidates)
    for (const StageLatency& s : c.stages) {
      const bool measured = s.latency.count > 0;
      table.add_row({c.name, s.stage, measured ? format_estimate(s.latency.p50_s) : kMissing,
                     measured ? format_estimate(s.latency.p99_s) : kMissing, s.description});
    }
  if (table.empty()) return;
  print_heading(out, "Latency by stage");
  table.print(out, colour, "  ");
}

void print_utilisation(const Result& result, std::ostream& out, bool colour) {
  TextTable table({{"CANDIDATE"}, {"RESOURCE"}, {"MEAN", Align::right}, {"PEAK", Align::right}});
  for (const CandidateResult& c : result.candidates)
    for (const Utilisation& u : c.utilisation)
      table.add_row({c.name, u.resource, format_percent(u.mean), format_percent(u.peak)});
  if (table.empty()) return;
  print_heading(out, "Utilisation (busy fraction)");
  table.print(out, colour, "  ");
}

void print_cost(const Result& result, std::ostream& out, bool colour) {
  TextTable table({{"CANDIDATE"}, {"COMPONENT"}, {"CATEGORY"}, {"USD/MONTH", Align::right}, {"BASIS"}});
  for (const CandidateResult& c : result.candidates) {
    if (c.failed()) {
      table.add_row({c.name, "not simulated", "", kMissing});
      continue;
    }
    for (const CostLine& line : c.cost)
      table.add_row({c.name, line.component, line.category, format_usd(line.usd_month), line.basis});
    table.add_row({c.name, "total", "", format_usd(c.cost_usd_month)});
  }
  print_heading(out, "Monthly cost");
  table.print(out, colour, "  ");
}

/// Each distinct note once, prefixed by the candidates it applies to unless
/// it applies to all of them.
void print_notes(const Result& result, std::ostream& out) {
  std::vector<std::pair<std::string, std::vector<std::string>>> notes;  // note, candidates
  for (const CandidateResult& c : result.candidates)
    for (const std::string& note : c.notes) {
      auto it = std::find_if(notes.begin(), notes.end(), [&](const auto& n) { return n.first == note; });
      if (it == notes.end()) it = notes.insert(notes.end(), {note, {}});
      it->second.push_back(c.name);
    }
  if (notes.empty()) return;
  print_heading(out, "Notes");
  for (const auto& [note, names] : notes) {
    if (names.size() == result.candidates.size())
      out << "  - " << note << '\n';
    else
      out << fmt::format("  - [{}] {}\n", fmt::join(names, ", "), note);
  }
}

void print_recommendation(const Result& result, std::ostream& out, bool colour) {
  const bool none = result.recommended.empty();
  const std::string line = "Recommendation: " + (none ? std::string("none") : result.recommended);
  out << '\n' << (colour ? colourise(line, none ? Tone::bad : Tone::good) : line)
      << (result.recommendation_reason.empty() ? "" : ": " + result.recommendation_reason) << '\n';
}

}  // namespace

void ConsoleReporter::report(const Result& result, std::ostream& out) {
  out << fmt::format("Scenario {}{}: seed {}, {} mode, archsim {}\n\n", result.scenario_name,
                     result.scenario_file.empty() ? "" : " (" + result.scenario_file + ")", result.seed,
                     result.mode, result.archsim_version);
  print_summary(result, out, colour_);
  print_verdicts(result, out, colour_);
  print_availability(result, out, colour_);
  print_stages(result, out, colour_);
  print_utilisation(result, out, colour_);
  print_cost(result, out, colour_);
  print_notes(result, out);
  print_recommendation(result, out, colour_);
}

}  // namespace archsim
