// Sweep grid: the cross product of the sweep dimensions, each point with a
// stable id (its row-major index, the last dimension varying fastest) and a
// canonical override string, and the scenario document of each point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "archsim/sweep_spec.hpp"

namespace archsim {

/// One point of a grid.
struct SweepPoint {
  size_t id = 0;                                                ///< row-major index in the grid
  std::vector<std::pair<std::string, nlohmann::json>> overrides;  ///< (path, value), in dimension order
  /// "/a=4 /b=\"5ms\"": each override as path=compact JSON, space separated.
  std::string key() const;
};

/// The number of points of the cross product (1 for no dimension). Throws
/// std::invalid_argument when it exceeds `max_points`.
size_t grid_size(const std::vector<SweepDim>& dims, size_t max_points);

/// Point `id` of the grid (id < grid_size).
SweepPoint grid_point(const std::vector<SweepDim>& dims, size_t id);

/// The index of each dimension's value at point `id`.
std::vector<size_t> grid_indices(const std::vector<SweepDim>& dims, size_t id);

/// The scenario document with the point's overrides applied (a key absent
/// from an existing object is added).
nlohmann::json apply_point(const nlohmann::json& scenario, const SweepPoint& point);

/// A hex FNV-1a 64-bit hash of `text` (identifies a scenario text or a grid).
std::string fnv1a_hex(std::string_view text);

/// The canonical text of a grid (dimensions, values and candidate filter),
/// hashed into the journal's header.
std::string grid_identity(const std::vector<SweepDim>& dims, const std::string& candidate);

}  // namespace archsim
