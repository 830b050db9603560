// The JSON codec of Result (schema_version 2): the canonical serialisation
// used by the JSON reporter, by `report` when it reads results back, and to
// carry results out of a forked simulation.
#pragma once

#include <nlohmann/json.hpp>

#include "archsim/result.hpp"

namespace archsim {

nlohmann::json to_json(const Result& result);
nlohmann::json to_json(const CandidateResult& candidate);
/// Throws std::runtime_error naming the path when the JSON is not a Result.
Result result_from_json(const nlohmann::json& j);
CandidateResult candidate_from_json(const nlohmann::json& j);

}  // namespace archsim
