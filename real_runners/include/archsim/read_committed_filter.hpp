// ReadCommittedFilter: read_committed isolation done by the sink of an
// exactly-once run on the embedded broker. librdkafka's mock cluster writes
// no transaction markers and keeps no last stable offset, so a read_committed
// consumer receives records of open and of aborted transactions. The sink
// therefore reads each record's transaction id (transaction_outcomes.hpp),
// holds records of open transactions, delivers those of committed ones and
// drops those of aborted ones, as a read_committed reader of a real broker
// would see them. The held records stand for what a real broker keeps behind
// its last stable offset, so a restart of the sink's consumer keeps them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "archsim/transaction_outcomes.hpp"

namespace archsim {

/// One record read by the sink.
struct SinkRecord {
  uint64_t seq = 0;          ///< the event's sequence number
  int64_t intended_us = 0;   ///< intended send time (run clock, µs)
  int64_t received_us = 0;   ///< when the sink read the record (run clock, µs)
  bool reread = false;       ///< read again after the sink's own restart (not a new copy)
};

class ReadCommittedFilter {
 public:
  using Deliver = std::function<void(const SinkRecord&)>;

  /// `outcomes` (written by the processors) must outlive the filter.
  explicit ReadCommittedFilter(const TransactionOutcomes& outcomes) : outcomes_(outcomes) {}

  /// A record of transaction `txn_id`: passed to `deliver` at once when the
  /// transaction committed, dropped when it was aborted, held while it is open.
  void offer(uint64_t txn_id, const SinkRecord& record, const Deliver& deliver);
  /// Delivers the held records of transactions that committed since, drops
  /// those of transactions aborted since. Call between polls.
  void release(const Deliver& deliver);

  /// Records of aborted transactions dropped (each record once: re-reads not counted).
  uint64_t dropped() const { return dropped_; }
  /// Records held now (their transactions still open).
  uint64_t held() const;

 private:
  const TransactionOutcomes& outcomes_;
  std::map<uint64_t, std::vector<SinkRecord>> held_;  ///< open transaction id -> its records, in read order
  uint64_t dropped_ = 0;
};

}  // namespace archsim
