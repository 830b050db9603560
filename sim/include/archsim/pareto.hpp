// Pareto front of (monthly cost, p99 latency): the points no other point
// beats on both, for the sweep summary and recommend.
#pragma once

#include <cstddef>
#include <vector>

namespace archsim {

/// One point to compare: lower cost and lower p99 are better.
struct ParetoItem {
  size_t id = 0;
  double cost_usd_month = 0;
  double p99_s = 0;
};

/// The ids of the non-dominated items, by ascending cost. An item is
/// dominated when another is no worse on both figures and better on one;
/// of exact ties the smallest id is kept.
std::vector<size_t> pareto_front(std::vector<ParetoItem> items);

}  // namespace archsim
