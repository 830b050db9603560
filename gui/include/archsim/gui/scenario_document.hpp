// ScenarioDocument: the scenario being edited. The JSON document is the
// source of truth; every edit writes a JSON value at a JSON pointer (or
// replaces the whole text) and re-parses the document with the same loader
// as the CLI, keeping the loader's issues to show inline. A revision number
// counts edits so results can be matched to the document they came from.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archsim/gui/param_spec.hpp"
#include "archsim/scenario.hpp"
#include "archsim/scenario_loader.hpp"

namespace archsim::gui {

class ScenarioDocument {
 public:
  /// An empty document (no file): not valid, one issue saying so.
  ScenarioDocument();

  /// Reads `path`; a file that cannot be read or parsed still gives a
  /// document, with the problems as issues.
  static ScenarioDocument from_file(const std::filesystem::path& path);
  /// `text` as if read from `path` (relative catalog paths resolve against
  /// its directory).
  static ScenarioDocument from_text(std::string text, const std::filesystem::path& path);

  /// Replaces the whole text (the raw editor). Re-parses; revision + 1.
  void set_text(std::string text);
  /// Writes `value`, clamped to the spec's range, at its pointer (removing
  /// other spellings of the same key, e.g. "linger_ms" for "linger").
  /// Re-parses; revision + 1. False (nothing changes) when the document is
  /// not a JSON object or the value written is the one already there.
  bool set_number(const ParamSpec& spec, double value);
  /// Selects choice `index` of a choice spec; removes its drop_on_change siblings.
  bool set_choice(const ParamSpec& spec, size_t index);

  /// The current value of `spec`: from the JSON, else from the last valid
  /// Scenario (the loader's default); std::nullopt when neither has it.
  std::optional<double> value(const ParamSpec& spec) const;

  /// The text to save: the JSON document indented by 2, or the raw text
  /// while it is not JSON.
  std::string text() const;
  const std::filesystem::path& path() const { return path_; }
  void set_path(std::filesystem::path path) { path_ = std::move(path); }

  bool is_json() const { return json_.has_value(); }
  const nlohmann::ordered_json* json() const { return json_ ? &*json_ : nullptr; }
  /// The parsed scenario of the current revision; std::nullopt when invalid.
  const std::optional<Scenario>& scenario() const { return scenario_; }
  bool valid() const { return scenario_.has_value(); }
  /// The loader's problems with the current revision (empty when valid).
  const std::vector<ValidationIssue>& issues() const { return issues_; }
  /// Counts edits: 1 after loading, +1 for every change.
  uint64_t revision() const { return revision_; }
  /// The editable parameters of the current JSON (rebuilt on each edit).
  const std::vector<ParamSpec>& params() const { return params_; }

 private:
  void reparse();

  std::filesystem::path path_;
  std::string raw_text_;                 ///< what was loaded or typed, while it is not JSON
  std::optional<nlohmann::ordered_json> json_;
  std::optional<Scenario> scenario_;
  std::optional<Scenario> last_valid_;
  std::vector<ValidationIssue> issues_;
  std::vector<ParamSpec> params_;
  uint64_t revision_ = 0;
};

}  // namespace archsim::gui
