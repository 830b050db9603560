// The HTML report's predicted-versus-measured chart (see html_extra_charts.hpp):
// for `archsim check` Results (a simulated candidate plus its measurement)
// and OMB results imported with `report --omb-result`.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

#include <fmt/format.h>

#include "archsim/svg_plot.hpp"
#include "html_extra_charts.hpp"
#include "html_parts.hpp"
#include "number_format.hpp"

namespace archsim::html {

namespace {

constexpr std::string_view kMeasuredSuffix = " (measured)";

struct CheckPair {
  size_t predicted;
  size_t measured;
};

/// The simulated candidate a measured one checks (see the header; from the same file first).
size_t prediction_for(const Comparison& cmp, size_t measured) {
  std::string base = cmp.candidates[measured].result.name;
  if (base.size() > kMeasuredSuffix.size() && base.ends_with(kMeasuredSuffix))
    base.erase(base.size() - kMeasuredSuffix.size());
  const size_t none = cmp.candidates.size(), source = cmp.candidates[measured].source;
  size_t first = none, same_name = none;
  for (size_t i = 0; i < cmp.candidates.size(); ++i) {
    const CandidateResult& c = cmp.candidates[i].result;
    if (c.source == "measured") continue;
    // Several check files: each measurement pairs with the prediction written beside it.
    if (c.name == base && cmp.candidates[i].source == source) return i;
    if (c.name == base && same_name == none) same_name = i;
    if (first == none) first = i;
  }
  if (same_name != none) return same_name;
  if (cmp.has_recommendation() && cmp.candidates[cmp.recommended].result.source != "measured") return cmp.recommended;
  return first;
}

std::string interval_text(const Estimate& e) {
  if (!std::isfinite(e.value)) return kMissingNumber;
  if (e.lo == e.hi) return format_latency(e.value) + " (no interval)";
  return fmt::format("{} ({} to {})", format_latency(e.value), format_latency(e.lo), format_latency(e.hi));
}

std::string relative_error(double predicted, double measured) {
  if (!(measured > 0) || !std::isfinite(predicted)) return kMissingNumber;
  return fmt::format("{:+.1f}%", (predicted - measured) / measured * 100);
}

bool overlap(const Estimate& a, const Estimate& b) {
  return std::min(a.lo, a.value) <= std::max(b.hi, b.value) && std::min(b.lo, b.value) <= std::max(a.hi, a.value);
}

}  // namespace

std::string predicted_vs_measured_chart(const Comparison& cmp) {
  std::vector<CheckPair> pairs;
  for (size_t i = 0; i < cmp.candidates.size(); ++i)
    if (cmp.candidates[i].result.source == "measured" && cmp.candidates[i].result.end_to_end.count > 0)
      if (const size_t p = prediction_for(cmp, i); p < cmp.candidates.size()) pairs.push_back({p, i});
  if (pairs.empty()) return "";

  using Pick = const Estimate& (*)(const LatencySummary&);
  const std::pair<const char*, Pick> metrics[] = {
      {"p50", [](const LatencySummary& l) -> const Estimate& { return l.p50_s; }},
      {"p95", [](const LatencySummary& l) -> const Estimate& { return l.p95_s; }},
      {"p99", [](const LatencySummary& l) -> const Estimate& { return l.p99_s; }},
      {"p99.9", [](const LatencySummary& l) -> const Estimate& { return l.p999_s; }}};
  std::vector<std::string> categories;
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (const CheckPair& pair : pairs)
    for (const auto& [name, pick] : metrics) {
      categories.push_back(pairs.size() == 1 ? std::string(name)
                                             : fmt::format("{} · {}", name, cmp.candidates[pair.measured].label));
      for (size_t who : {pair.predicted, pair.measured}) {
        const Estimate& e = pick(cmp.candidates[who].result.end_to_end);
        for (double v : {e.value, e.lo, e.hi})
          if (v > 0 && std::isfinite(v)) lo = std::min(lo, v * kMs), hi = std::max(hi, v * kMs);
      }
    }
  if (!(hi > 0)) lo = 1, hi = 1000;
  // A little room around the data; a narrow range gets 1-2-5 ticks (log_ticks) instead of empty decades.
  const double lo_ms = lo / 1.3, hi_ms = hi * 1.3;
  SvgPlot plot("Predicted versus measured end-to-end latency",
               "For each measured candidate and latency percentile: the simulator's prediction (circle) and the "
               "measurement (square), in milliseconds on a log axis, each with its 95% confidence interval as an "
               "error bar.",
               {pairs.size() == 1 ? "end-to-end latency percentile" : "percentile · measured candidate", 0, 1, false,
                categories, {}},
               {"end-to-end latency (ms, log scale)", lo_ms, hi_ms, true, {}, [](double v) { return fmt::format("{:g}", v); }},
               std::max(720.0, 70.0 * static_cast<double>(categories.size())), 400);
  std::vector<std::vector<std::string>> rows;
  size_t band = 0;
  for (const CheckPair& pair : pairs) {
    const ComparedCandidate& pred = cmp.candidates[pair.predicted];
    const ComparedCandidate& meas = cmp.candidates[pair.measured];
    for (const auto& [name, pick] : metrics) {
      const auto [band_x, band_w] = plot.x_band(band++);
      const double offset = std::min(18.0, band_w / 5);
      const Estimate& p = pick(pred.result.end_to_end);
      const Estimate& m = pick(meas.result.end_to_end);
      const std::pair<const ComparedCandidate*, const Estimate*> sides[] = {{&pred, &p}, {&meas, &m}};
      for (size_t s = 0; s < 2; ++s) {
        const Estimate& e = *sides[s].second;
        if (!(e.value > 0) || !std::isfinite(e.value)) continue;
        const double x = band_x + band_w / 2 + (s == 0 ? -offset : offset);
        const std::string colour = s == 0 ? series_colour(pair.predicted) : "#333";
        const std::string tip = fmt::format("{} {} {}: {}", s == 0 ? "predicted" : "measured", sides[s].first->label,
                                            name, interval_text(e));
        if (e.hi > e.lo && e.lo > 0) {
          const double y0 = plot.y_px(e.lo * kMs), y1 = plot.y_px(e.hi * kMs);
          const Stroke bar{colour, 1.5, ""};
          plot.line_px(x, y0, x, y1, bar, tip);
          plot.line_px(x - 5, y0, x + 5, y0, bar);
          plot.line_px(x - 5, y1, x + 5, y1, bar);
        }
        plot.marker_px(x, plot.y_px(e.value * kMs), s == 0 ? MarkerShape::circle : MarkerShape::square, colour, tip);
      }
      rows.push_back({h(meas.label), h(pred.label), h(name), h(interval_text(p)), h(interval_text(m)),
                      h(relative_error(p.value, m.value)), overlap(p, m) ? "yes" : "no"});
    }
    rows.push_back({h(meas.label), h(pred.label), "throughput", h(format_count(pred.result.achieved_eps) + " ev/s"),
                    h(format_count(meas.result.achieved_eps) + " ev/s"),
                    h(relative_error(pred.result.achieved_eps, meas.result.achieved_eps)), kMissingNumber});
  }
  plot.add_legend("predicted (circle, the candidate's colour)", {series_colour(pairs.front().predicted), 2, ""}, true);
  plot.add_legend("measured (square, dark grey)", {"#333", 2, ""}, true);
  plot.add_legend("95% confidence interval (error bar)", {"#333", 1.5, ""});
  const std::string caption =
      "Each percentile twice: predicted by the simulation (circle) and measured on the broker (square), with error "
      "bars spanning their 95% confidence intervals (a measurement without batches has none). Where the bars "
      "overlap, prediction and measurement agree within their precision. Relative error = (predicted - measured) / "
      "measured.";
  return chart_block("check", "Predicted versus measured", plot.render(), h(caption),
                     table({"Measured", "Predicted by", "Metric", "Predicted (95% interval)", "Measured (95% interval)",
                            "Relative error", "Intervals overlap"},
                           rows, {3, 4, 5}));
}

}  // namespace archsim::html
