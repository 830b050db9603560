// PauseSchedule: stop-the-world pauses delay work by exactly the pauses it
// overlaps, nothing starts inside a pause, and over a long run the paused
// fraction matches the model (mean pause / mean interval).
#include <gtest/gtest.h>

#include "archsim/fifo_station.hpp"
#include "archsim/pause_schedule.hpp"

namespace {

using archsim::FifoStation;
using archsim::PauseModel;
using archsim::PauseSchedule;
using archsim::Rng;

TEST(PauseSchedule, DisabledModelNeverDelays) {
  PauseSchedule none(PauseModel{}, Rng(1, "gc"));
  EXPECT_DOUBLE_EQ(none.finish(3.0, 0.25), 3.25);
}

TEST(PauseSchedule, WorkIsDelayedByThePausesItOverlaps) {
  PauseSchedule gc(PauseModel{0.5, 0.02, 0.1}, Rng(7, "gc"));
  double t = 0;
  double paused = 0;
  for (int i = 0; i < 100000; ++i) {  // back-to-back 1 ms jobs for 100 s
    const double done = gc.finish(t, 1e-3);
    ASSERT_GE(done, t + 1e-3 - 1e-12);
    paused += done - (t + 1e-3);
    t = done;
  }
  // the time the jobs lost is the pause time drawn over the run
  EXPECT_NEAR(paused, gc.paused_before(t), 1e-6);
  // 0.02 s of pause per 0.52 s cycle on average: about 3.8% of the time
  EXPECT_NEAR(paused / t, 0.02 / 0.52, 0.01);
}

TEST(PauseSchedule, StationWithPausesIsNeverFasterThanWithout) {
  PauseSchedule gc(PauseModel{0.2, 0.01, 0.05}, Rng(3, "gc"));
  FifoStation paused(2, &gc), plain(2);
  Rng arrivals(5, "arrivals");
  double a = 0;
  for (int i = 0; i < 20000; ++i) {
    a += arrivals.exponential(1e-3);
    EXPECT_GE(paused.serve(a, 1.5e-3), plain.serve(a, 1.5e-3) - 1e-12);
  }
}

}  // namespace
