// HtmlReporter: the comparison as one self-contained HTML page for
// stakeholders: an executive summary in plain words, a requirements matrix
// (PASS/FAIL with margins, colour plus text), inline SVG charts (latency CDF
// with targets, latency by stage, monthly cost by component, cost vs p99
// with the Pareto front and the feasible region), each with a text table
// behind it, key figures, and the assumptions (scenario, seed, precision,
// notes, catalog prices, version). Inline CSS only: no scripts, fonts or
// other requests; printable (page breaks between blocks) and readable on a
// phone. Every string from the Result is HTML-escaped.
#pragma once

#include "archsim/comparison.hpp"
#include "archsim/reporter.hpp"

namespace archsim {

class HtmlReporter : public Reporter {
 public:
  void report(const Result& result, std::ostream& out) override;
  void report(const Comparison& comparison, std::ostream& out);
};

}  // namespace archsim
