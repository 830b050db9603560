// Sweep run: prepares every point of a grid (overrides applied, parsed by the
// scenario loader, invalid points kept with the loader's reason), estimates
// the work, and runs the points into a resumable journal.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archsim/scenario.hpp"
#include "archsim/sweep_grid.hpp"
#include "archsim/sweep_spec.hpp"

namespace archsim {

/// Wall seconds per candidate simulation besides its events (processes,
/// engine and platform set-up), measured on small scenarios in 2026-11.
inline constexpr double assumed_setup_wall_s = 0.25;

/// What a sweep is: a scenario document and the dimensions varied over it.
struct SweepPlan {
  std::string scenario_text;          ///< the file as read (its hash identifies the sweep)
  std::string scenario_file;          ///< label in messages
  std::filesystem::path base_dir;     ///< resolves a relative catalog path
  nlohmann::json document;            ///< the parsed scenario text
  std::vector<SweepDim> dims;
  std::string candidate;              ///< simulate only this candidate; "" = all
};

/// Reads the scenario (its problems throw ScenarioError), the sweep file's
/// dimensions (when `sweep_file` is not empty) and then each `--vary`
/// argument, and checks them (std::invalid_argument naming the --vary).
/// `candidate` ("" = all) must name a candidate of the scenario; a sweep
/// file's candidate is used when `candidate` is empty.
SweepPlan make_sweep_plan(const std::string& scenario_file, const std::vector<std::string>& varies,
                          const std::string& sweep_file, const std::string& candidate);

/// One point, ready to simulate or known invalid.
struct PreparedPoint {
  SweepPoint point;
  std::optional<Scenario> scenario;   ///< empty when invalid
  std::string invalid_reason;         ///< the loader's problems, "PATH: expected X, found Y; ..."
  double simulated_events = 0;        ///< rate x (warm-up + duration) x simulated candidates
  size_t simulations = 0;             ///< candidate simulations at this point (0 when invalid)
};

/// Prepares points [0, count) of the plan's grid.
std::vector<PreparedPoint> prepare_points(const SweepPlan& plan, size_t count);

/// Estimated wall seconds to simulate `points` with `jobs` parallel points.
double estimate_wall_s(const std::vector<PreparedPoint>& points, int jobs);

/// How a run went.
struct SweepRunInfo {
  size_t resumed = 0;                 ///< points found finished in the journal
  size_t simulated = 0;               ///< points simulated by this run
  bool torn_tail_dropped = false;
  std::string torn_reason;
};

/// Runs the sweep into `journal_path`: reads an existing journal (refusing,
/// with std::invalid_argument, one whose header names another scenario text
/// or grid), truncates a torn last line, records invalid points, simulates
/// the missing points (`jobs` at once), appending each record as it
/// finishes. `on_progress(done, total)` is called after each point and on
/// ticks. Returns every record, ordered by point id, and fills `info`.
std::vector<nlohmann::json> run_sweep(const SweepPlan& plan, const std::vector<PreparedPoint>& points,
                                      const std::filesystem::path& journal_path, int jobs,
                                      const std::function<void(size_t, size_t)>& on_progress, SweepRunInfo& info);

/// The loader's problems of a ScenarioError as one line.
std::string issues_line(const std::exception& error);

}  // namespace archsim
