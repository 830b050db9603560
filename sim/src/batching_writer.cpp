// BatchingWriter implementation.
#include "archsim/batching_writer.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace archsim {

BatchingWriter::BatchingWriter(int max_in_flight, double write_latency_s, double round_trip_s)
    : BatchingWriter(max_in_flight, std::vector<double>{write_latency_s}, round_trip_s) {}

BatchingWriter::BatchingWriter(int max_in_flight, std::vector<double> write_latencies_s, double round_trip_s)
    : slot_free_at_(static_cast<size_t>(std::max(1, max_in_flight)), 0.0), write_latencies_s_(std::move(write_latencies_s)),
      round_trip_s_(round_trip_s) {
  if (max_in_flight < 1) throw std::invalid_argument("BatchingWriter needs at least one write in flight");
  if (write_latencies_s_.empty()) throw std::invalid_argument("BatchingWriter needs at least one write latency");
}

double BatchingWriter::earliest_free() const { return *std::min_element(slot_free_at_.begin(), slot_free_at_.end()); }

void BatchingWriter::decide_pending(const OnWrite& on_write) {
  auto slot = std::min_element(slot_free_at_.begin(), slot_free_at_.end());
  const double start = std::max(pending_start_s_, *slot);
  const double done = start + round_trip_s_ + write_latencies_s_[writes_ % write_latencies_s_.size()];
  *slot = done;
  if (start >= window_from_) busy_s_ += done - start;
  ++writes_;
  const size_t first = pending_first_, count = pending_count_;
  pending_count_ = 0;
  on_write(first, count, start, done);
}

size_t BatchingWriter::hand_off(double handoff_s, size_t count, const OnWrite& on_write) {
  handoff_s = std::max(handoff_s, last_handoff_s_);
  last_handoff_s_ = handoff_s;
  flush_until(handoff_s, on_write);
  const size_t first = next_record_;
  next_record_ += count;
  if (pending_count_ > 0) {  // a write is waiting for a slot: join it
    pending_count_ += count;
    return first;
  }
  pending_first_ = first;
  pending_count_ = count;
  pending_start_s_ = std::max(handoff_s, earliest_free());
  if (pending_start_s_ <= handoff_s) decide_pending(on_write);  // a slot is free: it leaves now
  return first;
}

void BatchingWriter::flush_until(double now_s, const OnWrite& on_write) {
  if (pending_count_ > 0 && pending_start_s_ <= now_s) decide_pending(on_write);
}

void BatchingWriter::flush_all(const OnWrite& on_write) {
  if (pending_count_ > 0) decide_pending(on_write);
}

}  // namespace archsim
