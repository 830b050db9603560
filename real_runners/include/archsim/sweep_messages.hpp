// Sweep messages: what a distributed sweep puts on Kafka. A job (one per
// point, keyed by point id) carries the point's scenario document with its
// overrides applied and what to simulate; a result (keyed by point id)
// carries the point's journal record. Topic names derive from the sweep id,
// itself a hash of the scenario text and the grid, so two sweeps never mix.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "archsim/sweep_grid.hpp"
#include "archsim/sweep_run.hpp"

namespace archsim {

/// Prefix of every sweep topic; workers subscribe to ^archsim-sweep-.*-jobs$.
inline constexpr std::string_view sweep_topic_prefix = "archsim-sweep-";

/// The id of a sweep: 16 hex digits hashing the scenario text, the grid and
/// the candidate filter (the journal header's identity).
std::string sweep_id(const SweepPlan& plan);

/// "archsim-sweep-ID-jobs".
std::string sweep_jobs_topic(const std::string& sweep_id);
/// "archsim-sweep-ID-results".
std::string sweep_results_topic(const std::string& sweep_id);
/// The regular expression (librdkafka's "^" form) matching every sweep's
/// jobs topic, or only `sweep_id`'s when it is not empty.
std::string sweep_jobs_subscription(const std::string& sweep_id);

/// One point to simulate, as a worker reads it.
struct SweepJob {
  std::string sweep_id;
  std::string archsim_version;    ///< of the coordinator: a worker of another version refuses the job
  SweepPoint point;
  nlohmann::json scenario;        ///< the scenario document with the point's overrides applied
  std::string scenario_file;      ///< label, as in a local sweep
  std::filesystem::path base_dir; ///< absolute directory resolving a relative catalog path
  std::string candidate;          ///< simulate only this candidate; "" = all
  std::string results_topic;
};

/// The job message of `point` (JSON text).
std::string encode_job(const std::string& sweep_id, const SweepPlan& plan, const SweepPoint& point);

/// Parses a job message. Throws std::invalid_argument naming the field that
/// is missing or of the wrong type.
SweepJob decode_job(std::string_view payload);

/// The result message of a point: its journal record and who simulated it.
std::string encode_result(const std::string& sweep_id, const std::string& worker, const nlohmann::json& record);

/// A result as the coordinator reads it.
struct SweepResult {
  std::string sweep_id;
  std::string worker;             ///< "host:pid" of the worker that simulated it
  nlohmann::json record;          ///< point_record or point_error_record
};

/// Parses a result message. Throws std::invalid_argument naming the field
/// that is missing or of the wrong type.
SweepResult decode_result(std::string_view payload);

}  // namespace archsim
