// ScenarioDocument (see scenario_document.hpp).
#include "archsim/gui/scenario_document.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace archsim::gui {

namespace {

/// Splits "/a/b/c" into the parent pointer "/a/b" and the key "c".
std::pair<nlohmann::ordered_json::json_pointer, std::string> parent_and_key(const std::string& pointer) {
  const nlohmann::ordered_json::json_pointer ptr(pointer);
  return {ptr.parent_pointer(), ptr.back()};
}

}  // namespace

ScenarioDocument::ScenarioDocument() { issues_.push_back({"", "a scenario file (give --scenario or Open one)", "none"}); }

ScenarioDocument ScenarioDocument::from_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ScenarioDocument doc;
    doc.path_ = path;
    doc.issues_ = {{"", "a readable scenario file at " + path.string(), std::strerror(errno)}};
    doc.revision_ = 1;
    return doc;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return from_text(text.str(), path);
}

ScenarioDocument ScenarioDocument::from_text(std::string text, const std::filesystem::path& path) {
  ScenarioDocument doc;
  doc.path_ = path;
  doc.set_text(std::move(text));
  return doc;
}

void ScenarioDocument::set_text(std::string text) {
  raw_text_ = std::move(text);
  nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(raw_text_, nullptr, false);
  if (parsed.is_discarded()) json_.reset();
  else json_ = std::move(parsed);
  ++revision_;
  reparse();
}

bool ScenarioDocument::set_number(const ParamSpec& spec, double value) {
  if (!json_ || !json_->is_object()) return false;
  value = std::clamp(value, spec.min, spec.max);
  const nlohmann::ordered_json written = json_value_for(spec, value);
  const auto [parent, key] = parent_and_key(spec.pointer);
  nlohmann::ordered_json& object = (*json_)[parent];  // creates missing objects on the way
  if (!object.is_object()) return false;
  if (object.contains(key) && object[key] == written) return false;
  for (const char* suffix : {"_s", "_ms", "_us", "_bytes"}) object.erase(key + suffix);
  object[key] = written;
  ++revision_;
  reparse();
  return true;
}

bool ScenarioDocument::set_choice(const ParamSpec& spec, size_t index) {
  if (!json_ || !json_->is_object() || index >= spec.choices.size()) return false;
  const auto [parent, key] = parent_and_key(spec.pointer);
  nlohmann::ordered_json& object = (*json_)[parent];
  if (!object.is_object()) return false;
  const nlohmann::ordered_json written = spec.choices[index];
  if (object.contains(key) && object[key] == written) return false;
  for (const std::string& sibling : spec.drop_on_change) object.erase(sibling);
  object[key] = written;
  ++revision_;
  reparse();
  return true;
}

std::optional<double> ScenarioDocument::value(const ParamSpec& spec) const {
  if (json_) {
    if (auto v = read_number(*json_, spec)) return v;
  }
  if (last_valid_ && spec.typed) return spec.typed(*last_valid_);
  return std::nullopt;
}

std::string ScenarioDocument::text() const { return json_ ? json_->dump(2) + "\n" : raw_text_; }

void ScenarioDocument::reparse() {
  issues_.clear();
  scenario_.reset();
  params_ = json_ ? editable_params(*json_) : std::vector<ParamSpec>{};
  const std::string text = json_ ? json_->dump() : raw_text_;
  try {
    scenario_ = parse_scenario(text, path_.empty() ? "scenario" : path_.string(), path_.parent_path());
    last_valid_ = scenario_;
  } catch (const ScenarioError& error) {
    issues_ = error.issues();
    if (issues_.empty()) issues_.push_back({"", "a valid scenario", error.what()});
  }
}

}  // namespace archsim::gui
