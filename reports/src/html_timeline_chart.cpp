// The latency-over-time chart (see html_timeline_chart.hpp). Time in seconds
// since the measured window's start, latency in milliseconds on a log axis
// (an episode's backlog is orders of magnitude above the steady state).
#include "html_timeline_chart.hpp"

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

constexpr const char* kDownFill = "#D5512644";
constexpr const char* kLateFill = "#E69F0033";

std::string timeline_ms_tick(double ms) { return ms >= 1e5 ? group_thousands(ms) : fmt::format("{:g}", ms); }
std::string s_tick(double s) { return fmt::format("{:g}", s); }

double peak_of(const std::vector<std::pair<double, double>>& trace) {
  double peak = 0;
  for (const auto& point : trace) peak = std::max(peak, point.second);
  return peak;
}

std::string candidate_chart(const ComparedCandidate& cc, size_t index, std::optional<double> p99_target) {
  const CandidateResult& c = cc.result;
  const LatencyTimeline& tl = c.timeline;
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  double t_end = tl.points.empty() ? 0 : tl.points.back().t_s + tl.window_s;
  for (const TimelinePoint& p : tl.points)
    if (p.count > 0) {
      if (p.p50_s > 0) lo = std::min(lo, p.p50_s);
      hi = std::max(hi, p.max_s);
    }
  std::vector<const FailureEpisodeSummary*> episodes;
  for (const FailureEpisodeSummary& e : c.availability.episodes)
    if (!e.trace.empty()) {
      episodes.push_back(&e);
      hi = std::max(hi, peak_of(e.trace));
      t_end = std::max(t_end, e.timeline_at_s + e.trace.back().first);
    }
  if (p99_target) lo = std::min(lo, *p99_target), hi = std::max(hi, *p99_target);
  if (!(hi > 0) || !std::isfinite(lo)) lo = 1e-3, hi = 1;
  const double lo_ms = std::pow(10.0, std::floor(std::log10(lo * kMs) + 1e-9));
  const double hi_ms = std::pow(10.0, std::ceil(std::log10(hi * kMs) - 1e-9));
  const double right_s = nice_ceiling(std::max(t_end, 1e-3));
  SvgPlot plot(fmt::format("End-to-end latency over time: {}", cc.label),
               "Per window of the simulated run: p50, p99 and maximum end-to-end latency (ms, log scale) against time "
               "since the measured window's start (s), with the p99 target; shaded intervals are failure episodes from "
               "the availability model (modelled, not simulated), drawn with their modelled latency.",
               {"time since the measured window's start (s)", 0, right_s, false, {}, s_tick},
               {"end-to-end latency (ms, log scale)", hi_ms > lo_ms ? lo_ms : lo_ms / 10, hi_ms > lo_ms ? hi_ms : lo_ms * 10,
                true, {}, timeline_ms_tick},
               720, 340);
  // shaded intervals as pixel rectangles (tooltips name them), each episode labelled once at its start
  auto shade = [&](double t0, double t1, const char* fill, const std::string& tip) {
    const double a = std::clamp(plot.x_px(t0), plot.plot_left(), plot.plot_right());
    const double b = std::clamp(plot.x_px(t1), plot.plot_left(), plot.plot_right());
    plot.rect_px(a, plot.plot_top(), b - a, plot.plot_bottom() - plot.plot_top(), fill, tip);
  };
  for (size_t k = 0; k < episodes.size(); ++k) {
    const FailureEpisodeSummary* e = episodes[k];
    const double at = e->timeline_at_s;
    shade(at, at + e->trace_down_s, kDownFill,
          fmt::format("{} (modelled): the affected {} of the traffic is not delivered for {}", e->failure,
                      format_percent(e->share), format_latency(e->trace_down_s)));
    if (e->trace_late_s > 0)
      shade(at + e->trace_down_s, at + e->trace_down_s + e->trace_late_s, kLateFill,
            fmt::format("{} (modelled): delivering above the p99 target for {} while the backlog drains", e->failure,
                        format_latency(e->trace_late_s)));
    plot.text_px(plot.x_px(at) + 4, plot.plot_top() + 16 + 16 * static_cast<double>(k), e->failure + " (modelled)",
                 "start", "value");
    std::vector<std::pair<double, double>> line;
    for (const auto& [t, l] : e->trace) line.emplace_back(at + t, l * kMs);
    plot.polyline(line, {"#7A2E0E", 2, "6 3"},
                  fmt::format("{} (modelled): down {}, then above the target for {}; peak {}", e->failure,
                              format_latency(e->trace_down_s), format_latency(e->trace_late_s),
                              format_latency(peak_of(e->trace))));
  }
  auto series = [&](double TimelinePoint::*field) {
    std::vector<std::pair<double, double>> points;
    for (const TimelinePoint& p : tl.points)
      if (p.count > 0) points.emplace_back(p.t_s + tl.window_s / 2, p.*field * kMs);
    return points;
  };
  const std::string colour = series_colour(index);
  const Stroke max_stroke{"#888", 1, "2 2"}, p99_stroke{colour, 2.5, ""}, p50_stroke{colour, 1.5, "4 2"};
  plot.polyline(series(&TimelinePoint::max_s), max_stroke, cc.label + ": maximum per window");
  plot.polyline(series(&TimelinePoint::p99_s), p99_stroke, cc.label + ": p99 per window");
  plot.polyline(series(&TimelinePoint::p50_s), p50_stroke, cc.label + ": p50 per window");
  if (p99_target) plot.horizontal_rule(*p99_target * kMs, "p99 target " + format_latency(*p99_target), kTargetStroke);
  plot.add_legend("p99 (simulated)", p99_stroke);
  plot.add_legend("p50 (simulated)", p50_stroke);
  plot.add_legend("maximum (simulated)", max_stroke);
  if (!episodes.empty()) {
    plot.add_legend("episode latency (modelled)", {"#7A2E0E", 2, "6 3"});
    plot.add_legend("down (modelled)", {kDownFill, 2, ""}, true);
    plot.add_legend("above target (modelled)", {kLateFill, 2, ""}, true);
  }
  if (p99_target) plot.add_legend("p99 target", kTargetStroke);

  // the numbers: the episodes, then every window
  std::string numbers;
  if (!episodes.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const FailureEpisodeSummary* e : episodes)
      rows.push_back({h(e->failure), h(fmt::format("{:g} s", e->timeline_at_s)), h(format_latency(e->trace_down_s)),
                      h(format_latency(e->trace_late_s)), h(format_latency(peak_of(e->trace))),
                      h(fmt::format("{:.3g}", e->per_month))});
    numbers += "<p class=\"note\">Failure episodes (modelled by the availability model's fluid queue, the draw with "
               "the median down + late time; placed on the timeline for illustration):</p>\n" +
               table({"Failure", "Drawn at", "Down", "Above target", "Peak latency", "Per month"}, rows, {1, 2, 3, 4, 5});
  }
  std::vector<std::vector<std::string>> rows;
  for (const TimelinePoint& p : tl.points) {
    const bool any = p.count > 0;
    rows.push_back({h(fmt::format("{:g}", p.t_s)), h(format_count(static_cast<double>(p.count))),
                    any ? h(format_latency(p.p50_s)) : kMissingNumber, any ? h(format_latency(p.p99_s)) : kMissingNumber,
                    any ? h(format_latency(p.max_s)) : kMissingNumber, h(format_count(p.delivered_eps))});
  }
  numbers += fmt::format("<p class=\"note\">Simulated windows of {:g} s ({}):</p>\n", tl.window_s, h(tl.basis)) +
             table({"Window start (s)", "Events", "p50", "p99", "Max", "Delivered (events/s)"}, rows, {0, 1, 2, 3, 4, 5});

  std::string caption = fmt::format("{}: {} windows of {:g} s of the simulated run ({}). ", cc.label, tl.points.size(),
                                    tl.window_s, tl.basis);
  if (episodes.empty())
    caption += "No failure model: no episodes to mark.";
  else
    caption += "Shaded: failure episodes as the availability model evaluates them (modelled, not simulated), each drawn "
               "once at an illustrative time; red is no delivery for the affected traffic share, amber is delivery "
               "above the p99 target while the backlog drains. The dashed brown line is the modelled latency of that "
               "share.";
  return chart_block(fmt::format("latency-timeline-{}", index), "Latency over time: " + cc.label, plot.render(),
                     h(caption), numbers);
}

}  // namespace

std::string latency_timeline_charts(const Comparison& cmp) {
  std::optional<double> p99_target;
  for (const ComparedCandidate& cc : cmp.candidates)
    if (const Verdict* v = find_verdict(cc.result, "p99 latency"); v != nullptr && v->unit == "s") p99_target = v->target;
  std::string out;
  for (size_t i = 0; i < cmp.candidates.size(); ++i)
    if (!cmp.candidates[i].result.timeline.points.empty()) out += candidate_chart(cmp.candidates[i], i, p99_target);
  return out;
}

}  // namespace archsim::html
