// BatchingWriter: writes in flight, records joining a waiting write, and the
// service times taken in turn.
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "archsim/batching_writer.hpp"

namespace archsim {
namespace {

struct Write {
  size_t first, count;
  double start, done;
};

TEST(BatchingWriter, WritesTakeTheirServiceTimesInTurn) {
  // One write in flight, 1 ms of network around each, service 5, 3, 1 ms in turn.
  BatchingWriter w(1, std::vector<double>{5e-3, 3e-3, 1e-3}, 1e-3);
  std::vector<Write> writes;
  const auto on = [&](size_t first, size_t count, double start, double done) { writes.push_back({first, count, start, done}); };
  for (int i = 0; i < 4; ++i) w.hand_off(i * 0.1, 10, on);  // far apart: each leaves at once
  ASSERT_EQ(writes.size(), 4u);
  EXPECT_NEAR(writes[0].done - writes[0].start, 6e-3, 1e-12);
  EXPECT_NEAR(writes[1].done - writes[1].start, 4e-3, 1e-12);
  EXPECT_NEAR(writes[2].done - writes[2].start, 2e-3, 1e-12);
  EXPECT_NEAR(writes[3].done - writes[3].start, 6e-3, 1e-12);  // the cycle starts again
  EXPECT_EQ(writes[3].first, 30u);
  EXPECT_EQ(w.writes(), 4u);
}

TEST(BatchingWriter, RecordsHandedOffWhileTheSlotIsBusyLeaveTogether) {
  BatchingWriter w(1, 10e-3, 0);
  std::vector<Write> writes;
  const auto on = [&](size_t first, size_t count, double start, double done) { writes.push_back({first, count, start, done}); };
  w.hand_off(0, 1, on);       // leaves at once, done at 10 ms
  w.hand_off(2e-3, 2, on);    // waits for the slot
  w.hand_off(4e-3, 3, on);    // joins the waiting write
  w.flush_all(on);
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[1].first, 1u);
  EXPECT_EQ(writes[1].count, 5u);
  EXPECT_NEAR(writes[1].start, 10e-3, 1e-12);
  EXPECT_NEAR(writes[1].done, 20e-3, 1e-12);
  EXPECT_THROW(BatchingWriter(1, std::vector<double>{}, 0), std::invalid_argument);
  EXPECT_THROW(BatchingWriter(0, 1e-3, 0), std::invalid_argument);
}

}  // namespace
}  // namespace archsim
