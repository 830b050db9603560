// ParamSpec: one scenario value the GUI edits with a slider or a combo box:
// where it lives in the scenario JSON (a JSON pointer), its kind and unit,
// and the slider's range. Slider ranges lie inside the ranges the scenario
// loader accepts (sim/src/scenario_loader.cpp), so a slider alone never
// produces a value the loader rejects on its own (cross-field rules, such
// as a replication factor above the broker count, are still reported).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archsim/scenario.hpp"

namespace archsim::gui {

enum class ParamKind {
  number,    ///< plain JSON number
  integer,   ///< JSON integer
  duration,  ///< seconds; written as a string with a unit ("20ms")
  size,      ///< bytes; written as a string with a unit ("512B")
  choice,    ///< one of `choices`, written as a JSON string
};

struct ParamSpec {
  std::string group;             ///< "Workload", "Targets", or the candidate's name
  std::string label;             ///< shown next to the widget
  std::string pointer;           ///< JSON pointer, e.g. "/candidates/1/broker/partitions"
  ParamKind kind = ParamKind::number;
  double min = 0;                ///< slider range, base units (seconds, bytes, events/s, USD)
  double max = 1;
  bool log_scale = false;        ///< logarithmic slider
  std::vector<std::string> choices;  ///< kind == choice
  /// Sibling keys removed when a choice changes (keys only another choice allows).
  std::vector<std::string> drop_on_change;
  std::string help;              ///< tooltip: what it is and the loader's rule
  /// The value the loaded Scenario holds (its default when the key is absent).
  std::function<std::optional<double>(const Scenario&)> typed;
};

/// The parameters the GUI offers for `document` (a scenario JSON object):
/// workload, targets, each candidate's main parameters by its kind, and the
/// simulation's seed. Empty for anything but a JSON object.
std::vector<ParamSpec> editable_params(const nlohmann::ordered_json& document);

/// The JSON value a number edit writes for `spec` (already clamped):
/// integer, number, or a string with a unit for durations and sizes.
nlohmann::ordered_json json_value_for(const ParamSpec& spec, double value);

/// Reads the number `spec` points at in `document` (plain number, or a
/// duration/size string with a unit); std::nullopt when absent or not readable.
std::optional<double> read_number(const nlohmann::ordered_json& document, const ParamSpec& spec);

/// Index of the spec with this pointer, or std::nullopt.
std::optional<size_t> find_param(const std::vector<ParamSpec>& specs, const std::string& pointer);

}  // namespace archsim::gui
