// Decision summary: the plain-words reading of a Comparison that the HTML
// and Markdown reports share: the requirements judged, each verdict's value,
// target and margin as text, what a candidate fails on, the runner-up, and
// the risks of a candidate, most important first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/comparison.hpp"

namespace archsim {

/// A requirement judged for at least one candidate.
struct RequirementColumn {
  std::string name;     ///< Verdict::requirement, e.g. "p99 latency"
  std::string target;   ///< "200 ms", "$11,000/month", "at-least-once"; "varies" when sources disagree
};

/// Every requirement of every candidate, in first-seen order.
std::vector<RequirementColumn> requirement_columns(const Comparison& comparison);

/// The verdict of `c` on `requirement`, or nullptr when it was not judged.
const Verdict* find_verdict(const CandidateResult& c, const std::string& requirement);

/// The judged value as text: "12.4 ms", "$9,904/month", "99.9%"; "" when the verdict has no number.
std::string verdict_value_text(const Verdict& v);
/// The target as text, e.g. "200 ms", "$11,000/month", "at-least-once".
std::string verdict_target_text(const Verdict& v);
/// "88% headroom", "106% over", or "" when the verdict has no numeric margin.
std::string verdict_margin_text(const Verdict& v);
/// The verdict's own sentence, or "requirement: PASS|FAIL" when it has none.
std::string verdict_sentence(const Verdict& v);

/// The verdict word of a candidate that failed to simulate (CandidateResult::error).
inline constexpr const char* kNotSimulated = "NOT SIMULATED";

/// Why a failed candidate has no figures, e.g. "simulation failed: its
/// simulation process was killed by signal 9 (Killed)"; "" when it did not fail.
std::string failure_reason(const CandidateResult& c);

/// What `c` fails on: its simulation failure, or each failing verdict's sentence, then the overload.
std::vector<std::string> failures(const CandidateResult& c);

/// The candidate to compare the recommendation with: the next cheapest
/// candidate meeting every requirement, else the one failing the fewest
/// requirements (cheapest first). With no recommendation: the closest
/// candidate. candidates.size() when there is none.
size_t runner_up(const Comparison& comparison);

/// Risks of `c`, most important first: an overload, a confidence interval
/// that reaches a latency target, the tightest margin, imprecise
/// percentiles, a resource busier than 80% at its peak, modelling notes.
std::vector<std::string> risks(const CandidateResult& c);

/// `text` without a leading `prefix` and the ": " after it, so that a heading
/// and the reason printed after it do not say the same words twice.
std::string without_prefix(const std::string& text, std::string_view prefix);

/// "$9,904/month (compute $669, storage $265, transfer $8,970)".
std::string cost_sentence(const CandidateResult& c);

/// A candidate's monthly cost in one category ("compute", "storage", "transfer").
double category_usd_month(const CandidateResult& c, const std::string& category);

}  // namespace archsim
