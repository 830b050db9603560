// Plot (see plot.hpp). Ticks come from the HTML report's SvgPlot helpers
// (linear_ticks, log_ticks), so the GUI and the report label axes alike.
#include "plot.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "archsim/svg_plot.hpp"

namespace archsim::gui {

namespace {

const ImU32 kAxis = IM_COL32(60, 60, 60, 255);
const ImU32 kGrid = IM_COL32(220, 220, 220, 255);
const ImU32 kText = IM_COL32(30, 30, 30, 255);

void dashed_line(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 colour, float thickness, float dash) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  if (len <= 0) return;
  for (float t = 0; t < len; t += 2 * dash) {
    const float t1 = std::min(len, t + dash);
    draw->AddLine({a.x + dx * t / len, a.y + dy * t / len}, {a.x + dx * t1 / len, a.y + dy * t1 / len}, colour,
                  thickness);
  }
}

}  // namespace

ImU32 series_colour(size_t i, int alpha) {
  static constexpr unsigned kPalette[][3] = {{0, 114, 178}, {213, 94, 0},   {0, 158, 115}, {204, 121, 167},
                                             {230, 159, 0}, {86, 180, 233}, {120, 120, 120}, {240, 228, 66}};
  const auto& c = kPalette[i % 8];
  return IM_COL32(c[0], c[1], c[2], alpha);
}

Plot::Plot(const char* id, const char* title, ImVec2 size, PlotAxis x, PlotAxis y)
    : x_(std::move(x)), y_(std::move(y)) {
  scale_ = ImGui::GetFontSize() / 16.0f;
  draw_ = ImGui::GetWindowDrawList();
  frame_min_ = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  hovered_ = ImGui::IsItemHovered();
  frame_max_ = {frame_min_.x + size.x, frame_min_.y + size.y};
  const float fs = ImGui::GetFontSize();
  draw_->AddRectFilled(frame_min_, frame_max_, IM_COL32(255, 255, 255, 255), 4 * scale_);
  draw_->AddText({frame_min_.x + 8 * scale_, frame_min_.y + 4 * scale_}, kText, title);
  // rows: title, legend, y-axis label; then the plot area; x ticks and label below
  area_min_ = {frame_min_.x + 4.2f * fs, frame_min_.y + 4.8f * fs};
  area_max_ = {frame_max_.x - 1.0f * fs, frame_max_.y - 3.2f * fs};
  draw_axes();
  draw_->PushClipRect(area_min_, {area_max_.x + 1, area_max_.y + 1}, true);
}

double Plot::norm_x(double x) const {
  if (x_.log) return (std::log10(std::max(x, 1e-300)) - std::log10(x_.lo)) / (std::log10(x_.hi) - std::log10(x_.lo));
  return (x - x_.lo) / (x_.hi - x_.lo);
}

double Plot::norm_y(double y) const {
  if (y_.log) return (std::log10(std::max(y, 1e-300)) - std::log10(y_.lo)) / (std::log10(y_.hi) - std::log10(y_.lo));
  return (y - y_.lo) / (y_.hi - y_.lo);
}

float Plot::x_px(double x) const {
  return area_min_.x + static_cast<float>(norm_x(x)) * (area_max_.x - area_min_.x);
}
float Plot::y_px(double y) const {
  return area_max_.y - static_cast<float>(norm_y(y)) * (area_max_.y - area_min_.y);
}
ImVec2 Plot::px(double x, double y) const { return {x_px(x), y_px(y)}; }

std::pair<float, float> Plot::x_band(size_t i) const {
  const float n = static_cast<float>(std::max<size_t>(1, x_.categories.size()));
  const float w = (area_max_.x - area_min_.x) / n;
  return {area_min_.x + w * static_cast<float>(i), w};
}

void Plot::draw_axes() {
  const float fs = ImGui::GetFontSize();
  auto tick_text = [](const PlotAxis& a, double v) { return a.tick_text ? a.tick_text(v) : fmt::format("{:g}", v); };
  // y ticks and grid
  const std::vector<double> yt = y_.log ? log_ticks(y_.lo, y_.hi) : linear_ticks(y_.lo, y_.hi, 5);
  for (double v : yt) {
    const float y = y_px(v);
    draw_->AddLine({area_min_.x, y}, {area_max_.x, y}, kGrid);
    const std::string t = tick_text(y_, v);
    const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
    draw_->AddText({area_min_.x - ts.x - 6 * scale_, y - ts.y / 2}, kText, t.c_str());
  }
  // x ticks (or category names)
  if (!x_.categories.empty()) {
    for (size_t i = 0; i < x_.categories.size(); ++i) {
      const auto [left, w] = x_band(i);
      const ImVec2 ts = ImGui::CalcTextSize(x_.categories[i].c_str());
      draw_->AddText({left + (w - ts.x) / 2, area_max_.y + 4 * scale_}, kText, x_.categories[i].c_str());
    }
  } else {
    std::vector<double> xt = x_.log ? log_ticks(x_.lo, x_.hi) : linear_ticks(x_.lo, x_.hi, 6);
    if (x_.log && xt.size() < 2) xt = {x_.lo, x_.hi};
    for (double v : xt) {
      const float x = x_px(v);
      draw_->AddLine({x, area_min_.y}, {x, area_max_.y}, kGrid);
      const std::string t = tick_text(x_, v);
      const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
      draw_->AddText({x - ts.x / 2, area_max_.y + 4 * scale_}, kText, t.c_str());
    }
  }
  draw_->AddRect(area_min_, area_max_, kAxis);
  // axis labels
  const ImVec2 xs = ImGui::CalcTextSize(x_.label.c_str());
  draw_->AddText({(area_min_.x + area_max_.x - xs.x) / 2, area_max_.y + 1.6f * fs}, kText, x_.label.c_str());
  draw_->AddText({frame_min_.x + 8 * scale_, area_min_.y - 1.3f * fs}, IM_COL32(90, 90, 90, 255), y_.label.c_str());
}

void Plot::polyline(const std::vector<std::pair<double, double>>& points, ImU32 colour, float thickness,
                    const std::string& name, const std::function<std::string(double, double)>& describe) {
  std::vector<ImVec2> pts;
  pts.reserve(points.size());
  for (const auto& [x, y] : points) {
    if (!std::isfinite(x) || !std::isfinite(y) || (x_.log && x <= 0)) continue;
    pts.push_back(px(x, y));
    hovers_.push_back({pts.back(), pts.back(), name + ": " + describe(x, y)});
  }
  if (pts.size() >= 2) draw_->AddPolyline(pts.data(), static_cast<int>(pts.size()), colour, 0, thickness * scale_);
}

void Plot::vertical_rule(double x, ImU32 colour, const std::string& label) {
  const float px_x = x_px(x);
  dashed_line(draw_, {px_x, area_min_.y}, {px_x, area_max_.y}, colour, 1.5f * scale_, 5 * scale_);
  // labels of successive rules stacked, so two close targets stay readable
  const float y = area_min_.y + 2 * scale_ + static_cast<float>(vertical_rules_++) * ImGui::GetFontSize();
  const float w = ImGui::CalcTextSize(label.c_str()).x;
  const float label_x = px_x + 3 * scale_ + w > area_max_.x ? px_x - 3 * scale_ - w : px_x + 3 * scale_;  // inside
  draw_->AddText({label_x, y}, colour, label.c_str());
  hovers_.push_back({{px_x - 2, area_min_.y}, {px_x + 2, area_max_.y}, label});
}

void Plot::horizontal_rule(double y, ImU32 colour, const std::string& label) {
  const float px_y = y_px(y);
  dashed_line(draw_, {area_min_.x, px_y}, {area_max_.x, px_y}, colour, 1.5f * scale_, 5 * scale_);
  const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
  draw_->AddText({area_max_.x - ts.x - 4 * scale_, px_y - ts.y - 1}, colour, label.c_str());
  hovers_.push_back({{area_min_.x, px_y - 2}, {area_max_.x, px_y + 2}, label});
}

void Plot::region(double x0, double x1, double y0, double y1, ImU32 colour) {
  const ImVec2 a = px(x0, y1), b = px(x1, y0);
  draw_->AddRectFilled(a, b, colour);
}

void Plot::rect_px(ImVec2 a, ImVec2 b, ImU32 colour, const std::string& tooltip) {
  draw_->AddRectFilled(a, b, colour);
  hovers_.push_back({{std::min(a.x, b.x), std::min(a.y, b.y)}, {std::max(a.x, b.x), std::max(a.y, b.y)}, tooltip});
}

void Plot::marker(double x, double y, int shape, ImU32 colour, const std::string& tooltip) {
  const ImVec2 c = px(x, y);
  const float r = 6 * scale_;
  switch (shape % 4) {
    case 0: draw_->AddCircleFilled(c, r, colour); break;
    case 1: draw_->AddRectFilled({c.x - r, c.y - r}, {c.x + r, c.y + r}, colour); break;
    case 2: draw_->AddTriangleFilled({c.x, c.y - r * 1.2f}, {c.x - r * 1.1f, c.y + r}, {c.x + r * 1.1f, c.y + r}, colour); break;
    default: draw_->AddQuadFilled({c.x, c.y - r * 1.3f}, {c.x + r * 1.3f, c.y}, {c.x, c.y + r * 1.3f}, {c.x - r * 1.3f, c.y}, colour);
  }
  draw_->AddCircle(c, r + 1.5f * scale_, IM_COL32(30, 30, 30, 200), 0, 1.0f * scale_);
  hovers_.push_back({c, c, tooltip});
}

void Plot::text_px(ImVec2 at, ImU32 colour, const std::string& text) { draw_->AddText(at, colour, text.c_str()); }

void Plot::legend(const std::string& name, ImU32 colour, bool dashed) { legend_.push_back({name, colour, dashed}); }

void Plot::finish() {
  draw_->PopClipRect();
  // legend: one row (wrapping) between the title and the plot area
  const float fs = ImGui::GetFontSize();
  float x = frame_min_.x + 8 * scale_, y = frame_min_.y + 1.35f * fs;
  for (const auto& e : legend_) {
    const float w = 2.0f * fs + ImGui::CalcTextSize(e.name.c_str()).x + fs;
    if (x + w > frame_max_.x && x > frame_min_.x + 8 * scale_) x = frame_min_.x + 8 * scale_, y += fs;
    const float mid = y + fs / 2;
    if (e.dashed) dashed_line(draw_, {x, mid}, {x + 1.5f * fs, mid}, e.colour, 2 * scale_, 4 * scale_);
    else draw_->AddRectFilled({x, mid - 4 * scale_}, {x + 1.5f * fs, mid + 4 * scale_}, e.colour);
    draw_->AddText({x + 1.8f * fs, y}, kText, e.name.c_str());
    x += w;
  }
  if (!hovered_) return;
  const ImVec2 m = ImGui::GetIO().MousePos;
  const Hover* best = nullptr;
  float best_d = 10 * scale_;
  for (const Hover& h : hovers_) {
    const float dx = m.x < h.a.x ? h.a.x - m.x : m.x > h.b.x ? m.x - h.b.x : 0;
    const float dy = m.y < h.a.y ? h.a.y - m.y : m.y > h.b.y ? m.y - h.b.y : 0;
    const float d = std::sqrt(dx * dx + dy * dy);
    if (d <= best_d) best = &h, best_d = d;
  }
  if (best != nullptr) {
    if (best->a.x == best->b.x && best->a.y == best->b.y) draw_->AddCircle(best->a, 5 * scale_, kAxis, 0, 2 * scale_);
    ImGui::SetTooltip("%s", best->text.c_str());
  }
}

}  // namespace archsim::gui
