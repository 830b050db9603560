// The Pareto front of (latency, cost) points, shared by the HTML report's
// cost-versus-latency chart and the GUI's scatter plot.
#pragma once

#include <utility>
#include <vector>

namespace archsim::html {

/// For points (latency, cost): true for each point no other point beats,
/// i.e. none is at most as slow and at most as dear and better in one.
/// Non-finite points are never on the front.
std::vector<bool> pareto_front(const std::vector<std::pair<double, double>>& points);

}  // namespace archsim::html
