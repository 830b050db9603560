// TransactionalProcessor: the consume-transform-produce loop of an
// exactly-once run (see transactional_processor.hpp).
#include "archsim/transactional_processor.hpp"

#include <exception>
#include <map>
#include <memory>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "archsim/kafka_client.hpp"
#include "archsim/run_payload.hpp"

namespace archsim {

namespace {

using ErrorPtr = std::unique_ptr<rd_kafka_error_t, void (*)(rd_kafka_error_t*)>;
ErrorPtr owned(rd_kafka_error_t* e) { return {e, rd_kafka_error_destroy}; }

using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, void (*)(rd_kafka_topic_partition_list_t*)>;
PartitionList new_list(int size) { return {rd_kafka_topic_partition_list_new(size), rd_kafka_topic_partition_list_destroy}; }

void spin(double seconds) {
  if (seconds <= 0) return;
  const int64_t until = run_clock_us() + static_cast<int64_t>(seconds * 1e6);
  while (run_clock_us() < until) {
  }
}

/// The open transaction: its events and, per input partition, the first
/// offset it consumed and the next offset to commit.
struct OpenTransaction {
  struct Event {
    uint64_t seq;
    int64_t intended_us;
    int64_t produced_us;
  };
  std::vector<Event> events;
  std::map<std::pair<std::string, int32_t>, std::pair<int64_t, int64_t>> offsets;  // (topic, partition) -> (first, next)
  int64_t started_us = 0;
  void clear(int64_t now) {
    events.clear();
    offsets.clear();
    started_us = now;
  }
};

}  // namespace

void init_transactional_producer(rd_kafka_t* producer, std::chrono::milliseconds timeout) {
  if (ErrorPtr e = owned(rd_kafka_init_transactions(producer, static_cast<int>(timeout.count())))) {
    throw KafkaError(fmt::format("init_transactions: {} (the cluster needs a transaction coordinator)",
                                 rd_kafka_error_string(e.get())));
  }
}

void run_transactional_processor(RestartableConsumer& consumer, KafkaHandle& producer,
                                 const TransactionalProducerFactory& new_producer, TransactionOutcomes& outcomes,
                                 const TransactionalProcessorConfig& cfg, const std::atomic<bool>& stop,
                                 TransactionalProcessorStats& st, std::string& fatal) {
  const int timeout_ms = static_cast<int>(cfg.call_timeout.count());
  const auto measured = [&](int64_t intended_us) {
    const double t = static_cast<double>(intended_us - cfg.t0_us) * 1e-6;
    return t >= cfg.warmup_s && t < cfg.warmup_s + cfg.duration_s;
  };
  const auto interval_us = static_cast<int64_t>(cfg.commit_interval_s * 1e6);
  OpenTransaction txn;
  uint64_t txn_sequence = 0;  // of the open transaction
  unsigned char txn_header[8];
  // Begins transaction number txn_sequence; false on a fatal error.
  const auto begin = [&]() -> bool {
    if (ErrorPtr e = owned(rd_kafka_begin_transaction(producer.get()))) {
      fatal = fmt::format("begin_transaction: {}", rd_kafka_error_string(e.get()));
      return false;
    }
    encode_transaction_id(transaction_id(cfg.index, txn_sequence), txn_header);
    txn.clear(run_clock_us());
    return true;
  };
  // The open transaction ended without a commit: its records never count.
  const auto ended_aborted = [&]() {
    outcomes.aborted(transaction_id(cfg.index, txn_sequence));
    ++st.aborted;
    ++txn_sequence;
  };
  if (!begin()) return;

  // Aborts the open transaction and rewinds the consumer to its first
  // offsets, so its events are processed again in the next one.
  const auto abort_and_rewind = [&]() -> bool {
    if (ErrorPtr e = owned(rd_kafka_abort_transaction(producer.get(), timeout_ms))) {
      fatal = fmt::format("abort_transaction: {}", rd_kafka_error_string(e.get()));
      return false;
    }
    ended_aborted();
    PartitionList rewind = new_list(static_cast<int>(txn.offsets.size()));
    for (const auto& [tp, first_next] : txn.offsets)
      rd_kafka_topic_partition_list_add(rewind.get(), tp.first.c_str(), tp.second)->offset = first_next.first;
    if (ErrorPtr e = owned(rd_kafka_seek_partitions(consumer.get(), rewind.get(), timeout_ms))) {
      fatal = fmt::format("seek after an aborted transaction: {}", rd_kafka_error_string(e.get()));
      return false;
    }
    return true;
  };

  // Sends the offsets and commits; false on a fatal error.
  const auto commit = [&]() -> bool {
    PartitionList offsets = new_list(static_cast<int>(txn.offsets.size()));
    for (const auto& [tp, first_next] : txn.offsets)
      rd_kafka_topic_partition_list_add(offsets.get(), tp.first.c_str(), tp.second)->offset = first_next.second;
    std::unique_ptr<rd_kafka_consumer_group_metadata_t, void (*)(rd_kafka_consumer_group_metadata_t*)> group(
        rd_kafka_consumer_group_metadata(consumer.get()), rd_kafka_consumer_group_metadata_destroy);
    const int64_t begin_us = run_clock_us();
    for (int attempt = 0;; ++attempt) {
      ErrorPtr e = owned(rd_kafka_send_offsets_to_transaction(producer.get(), offsets.get(), group.get(), timeout_ms));
      if (!e) e = owned(rd_kafka_commit_transaction(producer.get(), timeout_ms));
      if (!e) break;
      if (rd_kafka_error_is_retriable(e.get()) && attempt < 5) {
        ++st.commit_retries;
        continue;
      }
      if (rd_kafka_error_txn_requires_abort(e.get())) return abort_and_rewind() && begin();
      fatal = fmt::format("commit_transaction: {}", rd_kafka_error_string(e.get()));
      return false;
    }
    const int64_t done_us = run_clock_us();
    outcomes.committed(transaction_id(cfg.index, txn_sequence));
    ++txn_sequence;
    // Embedded broker only (see TransactionalProcessorConfig::plain_offset_commit):
    // the mock drops the offsets of TxnOffsetCommit, so the same offsets go
    // in a plain OffsetCommit, after the transaction committed. A failure
    // is retried by the next commit, which carries later offsets.
    if (cfg.plain_offset_commit && !consumer.commit_handled()) ++st.offset_commit_failures;
    st.commit_duration.record(static_cast<double>(done_us - begin_us) * 1e-6);
    ++st.transactions;
    st.forwarded += txn.events.size();
    for (const OpenTransaction::Event& ev : txn.events) {
      if (measured(ev.intended_us)) st.commit_wait.record(static_cast<double>(done_us - ev.produced_us) * 1e-6);
      st.committed.push_back({ev.seq, ev.intended_us, done_us});
    }
    return begin();
  };

  // A restart of the consumer, as a crash of the whole processor in the
  // middle of its open transaction: what it produced reaches the log (the
  // worst case for readers), the transaction never ends, the producer is
  // dropped. A new producer with the same transactional.id initialises
  // (InitProducerId bumps the epoch: the old one is fenced and its open
  // transaction aborted by the coordinator) before the consumer resumes from
  // the offsets of the last committed transaction; the abandoned events are
  // read and processed again in a new transaction.
  const auto restart = [&]() -> bool {
    const int64_t asked_us = run_clock_us();
    rd_kafka_flush(producer.get(), timeout_ms);
    if (!txn.events.empty()) {
      st.abandoned_events += txn.events.size();
      ended_aborted();
    }
    producer.reset();  // no abort, no commit: as a crash
    try {
      producer = new_producer();
      init_transactional_producer(producer.get(), cfg.call_timeout);
    } catch (const std::exception& e) {
      fatal = fmt::format("restarted transactional producer: {}", e.what());
      return false;
    }
    if (!consumer.restart_if_requested()) {
      fatal = consumer.error();
      return false;
    }
    ++st.restarts;
    if (!begin()) return false;
    st.restart_s.push_back(static_cast<double>(run_clock_us() - asked_us) * 1e-6);
    return true;
  };

  while (!stop.load()) {
    if (consumer.restart_pending()) {
      if (!restart()) return;
      continue;
    }
    if (!txn.events.empty() && run_clock_us() - txn.started_us >= interval_us) {
      if (!commit()) return;
    } else if (txn.events.empty() && run_clock_us() - txn.started_us >= interval_us) {
      txn.started_us = run_clock_us();  // nothing to commit: the interval starts again
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 5);
    if (m == nullptr) continue;
    const std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> msg(m, rd_kafka_message_destroy);
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;  // transient fetch errors are retried by librdkafka
    const int64_t at = run_clock_us();
    RunPayload p;
    if (!read_run_payload(m, cfg.run_id, p)) {
      ++st.foreign;
      continue;
    }
    if (measured(p.intended_us)) st.receive_latency.record(static_cast<double>(at - p.intended_us) * 1e-6);
    spin(cfg.cpu_per_event_s);
    const size_t key_len = m->key == nullptr ? 0 : m->key_len;
    for (;;) {
      const rd_kafka_resp_err_t err = rd_kafka_producev(
          producer.get(), RD_KAFKA_V_TOPIC(cfg.out_topic.c_str()), RD_KAFKA_V_KEY(m->key, key_len),
          RD_KAFKA_V_VALUE(m->payload, m->len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_HEADER(kTransactionHeader, txn_header, sizeof txn_header), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        fatal = fmt::format("produce to {} in a transaction: {}", cfg.out_topic, rd_kafka_err2str(err));
        return;
      }
      rd_kafka_poll(producer.get(), 1);
    }
    rd_kafka_poll(producer.get(), 0);
    txn.events.push_back({p.seq, p.intended_us, run_clock_us()});
    consumer.handled(m->partition, m->offset);
    const auto key = std::make_pair(std::string(rd_kafka_topic_name(m->rkt)), m->partition);
    auto [it, inserted] = txn.offsets.try_emplace(key, m->offset, m->offset + 1);
    if (!inserted) it->second.second = m->offset + 1;
  }
  if (!txn.events.empty()) commit();
}

}  // namespace archsim
