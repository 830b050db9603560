// Evaluation: turns a run's metrics into a CandidateResult (latency with
// intervals, utilisation, cost, verdicts against the requirements) and
// picks the recommended candidate of a Result.
#pragma once

#include "archsim/result.hpp"
#include "archsim/run_metrics.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

struct BatchLayerMetrics;
struct EdgeSiteMetrics;

/// The measured part of a CandidateResult from a Kappa (or speed-layer) run.
CandidateResult summarise_run(const Scenario& scenario, const Candidate& candidate, const RunMetrics& metrics);
/// The batch-layer part (accuracy latency, runs) of a Lambda candidate.
CandidateResult summarise_batch_layer(const BatchLayerMetrics& metrics);
/// Folds a Lambda candidate's batch layer into its speed-layer result: kind,
/// accuracy latency, the serving query on top of end-to-end latency, and
/// overload when the batch runs cannot keep up.
void merge_batch_layer(CandidateResult& speed, const CandidateResult& batch, const Candidate& candidate);
/// The site part of an edge candidate: local decisions, edge-to-core latency
/// (outages weighted by frequency), WAN volume, buffer and loss.
CandidateResult summarise_edge_site(const Scenario& scenario, const Candidate& candidate, const EdgeSiteMetrics& metrics);
/// Folds the site part into the core pipeline's result of an edge candidate.
void merge_edge(CandidateResult& core, const CandidateResult& site, const Candidate& candidate, double relative_error);
/// Cost lines, verdicts against the requirements and meets_all.
void judge(const Scenario& scenario, const Candidate& candidate, CandidateResult& result);

/// Sets result.recommended and recommendation_reason: the cheapest candidate
/// meeting every requirement, or none, with the reason in plain words.
void recommend(Result& result);

}  // namespace archsim
