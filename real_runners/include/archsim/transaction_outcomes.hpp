// TransactionOutcomes: how each transaction of an exactly-once real run
// ended (committed or aborted), shared in process between the transactional
// processors (which record it) and the sink (which reads it to emulate
// read_committed on the embedded broker, see read_committed_filter.hpp).
// Each record the processors write carries its transaction's id in the
// header kTransactionHeader.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace archsim {

/// Header of every record an exactly-once processor writes: its
/// transaction's id, 8 bytes, big-endian (see transaction_id).
inline constexpr const char* kTransactionHeader = "archsim-txn";

/// The id of the `sequence`-th transaction (0, 1, ...) of processor `processor`
/// (0..65535): processor in the top 16 bits, sequence in the low 48.
uint64_t transaction_id(int processor, uint64_t sequence);

/// Writes `id` as the 8 big-endian bytes of kTransactionHeader into `out`.
void encode_transaction_id(uint64_t id, unsigned char out[8]);

/// The transaction id in `m`'s kTransactionHeader; nullopt when it has none
/// (or one of another size).
std::optional<uint64_t> read_transaction_id(const rd_kafka_message_t* m);

class TransactionOutcomes {
 public:
  enum class Outcome { open, committed, aborted };

  /// Any thread: transaction `id` committed (its commit_transaction returned).
  void committed(uint64_t id);
  /// Any thread: transaction `id` was aborted or abandoned; its records never count.
  void aborted(uint64_t id);
  /// Any thread: open when nothing was recorded for `id` yet.
  Outcome outcome(uint64_t id) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<uint64_t, Outcome> outcomes_;
};

}  // namespace archsim
