// ProgressLine: progress of a long run on stderr. On a terminal a bar
// redrawn in place (done/total, points per second, ETA); otherwise a plain
// line every `plain_every_s` seconds and at the end; nothing when quiet.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace archsim {

class ProgressLine {
 public:
  /// `what` names the units ("points"). `terminal`: redraw in place.
  ProgressLine(std::ostream& err, bool terminal, bool quiet, std::string what, double plain_every_s = 10);
  /// Sets the count at the start (resumed work does not count in the rate).
  void start(size_t done, size_t total);
  /// Reports `done` of `total`; draws when due.
  void update(size_t done, size_t total);
  /// Draws the final state and ends the line.
  void finish(size_t done, size_t total);

 private:
  std::string text(size_t done, size_t total) const;
  std::ostream& err_;
  bool terminal_;
  bool quiet_;
  std::string what_;
  double plain_every_s_;
  size_t start_done_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace archsim
