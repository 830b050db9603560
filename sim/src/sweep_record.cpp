// Sweep records and the sweep summary (see sweep_record.hpp).
#include "archsim/sweep_record.hpp"

#include <algorithm>

#include "archsim/pareto.hpp"

namespace archsim {

namespace {

nlohmann::json record_head(const SweepPoint& point, const std::string& status) {
  nlohmann::json overrides = nlohmann::json::object();
  for (const auto& [path, value] : point.overrides) overrides[path] = value;
  return {{"point", point.id}, {"key", point.key()}, {"overrides", overrides}, {"status", status}};
}

}  // namespace

nlohmann::json point_record(const SweepPoint& point, const Result& result) {
  nlohmann::json record = record_head(point, "ok");
  nlohmann::json candidates = nlohmann::json::array();
  for (const CandidateResult& c : result.candidates) {
    nlohmann::json verdicts = nlohmann::json::array();
    for (const Verdict& v : c.verdicts)
      verdicts.push_back({{"requirement", v.requirement}, {"pass", v.pass}, {"value", v.value}, {"target", v.target},
                          {"unit", v.unit}, {"headroom", v.headroom}});
    const LatencySummary& l = c.end_to_end;
    candidates.push_back({{"name", c.name},
                          {"kind", c.kind},
                          {"cost_usd_month", c.cost_usd_month},
                          {"latency_count", l.count},
                          {"p50_s", l.p50_s.value},
                          {"p95_s", l.p95_s.value},
                          {"p99_s", l.p99_s.value},
                          {"p99_lo_s", l.p99_s.lo},
                          {"p99_hi_s", l.p99_s.hi},
                          {"achieved_eps", c.achieved_eps},
                          {"offered_eps", c.offered_eps},
                          {"overloaded", c.overloaded},
                          {"overload_reason", c.overload_reason},
                          {"meets_all", c.meets_all},
                          {"verdicts", verdicts}});
  }
  record["candidates"] = candidates;
  return record;
}

nlohmann::json point_error_record(const SweepPoint& point, const std::string& status, const std::string& error) {
  nlohmann::json record = record_head(point, status);
  record["error"] = error;
  return record;
}

const nlohmann::json* record_candidate(const nlohmann::json& record, const std::string& name) {
  if (!record.contains("candidates")) return nullptr;
  for (const auto& c : record["candidates"])
    if (c.value("name", "") == name) return &c;
  return nullptr;
}

std::vector<CandidateSweepSummary> summarise_sweep(const std::vector<nlohmann::json>& records) {
  std::vector<CandidateSweepSummary> out;
  std::vector<std::vector<ParetoItem>> items;
  std::vector<double> best_cost;
  std::vector<double> best_p99;
  for (const nlohmann::json& record : records) {
    if (record.value("status", "") != "ok") continue;
    const size_t id = record["point"].get<size_t>();
    for (const nlohmann::json& c : record["candidates"]) {
      const std::string name = c["name"].get<std::string>();
      auto it = std::find_if(out.begin(), out.end(), [&](const CandidateSweepSummary& s) { return s.name == name; });
      if (it == out.end()) {
        out.push_back({name, 0, {}, {}, std::nullopt});
        items.emplace_back();
        best_cost.push_back(0);
        best_p99.push_back(0);
        it = out.end() - 1;
      }
      const size_t k = static_cast<size_t>(it - out.begin());
      ++it->simulated;
      const double cost = c["cost_usd_month"].get<double>();
      if (!c["overloaded"].get<bool>() && c["latency_count"].get<uint64_t>() > 0)
        items[k].push_back({id, cost, c["p99_s"].get<double>()});
      if (c["meets_all"].get<bool>()) {
        it->feasible.push_back(id);
        const double p99 = c["p99_s"].get<double>();
        if (!it->cheapest_feasible || cost < best_cost[k] || (cost == best_cost[k] && p99 < best_p99[k])) {
          it->cheapest_feasible = id;  // of equal costs, the faster
          best_cost[k] = cost;
          best_p99[k] = p99;
        }
      }
    }
  }
  for (size_t k = 0; k < out.size(); ++k) out[k].pareto = pareto_front(items[k]);
  return out;
}

}  // namespace archsim
