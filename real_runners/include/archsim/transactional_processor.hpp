// TransactionalProcessor: the processor thread of a real run under
// exactly-once: consume, spin the candidate's CPU, produce inside a Kafka
// transaction, and every commit interval send the consumed offsets to the
// transaction and commit it (Kafka Streams' processing.guarantee=exactly_once
// loop). It records, per event, when its transaction committed, so the
// runner can tell when a read_committed reader may see it (on a broker that
// holds uncommitted data back: the embedded mock cluster does not), and
// records each transaction's outcome in a TransactionOutcomes shared with
// the sink. A consumer restart is handled as a crash mid-transaction: the
// open transaction is abandoned (a new producer with the same
// transactional.id fences it) and the consumer resumes from the offsets the
// last committed transaction sent.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "archsim/kafka_client.hpp"
#include "archsim/log_histogram.hpp"
#include "archsim/restartable_consumer.hpp"
#include "archsim/transaction_outcomes.hpp"

namespace archsim {

struct TransactionalProcessorConfig {
  std::string out_topic;
  uint64_t run_id = 0;
  double cpu_per_event_s = 0;      ///< spun per event
  double commit_interval_s = 0.1;  ///< a transaction is committed this often (when it holds events)
  int64_t t0_us = 0;               ///< first intended send (run clock, µs)
  double warmup_s = 0;             ///< events intended before t0 + warmup are not in the latency statistics
  double duration_s = 0;           ///< measured window after the warm-up
  std::chrono::milliseconds call_timeout{10000};  ///< bound on each transactional call
  int index = 0;                   ///< this processor's number: the ids of its transactions (transaction_id)
  /// Also commit the consumed offsets with a plain OffsetCommit right after
  /// each transaction commit. Embedded broker only: librdkafka 2.0's mock
  /// cluster acknowledges TxnOffsetCommit but does not store the offsets, so
  /// a restarted consumer would otherwise resume from the run's start. On a
  /// real cluster the transaction's offsets are the authoritative ones.
  bool plain_offset_commit = false;
};

/// One event committed by a processor: when its transaction's commit returned.
struct CommittedEvent {
  uint64_t seq = 0;
  int64_t intended_us = 0;
  int64_t commit_us = 0;
};

/// Counts and latencies of one processor thread (latencies: measured window only).
struct TransactionalProcessorStats {
  LogHistogram receive_latency;   ///< intended send -> consumed by the processor, seconds
  LogHistogram commit_wait;       ///< produced by the processor -> its transaction's commit returned, seconds
  LogHistogram commit_duration;   ///< one commit_transaction() call (flush of the open batch + EndTxn), seconds
  uint64_t forwarded = 0;         ///< events produced in committed transactions
  uint64_t foreign = 0;           ///< input messages not from this run (skipped)
  uint64_t transactions = 0;      ///< transactions committed
  uint64_t aborted = 0;           ///< transactions aborted or abandoned at a restart (their input re-read)
  uint64_t commit_retries = 0;    ///< retriable commit errors retried
  uint64_t restarts = 0;          ///< consumer restarts honoured (each abandons the open transaction)
  uint64_t abandoned_events = 0;  ///< events of transactions abandoned at a restart (processed again)
  uint64_t offset_commit_failures = 0;  ///< plain offset commits that failed (plain_offset_commit)
  std::vector<double> restart_s;  ///< per restart: the processor took it up -> its next transaction began, seconds
  std::vector<CommittedEvent> committed;  ///< every committed event, in commit order
};

/// rd_kafka_init_transactions on `producer` (made with transactional.id).
/// Throws KafkaError naming librdkafka's error, e.g. when the cluster has
/// no transaction coordinator.
void init_transactional_producer(rd_kafka_t* producer, std::chrono::milliseconds timeout);

/// Creates a new (not yet initialised) producer with the processor's
/// transactional.id; throws like make_client.
using TransactionalProducerFactory = std::function<KafkaHandle()>;

/// The loop; returns when `stop` is set (after committing what is open) or
/// on a fatal error, which it leaves in `fatal`. `producer` (initialised)
/// is replaced by one from `new_producer` at each restart of `consumer`
/// (see RestartableConsumer::request_restart); both stay the caller's.
/// `outcomes` receives the id of every transaction committed or aborted.
void run_transactional_processor(RestartableConsumer& consumer, KafkaHandle& producer,
                                 const TransactionalProducerFactory& new_producer, TransactionOutcomes& outcomes,
                                 const TransactionalProcessorConfig& cfg, const std::atomic<bool>& stop,
                                 TransactionalProcessorStats& st, std::string& fatal);

}  // namespace archsim
