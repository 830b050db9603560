// SweepReporter: writes a finished sweep (its records ordered by point id)
// as CSV (one row per point and candidate; RFC 4180 like CsvReporter), as
// JSON (sweep.json), and as the console summary (per candidate the Pareto
// front of monthly cost vs p99 and the feasible region).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archsim/sweep_record.hpp"
#include "archsim/sweep_spec.hpp"

namespace archsim {

/// A finished sweep: plain data for the reporters.
struct SweepOutcome {
  std::string scenario_name;
  std::vector<SweepDim> dims;
  std::string candidate;                        ///< "" = all
  std::vector<nlohmann::json> records;          ///< ordered by point id
  std::vector<CandidateSweepSummary> summaries; ///< from summarise_sweep(records)
};

/// True when `j` looks like a sweep.json (its "format" is "archsim-sweep").
bool is_sweep_json(const nlohmann::json& j);

/// Reads a sweep.json written by SweepReporter::to_json back (the summaries
/// are recomputed from the points). Throws std::invalid_argument naming the
/// JSON path of the first problem ("/points/3/candidates/0/p99_s: expected a
/// number"), so the reporters never meet a missing field.
SweepOutcome sweep_from_json(const nlohmann::json& j);

class SweepReporter {
 public:
  /// Columns: point, key, one per varied path, status, error, candidate,
  /// kind, cost_usd_month, p50_s, p95_s, p99_s, p99_lo_s, p99_hi_s,
  /// achieved_eps, offered_eps, overloaded, meets_all, pareto,
  /// failed_requirements. An invalid or failed point has one row without
  /// candidate.
  void write_csv(const SweepOutcome& sweep, std::ostream& out) const;
  /// {"format": "archsim-sweep", "version": 1, "scenario_name", "dims",
  ///  "candidate", "points": [records], "summary": [{name, simulated,
  ///  pareto, feasible, cheapest_feasible}]}; deterministic bytes.
  nlohmann::json to_json(const SweepOutcome& sweep) const;
  /// A self-contained HTML page: counts, a chart of p99 against monthly cost
  /// (every simulated point per candidate, its Pareto front drawn as a line,
  /// points meeting every requirement filled; above 1,000 points only the
  /// front keeps per-point tooltips), per candidate a p99 heatmap over the
  /// first two varied parameters with the feasibility boundary and its grid
  /// as a table, and the fronts as tables.
  void write_html(const SweepOutcome& sweep, std::ostream& out) const;
  /// The human summary for stdout.
  void write_summary(const SweepOutcome& sweep, std::ostream& out) const;
};

}  // namespace archsim
