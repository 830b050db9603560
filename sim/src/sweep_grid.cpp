// Sweep grid: cross product, point ids and keys, overrides, identities.
#include "archsim/sweep_grid.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace archsim {

std::string SweepPoint::key() const {
  std::string text;
  for (const auto& [path, value] : overrides) text += (text.empty() ? "" : " ") + path + "=" + value.dump();
  return text;
}

size_t grid_size(const std::vector<SweepDim>& dims, size_t max_points) {
  size_t n = 1;
  for (const SweepDim& dim : dims) {
    if (dim.values.empty()) throw std::invalid_argument(fmt::format("--vary {}: empty range", dim.path));
    if (n > max_points / dim.values.size())
      throw std::invalid_argument(fmt::format("the grid has more than {} points: narrow the --vary ranges", max_points));
    n *= dim.values.size();
  }
  return n;
}

std::vector<size_t> grid_indices(const std::vector<SweepDim>& dims, size_t id) {
  std::vector<size_t> indices(dims.size());
  for (size_t d = dims.size(); d-- > 0;) {
    indices[d] = id % dims[d].values.size();
    id /= dims[d].values.size();
  }
  return indices;
}

SweepPoint grid_point(const std::vector<SweepDim>& dims, size_t id) {
  SweepPoint point;
  point.id = id;
  const std::vector<size_t> indices = grid_indices(dims, id);
  for (size_t d = 0; d < dims.size(); ++d) point.overrides.emplace_back(dims[d].path, dims[d].values[indices[d]]);
  return point;
}

nlohmann::json apply_point(const nlohmann::json& scenario, const SweepPoint& point) {
  nlohmann::json doc = scenario;
  for (const auto& [path, value] : point.overrides) doc[nlohmann::json::json_pointer(path)] = value;
  return doc;
}

std::string fnv1a_hex(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

std::string grid_identity(const std::vector<SweepDim>& dims, const std::string& candidate) {
  nlohmann::json j = nlohmann::json::array();
  for (const SweepDim& dim : dims) j.push_back({{"path", dim.path}, {"values", dim.values}});
  return nlohmann::json{{"dims", j}, {"candidate", candidate}}.dump();
}

}  // namespace archsim
