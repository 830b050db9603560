// SvgPlot: a small inline-SVG chart builder shared by the HTML report's
// charts: one plot area with two axes (linear, log10 or categorical bands),
// ticks and grid lines, data drawn in data coordinates, reference lines,
// shaded regions and a legend. Output is one <svg> element with a <title>
// and <desc> (accessible name), sized by its viewBox so it scales to the page.
// Every text passed in is escaped here; callers pass plain text.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace archsim {

/// Escapes &, <, >, " and ' for HTML/XML text and attribute values.
std::string escape_xml(std::string_view text);

/// About `max_ticks` evenly spaced "nice" ticks (1, 2 or 5 times a power of
/// ten apart) covering [lo, hi]: the first at or below lo is not included,
/// only ticks inside [lo, hi]. Empty when hi <= lo or either is not finite.
std::vector<double> linear_ticks(double lo, double hi, int max_ticks = 6);

/// Ticks for a log10 axis over [lo, hi] (0 < lo < hi): every power of ten
/// inside the range; when that gives fewer than three ticks, also 2x and 5x
/// each power of ten. Ascending; empty for an invalid range.
std::vector<double> log_ticks(double lo, double hi);

/// The smallest "nice" number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a
/// power of ten) >= v, for axis ends; 1 for v <= 0.
double nice_ceiling(double v);

/// One axis of a plot.
struct PlotAxis {
  std::string label;                            ///< with its unit, e.g. "latency (ms)"
  double lo = 0;                                ///< data value at the axis start
  double hi = 1;                                ///< data value at the axis end
  bool log = false;                             ///< log10 scale (lo must be > 0)
  std::vector<std::string> categories;          ///< non-empty: a band axis, one band per category
  std::function<std::string(double)> format;    ///< tick label text; default "{:g}"
};

/// How a line or marker is drawn.
struct Stroke {
  std::string colour = "#333";
  double width = 2;
  std::string dash;   ///< SVG stroke-dasharray, "" = solid
};

enum class MarkerShape { circle, square, diamond, triangle };

class SvgPlot {
 public:
  /// `title` becomes the chart's <title>, `description` its <desc>.
  /// `width_px` x `height_px` is the viewBox size of the plot without legend.
  SvgPlot(std::string title, std::string description, PlotAxis x, PlotAxis y, double width_px = 720,
          double height_px = 380);

  /// Pixel position of a data value (band axes: the centre of band `value`;
  /// x bands run left to right, y bands top to bottom).
  double x_px(double x) const;
  double y_px(double y) const;
  /// Start pixel and width of band `index` on a band axis.
  std::pair<double, double> x_band(size_t index) const;
  std::pair<double, double> y_band(size_t index) const;

  /// A line through data points (in order), clipped to the plot area.
  void polyline(const std::vector<std::pair<double, double>>& points, const Stroke& stroke, std::string_view tooltip);
  /// A rule across the plot at data x (vertical) or y (horizontal), labelled at its end.
  void vertical_rule(double x, std::string_view label, const Stroke& stroke);
  void horizontal_rule(double y, std::string_view label, const Stroke& stroke);
  /// A shaded rectangle in data coordinates, with a label in its top-left corner.
  void region(double x0, double x1, double y0, double y1, std::string_view fill, std::string_view label);
  /// A rectangle in pixels (bars), with a hover tooltip.
  void rect_px(double x, double y, double w, double h, std::string_view fill, std::string_view tooltip);
  /// A marker at data (x, y) with a hover tooltip and an optional text label beside it.
  void marker(double x, double y, MarkerShape shape, std::string_view colour, std::string_view tooltip,
              std::string_view label = {});
  /// The same marker at a pixel position (for points placed inside a band).
  void marker_px(double x_px, double y_px, MarkerShape shape, std::string_view colour, std::string_view tooltip);
  /// A straight line in pixels (error bars, boundaries), with an optional hover tooltip.
  void line_px(double x1, double y1, double x2, double y2, const Stroke& stroke, std::string_view tooltip = {});
  /// Raw SVG appended to the plot body as is (already escaped by the caller):
  /// for shapes drawn in bulk, such as thousands of heatmap cells in one <path>.
  void raw_svg(std::string_view svg) { body_ += svg; }
  /// Text at a pixel position ("start", "middle" or "end" anchor).
  void text_px(double x, double y, std::string_view text, std::string_view anchor = "start",
               std::string_view css_class = {});
  /// A legend entry: a swatch (line with `stroke`, or a filled box when `box`) and its label.
  void add_legend(std::string_view label, const Stroke& stroke, bool box = false);

  /// The finished <svg> element.
  std::string render() const;

  double plot_left() const { return left_; }
  double plot_right() const { return right_; }
  double plot_top() const { return top_; }
  double plot_bottom() const { return bottom_; }

 private:
  struct LegendEntry {
    std::string label;
    Stroke stroke;
    bool box;
  };

  void rule_label(double x, double y, std::string_view text, std::string_view anchor, std::string_view colour);
  double to_px(const PlotAxis& axis, double value, double start, double end) const;
  std::string axes_svg() const;
  std::string legend_svg(double& height) const;

  std::string title_;
  std::string description_;
  PlotAxis x_, y_;
  double width_, height_;
  double left_, right_, top_, bottom_;   ///< plot area in pixels
  std::string body_;                     ///< data elements, in drawing order
  std::vector<LegendEntry> legend_;
  size_t labelled_markers_ = 0;          ///< markers drawn with a label so far
  size_t vertical_rules_ = 0;            ///< vertical rules drawn so far (their labels stack downwards)
};

}  // namespace archsim
