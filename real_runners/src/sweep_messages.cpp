// Sweep job and result messages (see sweep_messages.hpp).
#include "archsim/sweep_messages.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "archsim/simulator.hpp"

namespace archsim {

namespace {

nlohmann::json parse_object(std::string_view payload, const char* what) {
  nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw std::invalid_argument(fmt::format("{} message: expected a JSON object, found {} bytes of {}", what,
                                            payload.size(), j.is_discarded() ? "unparseable text" : j.type_name()));
  return j;
}

const nlohmann::json& field(const nlohmann::json& j, const char* key, nlohmann::json::value_t type, const char* what) {
  const auto it = j.find(key);
  if (it == j.end()) throw std::invalid_argument(fmt::format("{} message: no \"{}\" field", what, key));
  const bool ok = type == nlohmann::json::value_t::number_unsigned ? it->is_number_unsigned() : it->type() == type;
  if (!ok)
    throw std::invalid_argument(fmt::format("{} message: \"{}\" expected {}, found {}", what, key,
                                            nlohmann::json(type).type_name(), it->type_name()));
  return *it;
}

std::string text_field(const nlohmann::json& j, const char* key, const char* what) {
  return field(j, key, nlohmann::json::value_t::string, what).get<std::string>();
}

}  // namespace

std::string sweep_id(const SweepPlan& plan) {
  return fnv1a_hex(fnv1a_hex(plan.scenario_text) + "\n" + grid_identity(plan.dims, plan.candidate));
}

std::string sweep_jobs_topic(const std::string& id) { return fmt::format("{}{}-jobs", sweep_topic_prefix, id); }

std::string sweep_results_topic(const std::string& id) { return fmt::format("{}{}-results", sweep_topic_prefix, id); }

std::string sweep_jobs_subscription(const std::string& id) {
  return id.empty() ? fmt::format("^{}[0-9a-f]+-jobs$", sweep_topic_prefix) : sweep_jobs_topic(id);
}

std::string encode_job(const std::string& id, const SweepPlan& plan, const SweepPoint& point) {
  nlohmann::json overrides = nlohmann::json::array();
  for (const auto& [path, value] : point.overrides) overrides.push_back({path, value});
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::absolute(plan.base_dir.empty() ? "." : plan.base_dir, ec);
  return nlohmann::json{{"archsim_sweep_job", 1},
                        {"sweep", id},
                        {"archsim_version", version()},
                        {"point", point.id},
                        {"key", point.key()},
                        {"overrides", overrides},
                        {"scenario_file", plan.scenario_file},
                        {"base_dir", base.lexically_normal().string()},
                        {"candidate", plan.candidate},
                        {"results_topic", sweep_results_topic(id)},
                        {"scenario", apply_point(plan.document, point)}}
      .dump();
}

SweepJob decode_job(std::string_view payload) {
  const char* what = "sweep job";
  const nlohmann::json j = parse_object(payload, what);
  field(j, "archsim_sweep_job", nlohmann::json::value_t::number_unsigned, what);
  SweepJob job;
  job.sweep_id = text_field(j, "sweep", what);
  job.archsim_version = text_field(j, "archsim_version", what);
  job.point.id = field(j, "point", nlohmann::json::value_t::number_unsigned, what).get<size_t>();
  for (const nlohmann::json& o : field(j, "overrides", nlohmann::json::value_t::array, what)) {
    if (!o.is_array() || o.size() != 2 || !o[0].is_string())
      throw std::invalid_argument(fmt::format("{} message: \"overrides\" expected [path, value] pairs, found {}", what,
                                              o.dump()));
    job.point.overrides.emplace_back(o[0].get<std::string>(), o[1]);
  }
  const std::string key = text_field(j, "key", what);
  if (key != job.point.key())
    throw std::invalid_argument(
        fmt::format("{} message: \"key\" {} does not match its overrides ({})", what, key, job.point.key()));
  job.scenario = field(j, "scenario", nlohmann::json::value_t::object, what);
  job.scenario_file = text_field(j, "scenario_file", what);
  job.base_dir = text_field(j, "base_dir", what);
  job.candidate = text_field(j, "candidate", what);
  job.results_topic = text_field(j, "results_topic", what);
  if (job.results_topic.rfind(sweep_topic_prefix, 0) != 0)
    throw std::invalid_argument(fmt::format("{} message: \"results_topic\" expected a name starting with {}, found {}",
                                            what, sweep_topic_prefix, job.results_topic));
  return job;
}

std::string encode_result(const std::string& id, const std::string& worker, const nlohmann::json& record) {
  return nlohmann::json{{"archsim_sweep_result", 1}, {"sweep", id}, {"worker", worker}, {"record", record}}.dump();
}

SweepResult decode_result(std::string_view payload) {
  const char* what = "sweep result";
  const nlohmann::json j = parse_object(payload, what);
  field(j, "archsim_sweep_result", nlohmann::json::value_t::number_unsigned, what);
  SweepResult r;
  r.sweep_id = text_field(j, "sweep", what);
  r.worker = text_field(j, "worker", what);
  r.record = field(j, "record", nlohmann::json::value_t::object, what);
  field(r.record, "point", nlohmann::json::value_t::number_unsigned, what);
  return r;
}

}  // namespace archsim
