// Comparison: one or more Results (one per input file) read as one decision.
// Each candidate keeps the scenario it was simulated in; the recommendation
// is the source's own for one Result, or recomputed across all of them for
// several. The HTML, Markdown and CSV reporters write a Comparison.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "archsim/result.hpp"

namespace archsim {

/// One candidate of a comparison, with where it came from.
struct ComparedCandidate {
  std::string label;         ///< unique display name: the candidate name, or "scenario/name" across scenarios
  std::string scenario;      ///< scenario_name of its Result
  size_t source = 0;         ///< index of its Result in Comparison::sources
  CandidateResult result;
};

struct Comparison {
  /// The Results compared, in input order (their candidates are also in `candidates`).
  std::vector<Result> sources;
  /// Every candidate of every source, in input order.
  std::vector<ComparedCandidate> candidates;
  /// Index into `candidates` of the recommended one; candidates.size() when none.
  size_t recommended = 0;
  std::string recommendation_reason;

  bool has_recommendation() const { return recommended < candidates.size(); }
  /// A title for the whole comparison: the scenario name, or "a + b" for several.
  std::string title() const;
};

/// Builds the comparison of `sources` (at least one; std::invalid_argument otherwise).
/// One source: its own recommendation and reason (none when it names a
/// candidate that failed to simulate). Several: the cheapest simulated
/// candidate meeting every requirement of its own scenario, with a reason
/// that says so; labels are prefixed by the scenario name when the sources
/// have different scenario names, and suffixed " #N" (N = source number,
/// from 1) when that still leaves two candidates with the same label.
Comparison make_comparison(std::vector<Result> sources);

/// `comparison` without its candidates that failed to simulate (for charts:
/// they have no figures); the recommendation index follows its candidate.
Comparison without_failed(const Comparison& comparison);

/// The comparison as one Result (for the JSON format): the single source
/// unchanged, or for several, all candidates named by their labels, the
/// scenario names and files joined with " + ", the first source's seed,
/// mode and version, and the comparison's recommendation.
Result merged_result(const Comparison& comparison);

}  // namespace archsim
