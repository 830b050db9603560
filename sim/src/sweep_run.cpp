// Sweep run: point preparation, estimates, and the journaled run.
#include "archsim/sweep_run.hpp"

#include "archsim/run_estimate.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "archsim/point_runner.hpp"
#include "archsim/scenario_loader.hpp"
#include "archsim/sweep_journal.hpp"
#include "archsim/sweep_record.hpp"
#include "json_reader.hpp"

namespace archsim {

std::string issues_line(const std::exception& error) {
  const auto* scenario_error = dynamic_cast<const ScenarioError*>(&error);
  if (!scenario_error || scenario_error->issues().empty()) return error.what();
  std::string text;
  for (const ValidationIssue& issue : scenario_error->issues()) text += (text.empty() ? "" : "; ") + issue.message();
  return text;
}

SweepPlan make_sweep_plan(const std::string& scenario_file, const std::vector<std::string>& varies,
                          const std::string& sweep_file, const std::string& candidate) {
  SweepPlan plan;
  plan.scenario_file = scenario_file;
  plan.base_dir = std::filesystem::path(scenario_file).parent_path();
  plan.scenario_text = read_text_file(scenario_file);
  const Scenario base = parse_scenario(plan.scenario_text, scenario_file, plan.base_dir);
  plan.document = nlohmann::json::parse(plan.scenario_text);
  std::string file_candidate;
  if (!sweep_file.empty()) plan.dims = read_sweep_file(plan.document, sweep_file, &file_candidate);
  for (const std::string& vary : varies) plan.dims.push_back(make_dim(plan.document, vary));
  check_dims_with_loader(plan.document, plan.dims, plan.base_dir.string());
  plan.candidate = candidate.empty() ? file_candidate : candidate;
  if (!plan.candidate.empty()) {
    std::string names;
    for (const Candidate& c : base.candidates) {
      if (c.name == plan.candidate) return plan;
      names += (names.empty() ? "" : ", ") + c.name;
    }
    throw std::invalid_argument(fmt::format("unknown candidate '{}' in {}; known candidates: {}", plan.candidate,
                                            scenario_file, names));
  }
  return plan;
}

std::vector<PreparedPoint> prepare_points(const SweepPlan& plan, size_t count) {
  std::vector<PreparedPoint> points;
  points.reserve(count);
  for (size_t id = 0; id < count; ++id) {
    PreparedPoint p;
    p.point = grid_point(plan.dims, id);
    try {
      Scenario s = parse_scenario(apply_point(plan.document, p.point).dump(), plan.scenario_file, plan.base_dir);
      const RunEstimate estimate =
          estimate_run(s, plan.candidate.empty() ? std::nullopt : std::optional<std::string>(plan.candidate), std::nullopt, 1);
      const auto simulated = static_cast<size_t>(estimate.candidates);
      if (simulated == 0) {
        p.invalid_reason = fmt::format("no candidate named '{}' at this point", plan.candidate);
      } else {
        p.simulated_events = estimate.events;
        p.simulations = simulated;
        p.scenario = std::move(s);
      }
    } catch (const ScenarioError& e) {
      p.invalid_reason = issues_line(e);
    }
    points.push_back(std::move(p));
  }
  return points;
}

double estimate_wall_s(const std::vector<PreparedPoint>& points, int jobs) {
  double core_s = 0;
  for (const PreparedPoint& p : points)
    core_s += p.simulated_events / kEstimatedEventsPerWallSecond + static_cast<double>(p.simulations) * assumed_setup_wall_s;
  const double width = jobs > 0 ? jobs : std::max(1u, std::thread::hardware_concurrency());
  return core_s / std::min(width, static_cast<double>(std::max<size_t>(1, points.size())));
}

SimOptions sweep_sim_options(const SweepPlan& plan) {
  SimOptions options;
  if (!plan.candidate.empty()) options.candidate = plan.candidate;
  options.scenario_file = plan.scenario_file;
  return options;
}

PointExecutor local_point_executor(const SimOptions& options, int jobs) {
  return [options, jobs](const std::vector<PendingPoint>& pending,
                         const std::function<void(nlohmann::json)>& on_record, const std::function<void()>& on_tick) {
    std::vector<const Scenario*> scenarios;
    scenarios.reserve(pending.size());
    for (const PendingPoint& p : pending) scenarios.push_back(p.scenario);
    run_points(
        scenarios, options, jobs,
        [&](size_t i, PointOutcome outcome) {
          const SweepPoint& point = *pending[i].point;
          on_record(outcome.result ? point_record(point, *outcome.result)
                                   : point_error_record(point, "failed", outcome.error));
        },
        on_tick);
  };
}

std::vector<nlohmann::json> run_sweep(const SweepPlan& plan, const std::vector<PreparedPoint>& points,
                                      const std::filesystem::path& journal_path, int jobs,
                                      const std::function<void(size_t, size_t)>& on_progress, SweepRunInfo& info) {
  return run_sweep(plan, points, journal_path, local_point_executor(sweep_sim_options(plan), jobs), on_progress,
                   info);
}

std::vector<nlohmann::json> run_sweep(const SweepPlan& plan, const std::vector<PreparedPoint>& points,
                                      const std::filesystem::path& journal_path, const PointExecutor& executor,
                                      const std::function<void(size_t, size_t)>& on_progress, SweepRunInfo& info) {
  const nlohmann::json header = {{"archsim_sweep_journal", 1},
                                 {"scenario_hash", fnv1a_hex(plan.scenario_text)},
                                 {"grid_hash", fnv1a_hex(grid_identity(plan.dims, plan.candidate))},
                                 {"points", points.size()}};
  JournalWriter writer(journal_path);  // locks the journal before reading it
  JournalContents journal = read_journal(journal_path);
  if (journal.good_bytes > 0) {  // (a torn header alone is dropped below)
    if (!journal.header)
      throw std::invalid_argument(fmt::format("{} is not an archsim sweep journal (no header line); use another --out "
                                              "directory or remove the file",
                                              journal_path.string()));
    for (const char* key : {"scenario_hash", "grid_hash", "points"}) {
      if ((*journal.header).value(key, nlohmann::json()) != header[key])
        throw std::invalid_argument(fmt::format(
            "{} belongs to a different sweep ({} differs: the journal has {}, this command {}): the scenario file or "
            "the --vary/--candidate arguments changed; use another --out directory, or remove the journal to start over",
            journal_path.string(), key, (*journal.header).value(key, nlohmann::json()).dump(), header[key].dump()));
    }
  }
  if (journal.torn_tail) {
    truncate_journal(journal_path, journal.good_bytes);
    info.torn_tail_dropped = true;
    info.torn_reason = journal.torn_reason;
  }
  if (!journal.header) writer.append(header);

  std::map<size_t, nlohmann::json> done;
  for (nlohmann::json& record : journal.records) {
    if (!record.contains("point") || !record["point"].is_number_unsigned()) continue;
    const size_t id = record["point"].get<size_t>();
    if (id < points.size() && record.value("key", "") == points[id].point.key()) done.emplace(id, std::move(record));
  }
  info.resumed = done.size();

  std::vector<PendingPoint> pending;
  for (const PreparedPoint& p : points) {
    if (done.count(p.point.id)) continue;
    if (!p.scenario) {
      nlohmann::json record = point_error_record(p.point, "invalid", p.invalid_reason);
      writer.append(record);
      done.emplace(p.point.id, std::move(record));
      continue;
    }
    pending.push_back({&p.point, &*p.scenario});
  }
  const size_t total = points.size();
  if (on_progress) on_progress(done.size(), total);
  executor(
      pending,
      [&](nlohmann::json record) {
        const nlohmann::json* id_field = record.is_object() ? &record["point"] : nullptr;
        if (id_field == nullptr || !id_field->is_number_unsigned()) return;
        const size_t id = id_field->get<size_t>();
        if (id >= total || !points[id].scenario || record.value("key", "") != points[id].point.key()) return;
        if (done.count(id)) {
          ++info.duplicates;
          return;
        }
        writer.append(record);
        done.emplace(id, std::move(record));
        ++info.simulated;
        if (on_progress) on_progress(done.size(), total);
      },
      [&] {
        if (on_progress) on_progress(done.size(), total);
      });
  std::vector<nlohmann::json> records;
  for (auto& [id, record] : done) records.push_back(std::move(record));
  return records;
}

}  // namespace archsim
