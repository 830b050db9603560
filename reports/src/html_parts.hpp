// HTML building blocks shared by the HTML report's sections and charts: an
// escaped-text shorthand, tables, the per-candidate colours, dashes and
// marker shapes (so a candidate looks the same in every chart), and a chart
// block (figure, caption, SVG, and the numbers behind it in a <details>).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/svg_plot.hpp"

namespace archsim::html {

/// Milliseconds per second: latency axes are drawn in ms.
inline constexpr double kMs = 1000;
/// How every chart draws a target (latency, budget, availability): red, dashed.
inline const Stroke kTargetStroke{"#B00020", 1.5, "5 3"};

/// Escaped text (alias of escape_xml, short because it is everywhere).
inline std::string h(std::string_view text) { return escape_xml(text); }

/// A table; header and cells are HTML (escape text first). Columns whose
/// index is in `numeric` are right-aligned. Wrapped in a horizontally
/// scrolling box so a wide table never widens a phone's page.
std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                  const std::vector<size_t>& numeric = {}, std::string_view css_class = {});

/// Colour-blind-safe colour (Okabe-Ito), dash pattern and marker of the i-th series.
std::string series_colour(size_t i);
std::string series_dash(size_t i);
MarkerShape series_marker(size_t i);

/// A chart block: <figure> with the SVG, a caption, and the table of its
/// numbers in a <details> ("Show the numbers").
std::string chart_block(std::string_view id, std::string_view heading, std::string_view svg,
                        std::string_view caption_html, std::string_view table_html);

}  // namespace archsim::html
