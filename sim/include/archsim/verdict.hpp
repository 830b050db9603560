// Verdicts on latency targets, shared by the evaluation of simulated runs
// and by imported measurements (OpenMessaging Benchmark results).
#pragma once

#include <string>

#include "archsim/result.hpp"

namespace archsim {

/// "9%", "99.9%": a fraction as a percentage, never rounding a fraction
/// short of 1 up to "100%".
std::string percent(double fraction);

/// The verdict on a latency target (`name` e.g. "p99"): PASS with headroom,
/// FAIL by how much, or FAIL as overloaded; marginal when the 95% interval
/// straddles the target.
Verdict latency_verdict(const std::string& name, const Estimate& e, double target, const CandidateResult& r);

}  // namespace archsim
