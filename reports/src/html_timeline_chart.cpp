// The latency-over-time charts (see html_timeline_chart.hpp). Latency in
// milliseconds on a log axis (an episode's backlog is orders of magnitude
// above the steady state). The run and each failure episode get a panel of
// their own, each on its own time axis: a 6-hour repair next to a 10-second
// run (or a 10-second episode) would otherwise squash one of them to a pixel.
#include "html_timeline_chart.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "archsim/episode_timeline.hpp"
#include "archsim/svg_plot.hpp"
#include "decision_summary.hpp"
#include "html_parts.hpp"
#include "number_format.hpp"

namespace archsim::html {

namespace {

const Stroke kEpisodeStroke{"#7A2E0E", 2, "6 3"};
constexpr const char* kDownFill = "#D5512644";
constexpr const char* kLateFill = "#E69F0033";
constexpr const char* kFaultFill = "#CC79A755";
const Stroke kRestartStroke{"#8E3A80", 2, "3 2"};

std::string timeline_ms_tick(double ms) { return ms >= 1e5 ? group_thousands(ms) : fmt::format("{:g}", ms); }

/// Whole decades (ms) around the latencies of the run's windows (`run`) or of
/// every episode of `c` (not `run`: the episodes share one scale, so they
/// compare at a glance, without squashing the run under a 6-hour backlog).
std::pair<double, double> latency_decades_ms(const CandidateResult& c, std::optional<double> p99_target, bool run) {
  auto [lo, hi] = run ? std::pair{std::numeric_limits<double>::infinity(), 0.0} : episode_latency_range_s(c, p99_target);
  if (run) {
    for (const TimelinePoint& p : c.timeline.points)
      if (p.count > 0) {
        if (p.p50_s > 0) lo = std::min(lo, p.p50_s);
        hi = std::max(hi, p.max_s);
      }
    if (p99_target) lo = std::min(lo, *p99_target), hi = std::max(hi, *p99_target);
  } else {
    hi *= 4;  // room above the peak for the panel's name
  }
  if (!(hi > 0) || !std::isfinite(lo)) lo = 1e-3, hi = 1;
  const double lo_ms = std::pow(10.0, std::floor(std::log10(lo * kMs) + 1e-9));
  const double hi_ms = std::pow(10.0, std::ceil(std::log10(hi * kMs) - 1e-9));
  return hi_ms > lo_ms ? std::pair{lo_ms, hi_ms} : std::pair{lo_ms, lo_ms * 10};
}

PlotAxis latency_axis(std::pair<double, double> decades_ms, const char* label = "end-to-end latency (ms, log scale)") {
  return {label, decades_ms.first, decades_ms.second, true, {}, timeline_ms_tick};
}

/// Shades [t0, t1] (axis units) over the plot's height, at least `min_px` wide so a short interval stays visible.
void shade(SvgPlot& plot, double t0, double t1, const char* fill, const std::string& tip, double min_px = 2) {
  double a = std::clamp(plot.x_px(t0), plot.plot_left(), plot.plot_right());
  double b = std::clamp(plot.x_px(t1), plot.plot_left(), plot.plot_right());
  if (b - a < min_px) b = std::min(plot.plot_right(), a + min_px), a = b - min_px;
  plot.rect_px(a, plot.plot_top(), b - a, plot.plot_bottom() - plot.plot_top(), fill, tip);
}

/// The run's panel: p50/p99/max per window, the p99 target and, for a
/// measured run, the faults injected during it on the same clock.
std::string run_panel(const ComparedCandidate& cc, size_t index, std::optional<double> p99_target,
                      std::pair<double, double> decades_ms) {
  const CandidateResult& c = cc.result;
  const LatencyTimeline& tl = c.timeline;
  const bool measured = tl.source == "measured";
  const char* how = measured ? "measured" : "simulated";
  double t_end = tl.points.empty() ? 0 : tl.points.back().t_s + tl.window_s;
  for (const FaultEvent& f : c.faults) t_end = std::max(t_end, f.end_s);
  const TimeUnit unit = time_unit_for(t_end);
  const std::string time_label = measured ? fmt::format("time since the first intended send ({})", unit.name)
                                          : fmt::format("time since the measured window's start ({})", unit.name);
  SvgPlot plot(fmt::format("End-to-end latency over time: {} ({} run)", cc.label, how),
               fmt::format("Per window of the {} run: p50, p99 and maximum end-to-end latency (ms, log scale) against "
                           "{}, with the p99 target{}.",
                           how, time_label, measured && !c.faults.empty() ? "; shaded intervals are the faults injected" : ""),
               {time_label, 0, nice_ceiling(std::max(t_end, 1e-3) / unit.seconds), false, {},
                [](double v) { return fmt::format("{:g}", v); }},
               latency_axis(decades_ms), 720, 320);
  size_t labelled = 0;
  for (const FaultEvent& f : c.faults) {
    const std::string tip = fmt::format("{} ({}) from {:.2f} s to {:.2f} s{}{}", f.fault, f.target, f.start_s, f.end_s,
                                        f.lifted ? "" : ", not lifted before the run ended",
                                        f.detail.empty() ? "" : ": " + f.detail);
    if (f.end_s > f.start_s)
      shade(plot, f.start_s / unit.seconds, f.end_s / unit.seconds, kFaultFill, tip);
    else
      plot.line_px(plot.x_px(f.start_s / unit.seconds), plot.plot_top(), plot.x_px(f.start_s / unit.seconds),
                   plot.plot_bottom(), kRestartStroke, tip);
    plot.text_px(plot.x_px(f.start_s / unit.seconds) + 4, plot.plot_top() + 16 + 16 * static_cast<double>(labelled++),
                 f.fault + " (" + f.target + ")", "start", "value");
  }
  auto series = [&](double TimelinePoint::*field) {
    std::vector<std::pair<double, double>> points;
    for (const TimelinePoint& p : tl.points)
      if (p.count > 0) points.emplace_back((p.t_s + tl.window_s / 2) / unit.seconds, p.*field * kMs);
    return points;
  };
  const std::string colour = series_colour(index);
  const Stroke max_stroke{"#888", 1, "2 2"}, p99_stroke{colour, 2.5, ""}, p50_stroke{colour, 1.5, "4 2"};
  plot.polyline(series(&TimelinePoint::max_s), max_stroke, cc.label + ": maximum per window");
  plot.polyline(series(&TimelinePoint::p99_s), p99_stroke, cc.label + ": p99 per window");
  plot.polyline(series(&TimelinePoint::p50_s), p50_stroke, cc.label + ": p50 per window");
  if (p99_target) plot.horizontal_rule(*p99_target * kMs, "p99 target " + format_latency(*p99_target), kTargetStroke);
  plot.add_legend(fmt::format("p99 ({})", how), p99_stroke);
  plot.add_legend(fmt::format("p50 ({})", how), p50_stroke);
  plot.add_legend(fmt::format("maximum ({})", how), max_stroke);
  if (std::any_of(c.faults.begin(), c.faults.end(), [](const FaultEvent& f) { return f.end_s > f.start_s; }))
    plot.add_legend("fault in force (injected)", {kFaultFill, 2, ""}, true);
  if (std::any_of(c.faults.begin(), c.faults.end(), [](const FaultEvent& f) { return !(f.end_s > f.start_s); }))
    plot.add_legend("instantaneous fault (a restart)", kRestartStroke);
  if (p99_target) plot.add_legend("p99 target", kTargetStroke);
  return plot.render();
}

/// One failure episode's panel, on its own time axis from the failure: the
/// shaded down and late intervals and the modelled latency of the affected share.
std::string episode_panel(const ComparedCandidate& cc, const FailureEpisodeSummary& e, std::optional<double> p99_target,
                          std::pair<double, double> decades_ms) {
  const double span_s = episode_span_s(e);
  const TimeUnit unit = time_unit_for(span_s);
  const std::string time_label = fmt::format("time since the failure ({})", unit.name);
  SvgPlot plot(fmt::format("Failure episode (modelled): {}, {}", e.failure, cc.label),
               fmt::format("The availability model's representative {} episode of {}: the affected {} of the traffic "
                           "is not delivered for {}, then delivered above the p99 target for {}; modelled latency "
                           "(ms, log scale) against {}.",
                           e.failure, cc.label, format_percent(e.share), format_latency(e.trace_down_s),
                           format_latency(e.trace_late_s), time_label),
               {time_label, 0, nice_ceiling(span_s * 1.05 / unit.seconds), false, {},
                [](double v) { return fmt::format("{:g}", v); }},
               latency_axis(decades_ms, "latency (ms, log)"), 720, 250);
  const double down_end = e.trace_down_s / unit.seconds, late_end = (e.trace_down_s + e.trace_late_s) / unit.seconds;
  shade(plot, 0, down_end, kDownFill,
        fmt::format("{} (modelled): the affected {} of the traffic is not delivered for {}", e.failure,
                    format_percent(e.share), format_latency(e.trace_down_s)));
  if (e.trace_late_s > 0)
    shade(plot, down_end, late_end, kLateFill,
          fmt::format("{} (modelled): delivering above the p99 target for {} while the backlog drains", e.failure,
                      format_latency(e.trace_late_s)));
  std::vector<std::pair<double, double>> line;
  for (const auto& [t, l] : e.trace) line.emplace_back(t / unit.seconds, l * kMs);
  plot.polyline(line, kEpisodeStroke,
                fmt::format("{} (modelled): down {}, then above the target for {}; peak {}", e.failure,
                            format_latency(e.trace_down_s), format_latency(e.trace_late_s), format_latency(trace_peak_s(e.trace))));
  if (p99_target) plot.horizontal_rule(*p99_target * kMs, "p99 target " + format_latency(*p99_target), kTargetStroke);
  // the panel's name in plain sight (the <title> is only a tooltip)
  plot.text_px(plot.plot_left() + 6, plot.plot_top() + 16,
               fmt::format("{} (modelled): down {}, then above the target for {}", e.failure,
                           format_latency(e.trace_down_s), format_latency(e.trace_late_s)),
               "start", "value");
  plot.add_legend("episode latency (modelled)", kEpisodeStroke);
  plot.add_legend("down (modelled)", {kDownFill, 2, ""}, true);
  if (e.trace_late_s > 0) plot.add_legend("above target (modelled)", {kLateFill, 2, ""}, true);
  if (p99_target) plot.add_legend("p99 target", kTargetStroke);
  return plot.render();
}

std::string candidate_chart(const ComparedCandidate& cc, size_t index, std::optional<double> p99_target) {
  const CandidateResult& c = cc.result;
  const LatencyTimeline& tl = c.timeline;
  const bool measured = tl.source == "measured";
  const char* how = measured ? "measured" : "simulated";
  const auto episodes = traced_episodes(c);

  std::string svg = run_panel(cc, index, p99_target, latency_decades_ms(c, p99_target, true));
  const auto episode_decades_ms = latency_decades_ms(c, p99_target, false);
  for (const FailureEpisodeSummary* e : episodes) svg += episode_panel(cc, *e, p99_target, episode_decades_ms);

  // the numbers: the faults, the episodes, then every window
  std::string numbers;
  if (!c.faults.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const FaultEvent& f : c.faults)
      rows.push_back({h(f.fault), h(f.target), h(fmt::format("{:.2f}", f.start_s)), h(fmt::format("{:.2f}", f.end_s)),
                      f.lifted ? "yes" : "no, in force when the run ended", h(f.detail)});
    numbers += "<p class=\"note\">Faults injected during the run (seconds since the first intended send):</p>\n" +
               table({"Fault", "Target", "Start (s)", "End (s)", "Lifted", "What was observed"}, rows, {2, 3});
  }
  if (!episodes.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const FailureEpisodeSummary* e : episodes)
      rows.push_back({h(e->failure), h(format_latency(e->trace_down_s)), h(format_latency(e->trace_late_s)),
                      h(format_latency(trace_peak_s(e->trace))), h(fmt::format("{:.3g}", e->per_month))});
    numbers += "<p class=\"note\">Failure episodes (modelled by the availability model's fluid queue, the draw with "
               "the median down + late time):</p>\n" +
               table({"Failure", "Down", "Above target", "Peak latency", "Per month"}, rows, {1, 2, 3, 4});
  }
  std::vector<std::vector<std::string>> rows;
  for (const TimelinePoint& p : tl.points) {
    const bool any = p.count > 0;
    rows.push_back({h(fmt::format("{:g}", p.t_s)), h(format_count(static_cast<double>(p.count))),
                    any ? h(format_latency(p.p50_s)) : kMissingNumber, any ? h(format_latency(p.p99_s)) : kMissingNumber,
                    any ? h(format_latency(p.max_s)) : kMissingNumber, h(format_count(p.delivered_eps))});
  }
  numbers += fmt::format("<p class=\"note\">{} windows of {:g} s ({}):</p>\n", measured ? "Measured" : "Simulated",
                         tl.window_s, h(tl.basis)) +
             table({"Window start (s)", "Events", "p50", "p99", "Max", measured ? "Events per second" : "Delivered (events/s)"},
                   rows, {0, 1, 2, 3, 4, 5});

  std::string caption = fmt::format("{}: {} windows of {:g} s of the {} run ({}). ", cc.label, tl.points.size(),
                                    tl.window_s, how, tl.basis);
  if (measured)
    caption += c.faults.empty() ? "No fault was injected." : "Shaded: the faults injected during the run, on the same clock.";
  else if (episodes.empty())
    caption += "No failure model: no episodes to show.";
  else
    caption += "The simulated run has no failures. Below it, each failure type's representative episode as the "
               "availability model evaluates it (modelled, not simulated), in a panel of its own with its own time "
               "axis from the failure, the episodes on one latency scale: red is no delivery for the affected traffic share, "
               "amber is delivery above the p99 target while the backlog drains; the dashed brown line is the "
               "modelled latency of that share.";
  return chart_block(fmt::format("latency-timeline-{}", index), "Latency over time: " + cc.label, svg, h(caption),
                     numbers);
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
