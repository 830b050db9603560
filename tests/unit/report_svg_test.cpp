// SvgPlot, the chart helper of the HTML report: tick placement on linear and
// log axes, escaping, and an accessible, well-formed <svg> element.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "archsim/svg_plot.hpp"

namespace archsim {
namespace {

void expect_ticks(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], want[i] * 1e-9 + 1e-12) << i;
}

TEST(SvgPlot, LogTicksArePowersOfTen) {
  expect_ticks(log_ticks(0.001, 100), {0.001, 0.01, 0.1, 1, 10, 100});
  expect_ticks(log_ticks(0.5, 2000), {1, 10, 100, 1000});
}

TEST(SvgPlot, NarrowLogRangesAlsoGetTwoAndFive) {
  expect_ticks(log_ticks(1, 100), {1, 10, 100});
  expect_ticks(log_ticks(1, 50), {1, 2, 5, 10, 20, 50});
  expect_ticks(log_ticks(3, 40), {5, 10, 20});
}

TEST(SvgPlot, InvalidRangesGiveNoTicks) {
  EXPECT_TRUE(log_ticks(0, 10).empty());
  EXPECT_TRUE(log_ticks(-1, 10).empty());
  EXPECT_TRUE(log_ticks(10, 1).empty());
  EXPECT_TRUE(linear_ticks(5, 5).empty());
}

TEST(SvgPlot, LinearTicksAreNice) {
  expect_ticks(linear_ticks(0, 100), {0, 20, 40, 60, 80, 100});
  expect_ticks(linear_ticks(0, 12000), {0, 2500, 5000, 7500, 10000});
  expect_ticks(linear_ticks(0.3, 1.1, 5), {0.4, 0.6, 0.8, 1.0});
  EXPECT_EQ(linear_ticks(-1, 1).size(), 5u);
  EXPECT_DOUBLE_EQ(linear_ticks(-1, 1)[2], 0.0) << "no -1e-17 at zero";
  EXPECT_DOUBLE_EQ(nice_ceiling(10894), 12000);
  EXPECT_DOUBLE_EQ(nice_ceiling(0.0041), 0.005);
  EXPECT_DOUBLE_EQ(nice_ceiling(20), 20);
}

TEST(SvgPlot, EscapesText) {
  EXPECT_EQ(escape_xml("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  SvgPlot plot("A <b> & c", "desc", {"x (ms)", 1, 100, true, {}, {}}, {"y", 0, 1, false, {}, {}});
  plot.marker(10, 0.5, MarkerShape::circle, "#000", "<script>", "</text><script>");
  plot.add_legend("<i>", {"#000", 1, ""});
  const std::string svg = plot.render();
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_EQ(svg.find("<i>"), std::string::npos);
  EXPECT_NE(svg.find("<title>A &lt;b&gt; &amp; c</title><desc>desc</desc>"), std::string::npos);
}

TEST(SvgPlot, MapsDataAndRendersAxes) {
  SvgPlot plot("t", "d", {"latency (ms)", 1, 1000, true, {}, {}}, {"share (%)", 0, 100, false, {}, {}}, 700, 400);
  // A log axis puts each decade the same distance apart.
  EXPECT_NEAR(plot.x_px(10) - plot.x_px(1), plot.x_px(1000) - plot.x_px(100), 1e-9);
  EXPECT_DOUBLE_EQ(plot.x_px(1), plot.plot_left());
  EXPECT_DOUBLE_EQ(plot.x_px(1000), plot.plot_right());
  EXPECT_DOUBLE_EQ(plot.y_px(0), plot.plot_bottom());
  EXPECT_DOUBLE_EQ(plot.y_px(100), plot.plot_top());
  const std::string svg = plot.render();
  EXPECT_EQ(svg.rfind("<svg role=\"img\" viewBox=\"0 0 700.0 400.0\"", 0), 0u) << svg.substr(0, 80);
  for (const char* tick : {">1<", ">10<", ">100<", ">1000<", "latency (ms)", "share (%)"})
    EXPECT_NE(svg.find(tick), std::string::npos) << tick;
}

TEST(SvgPlot, BandsRunLeftToRightAndTopToBottom) {
  SvgPlot plot("t", "d", {"x", 0, 1, false, {"a", "b"}, {}}, {"y", 0, 1, false, {"first", "second", "third"}, {}});
  EXPECT_LT(plot.x_px(0), plot.x_px(1));
  EXPECT_LT(plot.y_px(0), plot.y_px(2)) << "the first category is drawn on top";
  const auto [start, height] = plot.y_band(0);
  EXPECT_DOUBLE_EQ(start, plot.plot_top());
  EXPECT_NEAR(plot.y_px(0), start + height / 2, 1e-9);
}

TEST(SvgPlot, LegendGrowsTheViewBox) {
  SvgPlot plot("t", "d", {"x", 0, 1, false, {}, {}}, {"y", 0, 1, false, {}, {}}, 300, 200);
  for (int i = 0; i < 6; ++i) plot.add_legend("a fairly long legend entry", {"#000", 1, ""});
  const std::string svg = plot.render();
  const size_t at = svg.find("viewBox=\"0 0 300.0 ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GT(std::stod(svg.substr(at + 19)), 300.0) << "six entries wrap onto rows below the plot";
}

}  // namespace
}  // namespace archsim
