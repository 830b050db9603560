// Pareto front: sort by cost (then p99, then id), keep each strictly better p99.
#include "archsim/pareto.hpp"

#include <algorithm>
#include <limits>

namespace archsim {

std::vector<size_t> pareto_front(std::vector<ParetoItem> items) {
  std::sort(items.begin(), items.end(), [](const ParetoItem& a, const ParetoItem& b) {
    if (a.cost_usd_month != b.cost_usd_month) return a.cost_usd_month < b.cost_usd_month;
    if (a.p99_s != b.p99_s) return a.p99_s < b.p99_s;
    return a.id < b.id;
  });
  std::vector<size_t> front;
  double best_p99 = std::numeric_limits<double>::infinity();
  for (const ParetoItem& item : items) {
    if (item.p99_s < best_p99) {
      front.push_back(item.id);
      best_p99 = item.p99_s;
    }
  }
  return front;
}

}  // namespace archsim
