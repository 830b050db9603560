// ReadCommittedFilter: hold, deliver or drop the sink's records by their
// transaction's outcome (see read_committed_filter.hpp).
#include "archsim/read_committed_filter.hpp"

namespace archsim {

void ReadCommittedFilter::offer(uint64_t txn_id, const SinkRecord& record, const Deliver& deliver) {
  switch (outcomes_.outcome(txn_id)) {
    case TransactionOutcomes::Outcome::committed:
      deliver(record);
      return;
    case TransactionOutcomes::Outcome::aborted:
      if (!record.reread) ++dropped_;
      return;
    case TransactionOutcomes::Outcome::open:
      held_[txn_id].push_back(record);
      return;
  }
}

void ReadCommittedFilter::release(const Deliver& deliver) {
  for (auto it = held_.begin(); it != held_.end();) {
    const TransactionOutcomes::Outcome o = outcomes_.outcome(it->first);
    if (o == TransactionOutcomes::Outcome::open) {
      ++it;
      continue;
    }
    for (const SinkRecord& r : it->second) {
      if (o == TransactionOutcomes::Outcome::committed)
        deliver(r);
      else if (!r.reread)
        ++dropped_;
    }
    it = held_.erase(it);
  }
}

uint64_t ReadCommittedFilter::held() const {
  uint64_t n = 0;
  for (const auto& [id, records] : held_) n += records.size();
  return n;
}

}  // namespace archsim
