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
#include "archsim/simulator.hpp"
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
  size_t duplicates = 0;              ///< records dropped: their point was already done (distributed sweeps)
  bool torn_tail_dropped = false;
  std::string torn_reason;
};

/// A point still to simulate, as handed to a PointExecutor.
struct PendingPoint {
  const SweepPoint* point = nullptr;  ///< borrowed from the plan's points
  const Scenario* scenario = nullptr; ///< the parsed point scenario
};

/// Simulates `pending` somewhere (local processes, remote workers), calling
/// `on_record(record)` in the calling thread with each finished point's
/// record (point_record or point_error_record "failed"), and `on_tick()`
/// about twice a second while waiting. Returns when every pending point has
/// a record; a record for a point already recorded, or for no pending point,
/// is dropped by the caller (so an executor may deliver duplicates).
using PointExecutor = std::function<void(const std::vector<PendingPoint>& pending,
                                         const std::function<void(nlohmann::json record)>& on_record,
                                         const std::function<void()>& on_tick)>;

/// The local executor: each point in its own process, `jobs` at once
/// (0 = one per core), simulated with `options`.
PointExecutor local_point_executor(const SimOptions& options, int jobs);

/// The simulation options of a plan's points (candidate filter, scenario label).
SimOptions sweep_sim_options(const SweepPlan& plan);

/// Runs the sweep into `journal_path`: reads an existing journal (refusing,
/// with std::invalid_argument, one whose header names another scenario text
/// or grid), truncates a torn last line, records invalid points, simulates
/// the missing points (`jobs` at once), appending each record as it
/// finishes. `on_progress(done, total)` is called after each point and on
/// ticks. Returns every record, ordered by point id, and fills `info`.
std::vector<nlohmann::json> run_sweep(const SweepPlan& plan, const std::vector<PreparedPoint>& points,
                                      const std::filesystem::path& journal_path, int jobs,
                                      const std::function<void(size_t, size_t)>& on_progress, SweepRunInfo& info);

/// The same with the missing points simulated by `executor` (e.g. workers
/// over Kafka); its records are deduplicated by point id and checked
/// against the point's key before they reach the journal.
std::vector<nlohmann::json> run_sweep(const SweepPlan& plan, const std::vector<PreparedPoint>& points,
                                      const std::filesystem::path& journal_path, const PointExecutor& executor,
                                      const std::function<void(size_t, size_t)>& on_progress, SweepRunInfo& info);

/// The loader's problems of a ScenarioError as one line.
std::string issues_line(const std::exception& error);

}  // namespace archsim
