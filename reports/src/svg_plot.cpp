// SvgPlot: the inline-SVG chart builder of the HTML report (see svg_plot.hpp).
#include "archsim/svg_plot.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace archsim {

namespace {

constexpr double kCharWidthPx = 6.6;   // average glyph width of the 12 px sans-serif labels
constexpr double kLegendRowPx = 20;

std::string px(double v) { return fmt::format("{:.1f}", v); }

std::string default_format(double v) { return fmt::format("{:g}", v); }

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<double> linear_ticks(double lo, double hi, int max_ticks) {
  std::vector<double> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi <= lo || max_ticks < 2) return ticks;
  const double raw = (hi - lo) / (max_ticks - 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= m * magnitude) {
      step = m * magnitude;
      break;
    }
  const double eps = step * 1e-9;
  for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + eps; t += step)
    ticks.push_back(std::fabs(t) < eps ? 0.0 : t);
  return ticks;
}

std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> ticks;
  if (!(lo > 0) || !std::isfinite(lo) || !std::isfinite(hi) || hi <= lo) return ticks;
  const int first = static_cast<int>(std::floor(std::log10(lo)));
  const int last = static_cast<int>(std::ceil(std::log10(hi)));
  auto in_range = [&](double t) { return t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9); };
  for (int e = first; e <= last; ++e)
    if (in_range(std::pow(10.0, e))) ticks.push_back(std::pow(10.0, e));
  if (ticks.size() >= 3) return ticks;
  ticks.clear();
  for (int e = first; e <= last; ++e)
    for (double m : {1.0, 2.0, 5.0})
      if (in_range(m * std::pow(10.0, e))) ticks.push_back(m * std::pow(10.0, e));
  return ticks;
}

double nice_ceiling(double v) {
  if (!(v > 0) || !std::isfinite(v)) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
    if (v <= m * magnitude * (1 + 1e-12)) return m * magnitude;
  return 10 * magnitude;
}

SvgPlot::SvgPlot(std::string title, std::string description, PlotAxis x, PlotAxis y, double width_px,
                 double height_px)
    : title_(std::move(title)),
      description_(std::move(description)),
      x_(std::move(x)),
      y_(std::move(y)),
      width_(width_px),
      height_(height_px) {
  if (!x_.format) x_.format = default_format;
  if (!y_.format) y_.format = default_format;
  // Room on the left for the widest y tick label, plus the rotated axis title.
  size_t widest = 0;
  if (!y_.categories.empty()) {
    for (const auto& c : y_.categories) widest = std::max(widest, c.size());
  } else {
    for (double t : y_.log ? log_ticks(y_.lo, y_.hi) : linear_ticks(y_.lo, y_.hi))
      widest = std::max(widest, y_.format(t).size());
  }
  left_ = std::clamp(static_cast<double>(widest) * kCharWidthPx + 34, 60.0, width_ * 0.4);
  right_ = width_ - 24;
  top_ = 16;
  bottom_ = height_ - 46;
}

double SvgPlot::to_px(const PlotAxis& axis, double value, double start, double end) const {
  if (!axis.categories.empty()) {
    const double band = (end - start) / static_cast<double>(axis.categories.size());
    return start + band * (value + 0.5);
  }
  double f = 0;
  if (axis.log) {
    const double v = std::max(value, axis.lo);
    f = (std::log10(v) - std::log10(axis.lo)) / (std::log10(axis.hi) - std::log10(axis.lo));
  } else {
    f = (value - axis.lo) / (axis.hi - axis.lo);
  }
  if (!std::isfinite(f)) f = 0;
  f = std::clamp(f, -0.02, 1.02);  // keep stray values just outside the area visible, never far away
  return start + (end - start) * f;
}

double SvgPlot::x_px(double x) const { return to_px(x_, x, left_, right_); }
double SvgPlot::y_px(double y) const {
  // Bands run top-down (the first category on top, as a reader expects); values bottom-up.
  return y_.categories.empty() ? to_px(y_, y, bottom_, top_) : to_px(y_, y, top_, bottom_);
}

std::pair<double, double> SvgPlot::x_band(size_t index) const {
  const double band = (right_ - left_) / static_cast<double>(std::max<size_t>(1, x_.categories.size()));
  return {left_ + band * static_cast<double>(index), band};
}

std::pair<double, double> SvgPlot::y_band(size_t index) const {
  const double band = (bottom_ - top_) / static_cast<double>(std::max<size_t>(1, y_.categories.size()));
  return {top_ + band * static_cast<double>(index), band};
}

void SvgPlot::polyline(const std::vector<std::pair<double, double>>& points, const Stroke& stroke,
                       std::string_view tooltip) {
  if (points.empty()) return;
  std::string coords;
  for (const auto& [x, y] : points) {
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    coords += fmt::format("{},{} ", px(x_px(x)), px(y_px(y)));
  }
  body_ += fmt::format(R"(<polyline fill="none" stroke="{}" stroke-width="{}"{} points="{}"><title>{}</title></polyline>)",
                       escape_xml(stroke.colour), stroke.width,
                       stroke.dash.empty() ? "" : fmt::format(R"( stroke-dasharray="{}")", escape_xml(stroke.dash)),
                       coords, escape_xml(tooltip));
  body_ += '\n';
}

void SvgPlot::vertical_rule(double x, std::string_view label, const Stroke& stroke) {
  const double xp = x_px(x);
  body_ += fmt::format(R"(<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="{3}" stroke-width="{4}"{5}/>)", px(xp),
                       px(top_), px(bottom_), escape_xml(stroke.colour), stroke.width,
                       stroke.dash.empty() ? "" : fmt::format(R"( stroke-dasharray="{}")", escape_xml(stroke.dash)));
  // Label inside the plot, next to the rule, on whichever side has room.
  // Each further vertical rule's label goes one line lower, so two targets close together stay legible.
  const bool right_side = xp < (left_ + right_) / 2;
  rule_label(right_side ? xp + 4 : xp - 4, top_ + 12 + 14 * static_cast<double>(vertical_rules_++), label,
             right_side ? "start" : "end", stroke.colour);
}

void SvgPlot::horizontal_rule(double y, std::string_view label, const Stroke& stroke) {
  const double yp = y_px(y);
  body_ += fmt::format(R"(<line x1="{0}" x2="{1}" y1="{2}" y2="{2}" stroke="{3}" stroke-width="{4}"{5}/>)", px(left_),
                       px(right_), px(yp), escape_xml(stroke.colour), stroke.width,
                       stroke.dash.empty() ? "" : fmt::format(R"( stroke-dasharray="{}")", escape_xml(stroke.dash)));
  const bool below = yp < top_ + 20;
  rule_label(right_ - 4, below ? yp + 14 : yp - 5, label, "end", stroke.colour);
}

void SvgPlot::region(double x0, double x1, double y0, double y1, std::string_view fill, std::string_view label) {
  const double a = std::clamp(x_px(x0), left_, right_), b = std::clamp(x_px(x1), left_, right_);
  const double c = std::clamp(y_px(y0), top_, bottom_), d = std::clamp(y_px(y1), top_, bottom_);
  const double x = std::min(a, b), y = std::min(c, d), w = std::fabs(b - a), h = std::fabs(d - c);
  if (w <= 0 || h <= 0) return;
  body_ += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>)", px(x),
                       px(y), px(w), px(h), escape_xml(fill), escape_xml(label));
  body_ += '\n';
  text_px(x + 6, y + 16, label, "start", "region");
}

void SvgPlot::rect_px(double x, double y, double w, double h, std::string_view fill, std::string_view tooltip) {
  if (!(w > 0) || !(h > 0)) return;
  body_ += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>)", px(x),
                       px(y), px(w), px(h), escape_xml(fill), escape_xml(tooltip));
  body_ += '\n';
}

void SvgPlot::marker(double x, double y, MarkerShape shape, std::string_view colour, std::string_view tooltip,
                     std::string_view label) {
  const double cx = x_px(x), cy = y_px(y);
  marker_px(cx, cy, shape, colour, tooltip);
  if (!label.empty()) {
    // Labels alternate above and below their markers so neighbours do not overprint each other.
    const bool left_of = cx > right_ - 140;
    const bool below = labelled_markers_ % 2 == 1;
    text_px(left_of ? cx - 10 : cx + 10, below ? cy + 18 : cy - 9, label, left_of ? "end" : "start", "point");
    ++labelled_markers_;
  }
}

void SvgPlot::marker_px(double cx, double cy, MarkerShape shape, std::string_view colour, std::string_view tooltip) {
  const double r = 6;
  const std::string fill = escape_xml(colour);
  std::string shape_svg;
  switch (shape) {
    case MarkerShape::circle:
      shape_svg = fmt::format(R"(<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#fff"/>)", px(cx), px(cy), r, fill);
      break;
    case MarkerShape::square:
      shape_svg = fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff"/>)", px(cx - r),
                              px(cy - r), 2 * r, 2 * r, fill);
      break;
    case MarkerShape::diamond:
      shape_svg = fmt::format(R"(<polygon points="{},{} {},{} {},{} {},{}" fill="{}" stroke="#fff"/>)", px(cx),
                              px(cy - r - 1), px(cx + r + 1), px(cy), px(cx), px(cy + r + 1), px(cx - r - 1), px(cy),
                              fill);
      break;
    case MarkerShape::triangle:
      shape_svg = fmt::format(R"(<polygon points="{},{} {},{} {},{}" fill="{}" stroke="#fff"/>)", px(cx),
                              px(cy - r - 1), px(cx + r + 1), px(cy + r), px(cx - r - 1), px(cy + r), fill);
      break;
  }
  body_ += fmt::format("<g>{}<title>{}</title></g>\n", shape_svg, escape_xml(tooltip));
}

void SvgPlot::line_px(double x1, double y1, double x2, double y2, const Stroke& stroke, std::string_view tooltip) {
  body_ += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"{}>)", px(x1), px(y1),
                       px(x2), px(y2), escape_xml(stroke.colour), stroke.width,
                       stroke.dash.empty() ? "" : fmt::format(R"( stroke-dasharray="{}")", escape_xml(stroke.dash)));
  body_ += tooltip.empty() ? "</line>\n" : fmt::format("<title>{}</title></line>\n", escape_xml(tooltip));
}

void SvgPlot::rule_label(double x, double y, std::string_view text, std::string_view anchor, std::string_view colour) {
  body_ += fmt::format(R"(<text x="{}" y="{}" text-anchor="{}" class="rule" style="fill:{}">{}</text>)", px(x), px(y),
                       escape_xml(anchor), escape_xml(colour), escape_xml(text));
  body_ += '\n';
}

void SvgPlot::text_px(double x, double y, std::string_view text, std::string_view anchor, std::string_view css_class) {
  body_ += fmt::format(R"(<text x="{}" y="{}" text-anchor="{}"{}>{}</text>)", px(x), px(y), escape_xml(anchor),
                       css_class.empty() ? "" : fmt::format(R"( class="{}")", escape_xml(css_class)),
                       escape_xml(text));
  body_ += '\n';
}

void SvgPlot::add_legend(std::string_view label, const Stroke& stroke, bool box) {
  legend_.push_back({std::string(label), stroke, box});
}

std::string SvgPlot::axes_svg() const {
  std::string out = fmt::format(R"(<g class="axes"><rect x="{}" y="{}" width="{}" height="{}" fill="#fff" stroke="#bbb"/>)",
                                px(left_), px(top_), px(right_ - left_), px(bottom_ - top_));
  out += '\n';
  // x ticks and vertical grid lines
  if (!x_.categories.empty()) {
    // A label wider than its band is shortened with an ellipsis (the full name stays in a tooltip).
    const double band = (right_ - left_) / static_cast<double>(x_.categories.size());
    const size_t fits = static_cast<size_t>(std::max(3.0, band / kCharWidthPx - 1));
    for (size_t i = 0; i < x_.categories.size(); ++i) {
      const std::string& name = x_.categories[i];
      size_t cut = std::min(name.size(), fits - 1);
      while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0u) == 0x80u) --cut;  // whole UTF-8 characters
      const std::string shown = name.size() <= fits ? name : name.substr(0, cut) + "\u2026";
      out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}<title>{}</title></text>)",
                         px(x_px(static_cast<double>(i))), px(bottom_ + 16), escape_xml(shown), escape_xml(name));
    }
  } else {
    for (double t : x_.log ? log_ticks(x_.lo, x_.hi) : linear_ticks(x_.lo, x_.hi, 7)) {
      const double xp = x_px(t);
      out += fmt::format(R"(<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" class="grid"/><text x="{0}" y="{3}" text-anchor="middle">{4}</text>)",
                         px(xp), px(top_), px(bottom_), px(bottom_ + 16), escape_xml(x_.format(t)));
    }
  }
  out += '\n';
  // y ticks and horizontal grid lines
  if (!y_.categories.empty()) {
    for (size_t i = 0; i < y_.categories.size(); ++i)
      out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>)",
                         px(left_ - 6), px(y_px(static_cast<double>(i))), escape_xml(y_.categories[i]));
  } else {
    for (double t : y_.log ? log_ticks(y_.lo, y_.hi) : linear_ticks(y_.lo, y_.hi)) {
      const double yp = y_px(t);
      out += fmt::format(R"(<line x1="{0}" x2="{1}" y1="{2}" y2="{2}" class="grid"/><text x="{3}" y="{2}" text-anchor="end" dominant-baseline="middle">{4}</text>)",
                         px(left_), px(right_), px(yp), px(left_ - 6), escape_xml(y_.format(t)));
    }
  }
  out += '\n';
  // axis titles
  out += fmt::format(R"(<text class="axis-title" x="{}" y="{}" text-anchor="middle">{}</text>)", px((left_ + right_) / 2),
                     px(bottom_ + 36), escape_xml(x_.label));
  // A band y axis names its categories; its title still says what they are (rotated, left of the names).
  if (!y_.label.empty())
    out += fmt::format(R"svg(<text class="axis-title" transform="translate(14 {}) rotate(-90)" text-anchor="middle">{}</text>)svg",
                       px((top_ + bottom_) / 2), escape_xml(y_.label));
  out += "</g>\n";
  return out;
}

std::string SvgPlot::legend_svg(double& height) const {
  std::string out;
  double x = left_, y = height_ + 4;
  if (!legend_.empty()) out += "<g class=\"legend\">";
  for (const LegendEntry& e : legend_) {
    const double w = 30 + static_cast<double>(e.label.size()) * kCharWidthPx + 18;
    if (x + w > width_ && x > left_) {
      x = left_;
      y += kLegendRowPx;
    }
    if (e.box) {
      out += fmt::format(R"(<rect x="{}" y="{}" width="20" height="12" fill="{}"/>)", px(x), px(y - 6),
                         escape_xml(e.stroke.colour));
    } else {
      out += fmt::format(R"(<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="{}"{}/>)", px(x),
                         px(x + 22), px(y), px(y), escape_xml(e.stroke.colour), e.stroke.width,
                         e.stroke.dash.empty() ? "" : fmt::format(R"( stroke-dasharray="{}")", escape_xml(e.stroke.dash)));
    }
    out += fmt::format(R"(<text x="{}" y="{}" dominant-baseline="middle">{}</text>)", px(x + 28), px(y),
                       escape_xml(e.label));
    x += w;
  }
  if (!legend_.empty()) {
    out += "</g>\n";
    height = y + kLegendRowPx - 4;
  }
  return out;
}

std::string SvgPlot::render() const {
  double height = height_;
  const std::string legend = legend_svg(height);
  std::string out = fmt::format(
      R"(<svg role="img" viewBox="0 0 {} {}" width="{}" height="{}" class="chart">)",
      px(width_), px(height), px(width_), px(height));
  out += fmt::format("\n<title>{}</title><desc>{}</desc>\n", escape_xml(title_), escape_xml(description_));
  out += axes_svg();
  out += body_;
  out += legend;
  out += "</svg>\n";
  return out;
}

}  // namespace archsim
