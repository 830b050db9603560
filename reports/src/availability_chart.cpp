// The HTML report's availability and loss chart (see html_extra_charts.hpp).
// Availability is drawn as minutes per month not delivering (within the
// target, or at all) on a log axis, so 99.9% and 99.99% sit a decade apart
// instead of on top of each other near 100%.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "archsim/svg_plot.hpp"
#include "archsim/units.hpp"
#include "decision_summary.hpp"
#include "html_extra_charts.hpp"
#include "html_parts.hpp"
#include "number_format.hpp"

namespace archsim::html {

namespace {

constexpr double kMinutesPerMonth = 730 * 60.0;  // the catalog's 730 hours per month

double minutes_missing(double availability) { return std::max(0.0, 1 - availability) * kMinutesPerMonth; }

std::string minutes_text(double minutes) {
  if (!std::isfinite(minutes)) return kMissingNumber;
  if (minutes == 0) return "0 min";
  return minutes < 1 ? fmt::format("{:.2g} min", minutes) : fmt::format("{:.3g} min", minutes);
}

std::string minutes_tick(double minutes) { return fmt::format("{:g}", minutes); }

std::optional<double> availability_target(const Comparison& cmp) {
  for (const ComparedCandidate& cc : cmp.candidates)
    if (const Verdict* v = find_verdict(cc.result, "availability"); v != nullptr) return v->target;
  return std::nullopt;
}

/// "99.95% (99.9% to 99.98%)": a fraction of months' estimate with its interval.
std::string availability_text(const Estimate& e) {
  if (e.lo == e.hi) return format_availability(e.value);
  return fmt::format("{} ({} to {})", format_availability(e.value), format_availability(e.lo), format_availability(e.hi));
}


/// Downtime per month, per candidate with a failure model, two rows each.
std::string downtime_svg(const Comparison& cmp, const std::vector<size_t>& shown, std::optional<double> target) {
  std::vector<std::string> rows;
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  auto extend = [&](double minutes) {
    if (minutes > 0 && std::isfinite(minutes)) lo = std::min(lo, minutes), hi = std::max(hi, minutes);
  };
  for (size_t i : shown) {
    const AvailabilitySummary& a = cmp.candidates[i].result.availability;
    rows.push_back(cmp.candidates[i].label + ": within target");
    rows.push_back(cmp.candidates[i].label + ": delivering");
    for (const Estimate* e : {&a.within_target, &a.delivering})
      for (double v : {e->value, e->lo, e->hi}) extend(minutes_missing(v));
  }
  if (target) extend(minutes_missing(*target));
  if (!(hi > 0)) lo = 0.1, hi = 100;
  const double lo_min = std::pow(10.0, std::floor(std::log10(lo) + 1e-9) - (lo == hi ? 1 : 0));
  const double hi_min = std::pow(10.0, std::ceil(std::log10(hi) - 1e-9) + (lo == hi ? 1 : 0));
  const double row_px = 24;
  SvgPlot plot("Availability per candidate: minutes per month not delivering",
               "For each candidate with a failure model, two rows: minutes per month not delivering within the p99 "
               "latency target, and minutes per month not delivering at all, on a log axis; the whiskers span 95% of "
               "months; the dashed line is the availability target. Left is better.",
               {"minutes per month not delivering (log scale; 0 drawn at the left edge)", lo_min, hi_min, true, {},
                minutes_tick},
               {"candidate", 0, 1, false, rows, {}}, 720, 62 + row_px * static_cast<double>(rows.size()));
  if (target)
    plot.vertical_rule(minutes_missing(*target),
                       fmt::format("target {} = {}/month", format_availability(*target),
                                   minutes_text(minutes_missing(*target))),
                       kTargetStroke);
  for (size_t k = 0; k < shown.size(); ++k) {
    const size_t i = shown[k];
    const ComparedCandidate& cc = cmp.candidates[i];
    const AvailabilitySummary& a = cc.result.availability;
    const std::pair<const Estimate*, const char*> measures[] = {{&a.within_target, "within the latency target"},
                                                                 {&a.delivering, "delivering at all"}};
    for (size_t m = 0; m < 2; ++m) {
      const Estimate& e = *measures[m].first;
      const double y = plot.y_px(static_cast<double>(2 * k + m));
      const double x_lo = plot.x_px(std::max(lo_min, minutes_missing(e.hi)));
      const double x_hi = plot.x_px(std::max(lo_min, minutes_missing(e.lo)));
      const std::string tip = fmt::format("{}: {} {} ({}/month not); 95% of months {} to {}", cc.label,
                                          format_availability(e.value), measures[m].second,
                                          minutes_text(minutes_missing(e.value)), format_availability(e.lo),
                                          format_availability(e.hi));
      const Stroke whisker{series_colour(i), 1.5, ""};
      if (x_hi > x_lo + 0.5) {
        plot.line_px(x_lo, y, x_hi, y, whisker, tip);
        plot.line_px(x_lo, y - 5, x_lo, y + 5, whisker);
        plot.line_px(x_hi, y - 5, x_hi, y + 5, whisker);
      }
      plot.marker_px(plot.x_px(std::max(lo_min, minutes_missing(e.value))), y,
                     m == 0 ? series_marker(i) : MarkerShape::triangle, m == 0 ? series_colour(i) : "#555", tip);
    }
  }
  if (target) plot.add_legend("availability target", kTargetStroke);
  plot.add_legend("95% of months (whiskers)", {"#333", 1.5, ""});
  return plot.render();
}

/// Events lost and duplicated per month, two bars per candidate, each with its number.
std::string loss_svg(const Comparison& cmp, const std::vector<size_t>& shown) {
  std::vector<std::string> labels;
  double top = 0;
  for (size_t i : shown) {
    labels.push_back(cmp.candidates[i].label);
    const AvailabilitySummary& a = cmp.candidates[i].result.availability;
    top = std::max({top, a.lost_events_month, a.duplicated_events_month});
  }
  const double row_px = 40;
  SvgPlot plot("Events lost and duplicated per month per candidate",
               "Horizontal bars per candidate: events lost per month (upper, orange) and events delivered twice per "
               "month (lower, blue), from the failure episodes weighted by their frequency; each bar is labelled with "
               "its number.",
               {"events per month", 0, nice_ceiling(top * 1.15), false, {}, [](double v) { return format_count(v); }},
               {"candidate", 0, 1, false, labels, {}}, 720, 62 + row_px * static_cast<double>(labels.size()));
  const std::string lost_colour = "#D55E00", dup_colour = "#56B4E9";
  for (size_t k = 0; k < shown.size(); ++k) {
    const ComparedCandidate& cc = cmp.candidates[shown[k]];
    const AvailabilitySummary& a = cc.result.availability;
    const auto [band_y, band_h] = plot.y_band(k);
    const double bar_h = std::min(14.0, (band_h - 8) / 2), x0 = plot.x_px(0);
    const std::pair<double, const char*> bars[] = {{a.lost_events_month, "lost"},
                                                   {a.duplicated_events_month, "duplicated"}};
    for (size_t b = 0; b < 2; ++b) {
      const double y = band_y + 4 + bar_h * static_cast<double>(b);
      const double x1 = plot.x_px(std::max(0.0, bars[b].first));
      plot.rect_px(x0, y + 1, x1 - x0, bar_h - 2, b == 0 ? lost_colour : dup_colour,
                   fmt::format("{}: {} events {} per month", cc.label, format_count(bars[b].first), bars[b].second));
      plot.text_px(x1 + 4, y + bar_h - 3, fmt::format("{} {}", format_count(bars[b].first), bars[b].second));
    }
  }
  plot.add_legend("lost per month", {lost_colour, 2, ""}, true);
  plot.add_legend("duplicated per month", {dup_colour, 2, ""}, true);
  return plot.render();
}

}  // namespace

std::string availability_chart(const Comparison& cmp) {
  std::vector<size_t> shown;
  for (size_t i = 0; i < cmp.candidates.size(); ++i)
    if (cmp.candidates[i].result.availability.estimated) shown.push_back(i);
  const auto target = availability_target(cmp);
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < cmp.candidates.size(); ++i) {
    const ComparedCandidate& cc = cmp.candidates[i];
    const CandidateResult& c = cc.result;
    const AvailabilitySummary& a = c.availability;
    const Verdict* v = find_verdict(c, "availability");
    const std::string verdict =
        v == nullptr ? std::string("not judged")
                     : fmt::format("<span class=\"{}\"><strong>{}</strong></span>", v->pass ? "pass" : "fail",
                                   v->pass ? "✔ PASS" : "✘ FAIL");
    if (!a.estimated) {
      rows.push_back({h(cc.label), h(c.delivery.empty() ? std::string(kMissingNumber) : c.delivery),
                      "not estimated (no failure model)", kMissingNumber, kMissingNumber, kMissingNumber,
                      kMissingNumber, verdict});
      continue;
    }
    rows.push_back({h(cc.label), h(c.delivery), h(availability_text(a.within_target)), h(availability_text(a.delivering)),
                    h(minutes_text((a.down_s_month + a.late_s_month) / 60)), h(format_count(a.lost_events_month)),
                    h(format_count(a.duplicated_events_month)), verdict});
  }
  const std::string numbers =
      table({"Candidate", "Delivery", "Within the latency target (95% of months)", "Delivering at all (95% of months)",
             "Down or late per month", "Lost events/month", "Duplicated events/month", "Availability verdict"},
            rows, {2, 3, 4, 5, 6}) +
      (target ? "<p class=\"note\">Availability target: " + h(format_availability(*target)) + " within the latency target.</p>\n"
              : std::string());
  if (shown.empty())
    return chart_block("availability", "Availability and loss",
                       "<p class=\"note\">No candidate has a failure model, so availability, loss and duplicates were "
                       "not estimated: add a <code>failures</code> section to a candidate in the scenario.</p>",
                       "", numbers);
  std::string caption =
      "Availability as minutes per month not delivering: within the p99 latency target (marker in the candidate's "
      "shape) and at all (grey triangle), from failure episodes weighted by how often they happen; whiskers span "
      "95% of months.";
  if (target) caption += " A candidate meets the target when its first row is left of the red dashed line.";
  caption += " Below: events lost and delivered twice per month.";
  return chart_block("availability", "Availability and loss", downtime_svg(cmp, shown, target) + loss_svg(cmp, shown),
                     h(caption), numbers);
}

}  // namespace archsim::html
