// Cost model: monthly cost of a candidate from the catalog prices: compute
// (instances x hourly price x hours per month), storage (retained log) and
// transfer (cross-zone traffic when brokers span zones).
#pragma once

#include <vector>

#include "archsim/result.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

/// Cost lines of a Kappa candidate at the workload's mean rate.
/// `profile`: the run's profile figures (serverless invocations and
/// GB-seconds); required for an engine "serverless" candidate.
std::vector<CostLine> kappa_monthly_cost(const Scenario& scenario, const Candidate& candidate, const ProfileSummary* profile = nullptr);

/// Cost lines of a Lambda candidate: its speed layer (as Kappa), the batch
/// cluster (only while runs go on when transient, from the simulated run
/// durations in `result`) and the object storage holding the history.
std::vector<CostLine> lambda_monthly_cost(const Scenario& scenario, const Candidate& candidate, const CandidateResult& result);

/// Cost lines of an edge candidate: gateways (capex amortised plus running
/// cost), the core cluster at the forwarded rate, and WAN traffic.
std::vector<CostLine> edge_monthly_cost(const Scenario& scenario, const Candidate& candidate, const CandidateResult& result);

}  // namespace archsim
