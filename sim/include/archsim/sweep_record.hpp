// Sweep records: the JSON line of one finished point (its overrides, and per
// candidate the key figures and verdicts, or why the point is invalid or
// failed), and the per-candidate summary of a whole sweep (Pareto front of
// cost vs p99, the feasible points, the cheapest feasible one).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archsim/result.hpp"
#include "archsim/sweep_grid.hpp"

namespace archsim {

/// {"point": id, "key": ..., "overrides": {path: value}, "status": "ok",
///  "candidates": [{name, kind, cost_usd_month, p50_s, p95_s, p99_s,
///  p99_lo_s, p99_hi_s, achieved_eps, offered_eps, overloaded,
///  overload_reason, meets_all, verdicts: [{requirement, pass, value,
///  target, unit, headroom}]}]}
nlohmann::json point_record(const SweepPoint& point, const Result& result);

/// The same with "status": "invalid" (the loader rejected the point) or
/// "failed" (the simulation failed) and "error": the reason.
nlohmann::json point_error_record(const SweepPoint& point, const std::string& status, const std::string& error);

/// One candidate over a sweep.
struct CandidateSweepSummary {
  std::string name;
  size_t simulated = 0;                ///< points where it was simulated
  std::vector<size_t> pareto;          ///< point ids on the cost-p99 front (overloaded points excluded), by cost
  std::vector<size_t> feasible;        ///< point ids where it meets every requirement
  std::optional<size_t> cheapest_feasible;  ///< of equal costs the lower p99, then the lower id
};

/// Per candidate (in order of first appearance) over `records`.
std::vector<CandidateSweepSummary> summarise_sweep(const std::vector<nlohmann::json>& records);

/// The candidate entry called `name` in a record, or nullptr.
const nlohmann::json* record_candidate(const nlohmann::json& record, const std::string& name);

}  // namespace archsim
