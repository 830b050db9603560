// Debouncer: fires once, `delay` after the last of a series of touches
// (e.g. 300 ms after the last slider move). Time is passed in by the caller,
// so tests drive it with a fake clock.
#pragma once

#include <chrono>

namespace archsim::gui {

using Clock = std::chrono::steady_clock;

class Debouncer {
 public:
  explicit Debouncer(Clock::duration delay) : delay_(delay) {}

  /// Something changed at `now`: (re)start the wait.
  void touch(Clock::time_point now) {
    last_ = now;
    pending_ = true;
  }
  /// True once, at the first call at least `delay` after the last touch.
  bool fire(Clock::time_point now) {
    if (!pending_ || now - last_ < delay_) return false;
    pending_ = false;
    return true;
  }
  /// Touched and not yet fired.
  bool pending() const { return pending_; }
  void cancel() { pending_ = false; }
  Clock::duration delay() const { return delay_; }

 private:
  Clock::duration delay_;
  Clock::time_point last_{};
  bool pending_ = false;
};

}  // namespace archsim::gui
