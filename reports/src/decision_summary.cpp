// Decision summary shared by the HTML and Markdown reports (see decision_summary.hpp).
#include "decision_summary.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "archsim/units.hpp"
#include "number_format.hpp"

namespace archsim {

namespace {

constexpr double kThinHeadroom = 0.2;     // a passing margin below this is called thin
constexpr double kBusyPeak = 0.8;         // a resource busier than this at its peak is a risk
constexpr double kImpreciseRel = 0.1;     // a p99 interval wider than ±10% is called imprecise

/// The latency estimate a latency verdict judged ("p99 latency" -> p99_s).
const Estimate* judged_estimate(const CandidateResult& c, const Verdict& v) {
  const LatencySummary& l = c.end_to_end;
  if (v.requirement.rfind("p99.9", 0) == 0) return &l.p999_s;
  if (v.requirement.rfind("p99", 0) == 0) return &l.p99_s;
  if (v.requirement.rfind("p95", 0) == 0) return &l.p95_s;
  if (v.requirement.rfind("p50", 0) == 0) return &l.p50_s;
  return nullptr;
}

std::string quantity_text(double value, const std::string& unit) {
  if (!std::isfinite(value)) return kMissingNumber;
  if (unit == "s") return format_latency(value);
  if (unit == "USD/month") return format_usd(value) + "/month";
  if (unit == "fraction") return fmt::format("{:.6g}%", value * 100);  // availability: enough digits for the nines
  if (unit.empty()) return "";
  return fmt::format("{:g} {}", value, unit);
}

}  // namespace

std::vector<RequirementColumn> requirement_columns(const Comparison& comparison) {
  std::vector<RequirementColumn> columns;
  for (const ComparedCandidate& cc : comparison.candidates)
    for (const Verdict& v : cc.result.verdicts) {
      auto it = std::find_if(columns.begin(), columns.end(), [&](const auto& col) { return col.name == v.requirement; });
      if (it == columns.end())
        columns.push_back({v.requirement, verdict_target_text(v)});
      else if (it->target != verdict_target_text(v) && !v.unit.empty())
        it->target = "varies";
    }
  return columns;
}

const Verdict* find_verdict(const CandidateResult& c, const std::string& requirement) {
  auto it = std::find_if(c.verdicts.begin(), c.verdicts.end(), [&](const Verdict& v) { return v.requirement == requirement; });
  return it == c.verdicts.end() ? nullptr : &*it;
}

namespace {

/// A count per month judged against none ("events lost: about 1.2e+04 per month ...: FAIL"): its text
/// starts with the requirement itself rather than a target, and speaks of months.
bool is_monthly_count(const Verdict& v) {
  return v.unit.empty() && v.text.rfind(v.requirement + ":", 0) == 0 && v.text.find("per month") != std::string::npos;
}

}  // namespace

std::string verdict_value_text(const Verdict& v) {
  if (is_monthly_count(v)) return format_count(v.value) + "/month";
  return quantity_text(v.value, v.unit);
}

std::string verdict_target_text(const Verdict& v) {
  if (!v.unit.empty()) return quantity_text(v.target, v.unit);
  if (is_monthly_count(v)) return v.target == 0 ? "none" : format_count(v.target) + "/month";
  // A verdict without a number (delivery semantics) names its target first: "at-least-once: PASS (...)".
  const size_t colon = v.text.find(':');
  return colon == std::string::npos ? v.requirement : v.text.substr(0, colon);
}

std::string verdict_margin_text(const Verdict& v) {
  if (v.unit.empty() || !std::isfinite(v.headroom)) return "";
  return format_headroom(v.headroom);
}

std::string verdict_sentence(const Verdict& v) {
  return v.text.empty() ? fmt::format("{}: {}", v.requirement, v.pass ? "PASS" : "FAIL") : v.text;
}

std::string failure_reason(const CandidateResult& c) {
  if (!c.failed()) return "";
  const std::string stage = c.error->stage.empty() ? std::string("simulation") : c.error->stage;
  return fmt::format("{} failed: {}", stage, c.error->message.empty() ? std::string("no reason given") : c.error->message);
}

std::vector<std::string> failures(const CandidateResult& c) {
  std::vector<std::string> out;
  if (c.failed()) out.push_back(std::string(kNotSimulated) + ": " + failure_reason(c));
  for (const Verdict& v : c.verdicts)
    if (!v.pass) out.push_back(verdict_sentence(v));
  if (c.overloaded)
    out.push_back("OVERLOADED: " + (c.overload_reason.empty() ? std::string("reason not given") : c.overload_reason));
  return out;
}

size_t runner_up(const Comparison& comparison) {
  const auto& cs = comparison.candidates;
  size_t best = cs.size();
  auto better = [&](size_t a, size_t b) {  // is a a better runner-up than b?
    if (b == cs.size()) return true;
    const CandidateResult &ra = cs[a].result, &rb = cs[b].result;
    if (ra.failed() != rb.failed()) return rb.failed();  // a candidate with figures first
    if (ra.meets_all != rb.meets_all) return ra.meets_all;
    const size_t fa = failures(ra).size(), fb = failures(rb).size();
    if (fa != fb) return fa < fb;
    return ra.cost_usd_month < rb.cost_usd_month;
  };
  for (size_t i = 0; i < cs.size(); ++i)
    if (i != comparison.recommended && better(i, best)) best = i;
  return best;
}

std::vector<std::string> risks(const CandidateResult& c) {
  std::vector<std::string> out;
  if (c.failed()) return {"it was not simulated (" + failure_reason(c) + "): nothing is known of its behaviour"};
  if (c.overloaded)
    out.push_back("it is OVERLOADED: " + (c.overload_reason.empty() ? std::string("a resource cannot keep up")
                                                                       : c.overload_reason));
  for (const Verdict& v : c.verdicts) {
    const Estimate* e = judged_estimate(c, v);
    if (e == nullptr || !v.pass || !(e->hi > v.target)) continue;
    out.push_back(fmt::format("the 95% confidence interval of {} ({} to {}) reaches its target of {}: the pass is "
                              "marginal; simulate longer or with more batches",
                              v.requirement, format_latency(e->lo), format_latency(e->hi), verdict_target_text(v)));
  }
  const Verdict* tightest = nullptr;
  for (const Verdict& v : c.verdicts)
    if (v.pass && !v.unit.empty() && std::isfinite(v.headroom) && (tightest == nullptr || v.headroom < tightest->headroom))
      tightest = &v;
  if (tightest != nullptr)
    out.push_back(fmt::format("the tightest margin is {}: {} ({}){}", tightest->requirement,
                              verdict_margin_text(*tightest), verdict_sentence(*tightest),
                              tightest->headroom < kThinHeadroom ? ", a thin margin" : ""));
  const Estimate& p99 = c.end_to_end.p99_s;
  if (c.end_to_end.count > 0 && p99.value > 0) {
    const double rel = std::max(p99.value - p99.lo, p99.hi - p99.value) / p99.value;
    if (rel > kImpreciseRel)
      out.push_back(fmt::format("p99 is imprecise: its 95% confidence interval is ±{} of the value", format_percent(rel)));
  }
  for (const Utilisation& u : c.utilisation)
    if (u.peak > kBusyPeak)
      out.push_back(fmt::format("{} is {} busy at its peak (mean {}): little room for growth", u.resource,
                                format_percent(u.peak), format_percent(u.mean)));
  if (!c.notes.empty())
    out.push_back(fmt::format("{} modelling note{} limit{} what the simulation shows (see the assumptions)",
                              c.notes.size(), c.notes.size() == 1 ? "" : "s", c.notes.size() == 1 ? "s" : ""));
  return out;
}

std::string without_prefix(const std::string& text, std::string_view prefix) {
  if (text.rfind(prefix, 0) != 0) return text;
  std::string rest = text.substr(prefix.size());
  while (!rest.empty() && (rest.front() == ':' || rest.front() == ' ')) rest.erase(0, 1);
  return rest;
}

double category_usd_month(const CandidateResult& c, const std::string& category) {
  double total = 0;
  for (const CostLine& line : c.cost)
    if (line.category == category) total += line.usd_month;
  return total;
}

std::string cost_sentence(const CandidateResult& c) {
  std::vector<std::string> parts;
  for (const std::string& category : {std::string("compute"), std::string("storage"), std::string("transfer")}) {
    const double usd = category_usd_month(c, category);
    if (usd > 0) parts.push_back(fmt::format("{} {}", category, format_usd(usd)));
  }
  if (parts.empty()) return format_usd(c.cost_usd_month) + "/month";
  return fmt::format("{}/month ({})", format_usd(c.cost_usd_month), fmt::join(parts, ", "));
}

}  // namespace archsim
