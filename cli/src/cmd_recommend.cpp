// `archsim recommend`: one DesignSearch per candidate, then the explanation.
#include "archsim/cmd_recommend.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/logger.h>

#include "archsim/cli_common.hpp"
#include "archsim/cli_errors.hpp"
#include "archsim/design_search.hpp"
#include "archsim/sweep_run.hpp"
#include "archsim/units.hpp"

namespace archsim {

namespace {

/// "10%" or "0.1" -> 0.1.
double parse_margin(const std::string& text) {
  std::string t = text;
  const bool percent = !t.empty() && t.back() == '%';
  if (percent) t.pop_back();
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(t, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (t.empty() || used != t.size() || !std::isfinite(v))
    throw std::invalid_argument(fmt::format("--margin {}: expected a percentage such as 10% or a fraction such as 0.1", text));
  if (percent) v /= 100;
  if (v < 0 || v >= 1) throw std::invalid_argument(fmt::format("--margin {}: expected from 0% to below 100%", text));
  return v;
}

std::string design_text(const Design& d) { return d.point.overrides.empty() ? "(as in the scenario)" : d.point.key(); }

/// Why no design qualified: the closest simulated miss (fewest shortfalls,
/// then cheapest), or a design failing by configuration alone.
/// Why designs of the space are invalid: each distinct reason the loader
/// gave, with how many designs and the first of them, in grid order.
struct InvalidReason {
  std::string reason;
  size_t designs = 0;
  std::string example;
};

std::vector<InvalidReason> invalid_reasons(const DesignSearch& search) {
  std::vector<InvalidReason> out;
  for (const Design& d : search.designs()) {
    if (d.scenario) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const InvalidReason& r) { return r.reason == d.invalid_reason; });
    if (it == out.end()) {
      out.push_back({d.invalid_reason, 1, design_text(d)});
    } else {
      ++it->designs;
    }
  }
  return out;
}

void explain_no_design(const DesignSearch& search, const SearchOutcome& found, double margin, std::ostream& out) {
  const CandidateResult* best_miss = nullptr;
  std::vector<std::string> miss_text;
  size_t miss_id = 0;
  for (size_t id : found.visited) {
    const CandidateResult* r = search.result(id);
    if (!r) continue;
    const DesignCheck c = check_design(*r, margin, 1.0);
    if (!best_miss || c.shortfalls.size() < miss_text.size() ||
        (c.shortfalls.size() == miss_text.size() && r->cost_usd_month < best_miss->cost_usd_month)) {
      best_miss = r;
      miss_text = c.shortfalls;
      miss_id = id;
    }
  }
  if (best_miss) {
    out << fmt::format("  closest: {} ({:.0f} USD/month) fails: {}\n", design_text(search.designs()[miss_id]),
                       best_miss->cost_usd_month, fmt::join(miss_text, "; "));
    return;
  }
  for (const Design& d : search.designs())
    if (!d.static_failure.empty()) {
      out << fmt::format("  e.g. {} fails without simulation: {}\n", design_text(d), d.static_failure);
      return;
    }
}

/// The next cheaper design than one costing `cost_usd_month`: the dearest
/// simulated design below it; of equal costs the nearest miss (fewest
/// shortfalls, then lowest p99).
std::optional<size_t> next_cheaper_design(const DesignSearch& search, const SearchOutcome& found, double cost_usd_month,
                                          double margin) {
  auto nearer = [&](size_t a, size_t b) {
    const CandidateResult& x = *search.result(a);
    const CandidateResult& y = *search.result(b);
    if (x.cost_usd_month != y.cost_usd_month) return x.cost_usd_month > y.cost_usd_month;
    const size_t fx = check_design(x, margin, 1.0).shortfalls.size();
    const size_t fy = check_design(y, margin, 1.0).shortfalls.size();
    if (fx != fy) return fx < fy;
    return x.end_to_end.p99_s.value < y.end_to_end.p99_s.value;
  };
  std::optional<size_t> cheaper;
  for (size_t id : found.visited) {
    const CandidateResult* c = search.result(id);
    if (c && c->cost_usd_month < cost_usd_month && (!cheaper || nearer(id, *cheaper))) cheaper = id;
  }
  return cheaper;
}

}  // namespace

CLI::App* setup_recommend(CLI::App& app, RecommendOptions& opts) {
  CLI::App* cmd = app.add_subcommand("recommend", "Find each candidate's cheapest design meeting every requirement");
  cmd->add_option("SCENARIO", opts.scenario_file, "scenario JSON file")->required();
  cmd->add_option("--vary", opts.varies,
                  "PATH=SPEC: one dimension of a candidate's design space; PATH must start with "
                  "/candidates/N/ (SPEC as in `archsim sweep --help`); repeatable")
      ->type_name("PATH=SPEC");
  cmd->add_option("--space", opts.space_file, "design space file, in the format of `archsim sweep --sweep-file`")
      ->type_name("FILE");
  cmd->add_option("--candidate", opts.candidate, "search only this candidate")->type_name("NAME");
  cmd->add_option("--margin", opts.margin,
                  "headroom kept on every latency and budget target, a percentage (10%) or a fraction (0.1)")
      ->type_name("PCT")
      ->capture_default_str();
  cmd->add_option("-j,--jobs", opts.jobs, "designs simulated at once; 0 = one per core")
      ->type_name("N")
      ->check(CLI::Range(0, 4096));
  cmd->add_option("--json", opts.json_path, "also write the recommendation as JSON to this file")->type_name("OUT");
  cmd->add_flag("-q,--quiet", opts.quiet, "log only warnings and errors to stderr");
  cmd->footer(
      "The design space of a candidate is the grid of the --vary (or --space) dimensions under its\n"
      "/candidates/N/ path; a candidate without any is judged as it is. A design meets the\n"
      "requirements with the margin when it is not overloaded, passes every verdict, and keeps at\n"
      "least the margin of headroom on each latency target and on the budget.\n"
      "\n"
      "The search does not simulate the whole grid: designs are visited by a cost computed without\n"
      "simulation (exact for Kappa; a lower bound for Lambda, whose transient batch cluster counts\n"
      "only its start-up and publish time, and for edge, whose WAN traffic counts as 0), stopping\n"
      "when the next design cannot be cheaper than the best found, or\n"
      "cannot fit the budget; a design with no more brokers, io_threads, processing or batch\n"
      "instances or sink concurrency than one that already failed on latency or overload (all else\n"
      "equal) is skipped, assuming more of those is never worse (partitions and parallelism are not:\n"
      "tasks beyond the partitions idle but share their host's cores). It prints how\n"
      "many simulations it ran against the grid size, the requirement that binds, what the next\n"
      "cheaper simulated design fails on, and what relaxing the p99 target 2x would save.\n"
      "\n"
      "Examples:\n"
      "  archsim recommend scenarios/kappa-reference.json --candidate kappa-baseline \\\n"
      "      --vary /candidates/0/broker/instance=m5.large,m5.xlarge --vary /candidates/0/broker/count=3,4,6 \\\n"
      "      --vary /candidates/0/processing/instances=1,2 --vary /candidates/0/processing/parallelism=2,4,8\n"
      "  archsim recommend scenarios/kappa-reference.json --space space.json --margin 20% --json rec.json\n"
      "\n"
      "Exit status: 0 a design was found for at least one candidate; 3 no design of any searched\n"
      "candidate meets the requirements with the margin; 2 bad input (invalid scenario, bad --vary,\n"
      "a PATH outside /candidates/N/, unknown candidate, bad --margin); 4 when --json cannot be written.");
  return cmd;
}

int run_recommend(const RecommendOptions& opts, std::ostream& out, std::ostream& err) {
  if (opts.jobs < 0) throw std::invalid_argument(fmt::format("--jobs {}: expected 0 or more", opts.jobs));
  check_output_path("--json", opts.json_path);
  const double margin = parse_margin(opts.margin);
  auto log = make_logger(err, opts.quiet);
  const SweepPlan plan = make_sweep_plan(opts.scenario_file, opts.varies, opts.space_file, opts.candidate);
  const nlohmann::json& candidates = plan.document.at("candidates");
  for (const SweepDim& dim : plan.dims) {
    const std::vector<std::string> tokens = pointer_tokens(dim.path);
    if (tokens.size() < 3 || tokens[0] != "candidates")
      throw std::invalid_argument(fmt::format("--vary {}: recommend searches candidates' design spaces: PATH must start "
                                              "with /candidates/N/ (vary the workload with `archsim sweep`)",
                                              dim.path));
  }
  const auto wall_start = std::chrono::steady_clock::now();
  nlohmann::json report = {{"scenario_name", plan.document.value("name", "")}, {"margin", margin}};
  nlohmann::json entries = nlohmann::json::array();
  size_t total_sims = 0, total_grid = 0, total_extra = 0;
  std::optional<std::pair<std::string, double>> overall;
  for (size_t index = 0; index < candidates.size(); ++index) {
    const std::string name = candidates[index].value("name", "");
    if (!plan.candidate.empty() && name != plan.candidate) continue;
    DesignSearch search(plan, index, opts.jobs);
    const size_t grid = search.designs().size();
    log->info("{}: searching {} designs ({} invalid)...", name, grid, search.invalid());
    const SearchOutcome found = search.search(margin, 1.0);
    const size_t sims = search.simulations();
    total_sims += sims;
    total_grid += grid;
    nlohmann::json entry = {{"name", name}, {"grid", grid},       {"invalid", search.invalid()},
                            {"simulations", sims}, {"pruned", found.pruned}, {"ruled_out", found.ruled_out},
                            {"unreached", found.unreached}, {"probes", search.probes()},
                            {"decided_by_probe", found.decided_by_probe}};
    out << fmt::format("{}: ", name);
    if (!found.chosen) {
      out << fmt::format("no design of the space meets every requirement with a {:.0f}% margin\n", 100 * margin);
      explain_no_design(search, found, margin, out);
      entry["found"] = false;
    } else {
      const Design& chosen = search.designs()[*found.chosen];
      const CandidateResult& r = *search.result(*found.chosen);
      const DesignCheck check = check_design(r, margin, 1.0);
      if (!overall || r.cost_usd_month < overall->second) overall = std::make_pair(name, r.cost_usd_month);
      out << fmt::format("cheapest design meeting every requirement with a {:.0f}% margin\n", 100 * margin);
      out << fmt::format("  design: {}\n", design_text(chosen));
      out << fmt::format("  cost: {:.0f} USD/month; p99 {}, p95 {}\n", r.cost_usd_month, format_duration(r.end_to_end.p99_s.value),
                         format_duration(r.end_to_end.p95_s.value));
      if (!check.binding.empty())
        out << fmt::format("  binding requirement: {} ({:.0f}% headroom)\n", check.binding, 100 * check.binding_headroom);
      const std::optional<size_t> cheaper = next_cheaper_design(search, found, r.cost_usd_month, margin);
      if (cheaper) {
        const CandidateResult& c = *search.result(*cheaper);
        out << fmt::format("  next cheaper design: {} ({:.0f} USD/month) fails: {}\n", design_text(search.designs()[*cheaper]),
                           c.cost_usd_month, fmt::join(check_design(c, margin, 1.0).shortfalls, "; "));
        entry["next_cheaper"] = {{"key", search.designs()[*cheaper].point.key()}, {"cost_usd_month", c.cost_usd_month},
                                 {"fails", check_design(c, margin, 1.0).shortfalls}};
      } else if (found.pruned > 0) {
        out << "  next cheaper design: every cheaper design was skipped (no more resources than one that failed)\n";
      } else {
        out << "  next cheaper design: none, this is the cheapest valid design of the space\n";
      }
      // sensitivity: p99 target relaxed 2x
      bool has_p99 = std::any_of(r.verdicts.begin(), r.verdicts.end(), [](const Verdict& v) { return v.requirement == "p99 latency"; });
      if (has_p99) {
        const SearchOutcome relaxed = search.search(margin, 2.0);
        total_extra += relaxed.new_simulations;
        const size_t relaxed_id = relaxed.chosen.value_or(*found.chosen);
        const CandidateResult& rr = *search.result(relaxed_id);
        const double saving = r.cost_usd_month - rr.cost_usd_month;
        if (saving > 0.005)
          out << fmt::format("  with the p99 target relaxed 2x: {} at {:.0f} USD/month, saving {:.0f} USD/month ({:.0f}%)\n",
                             design_text(search.designs()[relaxed_id]), rr.cost_usd_month, saving,
                             100 * saving / r.cost_usd_month);
        else
          out << "  with the p99 target relaxed 2x: no saving within this space (p99 does not decide the cost here)\n";
        out << fmt::format("  (that sensitivity took {} more simulation{})\n", relaxed.new_simulations,
                           relaxed.new_simulations == 1 ? "" : "s");
        entry["relaxed_p99_2x"] = {{"key", search.designs()[relaxed_id].point.key()},
                                   {"cost_usd_month", rr.cost_usd_month},
                                   {"saving_usd_month", saving},
                                   {"simulations", relaxed.new_simulations}};
      }
      nlohmann::json design = nlohmann::json::object();
      for (const auto& [path, value] : chosen.point.overrides) design[path] = value;
      entry["found"] = true;
      entry["design"] = design;
      entry["key"] = chosen.point.key();
      entry["cost_usd_month"] = r.cost_usd_month;
      entry["p99_s"] = r.end_to_end.p99_s.value;
      entry["binding"] = check.binding;
      entry["binding_headroom"] = check.binding_headroom;
    }
    out << fmt::format("  search: {} simulation{} vs grid {} ({} skipped by monotonicity, {} failing by configuration, "
                       "{} not reached: bound above the best cost or the budget, {} invalid)\n",
                       sims, sims == 1 ? "" : "s", grid, found.pruned, found.ruled_out, found.unreached, search.invalid());
    // An invalid design is left out, not fatal; say why, so a space that
    // varies a setting its candidate cannot have is plain to see.
    constexpr size_t kReasonsShown = 3;
    const std::vector<InvalidReason> reasons = invalid_reasons(search);
    nlohmann::json reasons_json = nlohmann::json::array();
    for (size_t i = 0; i < reasons.size(); ++i) {
      const InvalidReason& r = reasons[i];
      reasons_json.push_back({{"reason", r.reason}, {"designs", r.designs}, {"example", r.example}});
      if (i < kReasonsShown)
        out << fmt::format("  invalid: {} design{} (e.g. {}): {}\n", r.designs, r.designs == 1 ? "" : "s", r.example,
                           r.reason);
    }
    if (reasons.size() > kReasonsShown)
      out << fmt::format("  invalid: {} more reasons (all of them in --json)\n", reasons.size() - kReasonsShown);
    entry["invalid_reasons"] = reasons_json;
    const std::vector<std::string> coarse = search.coarse_dimensions();
    if (!coarse.empty())
      out << fmt::format("  coarse to fine over {}: {} of the judged designs came from a first pass over every few values "
                         "of {}; exact under the same assumption as the monotonicity skips (more of it never makes a "
                         "design worse); other settings are searched value by value\n",
                         fmt::join(coarse, ", "), found.coarse_visited, coarse.size() == 1 ? "it" : "them");
    entry["coarse_to_fine"] = coarse;
    entry["coarse_visited"] = found.coarse_visited;
    if (search.probes() > 0)
      out << fmt::format("  early stopping: {} of the {} simulations were short probes ({:.0f}% of the duration); {} "
                         "design{} failed on the probe's p99 confidence interval alone\n",
                         search.probes(), sims, 100 * kProbeFraction, found.decided_by_probe,
                         found.decided_by_probe == 1 ? "" : "s");
    entries.push_back(entry);
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  out << fmt::format("\nrecommend: {} simulations vs grid {} (+{} for the p99 sensitivity), {:.1f} s wall time\n",
                     total_sims, total_grid, total_extra, wall);
  if (overall)
    out << fmt::format("Recommendation: {} at {:.0f} USD/month\n", overall->first, overall->second);
  else
    out << "Recommendation: none (no searched design meets every requirement with the margin)\n";
  report["candidates"] = entries;
  report["simulations"] = total_sims;
  report["grid"] = total_grid;
  report["recommended"] = overall ? overall->first : "";
  if (!opts.json_path.empty()) {
    write_output(opts.json_path, report.dump(1) + "\n");
    log->info("wrote the recommendation to {}", opts.json_path);
  }
  return overall ? exit_code::ok : exit_code::requirements_not_met;
}

}  // namespace archsim
