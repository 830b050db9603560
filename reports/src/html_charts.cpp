// The HTML report's charts (see html_charts.hpp). Latencies are plotted in
// milliseconds, money in USD per month; each chart's table holds the same
// numbers as text.
#include "html_charts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "archsim/svg_plot.hpp"
#include "decision_summary.hpp"
#include "html_parts.hpp"
#include "number_format.hpp"

namespace archsim::html {

namespace {


std::string ms_tick(double ms) { return fmt::format("{:g}", ms); }

/// The latency target of `requirement` (seconds), when some candidate was judged on it.
std::optional<double> latency_target(const Comparison& cmp, const std::string& requirement) {
  for (const ComparedCandidate& cc : cmp.candidates)
    if (const Verdict* v = find_verdict(cc.result, requirement); v != nullptr && v->unit == "s") return v->target;
  return std::nullopt;
}

std::optional<double> budget(const Comparison& cmp) {
  for (const ComparedCandidate& cc : cmp.candidates)
    if (const Verdict* v = find_verdict(cc.result, "monthly budget"); v != nullptr) return v->target;
  return std::nullopt;
}

bool has_latency(const CandidateResult& c) { return c.end_to_end.count > 0 && std::isfinite(c.end_to_end.p99_s.value); }

std::string usd_tick(double usd) { return usd == 0 ? "$0" : format_usd(usd); }


}  // namespace

std::vector<bool> pareto_front(const std::vector<std::pair<double, double>>& points) {
  std::vector<bool> front(points.size(), false);
  for (size_t i = 0; i < points.size(); ++i) {
    // Plain variables, not a structured binding: clang before 16 cannot
    // capture a binding in the lambda below (the asan tree is built by clang 14).
    const double li = points[i].first, ci = points[i].second;
    if (!std::isfinite(li) || !std::isfinite(ci)) continue;
    front[i] = std::none_of(points.begin(), points.end(), [&](const auto& p) {
      return std::isfinite(p.first) && std::isfinite(p.second) && p.first <= li && p.second <= ci &&
             (p.first < li || p.second < ci);
    });
  }
  return front;
}

std::string latency_cdf_chart(const Comparison& cmp) {
  const auto p95_target = latency_target(cmp, "p95 latency");
  const auto p99_target = latency_target(cmp, "p99 latency");
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (const ComparedCandidate& cc : cmp.candidates)
    for (const auto& [latency_s, fraction] : cc.result.end_to_end.cdf)
      if (latency_s > 0 && std::isfinite(latency_s)) {
        lo = std::min(lo, latency_s);
        hi = std::max(hi, latency_s);
      }
  for (const auto& t : {p95_target, p99_target})
    if (t && *t > 0) {
      lo = std::min(lo, *t);
      hi = std::max(hi, *t);
    }
  if (!(hi > 0) || !std::isfinite(lo)) {
    lo = 1e-3;
    hi = 1;
  }
  // Whole decades around the data, so the log ticks land on round numbers.
  const double lo_ms = std::pow(10.0, std::floor(std::log10(lo * kMs) + 1e-9));
  const double hi_ms = std::pow(10.0, std::ceil(std::log10(hi * kMs) - 1e-9));
  SvgPlot plot("End-to-end latency distribution (CDF) per candidate",
               "Share of events delivered within a given end-to-end latency, per candidate, on a log latency axis, "
               "with the p95 and p99 latency targets as vertical lines.",
               {"end-to-end latency (ms, log scale)", lo_ms, hi_ms, true, {}, ms_tick},
               {"events at or below latency (%)", 0, 100, false, {}, ms_tick});
  plot.horizontal_rule(95, "95%", {"#999", 1, "2 3"});
  plot.horizontal_rule(99, "99%", {"#999", 1, "2 3"});
  if (p95_target) plot.vertical_rule(*p95_target * kMs, "p95 target " + format_latency(*p95_target), {"#B00020", 1.5, "2 3"});
  if (p99_target) plot.vertical_rule(*p99_target * kMs, "p99 target " + format_latency(*p99_target), kTargetStroke);
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < cmp.candidates.size(); ++i) {
    const ComparedCandidate& cc = cmp.candidates[i];
    const LatencySummary& l = cc.result.end_to_end;
    const Stroke stroke{series_colour(i), 2.5, series_dash(i)};
    std::vector<std::pair<double, double>> points;
    for (const auto& [latency_s, fraction] : l.cdf) points.emplace_back(latency_s * kMs, fraction * 100);
    plot.polyline(points, stroke, fmt::format("{}: p50 {}, p99 {}", cc.label, format_latency(l.p50_s.value),
                                              format_latency(l.p99_s.value)));
    plot.add_legend(cc.label, stroke);
    const bool measured = l.count > 0;
    auto cell = [&](const Estimate& e) { return measured ? h(format_estimate(e)) : std::string(kMissingNumber); };
    rows.push_back({h(cc.label), cell(l.p50_s), cell(l.p95_s), cell(l.p99_s), cell(l.p999_s),
                    measured ? h(format_latency(l.max_s)) : kMissingNumber, h(format_count(double(l.count)))});
  }
  plot.add_legend("latency target", kTargetStroke);
  std::string caption =
      "Further left is faster. Each line shows what share of events arrived within a latency; where a line crosses "
      "the 99% rule is its p99.";
  if (p99_target || p95_target)
    caption += " Red dashed lines are the targets: a candidate meets a target when its line crosses the 95% (or 99%) "
               "rule left of the target line.";
  const std::string numbers =
      table({"Candidate", "p50", "p95", "p99", "p99.9", "max", "events measured"}, rows, {1, 2, 3, 4, 5, 6}) +
      "<p class=\"note\">Percentiles with the half-width of their 95% confidence interval (batch means).</p>\n";
  return chart_block("latency-cdf", "End-to-end latency", plot.render(), h(caption), numbers);
}

std::string stage_latency_chart(const Comparison& cmp) {
  std::vector<std::string> stages;
  double hi_s = 0;
  for (const ComparedCandidate& cc : cmp.candidates)
    for (const StageLatency& s : cc.result.stages) {
      if (std::find(stages.begin(), stages.end(), s.stage) == stages.end()) stages.push_back(s.stage);
      if (s.latency.count > 0 && std::isfinite(s.latency.p99_s.value)) hi_s = std::max(hi_s, s.latency.p99_s.value);
    }
  if (stages.empty()) return "";
  const double hi_ms = nice_ceiling(hi_s * kMs);
  const size_t n = std::max<size_t>(1, cmp.candidates.size());
  const double row_px = std::max(34.0, 12.0 * static_cast<double>(n) + 10);
  SvgPlot plot("Latency by stage: p50 and p99 per stage and candidate",
               "Horizontal bars per pipeline stage and candidate: the solid part is the stage's median (p50) "
               "latency, the pale extension its p99 latency, in milliseconds.",
               {"stage latency (ms); solid bar = p50, pale bar = p99", 0, hi_ms, false, {}, ms_tick},
               {"stage", 0, 1, false, stages, {}}, 720, 62 + row_px * static_cast<double>(stages.size()));
  std::vector<std::vector<std::string>> rows;
  for (size_t si = 0; si < stages.size(); ++si) {
    const auto [band_y, band_h] = plot.y_band(si);
    const double bar_h = std::min(14.0, (band_h - 8) / static_cast<double>(n));
    for (size_t i = 0; i < cmp.candidates.size(); ++i) {
      const ComparedCandidate& cc = cmp.candidates[i];
      auto it = std::find_if(cc.result.stages.begin(), cc.result.stages.end(),
                             [&](const StageLatency& s) { return s.stage == stages[si]; });
      if (it == cc.result.stages.end()) continue;
      const LatencySummary& l = it->latency;
      const bool measured = l.count > 0;
      rows.push_back({h(cc.label), h(stages[si]), measured ? h(format_estimate(l.p50_s)) : kMissingNumber,
                      measured ? h(format_estimate(l.p99_s)) : kMissingNumber, h(it->description)});
      if (!measured) continue;
      const double y = band_y + 4 + bar_h * static_cast<double>(i);
      const double x0 = plot.x_px(0);
      const std::string tip = fmt::format("{} · {}: p50 {}, p99 {}", cc.label, stages[si],
                                          format_latency(l.p50_s.value), format_latency(l.p99_s.value));
      plot.rect_px(x0, y + 1, plot.x_px(l.p99_s.value * kMs) - x0, bar_h - 2, series_colour(i) + "55", tip);
      plot.rect_px(x0, y + 1, plot.x_px(l.p50_s.value * kMs) - x0, bar_h - 2, series_colour(i), tip);
    }
  }
  for (size_t i = 0; i < cmp.candidates.size(); ++i)
    plot.add_legend(cmp.candidates[i].label, {series_colour(i), 2, ""}, true);
  const std::string caption =
      "Where the time goes. Stage percentiles do not add up to the end-to-end percentile: the slowest events of one "
      "stage are rarely the slowest of another.";
  return chart_block("stages", "Latency by stage", plot.render(), h(caption),
                     table({"Candidate", "Stage", "p50", "p99", "What the stage covers"}, rows, {2, 3}));
}

std::string cost_breakdown_chart(const Comparison& cmp) {
  std::vector<std::string> components, labels;
  double top = 0;
  for (const ComparedCandidate& cc : cmp.candidates) {
    labels.push_back(cc.label);
    double sum = 0;
    for (const CostLine& line : cc.result.cost) {
      if (std::find(components.begin(), components.end(), line.component) == components.end())
        components.push_back(line.component);
      sum += std::max(0.0, line.usd_month);
    }
    top = std::max({top, sum, cc.result.cost_usd_month});
  }
  const auto limit = budget(cmp);
  if (limit) top = std::max(top, *limit);
  SvgPlot plot("Monthly cost by component per candidate",
               "Stacked bars: each candidate's monthly cost in US dollars, split into its cost components; the "
               "dashed line is the monthly budget.",
               {"candidate", 0, 1, false, labels, {}},
               {"cost (USD per month)", 0, nice_ceiling(top * 1.08), false, {}, usd_tick});
  for (size_t i = 0; i < cmp.candidates.size(); ++i) {
    const CandidateResult& c = cmp.candidates[i].result;
    const auto [band_x, band_w] = plot.x_band(i);
    const double w = std::min(90.0, band_w * 0.6), x = band_x + (band_w - w) / 2;
    double base = 0;
    for (size_t k = 0; k < components.size(); ++k) {
      double usd = 0;
      for (const CostLine& line : c.cost)
        if (line.component == components[k]) usd += std::max(0.0, line.usd_month);
      if (usd <= 0) continue;
      const double y0 = plot.y_px(base), y1 = plot.y_px(base + usd);
      plot.rect_px(x, y1, w, y0 - y1, series_colour(k + 2),
                   fmt::format("{} · {}: {}/month", cmp.candidates[i].label, components[k], format_usd(usd)));
      base += usd;
    }
    plot.text_px(x + w / 2, plot.y_px(base) - 6, format_usd(c.cost_usd_month), "middle", "value");
  }
  if (limit) plot.horizontal_rule(*limit, "budget " + format_usd(*limit) + "/month", kTargetStroke);
  for (size_t k = 0; k < components.size(); ++k) plot.add_legend(components[k], {series_colour(k + 2), 2, ""}, true);

  std::vector<std::string> header = {"Component"};
  for (const auto& label : labels) header.push_back(h(label));
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> numeric;
  for (size_t i = 1; i <= labels.size(); ++i) numeric.push_back(i);
  for (const std::string& component : components) {
    std::vector<std::string> row = {h(component)};
    for (const ComparedCandidate& cc : cmp.candidates) {
      double usd = 0;
      bool any = false;
      for (const CostLine& line : cc.result.cost)
        if (line.component == component) usd += line.usd_month, any = true;
      row.push_back(any ? h(format_usd(usd)) : std::string(kMissingNumber));
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::string> total = {"<strong>total</strong>"};
  for (const ComparedCandidate& cc : cmp.candidates)
    total.push_back("<strong>" + h(format_usd(cc.result.cost_usd_month)) + "</strong>");
  rows.push_back(std::move(total));
  std::string caption = "Monthly cost from the catalog prices (see the assumptions for each line's basis).";
  if (limit) caption += " The red dashed line is the budget of " + format_usd(*limit) + "/month.";
  return chart_block("cost", "Monthly cost", plot.render(), h(caption), table(header, rows, numeric));
}

std::string cost_vs_latency_chart(const Comparison& cmp) {
  const auto p99_target = latency_target(cmp, "p99 latency");
  const auto limit = budget(cmp);
  std::vector<std::pair<double, double>> points;  // (p99 ms, usd/month)
  double lo = std::numeric_limits<double>::infinity(), hi = 0, top = 0;
  for (const ComparedCandidate& cc : cmp.candidates) {
    const double p99_ms = has_latency(cc.result) ? cc.result.end_to_end.p99_s.value * kMs : NAN;
    points.emplace_back(p99_ms, cc.result.cost_usd_month);
    if (p99_ms > 0) lo = std::min(lo, p99_ms), hi = std::max(hi, p99_ms);
    if (std::isfinite(cc.result.cost_usd_month)) top = std::max(top, cc.result.cost_usd_month);
  }
  if (p99_target) lo = std::min(lo, *p99_target * kMs), hi = std::max(hi, *p99_target * kMs);
  if (limit) top = std::max(top, *limit);
  if (!(hi > 0) || !std::isfinite(lo)) lo = 1, hi = 1000;
  const double lo_ms = std::pow(10.0, std::floor(std::log10(lo) + 1e-9));
  const double hi_ms = std::pow(10.0, std::ceil(std::log10(hi) - 1e-9));
  const double top_usd = nice_ceiling(top * 1.1);
  SvgPlot plot("Cost versus p99 latency, with the Pareto front and the feasible region",
               "Each candidate as a point: p99 end-to-end latency (ms, log scale) against monthly cost (USD). "
               "The shaded area meets both the p99 target and the budget; points on the Pareto front are the "
               "cheapest for their latency.",
               {"p99 end-to-end latency (ms, log scale)", lo_ms, hi_ms, true, {}, ms_tick},
               {"cost (USD per month)", 0, top_usd, false, {}, usd_tick});
  if (p99_target || limit)
    plot.region(lo_ms, p99_target ? *p99_target * kMs : hi_ms, 0, limit ? *limit : top_usd, "#009E7322",
                "feasible: meets the p99 target and the budget");
  if (p99_target) plot.vertical_rule(*p99_target * kMs, "p99 target " + format_latency(*p99_target), kTargetStroke);
  if (limit) plot.horizontal_rule(*limit, "budget " + format_usd(*limit) + "/month", kTargetStroke);
  const std::vector<bool> front = pareto_front(points);
  std::vector<std::pair<double, double>> front_points;
  for (size_t i = 0; i < points.size(); ++i)
    if (front[i]) front_points.push_back(points[i]);
  std::sort(front_points.begin(), front_points.end());
  if (front_points.size() > 1) {
    std::vector<std::pair<double, double>> steps;  // staircase: cheaper only by accepting more latency
    for (size_t i = 0; i < front_points.size(); ++i) {
      if (i > 0) steps.emplace_back(front_points[i].first, front_points[i - 1].second);
      steps.push_back(front_points[i]);
    }
    plot.polyline(steps, {"#444", 1.5, "4 3"}, "Pareto front");
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < cmp.candidates.size(); ++i) {
    const ComparedCandidate& cc = cmp.candidates[i];
    const bool feasible = std::isfinite(points[i].first) && (!p99_target || points[i].first <= *p99_target * kMs) &&
                          (!limit || points[i].second <= *limit);
    if (std::isfinite(points[i].first))
      plot.marker(points[i].first, points[i].second, series_marker(i), series_colour(i),
                  fmt::format("{}: p99 {}, {}/month{}", cc.label, format_latency(points[i].first / kMs),
                              format_usd(points[i].second), front[i] ? ", on the Pareto front" : ""),
                  cc.label);
    rows.push_back({h(cc.label),
                    std::isfinite(points[i].first) ? h(format_latency(points[i].first / kMs)) : kMissingNumber,
                    h(format_usd(points[i].second)), front[i] ? "yes" : "no", feasible ? "yes" : "no",
                    cc.result.meets_all ? "PASS" : "FAIL"});
  }
  if (front_points.size() > 1) plot.add_legend("Pareto front", {"#444", 1.5, "4 3"});
  if (p99_target || limit) plot.add_legend("p99 target / budget", kTargetStroke);
  const std::string caption =
      "Lower and further left is better. A point is on the Pareto front when no other candidate is both faster and "
      "cheaper. The shaded area meets the p99 target and the budget only; the matrix above judges every requirement.";
  return chart_block(
      "tradeoff", "Cost versus latency", plot.render(), h(caption),
      table({"Candidate", "p99", "Cost/month", "On the Pareto front", "In the feasible region", "Meets all targets"},
            rows, {1, 2}));
}

}  // namespace archsim::html
