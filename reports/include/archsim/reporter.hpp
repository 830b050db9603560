// Reporter: the interface every output format implements (Google Benchmark's
// reporter shape). A reporter gets plain data, a finished Result, and writes
// one format to a stream; it never runs or changes a simulation.
#pragma once

#include <ostream>

#include "archsim/result.hpp"

namespace archsim {

class Reporter {
 public:
  virtual ~Reporter() = default;
  /// Writes `result` to `out` in this reporter's format.
  virtual void report(const Result& result, std::ostream& out) = 0;
};

}  // namespace archsim
