// Plot: a small chart drawn on an ImGui draw list: one plot area with a
// linear or log10 x and y axis, ticks, grid and axis labels, series
// (polylines, bars, markers, reference lines, shaded regions), a legend and
// a hover tooltip with the exact values of the nearest item. Immediate
// mode: build one each frame, then call finish().
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

namespace archsim::gui {

struct PlotAxis {
  std::string label;
  double lo = 0;
  double hi = 1;
  bool log = false;
  std::function<std::string(double)> tick_text;  ///< default "{:g}"
  std::vector<std::string> categories;           ///< categorical bands instead of ticks (x only)
};

/// Colour-blind-safe (Okabe-Ito) colour of the i-th series.
ImU32 series_colour(size_t i, int alpha = 255);

class Plot {
 public:
  /// Reserves `size` (pixels) at the cursor; the id makes the widget unique.
  Plot(const char* id, const char* title, ImVec2 size, PlotAxis x, PlotAxis y);

  /// Pixel position of a data point.
  ImVec2 px(double x, double y) const;
  float x_px(double x) const;
  float y_px(double y) const;
  /// Left and width of categorical band `i` on the x axis.
  std::pair<float, float> x_band(size_t i) const;

  void polyline(const std::vector<std::pair<double, double>>& points, ImU32 colour, float thickness,
                const std::string& name, const std::function<std::string(double, double)>& describe);
  void vertical_rule(double x, ImU32 colour, const std::string& label);
  void horizontal_rule(double y, ImU32 colour, const std::string& label);
  void region(double x0, double x1, double y0, double y1, ImU32 colour);
  /// A filled rectangle in pixels with a tooltip.
  void rect_px(ImVec2 a, ImVec2 b, ImU32 colour, const std::string& tooltip);
  /// A marker (circle, square, triangle or diamond by `shape` % 4) with a tooltip.
  void marker(double x, double y, int shape, ImU32 colour, const std::string& tooltip);
  void text_px(ImVec2 at, ImU32 colour, const std::string& text);
  void legend(const std::string& name, ImU32 colour, bool dashed = false);

  /// Draws the legend and the tooltip of the hovered item.
  void finish();

  ImDrawList* draw_list() const { return draw_; }
  float scale() const { return scale_; }

 private:
  struct Hover {
    ImVec2 a, b;        ///< rectangle (a == b for a point)
    std::string text;
  };
  struct LegendEntry {
    std::string name;
    ImU32 colour;
    bool dashed;
  };
  double norm_x(double x) const;
  double norm_y(double y) const;
  void draw_axes();

  ImDrawList* draw_ = nullptr;
  ImVec2 frame_min_, frame_max_;  ///< whole widget
  ImVec2 area_min_, area_max_;    ///< plot area
  PlotAxis x_, y_;
  float scale_ = 1;
  bool hovered_ = false;
  int vertical_rules_ = 0;
  std::vector<Hover> hovers_;
  std::vector<LegendEntry> legend_;
};

}  // namespace archsim::gui
