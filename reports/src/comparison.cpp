// Comparison: several Results as one decision (see comparison.hpp).
#include "archsim/comparison.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "number_format.hpp"

namespace archsim {

namespace {

/// Joins the distinct values of `field` over the sources with " + ".
template <typename Field>
std::string join_distinct(const std::vector<Result>& sources, Field field) {
  std::vector<std::string> values;
  for (const Result& r : sources)
    if (std::find(values.begin(), values.end(), field(r)) == values.end()) values.push_back(field(r));
  return fmt::format("{}", fmt::join(values, " + "));
}

void assign_labels(Comparison& c) {
  bool several_scenarios = false;
  for (const Result& r : c.sources) several_scenarios |= r.scenario_name != c.sources.front().scenario_name;
  std::map<std::string, int> uses;
  for (ComparedCandidate& cc : c.candidates) {
    cc.label = several_scenarios ? cc.scenario + "/" + cc.result.name : cc.result.name;
    ++uses[cc.label];
  }
  for (ComparedCandidate& cc : c.candidates)
    if (uses[cc.label] > 1) cc.label += fmt::format(" #{}", cc.source + 1);
}

void recommend_across(Comparison& c) {
  c.recommended = c.candidates.size();
  for (size_t i = 0; i < c.candidates.size(); ++i) {
    const CandidateResult& r = c.candidates[i].result;
    if (!r.meets_all || r.failed()) continue;
    if (!c.has_recommendation() || r.cost_usd_month < c.candidates[c.recommended].result.cost_usd_month)
      c.recommended = i;
  }
  if (!c.has_recommendation()) {
    c.recommendation_reason = fmt::format("none of the {} candidates of {} results meets every requirement of its "
                                          "scenario",
                                          c.candidates.size(), c.sources.size());
    return;
  }
  const ComparedCandidate& best = c.candidates[c.recommended];
  c.recommendation_reason =
      fmt::format("{} is the cheapest of the {} candidates of {} results that meets every requirement of its own "
                  "scenario ({}/month)",
                  best.label, c.candidates.size(), c.sources.size(), format_usd(best.result.cost_usd_month));
}

}  // namespace

std::string Comparison::title() const {
  return join_distinct(sources, [](const Result& r) { return r.scenario_name; });
}

Comparison make_comparison(std::vector<Result> sources) {
  if (sources.empty()) throw std::invalid_argument("a comparison needs at least one Result");
  Comparison c;
  c.sources = std::move(sources);
  for (size_t s = 0; s < c.sources.size(); ++s)
    for (const CandidateResult& r : c.sources[s].candidates)
      c.candidates.push_back({r.name, c.sources[s].scenario_name, s, r});
  assign_labels(c);
  if (c.sources.size() == 1) {
    const Result& only = c.sources.front();
    c.recommended = c.candidates.size();
    for (size_t i = 0; i < c.candidates.size(); ++i)
      if (!only.recommended.empty() && c.candidates[i].result.name == only.recommended) c.recommended = i;
    c.recommendation_reason = only.recommendation_reason;
    if (c.has_recommendation() && c.candidates[c.recommended].result.failed()) {  // a hand-edited file: never recommend it
      c.recommendation_reason = fmt::format("no candidate meets every requirement: the Result recommends {}, which "
                                            "was not simulated", c.candidates[c.recommended].label);
      c.recommended = c.candidates.size();
    }
  } else {
    recommend_across(c);
  }
  return c;
}

Comparison without_failed(const Comparison& comparison) {
  Comparison out;
  out.sources = comparison.sources;
  out.recommendation_reason = comparison.recommendation_reason;
  out.recommended = comparison.candidates.size();
  for (size_t i = 0; i < comparison.candidates.size(); ++i) {
    if (comparison.candidates[i].result.failed()) continue;
    if (i == comparison.recommended) out.recommended = out.candidates.size();
    out.candidates.push_back(comparison.candidates[i]);
  }
  if (out.recommended == comparison.candidates.size()) out.recommended = out.candidates.size();
  return out;
}

Result merged_result(const Comparison& comparison) {
  if (comparison.sources.size() == 1) return comparison.sources.front();
  const Result& first = comparison.sources.front();
  Result merged;
  merged.schema_version = first.schema_version;
  merged.archsim_version = first.archsim_version;
  merged.scenario_name = comparison.title();
  merged.scenario_file = join_distinct(comparison.sources, [](const Result& r) { return r.scenario_file; });
  merged.seed = first.seed;
  merged.mode = first.mode;
  for (const ComparedCandidate& cc : comparison.candidates) {
    CandidateResult r = cc.result;
    r.name = cc.label;
    merged.candidates.push_back(std::move(r));
  }
  if (comparison.has_recommendation()) merged.recommended = comparison.candidates[comparison.recommended].label;
  merged.recommendation_reason = comparison.recommendation_reason;
  return merged;
}

}  // namespace archsim
