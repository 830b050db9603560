// More chart blocks of the HTML report, kept apart from html_charts.hpp so
// each stays small: availability and loss per candidate, predicted against
// measured (for check and OMB results), and the sweep heatmap over two swept
// parameters. Each is a chart block (inline SVG plus the table of its numbers).
#pragma once

#include <string>

#include "archsim/comparison.hpp"

namespace archsim {
struct SweepOutcome;
}

namespace archsim::html {

/// Availability (within the latency target and delivering at all, each with
/// its 95%-of-months interval) as downtime minutes per month against the
/// availability target, plus events lost and duplicated per month. A block
/// saying why, without a chart, when no candidate has a failure model.
std::string availability_chart(const Comparison& comparison);

/// For every measured candidate, its latency percentiles next to the
/// prediction it checks (the simulated candidate of the same name without
/// " (measured)", from the same input file when there is one there, else the
/// recommended, else the first simulated one), with
/// 95% confidence intervals as error bars. "" when nothing was measured.
std::string predicted_vs_measured_chart(const Comparison& comparison);

/// Per candidate of a sweep with at least two varied parameters: a heatmap
/// of p99 over the first two, with the boundary between the cells meeting
/// every requirement and the others drawn, and the same grid as a table.
/// Other varied parameters are folded: a cell shows its best point. A
/// paragraph saying why when the sweep varies fewer than two parameters.
std::string sweep_heatmaps(const SweepOutcome& sweep);

}  // namespace archsim::html
