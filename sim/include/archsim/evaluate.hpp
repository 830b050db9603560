// Evaluation: turns a run's metrics into a CandidateResult (latency with
// intervals, utilisation, cost, verdicts against the requirements) and
// picks the recommended candidate of a Result.
#pragma once

#include "archsim/result.hpp"
#include "archsim/run_metrics.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

struct BatchLayerMetrics;

/// The measured part of a CandidateResult from a Kappa (or speed-layer) run.
CandidateResult summarise_run(const Scenario& scenario, const Candidate& candidate, const RunMetrics& metrics);
/// The batch-layer part (accuracy latency, runs) of a Lambda candidate.
CandidateResult summarise_batch_layer(const BatchLayerMetrics& metrics);
/// Folds a Lambda candidate's batch layer into its speed-layer result: kind,
/// accuracy latency, the serving query on top of end-to-end latency, and
/// overload when the batch runs cannot keep up.
void merge_batch_layer(CandidateResult& speed, const CandidateResult& batch, const Candidate& candidate);
/// Cost lines, verdicts against the requirements and meets_all.
void judge(const Scenario& scenario, const Candidate& candidate, CandidateResult& result);

/// Sets result.recommended and recommendation_reason: the cheapest candidate
/// meeting every requirement, or none, with the reason in plain words.
void recommend(Result& result);

}  // namespace archsim
