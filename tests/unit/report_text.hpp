// Shared by the report tests: the HTML page of a Result, and how often a
// piece of markup occurs in it.
#pragma once

#include <cstddef>
#include <sstream>
#include <string>

#include "archsim/html_reporter.hpp"
#include "archsim/result.hpp"

namespace archsim::test_support {

/// Non-overlapping occurrences of `needle` in `text`.
inline size_t count_occurrences(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

/// The HTML report of `r`, as `archsim report --format html` writes it.
inline std::string html(const Result& r) {
  std::ostringstream out;
  HtmlReporter().report(r, out);
  return out.str();
}

}  // namespace archsim::test_support
