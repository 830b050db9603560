// HTML building blocks of the HTML report (see html_parts.hpp).
#include "html_parts.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace archsim::html {

std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                  const std::vector<size_t>& numeric, std::string_view css_class) {
  auto is_numeric = [&](size_t i) { return std::find(numeric.begin(), numeric.end(), i) != numeric.end(); };
  std::string out = fmt::format("<div class=\"scroll\"><table{}>\n<thead><tr>",
                                css_class.empty() ? "" : fmt::format(" class=\"{}\"", h(css_class)));
  for (size_t i = 0; i < header.size(); ++i)
    out += fmt::format("<th scope=\"col\"{}>{}</th>", is_numeric(i) ? " class=\"num\"" : "", header[i]);
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (size_t i = 0; i < row.size(); ++i)
      out += i == 0 ? fmt::format("<th scope=\"row\">{}</th>", row[i])
                    : fmt::format("<td{}>{}</td>", is_numeric(i) ? " class=\"num\"" : "", row[i]);
    out += "</tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

std::string series_colour(size_t i) {
  static constexpr std::array<const char*, 7> kColours = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                          "#E69F00", "#56B4E9", "#000000"};
  return kColours[i % kColours.size()];
}

std::string series_dash(size_t i) {
  static constexpr std::array<const char*, 4> kDashes = {"", "7 4", "2 3", "9 3 2 3"};
  return kDashes[(i / 7 + i) % kDashes.size()];
}

MarkerShape series_marker(size_t i) {
  static constexpr std::array<MarkerShape, 4> kShapes = {MarkerShape::circle, MarkerShape::square,
                                                         MarkerShape::diamond, MarkerShape::triangle};
  return kShapes[i % kShapes.size()];
}

std::string chart_block(std::string_view id, std::string_view heading, std::string_view svg,
                        std::string_view caption_html, std::string_view table_html) {
  return fmt::format(
      "<section class=\"block\" id=\"{}\">\n<h2>{}</h2>\n<figure>\n<div class=\"scroll\">{}</div><figcaption>{}</figcaption>\n</figure>\n"
      "<details><summary>Show the numbers behind this chart</summary>\n{}</details>\n</section>\n",
      h(id), h(heading), svg, caption_html, table_html);
}

}  // namespace archsim::html
