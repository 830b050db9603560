// Evaluation: turns a run's metrics into a CandidateResult (latency with
// intervals, utilisation, cost, verdicts against the requirements) and
// picks the recommended candidate of a Result.
#pragma once

#include "archsim/result.hpp"
#include "archsim/run_metrics.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

CandidateResult evaluate(const Scenario& scenario, const Candidate& candidate, const RunMetrics& metrics);

/// Sets result.recommended and recommendation_reason: the cheapest candidate
/// meeting every requirement, or none, with the reason in plain words.
void recommend(Result& result);

}  // namespace archsim
