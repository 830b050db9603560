// BatchingWriter: an asynchronous sink client with at most `max_in_flight`
// writes outstanding (Flink's AsyncSinkWriter, a JDBC batch writer). Records
// handed off while every slot is busy wait and leave together in the next
// write, so a slow sink turns into larger writes rather than an ever longer
// queue of small ones. Completion times are computed exactly; hand-offs must
// come in non-decreasing time order (earlier ones are treated as arriving at
// the latest hand-off time).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace archsim {

class BatchingWriter {
 public:
  /// Called once per write when it is decided: (number of records, the
  /// write's start time, its acknowledgement time, the records' hand-off
  /// times in order).
  using OnWrite = std::function<void(size_t first_record, size_t count, double start_s, double done_s)>;

  /// `round_trip_s`: network time added around each write (request + answer);
  /// `write_latency_s`: the sink's service time per write.
  BatchingWriter(int max_in_flight, double write_latency_s, double round_trip_s);
  /// As above, the writes' service times taken in turn from
  /// `write_latencies_s` (at least one).
  BatchingWriter(int max_in_flight, std::vector<double> write_latencies_s, double round_trip_s);

  /// Hands `count` records to the writer at `handoff_s`. Returns the id of
  /// the first of them (ids are consecutive), used by the OnWrite callback.
  size_t hand_off(double handoff_s, size_t count, const OnWrite& on_write);
  /// Decides every pending write that starts at or before `now_s`.
  void flush_until(double now_s, const OnWrite& on_write);
  /// Decides every pending write, whatever its start time.
  void flush_all(const OnWrite& on_write);

  bool has_pending() const { return pending_count_ > 0; }
  /// Busy slot-seconds of writes started at or after `from_s`.
  double busy_s() const { return busy_s_; }
  void start_window(double from_s) { window_from_ = from_s; busy_s_ = 0; }
  uint64_t writes() const { return writes_; }

 private:
  void decide_pending(const OnWrite& on_write);
  double earliest_free() const;
  std::vector<double> slot_free_at_;
  std::vector<double> write_latencies_s_;  // taken in turn, one per write
  double round_trip_s_;
  double last_handoff_s_ = 0;
  size_t next_record_ = 0;
  size_t pending_first_ = 0;
  size_t pending_count_ = 0;
  double pending_start_s_ = 0;
  double busy_s_ = 0;
  double window_from_ = 0;
  uint64_t writes_ = 0;
};

}  // namespace archsim
