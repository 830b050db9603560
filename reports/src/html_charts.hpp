// The HTML report's charts, each a chart block (inline SVG plus the table of
// its numbers) built on SvgPlot: end-to-end latency CDF with the latency
// targets, latency by stage, monthly cost by component, and cost vs p99
// with the Pareto front and the feasible region.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "archsim/comparison.hpp"
#include "archsim/pareto_front.hpp"

namespace archsim::html {

std::string latency_cdf_chart(const Comparison& comparison);
std::string stage_latency_chart(const Comparison& comparison);
std::string cost_breakdown_chart(const Comparison& comparison);
std::string cost_vs_latency_chart(const Comparison& comparison);

}  // namespace archsim::html
