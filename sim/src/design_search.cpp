// Design search: cost-ordered branch and bound with monotonicity pruning,
// coarse to fine over the monotone settings.
#include "archsim/design_search.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "archsim/evaluate.hpp"
#include "archsim/point_runner.hpp"
#include "archsim/scenario_loader.hpp"
#include "archsim/units.hpp"

namespace archsim {

namespace {

std::string value_text(double value, const std::string& unit) {
  if (unit == "s") return format_duration(value);
  if (unit == "USD/month") return fmt::format("{:.0f} USD/month", value);
  return fmt::format("{:.4g}", value);
}

/// judge() on an empty run: the cost without simulating (a lower bound: edge
/// WAN traffic counts as 0, and a transient Lambda batch cluster as running
/// only its start-up and publish time, the shortest a run can take) and the
/// verdicts decided by configuration alone.
CandidateResult judge_without_run(const Scenario& scenario, const Candidate& candidate) {
  CandidateResult empty;
  if (candidate.kind == "lambda") empty.batch_layer.mean_run_s = candidate.batch.startup_s + candidate.batch.publish_s;
  judge(scenario, candidate, empty);
  return empty;
}

}  // namespace

bool is_monotone_setting(const std::string& path) {
  // Not partitions nor parallelism: tasks beyond the partition count sit idle
  // yet share their host's cores in the model, so more of either can overload
  // a design that fewer would not (seen in sweeps of recommend-small.json).
  constexpr std::array<std::string_view, 5> keys = {"/broker/count", "/broker/io_threads", "/processing/instances",
                                                    "/sink/concurrency", "/batch/instances"};
  return std::any_of(keys.begin(), keys.end(), [&](std::string_view key) {
    return path.size() > key.size() && std::string_view(path).substr(path.size() - key.size()) == key;
  });
}

DesignCheck check_design(const CandidateResult& r, double margin, double p99_factor) {
  DesignCheck check;
  check.binding_headroom = 1e300;
  if (r.overloaded) check.shortfalls.push_back("overloaded: " + r.overload_reason);
  bool budget_only = true;
  for (const Verdict& v : r.verdicts) {
    const bool relaxed = v.requirement == "p99 latency" && p99_factor != 1;
    const double target = relaxed ? v.target * p99_factor : v.target;
    const bool numeric = v.unit == "s" || v.unit == "USD/month";
    bool ok = v.pass;
    double headroom = v.headroom;
    if (numeric) {
      headroom = target > 0 ? (target - v.value) / target : (v.value <= 0 ? 0 : -1);
      // an overloaded run fails its latency verdicts whatever the value
      ok = v.value <= target && headroom >= margin - 1e-12 && !(r.overloaded && v.unit == "s" && !v.pass);
      if (headroom < check.binding_headroom) {
        check.binding_headroom = headroom;
        check.binding = v.requirement;
      }
    }
    if (ok) continue;
    if (v.requirement != "monthly budget") budget_only = false;
    if (!numeric) {
      check.shortfalls.push_back(v.text.empty() ? v.requirement : v.text);
    } else if (v.value > target) {
      check.shortfalls.push_back(fmt::format("{} {} vs target {}: {:.0f}% over", v.requirement, value_text(v.value, v.unit),
                                             value_text(target, v.unit), -100 * headroom));
    } else {
      check.shortfalls.push_back(fmt::format("{} {} vs target {}: {:.0f}% headroom, below the {:.0f}% margin", v.requirement,
                                             value_text(v.value, v.unit), value_text(target, v.unit), 100 * headroom,
                                             100 * margin));
    }
  }
  check.feasible = check.shortfalls.empty();
  check.fails_resource = !check.feasible && (r.overloaded || !budget_only);
  if (check.binding.empty()) check.binding_headroom = 0;
  return check;
}

DesignSearch::DesignSearch(const SweepPlan& plan, size_t candidate_index, int jobs) : jobs_(jobs) {
  const std::string prefix = fmt::format("/candidates/{}/", candidate_index);
  for (const SweepDim& dim : plan.dims)
    if (dim.path.rfind(prefix, 0) == 0) dims_.push_back(dim);
  for (const SweepDim& dim : dims_)
    monotone_.push_back(is_monotone_setting(dim.path) &&
                        std::all_of(dim.values.begin(), dim.values.end(), [](const auto& v) { return v.is_number(); }));
  const nlohmann::json& candidates = plan.document.at("candidates");
  candidate_ = candidates.at(candidate_index).value("name", "");
  const size_t size = grid_size(dims_, 100000);
  for (size_t id = 0; id < size; ++id) {
    Design d;
    d.point = grid_point(dims_, id);
    try {
      Scenario s = parse_scenario(apply_point(plan.document, d.point).dump(), plan.scenario_file, plan.base_dir);
      const auto it = std::find_if(s.candidates.begin(), s.candidates.end(), [&](const Candidate& c) { return c.name == candidate_; });
      if (it == s.candidates.end()) throw std::invalid_argument("candidate renamed");
      const CandidateResult bound = judge_without_run(s, *it);
      d.cost_lower_bound = bound.cost_usd_month;
      for (const Verdict& v : bound.verdicts)
        if (v.requirement == "delivery semantics" && !v.pass) d.static_failure = v.text;
      if (!budget_ && s.requirements.budget_usd_month) budget_ = s.requirements.budget_usd_month;
      d.scenario = std::move(s);
    } catch (const ScenarioError& e) {
      d.invalid_reason = issues_line(e);
    } catch (const std::invalid_argument& e) {
      d.invalid_reason = e.what();
    }
    designs_.push_back(std::move(d));
  }
}

size_t DesignSearch::invalid() const {
  return static_cast<size_t>(std::count_if(designs_.begin(), designs_.end(), [](const Design& d) { return !d.scenario; }));
}

const CandidateResult* DesignSearch::result(size_t id) const {
  if (const auto it = cache_.find(id); it != cache_.end()) return &it->second;
  const auto probe = probe_cache_.find(id);
  return probe == probe_cache_.end() ? nullptr : &probe->second;
}

bool DesignSearch::dominated_by_failure(size_t id, const std::vector<size_t>& failed) const {
  const std::vector<size_t> mine = grid_indices(dims_, id);
  for (size_t f : failed) {
    const std::vector<size_t> theirs = grid_indices(dims_, f);
    bool dominated = true;
    for (size_t d = 0; d < dims_.size() && dominated; ++d) {
      if (monotone_[d])
        dominated = dims_[d].values[mine[d]].get<double>() <= dims_[d].values[theirs[d]].get<double>();
      else
        dominated = mine[d] == theirs[d];
    }
    if (dominated) return true;
  }
  return false;
}

void DesignSearch::simulate(const std::vector<size_t>& ids, bool probe) {
  std::vector<Scenario> shortened;  // the probes' scenarios: the same run, a shorter window
  shortened.reserve(ids.size());
  std::vector<const Scenario*> scenarios;
  for (size_t id : ids) {
    if (probe) {
      shortened.push_back(*designs_[id].scenario);
      shortened.back().simulation.duration_s *= kProbeFraction;
      scenarios.push_back(&shortened.back());
    } else {
      scenarios.push_back(&*designs_[id].scenario);
    }
  }
  SimOptions options;
  options.candidate = candidate_;
  auto& cache = probe ? probe_cache_ : cache_;
  auto& failures = probe ? probe_failures_ : failures_;
  run_points(
      scenarios, options, jobs_,
      [&](size_t i, PointOutcome outcome) {
        ++simulations_;
        probes_ += probe ? 1 : 0;
        if (outcome.result && outcome.result->candidates.size() == 1)
          cache[ids[i]] = outcome.result->candidates.front();
        else
          failures[ids[i]] = outcome.result ? "no result for the candidate" : outcome.error;
      },
      nullptr);
}

bool DesignSearch::can_probe(size_t id) const {
  const Scenario& s = *designs_[id].scenario;
  const auto it =
      std::find_if(s.candidates.begin(), s.candidates.end(), [&](const Candidate& c) { return c.name == candidate_; });
  return it != s.candidates.end() && it->kind == "kappa" && s.simulation.mode == SimMode::batched &&
         s.workload.pattern.kind == RatePatternKind::constant && s.workload.pattern.bursts.empty() &&
         s.simulation.duration_s * kProbeFraction >= kMinProbeWindowS;
}

bool DesignSearch::probe_decides_failure(size_t id, double margin, double p99_factor) const {
  const auto it = probe_cache_.find(id);
  if (it == probe_cache_.end()) return false;
  const CandidateResult& r = it->second;
  for (const Verdict& v : r.verdicts) {
    if (v.requirement != "p99 latency" || v.unit != "s") continue;
    const double target = v.target * p99_factor * (1 - margin);
    const Estimate& p99 = r.end_to_end.p99_s;
    return r.end_to_end.count > 0 && p99.lo < p99.hi && p99.lo > target * kProbeGuard;
  }
  return false;
}

std::vector<bool> DesignSearch::coarse_subset() const {
  // per monotone dimension: every k-th value (k about the square root of its
  // count, at least 2) and the last one
  std::vector<std::vector<bool>> keep(dims_.size());
  bool any = false;
  for (size_t d = 0; d < dims_.size(); ++d) {
    const size_t n = dims_[d].values.size();
    keep[d].assign(n, true);
    if (!monotone_[d] || n < kCoarseMinValues) continue;
    const auto step = std::max<size_t>(2, static_cast<size_t>(std::lround(std::sqrt(static_cast<double>(n)))));
    for (size_t i = 0; i < n; ++i) keep[d][i] = i % step == 0 || i + 1 == n;
    any = true;
  }
  if (!any) return {};
  std::vector<bool> coarse(designs_.size(), false);
  for (size_t id = 0; id < designs_.size(); ++id) {
    const std::vector<size_t> idx = grid_indices(dims_, id);
    bool in = true;
    for (size_t d = 0; d < dims_.size() && in; ++d) in = keep[d][idx[d]];
    coarse[id] = in;
  }
  return coarse;
}

std::vector<std::string> DesignSearch::coarse_dimensions() const {
  std::vector<std::string> paths;
  for (size_t d = 0; d < dims_.size(); ++d)
    if (monotone_[d] && dims_[d].values.size() >= kCoarseMinValues) paths.push_back(dims_[d].path);
  return paths;
}

SearchOutcome DesignSearch::search(double margin, double p99_factor) {
  SearchOutcome outcome;
  const size_t simulations_before = simulations_;
  // Visit order: cost bound, then more monotone resources first (a failure
  // there rules out every smaller design of the same cost), then id.
  std::vector<size_t> order;
  std::vector<double> rank(designs_.size(), 0);
  for (size_t id = 0; id < designs_.size(); ++id) {
    if (!designs_[id].scenario) continue;
    order.push_back(id);
    const std::vector<size_t> idx = grid_indices(dims_, id);
    for (size_t d = 0; d < dims_.size(); ++d)
      if (monotone_[d]) rank[id] += static_cast<double>(idx[d]);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (designs_[a].cost_lower_bound != designs_[b].cost_lower_bound)
      return designs_[a].cost_lower_bound < designs_[b].cost_lower_bound;
    if (rank[a] != rank[b]) return rank[a] > rank[b];
    return a < b;
  });
  const size_t width = static_cast<size_t>(jobs_ > 0 ? jobs_ : 2);
  std::optional<double> best_cost;
  std::vector<size_t> failed;
  std::vector<bool> judged(designs_.size(), false);

  // One branch-and-bound pass over `ids` (in visit order), sharing the best
  // cost and the failures found so far; returns how many it did not reach.
  const auto pass = [&](const std::vector<size_t>& ids) {
    size_t pos = 0;
    bool stopped = false;
    while (pos < ids.size() && !stopped) {
      std::vector<size_t> batch;
      std::vector<size_t> to_simulate;
      while (pos < ids.size() && to_simulate.size() < width) {
        const size_t id = ids[pos];
        const double bound = designs_[id].cost_lower_bound;
        if ((best_cost && bound >= *best_cost) || (budget_ && bound > *budget_ * (1 - margin) + 1e-9)) {
          stopped = true;
          break;
        }
        ++pos;
        if (judged[id]) continue;  // the coarse pass judged it already
        if (!designs_[id].static_failure.empty()) {
          ++outcome.ruled_out;
          judged[id] = true;
          continue;
        }
        if (dominated_by_failure(id, failed)) {
          ++outcome.pruned;
          judged[id] = true;
          continue;
        }
        batch.push_back(id);
        if (!cache_.count(id) && !failures_.count(id)) to_simulate.push_back(id);
        // judge an already simulated design before simulating more
        if (to_simulate.empty() && (cache_.count(id) || failures_.count(id))) break;
      }
      if (!to_simulate.empty()) {
        // Early stopping: a short probe first where it stands for the full run;
        // only designs their probe does not rule out are simulated in full.
        std::vector<size_t> probe_ids;
        for (size_t id : to_simulate)
          if (can_probe(id) && !probe_cache_.count(id) && !probe_failures_.count(id)) probe_ids.push_back(id);
        if (!probe_ids.empty()) {
          const size_t before = probes_;
          simulate(probe_ids, true);
          outcome.new_probes += probes_ - before;
        }
        std::vector<size_t> full_ids;
        for (size_t id : to_simulate) {
          if (probe_decides_failure(id, margin, p99_factor))
            ++outcome.decided_by_probe;
          else
            full_ids.push_back(id);
        }
        if (!full_ids.empty()) simulate(full_ids, false);
      }
      for (size_t id : batch) {
        outcome.visited.push_back(id);
        judged[id] = true;
        const CandidateResult* r = nullptr;
        const auto full = cache_.find(id);
        if (full != cache_.end())
          r = &full->second;
        else if (probe_decides_failure(id, margin, p99_factor))
          r = &probe_cache_.at(id);
        if (r == nullptr) continue;  // the simulation failed: neither feasible nor evidence
        const DesignCheck check = check_design(*r, margin, p99_factor);
        if (check.feasible && full != cache_.end()) {  // only a full run can choose a design
          if (!best_cost || r->cost_usd_month < *best_cost) {
            best_cost = r->cost_usd_month;
            outcome.chosen = id;
          }
        } else if (check.fails_resource) {
          failed.push_back(id);
        }
      }
    }
    size_t unreached = 0;
    for (size_t i = pos; i < ids.size(); ++i) unreached += judged[ids[i]] ? 0 : 1;
    return unreached;
  };

  // Coarse to fine: a pass over a coarse subset of the monotone settings
  // first finds failures high up their ranges (each rules out every design
  // with less of them, other settings equal) and a feasible cost to bound
  // the search; then the full pass over every design, sharing both, decides.
  // The full pass skips only what monotonicity or the cost bound rule out,
  // so the result is the one the full pass alone would give.
  const std::vector<bool> coarse = coarse_subset();
  if (!coarse.empty()) {
    std::vector<size_t> coarse_order;
    for (size_t id : order)
      if (coarse[id]) coarse_order.push_back(id);
    pass(coarse_order);
    outcome.coarse_visited = outcome.visited.size();
  }
  outcome.unreached = pass(order);
  outcome.new_simulations = simulations_ - simulations_before;
  return outcome;
}

}  // namespace archsim
