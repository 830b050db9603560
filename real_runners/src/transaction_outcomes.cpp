// TransactionOutcomes: the registry of ended transactions and the
// transaction-id header (see transaction_outcomes.hpp).
#include "archsim/transaction_outcomes.hpp"

#include <stdexcept>

namespace archsim {

uint64_t transaction_id(int processor, uint64_t sequence) {
  if (processor < 0 || processor > 0xffff || sequence >= (uint64_t{1} << 48))
    throw std::invalid_argument("transaction_id: expected processor 0..65535 and sequence < 2^48");
  return (static_cast<uint64_t>(processor) << 48) | sequence;
}

void encode_transaction_id(uint64_t id, unsigned char out[8]) {
  for (int i = 7; i >= 0; --i, id >>= 8) out[i] = static_cast<unsigned char>(id & 0xff);
}

std::optional<uint64_t> read_transaction_id(const rd_kafka_message_t* m) {
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(m, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
  const void* value = nullptr;
  size_t size = 0;
  if (rd_kafka_header_get_last(headers, kTransactionHeader, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR ||
      value == nullptr || size != 8)
    return std::nullopt;
  const auto* bytes = static_cast<const unsigned char*>(value);
  uint64_t id = 0;
  for (size_t i = 0; i < 8; ++i) id = (id << 8) | bytes[i];
  return id;
}

void TransactionOutcomes::committed(uint64_t id) {
  const std::lock_guard<std::mutex> lock(mutex_);
  outcomes_[id] = Outcome::committed;
}

void TransactionOutcomes::aborted(uint64_t id) {
  const std::lock_guard<std::mutex> lock(mutex_);
  outcomes_[id] = Outcome::aborted;
}

TransactionOutcomes::Outcome TransactionOutcomes::outcome(uint64_t id) const {
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto it = outcomes_.find(id);
  return it == outcomes_.end() ? Outcome::open : it->second;
}

}  // namespace archsim
