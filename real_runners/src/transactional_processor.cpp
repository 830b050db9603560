// TransactionalProcessor: the consume-transform-produce loop of an
// exactly-once run (see transactional_processor.hpp).
#include "archsim/transactional_processor.hpp"

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

void run_transactional_processor(rd_kafka_t* consumer, rd_kafka_t* producer, const TransactionalProcessorConfig& cfg,
                                 const std::atomic<bool>& stop, TransactionalProcessorStats& st, std::string& fatal) {
  const int timeout_ms = static_cast<int>(cfg.call_timeout.count());
  const auto measured = [&](int64_t intended_us) {
    const double t = static_cast<double>(intended_us - cfg.t0_us) * 1e-6;
    return t >= cfg.warmup_s && t < cfg.warmup_s + cfg.duration_s;
  };
  const auto interval_us = static_cast<int64_t>(cfg.commit_interval_s * 1e6);
  OpenTransaction txn;
  if (ErrorPtr e = owned(rd_kafka_begin_transaction(producer))) {
    fatal = fmt::format("begin_transaction: {}", rd_kafka_error_string(e.get()));
    return;
  }
  txn.clear(run_clock_us());

  // Aborts the open transaction and rewinds the consumer to its first
  // offsets, so its events are processed again in the next one.
  const auto abort_and_rewind = [&]() -> bool {
    if (ErrorPtr e = owned(rd_kafka_abort_transaction(producer, timeout_ms))) {
      fatal = fmt::format("abort_transaction: {}", rd_kafka_error_string(e.get()));
      return false;
    }
    ++st.aborted;
    PartitionList rewind = new_list(static_cast<int>(txn.offsets.size()));
    for (const auto& [tp, first_next] : txn.offsets)
      rd_kafka_topic_partition_list_add(rewind.get(), tp.first.c_str(), tp.second)->offset = first_next.first;
    if (ErrorPtr e = owned(rd_kafka_seek_partitions(consumer, rewind.get(), timeout_ms))) {
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
        rd_kafka_consumer_group_metadata(consumer), rd_kafka_consumer_group_metadata_destroy);
    const int64_t begin_us = run_clock_us();
    for (int attempt = 0;; ++attempt) {
      ErrorPtr e = owned(rd_kafka_send_offsets_to_transaction(producer, offsets.get(), group.get(), timeout_ms));
      if (!e) e = owned(rd_kafka_commit_transaction(producer, timeout_ms));
      if (!e) break;
      if (rd_kafka_error_is_retriable(e.get()) && attempt < 5) {
        ++st.commit_retries;
        continue;
      }
      if (rd_kafka_error_txn_requires_abort(e.get())) {
        if (!abort_and_rewind()) return false;
        txn.clear(run_clock_us());
        if (ErrorPtr b = owned(rd_kafka_begin_transaction(producer))) {
          fatal = fmt::format("begin_transaction: {}", rd_kafka_error_string(b.get()));
          return false;
        }
        return true;
      }
      fatal = fmt::format("commit_transaction: {}", rd_kafka_error_string(e.get()));
      return false;
    }
    const int64_t done_us = run_clock_us();
    st.commit_duration.record(static_cast<double>(done_us - begin_us) * 1e-6);
    ++st.transactions;
    st.forwarded += txn.events.size();
    for (const OpenTransaction::Event& ev : txn.events) {
      if (measured(ev.intended_us)) st.commit_wait.record(static_cast<double>(done_us - ev.produced_us) * 1e-6);
      st.committed.push_back({ev.seq, ev.intended_us, done_us});
    }
    txn.clear(done_us);
    if (ErrorPtr e = owned(rd_kafka_begin_transaction(producer))) {
      fatal = fmt::format("begin_transaction: {}", rd_kafka_error_string(e.get()));
      return false;
    }
    return true;
  };

  while (!stop.load()) {
    if (!txn.events.empty() && run_clock_us() - txn.started_us >= interval_us) {
      if (!commit()) return;
    } else if (txn.events.empty() && run_clock_us() - txn.started_us >= interval_us) {
      txn.started_us = run_clock_us();  // nothing to commit: the interval starts again
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, 5);
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
          producer, RD_KAFKA_V_TOPIC(cfg.out_topic.c_str()), RD_KAFKA_V_KEY(m->key, key_len),
          RD_KAFKA_V_VALUE(m->payload, m->len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        fatal = fmt::format("produce to {} in a transaction: {}", cfg.out_topic, rd_kafka_err2str(err));
        return;
      }
      rd_kafka_poll(producer, 1);
    }
    rd_kafka_poll(producer, 0);
    txn.events.push_back({p.seq, p.intended_us, run_clock_us()});
    const auto key = std::make_pair(std::string(rd_kafka_topic_name(m->rkt)), m->partition);
    auto [it, inserted] = txn.offsets.try_emplace(key, m->offset, m->offset + 1);
    if (!inserted) it->second.second = m->offset + 1;
  }
  if (!txn.events.empty()) commit();
}

}  // namespace archsim
