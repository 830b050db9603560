// ProgressLine: a redrawn bar on a terminal, periodic plain lines otherwise.
#include "archsim/progress_line.hpp"

#include <cmath>

#include <fmt/format.h>

namespace archsim {

namespace {

std::string clock_text(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const auto total = static_cast<long long>(std::llround(s));
  if (total >= 3600) return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

}  // namespace

ProgressLine::ProgressLine(std::ostream& err, bool terminal, bool quiet, std::string what, double plain_every_s)
    : err_(err), terminal_(terminal), quiet_(quiet), what_(std::move(what)), plain_every_s_(plain_every_s) {}

void ProgressLine::start(size_t done, size_t total) {
  start_done_ = done;
  start_ = std::chrono::steady_clock::now();
  last_draw_ = start_;
  (void)total;
}

std::string ProgressLine::text(size_t done, size_t total) const {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done - start_done_) / elapsed : 0;
  const double eta = rate > 0 ? static_cast<double>(total - done) / rate : NAN;
  return fmt::format("{}/{} {}, {:.2f} {}/s, elapsed {}, ETA {}", done, total, what_, rate, what_, clock_text(elapsed),
                     done == total ? "0:00" : clock_text(eta));
}

void ProgressLine::update(size_t done, size_t total) {
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_draw_).count();
  if (terminal_) {
    if (drawn_ && since < 0.2) return;
    const size_t width = 30;
    const size_t filled = total ? done * width / total : width;
    err_ << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << text(done, total) << "\x1b[K"
         << std::flush;
  } else {
    if (since < plain_every_s_) return;
    err_ << "[info] progress: " << text(done, total) << '\n' << std::flush;
  }
  last_draw_ = now;
  drawn_ = true;
}

void ProgressLine::finish(size_t done, size_t total) {
  if (quiet_) return;
  if (terminal_) {
    drawn_ = false;
    update(done, total);
    err_ << '\n' << std::flush;
  } else {
    err_ << "[info] progress: " << text(done, total) << '\n' << std::flush;
  }
}

}  // namespace archsim
