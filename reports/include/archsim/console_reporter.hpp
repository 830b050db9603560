// ConsoleReporter: the verdict table for a terminal. One row per candidate
// (latency percentiles with their confidence intervals, throughput, lag, cost,
// overload, PASS/FAIL), then each requirement's verdict line, the per-stage
// latency breakdown, utilisation, cost lines, notes and the recommendation.
#pragma once

#include "archsim/reporter.hpp"

namespace archsim {

class ConsoleReporter : public Reporter {
 public:
  /// `colour`: mark PASS/FAIL/OVERLOADED with ANSI colours. Pass true only
  /// when the stream is a terminal (and NO_COLOR is unset).
  explicit ConsoleReporter(bool colour = false) : colour_(colour) {}
  void report(const Result& result, std::ostream& out) override;

 private:
  bool colour_;
};

}  // namespace archsim
