// PauseSchedule implementation.
#include "archsim/pause_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace archsim {

PauseSchedule::PauseSchedule(const PauseModel& model, Rng rng) : model_(model), rng_(rng) {
  if (!model_.enabled()) return;
  const LognormalFit fit = lognormal_from_mean_p99(model_.mean_s, std::max(model_.p99_s, model_.mean_s * 1.0001));
  ln_mu_ = fit.mu;
  ln_sigma_ = fit.sigma;
  next_start_s_ = rng_.exponential(model_.every_s);
}

void PauseSchedule::draw_until(double t_s) {
  while (next_start_s_ <= t_s) {
    const double length = std::exp(ln_mu_ + ln_sigma_ * rng_.normal());
    const double start = std::max(next_start_s_, pauses_.empty() ? 0.0 : pauses_.back().end_s);
    pauses_.push_back(Pause{start, start + length});
    total_s_ += length;
    next_start_s_ = start + length + rng_.exponential(model_.every_s);
  }
}

double PauseSchedule::finish(double start_s, double work_s) {
  if (!model_.enabled()) return start_s + work_s;
  // pauses long over are of no further use (jobs start in time order; a margin covers stations sharing the process)
  while (pauses_.size() > 1 && pauses_.front().end_s < start_s - 10.0) pauses_.pop_front();
  double t = start_s;
  double left = work_s;
  for (size_t i = 0;; ++i) {
    draw_until(t + left);
    if (i >= pauses_.size()) return t + left;
    const Pause& p = pauses_[i];
    if (p.end_s <= t) continue;           // already over
    if (p.start_s >= t + left) return t + left;  // done before it
    if (p.start_s > t) left -= p.start_s - t;  // run until the pause
    t = p.end_s;                          // wait it out
  }
}

double PauseSchedule::paused_before(double t_s) const {
  double later = 0;
  for (const auto& p : pauses_)
    if (p.start_s >= t_s) later += p.end_s - p.start_s;
  return total_s_ - later;
}

}  // namespace archsim
