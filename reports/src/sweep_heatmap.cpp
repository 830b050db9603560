// The sweep page's heatmaps (see html_extra_charts.hpp): per candidate, p99
// over the first two varied parameters, binned into a few colours (each bin
// in the legend with its range), a dot on every cell meeting every
// requirement and a line around those cells, so neither the colour nor the
// line alone carries the verdict. Large grids are drawn as one <path> per
// colour instead of one element per cell, so 10,000 points stay small.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "archsim/svg_plot.hpp"
#include "archsim/sweep_reporter.hpp"
#include "html_extra_charts.hpp"
#include "html_parts.hpp"
#include "number_format.hpp"

namespace archsim::html {

namespace {

/// One cell of the grid: the best point among those sharing its two values.
struct Cell {
  enum class State { empty, invalid, overloaded, ok } state = State::empty;
  bool feasible = false;
  double p99_s = NAN;
  double cost = NAN;
  size_t point = 0;
  size_t folded = 0;   ///< points of the sweep that fall in this cell
};

/// Sequential, colour-blind-safe ramp (light yellow to dark blue), fast to slow.
constexpr std::array<const char*, 7> kRamp = {"#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4",
                                              "#1d91c0", "#225ea8", "#0c2c84"};
constexpr const char* kOverloaded = "#9e9e9e";
constexpr const char* kInvalid = "#ffffff";
constexpr size_t kTooltipCells = 2500;   ///< above this, cells have no per-cell tooltip (size)

std::string value_text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string px(double v) { return fmt::format("{:.1f}", v); }

/// Band labels: every value when they fit, else every k-th (the table has them all).
std::vector<std::string> band_labels(const SweepDim& d, size_t max_labels) {
  std::vector<std::string> out;
  const size_t step = std::max<size_t>(1, (d.values.size() + max_labels - 1) / max_labels);
  for (size_t i = 0; i < d.values.size(); ++i) out.push_back(i % step == 0 ? value_text(d.values[i]) : "");
  return out;
}

/// Prefers a cell meeting every requirement, then a lower p99, then a plain ok point over an overloaded one.
bool better(const Cell& a, const Cell& b) {
  if (b.state == Cell::State::empty || b.state == Cell::State::invalid) return a.state != Cell::State::empty;
  if (a.state != Cell::State::ok && a.state != Cell::State::overloaded) return false;
  if (a.feasible != b.feasible) return a.feasible;
  if ((a.state == Cell::State::ok) != (b.state == Cell::State::ok)) return a.state == Cell::State::ok;
  return a.p99_s < b.p99_s;
}

std::string heatmap(const SweepOutcome& sweep, const std::string& candidate, size_t series) {
  const SweepDim& dx = sweep.dims[0];
  const SweepDim& dy = sweep.dims[1];
  auto index_of = [](const SweepDim& d) {
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < d.values.size(); ++i) index.emplace(d.values[i].dump(), i);
    return index;
  };
  const auto ix = index_of(dx), iy = index_of(dy);
  const size_t nx = dx.values.size(), ny = dy.values.size();
  std::vector<Cell> cells(nx * ny);
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (const nlohmann::json& r : sweep.records) {
    const auto& ov = r["overrides"];
    if (!ov.contains(dx.path) || !ov.contains(dy.path)) continue;
    const auto fx = ix.find(ov[dx.path].dump()), fy = iy.find(ov[dy.path].dump());
    if (fx == ix.end() || fy == iy.end()) continue;
    Cell c;
    c.point = r["point"].get<size_t>();
    if (r["status"].get<std::string>() != "ok") {
      c.state = Cell::State::invalid;
    } else if (const nlohmann::json* cj = record_candidate(r, candidate); cj == nullptr) {
      continue;
    } else {
      const bool measured = (*cj)["latency_count"].get<uint64_t>() > 0;
      c.state = (*cj)["overloaded"].get<bool>() || !measured ? Cell::State::overloaded : Cell::State::ok;
      c.feasible = (*cj)["meets_all"].get<bool>();
      c.p99_s = measured ? (*cj)["p99_s"].get<double>() : NAN;
      c.cost = (*cj)["cost_usd_month"].get<double>();
      if (c.state == Cell::State::ok && c.p99_s > 0) lo = std::min(lo, c.p99_s), hi = std::max(hi, c.p99_s);
    }
    Cell& slot = cells[fy->second * nx + fx->second];
    c.folded = slot.folded + 1;
    if (better(c, slot)) slot = c;
    slot.folded = c.folded;
  }
  if (!(hi > 0)) lo = 1e-3, hi = 1;
  if (hi <= lo) hi = lo * 1.01;
  // Log bins between the fastest and the slowest p99.
  const double llo = std::log10(lo), lhi = std::log10(hi);
  auto bin_of = [&](double p99) {
    const double f = (std::log10(p99) - llo) / (lhi - llo);
    return std::min(kRamp.size() - 1, static_cast<size_t>(std::max(0.0, f) * static_cast<double>(kRamp.size())));
  };
  auto bin_edge = [&](size_t b) { return std::pow(10.0, llo + (lhi - llo) * static_cast<double>(b) / kRamp.size()); };

  const double cell_h = std::clamp(360.0 / static_cast<double>(ny), 4.0, 30.0);
  SvgPlot plot(fmt::format("p99 latency of {} over {} and {}", candidate, dx.path, dy.path),
               fmt::format("Heatmap: one cell per pair of values of {} (across) and {} (down); the colour bins the "
                           "p99 end-to-end latency; a dot and the black outline mark the cells meeting every "
                           "requirement; grey is overloaded, white with a cross is an invalid or failed point.",
                           dx.path, dy.path),
               {fmt::format("{} (swept value)", dx.path), 0, 1, false, band_labels(dx, 12), {}},
               {dy.path, 0, 1, false, band_labels(dy, std::max<size_t>(2, static_cast<size_t>(360 / 14))), {}}, 720,
               62 + cell_h * static_cast<double>(ny));
  const bool tooltips = nx * ny <= kTooltipCells;
  const bool labels = plot.x_band(0).second >= 48 && plot.y_band(0).second >= 16;
  std::array<std::string, kRamp.size()> bin_paths;
  std::string overloaded_path, invalid_path, dots, crosses;
  for (size_t y = 0; y < ny; ++y)
    for (size_t x = 0; x < nx; ++x) {
      const Cell& c = cells[y * nx + x];
      const auto [x0, w] = plot.x_band(x);
      const auto [y0, hgt] = plot.y_band(y);
      if (c.state == Cell::State::empty) continue;
      const char* fill = c.state == Cell::State::ok ? kRamp[bin_of(c.p99_s)]
                         : c.state == Cell::State::overloaded ? kOverloaded
                                                              : kInvalid;
      const std::string cell_text =
          c.state == Cell::State::ok ? format_latency(c.p99_s) : c.state == Cell::State::overloaded ? "overloaded" : "invalid";
      if (tooltips) {
        plot.rect_px(x0, y0, w, hgt, fill,
                     fmt::format("#{}: {} = {}, {} = {}: p99 {}, {}/month{}{}", c.point, dx.path, value_text(dx.values[x]),
                                 dy.path, value_text(dy.values[y]), c.state == Cell::State::ok ? format_latency(c.p99_s) : cell_text,
                                 format_usd(c.cost), c.feasible ? ", meets every requirement" : "",
                                 c.folded > 1 ? fmt::format(" (best of {} points)", c.folded) : ""));
      } else {
        std::string& path = c.state == Cell::State::ok ? bin_paths[bin_of(c.p99_s)]
                            : c.state == Cell::State::overloaded ? overloaded_path
                                                                 : invalid_path;
        path += fmt::format("M{} {}h{}v{}h-{}z", px(x0), px(y0), px(w), px(hgt), px(w));
      }
      const double cx = x0 + w / 2, cy = y0 + hgt / 2;
      if (c.feasible) dots += fmt::format("M{} {}h0", px(labels ? x0 + 7 : cx), px(cy));
      if (c.state == Cell::State::invalid)
        crosses += fmt::format("M{} {}l{} {}M{} {}l{} {}", px(x0 + w * 0.3), px(y0 + hgt * 0.3), px(w * 0.4),
                               px(hgt * 0.4), px(x0 + w * 0.3), px(y0 + hgt * 0.7), px(w * 0.4), px(-hgt * 0.4));
      if (labels && c.state != Cell::State::invalid)
        plot.text_px(cx + (c.feasible ? 4 : 0), cy + 4, c.state == Cell::State::ok ? format_latency(c.p99_s) : "OL",
                     "middle", c.state == Cell::State::ok && bin_of(c.p99_s) >= 4 ? "on-dark" : "");
    }
  for (size_t b = 0; b < kRamp.size(); ++b)
    if (!bin_paths[b].empty()) plot.raw_svg(fmt::format("<path fill=\"{}\" d=\"{}\"/>\n", kRamp[b], bin_paths[b]));
  if (!overloaded_path.empty()) plot.raw_svg(fmt::format("<path fill=\"{}\" d=\"{}\"/>\n", kOverloaded, overloaded_path));
  if (!invalid_path.empty()) plot.raw_svg(fmt::format("<path fill=\"{}\" d=\"{}\"/>\n", kInvalid, invalid_path));
  if (!crosses.empty()) plot.raw_svg(fmt::format("<path stroke=\"#b00020\" stroke-width=\"1.2\" d=\"{}\"/>\n", crosses));
  // The feasibility boundary: every cell edge with a feasible cell on one side only.
  std::string edges;
  auto feasible_at = [&](long x, long y) {
    return x >= 0 && y >= 0 && x < static_cast<long>(nx) && y < static_cast<long>(ny) &&
           cells[static_cast<size_t>(y) * nx + static_cast<size_t>(x)].feasible;
  };
  for (long y = 0; y < static_cast<long>(ny); ++y)
    for (long x = 0; x < static_cast<long>(nx); ++x) {
      if (!feasible_at(x, y)) continue;
      const auto [x0, w] = plot.x_band(static_cast<size_t>(x));
      const auto [y0, hgt] = plot.y_band(static_cast<size_t>(y));
      if (!feasible_at(x - 1, y)) edges += fmt::format("M{} {}v{}", px(x0), px(y0), px(hgt));
      if (!feasible_at(x + 1, y)) edges += fmt::format("M{} {}v{}", px(x0 + w), px(y0), px(hgt));
      if (!feasible_at(x, y - 1)) edges += fmt::format("M{} {}h{}", px(x0), px(y0), px(w));
      if (!feasible_at(x, y + 1)) edges += fmt::format("M{} {}h{}", px(x0), px(y0 + hgt), px(w));
    }
  const double dot = std::clamp(std::min(plot.x_band(0).second, plot.y_band(0).second) * 0.45, 2.0, 7.0);
  if (!dots.empty()) {
    // A white halo under each black dot keeps it visible on the darkest bins.
    plot.raw_svg(fmt::format("<path stroke=\"#fff\" stroke-width=\"{}\" stroke-linecap=\"round\" d=\"{}\"/>\n", px(dot + 2), dots));
    plot.raw_svg(fmt::format("<path stroke=\"#000\" stroke-width=\"{}\" stroke-linecap=\"round\" d=\"{}\"/>\n", px(dot), dots));
  }
  if (!edges.empty())
    plot.raw_svg(fmt::format("<path fill=\"none\" stroke=\"#000\" stroke-width=\"2.5\" stroke-linecap=\"square\" d=\"{}\">"
                             "<title>feasibility boundary: inside, every requirement is met</title></path>\n",
                             edges));
  for (size_t b = 0; b < kRamp.size(); ++b)
    plot.add_legend(fmt::format("p99 {} to {}", format_latency(bin_edge(b)), format_latency(bin_edge(b + 1))),
                    {kRamp[b], 2, ""}, true);
  plot.add_legend("overloaded", {kOverloaded, 2, ""}, true);
  plot.add_legend("meets every requirement: dot, inside the black line", {"#000", 2.5, ""});
  (void)series;

  // The same grid as text: rows are the second parameter's values, columns the first's.
  std::vector<std::string> header = {h(dy.path) + " \\ " + h(dx.path)};
  for (const auto& v : dx.values) header.push_back(h(value_text(v)));
  std::vector<std::vector<std::string>> rows;
  size_t feasible_cells = 0;
  for (size_t y = 0; y < ny; ++y) {
    std::vector<std::string> row = {h(value_text(dy.values[y]))};
    for (size_t x = 0; x < nx; ++x) {
      const Cell& c = cells[y * nx + x];
      feasible_cells += c.feasible ? 1 : 0;
      switch (c.state) {
        case Cell::State::empty: row.push_back(kMissingNumber); break;
        case Cell::State::invalid: row.push_back("invalid"); break;
        case Cell::State::overloaded: row.push_back(c.feasible ? "✔ overloaded" : "overloaded"); break;
        case Cell::State::ok: row.push_back(h((c.feasible ? "✔ " : "") + format_latency(c.p99_s))); break;
      }
    }
    rows.push_back(std::move(row));
  }
  std::vector<size_t> numeric;
  for (size_t i = 1; i <= nx; ++i) numeric.push_back(i);
  std::string caption = fmt::format(
      "{} of {} cells meet every requirement (a dot; the black line encloses them). Colours bin the p99 latency, "
      "light is fast; each bin's range is in the legend.",
      feasible_cells, nx * ny);
  if (sweep.dims.size() > 2)
    caption += fmt::format(" The sweep also varies {} more parameter{}: each cell shows its best point (meeting every "
                           "requirement first, then the lowest p99).",
                           sweep.dims.size() - 2, sweep.dims.size() == 3 ? "" : "s");
  const std::string numbers =
      table(header, rows, numeric, "grid") +
      "<p class=\"note\">Each cell: p99 end-to-end latency of the cell's point; ✔ = meets every requirement.</p>\n";
  return chart_block(fmt::format("heatmap-{}", series), fmt::format("p99 heatmap: {}", candidate), plot.render(),
                     h(caption), numbers);
}

}  // namespace

std::string sweep_heatmaps(const SweepOutcome& sweep) {
  if (sweep.dims.size() < 2)
    return "<section class=\"block\" id=\"heatmap\">\n<h2>p99 heatmap</h2>\n<p class=\"note\">A heatmap needs two "
           "swept parameters; this sweep varies " +
           std::to_string(sweep.dims.size()) + ". Run the sweep with a second <code>--vary</code>.</p>\n</section>\n";
  std::string out;
  for (size_t k = 0; k < sweep.summaries.size(); ++k) out += heatmap(sweep, sweep.summaries[k].name, k);
  return out;
}

}  // namespace archsim::html
