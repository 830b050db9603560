// The coordinator of a distributed sweep (see sweep_coordinator.hpp).
#include "archsim/sweep_coordinator.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "archsim/interrupt.hpp"
#include "archsim/sweep_messages.hpp"

namespace archsim {

namespace {

/// Delivery reports of the job producer.
struct Deliveries {
  size_t delivered = 0;
  size_t failed = 0;
  std::string first_error;
};

/// Delivery report callback; each job carries its Deliveries as message opaque.
void on_job_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  auto* d = static_cast<Deliveries*>(m->_private);
  if (d == nullptr) return;
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++d->delivered;
  } else if (d->failed++ == 0) {
    d->first_error = rd_kafka_err2str(m->err);
  }
}

using Message = KafkaMessage;

std::optional<size_t> key_point(const rd_kafka_message_t* m) {
  if (m->key == nullptr || m->key_len == 0) return std::nullopt;
  const char* k = static_cast<const char*>(m->key);
  size_t id = 0;
  const auto [end, ec] = std::from_chars(k, k + m->key_len, id);
  if (ec != std::errc() || end != k + m->key_len) return std::nullopt;
  return id;
}

void assign_from_start(rd_kafka_t* rk, const std::string& topic, int partitions) {
  assign_partitions(rk, topic, std::vector<int64_t>(static_cast<size_t>(partitions), RD_KAFKA_OFFSET_BEGINNING), 0, 1);
}

std::string seconds_text(double s) { return s < 120 ? fmt::format("{:.0f} s", s) : fmt::format("{:.0f} min", s / 60); }

}  // namespace

int ensure_sweep_topic(rd_kafka_t* rk, const std::string& topic, int partitions, int replication_factor,
                       std::chrono::milliseconds timeout) {
  int have = partition_count(rk, topic, timeout);
  if (have > 0) return have;
  std::string admin_error;
  try {
    create_topic_with_admin_api(rk, topic, partitions, replication_factor,
                                std::min(timeout, std::chrono::milliseconds(3000)));
  } catch (const KafkaError& e) {  // also BrokerUnreachable: the admin API timed out (the embedded broker)
    admin_error = e.what();
  }
  have = partition_count(rk, topic, timeout);
  if (have > 0) return have;
  // A metadata request naming the topic lets a cluster that auto-creates
  // topics (the Kafka default, and `archsim broker`) create it.
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  for (int i = 0; i < 20 && have == 0; ++i) {
    const rd_kafka_metadata_t* md = nullptr;
    if (rd_kafka_metadata(rk, 0, rkt, &md, 2000) == RD_KAFKA_RESP_ERR_NO_ERROR) rd_kafka_metadata_destroy(md);
    have = partition_count(rk, topic, timeout);
    if (have == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  rd_kafka_topic_destroy(rkt);
  if (have > 0) return have;
  throw KafkaError(fmt::format(
      "topic {} does not exist and could not be created: the admin API failed ({}) and the cluster did not "
      "auto-create it; create it ({} partitions) or grant CreateTopics, then rerun",
      topic, admin_error.empty() ? "no error, but the topic did not appear" : admin_error, partitions));
}

SweepCoordinator::SweepCoordinator(const SweepPlan& plan, SweepClusterOptions options)
    : plan_(plan), options_(std::move(options)), id_(sweep_id(plan)) {
  jobs_topic_ = sweep_jobs_topic(id_);
  results_topic_ = sweep_results_topic(id_);
  ClientSettings producer_settings{options_.bootstrap_servers,
                                   {{"linger.ms", "20"}, {"message.timeout.ms", "120000"}},
                                   &options_.properties,
                                   {{"enable.idempotence", "false"}},
                                   on_job_delivery,
                                   nullptr};
  producer_ = make_client(RD_KAFKA_PRODUCER, producer_settings);
  const int brokers = check_reachable(producer_.get(), options_.bootstrap_servers, options_.connect_timeout);
  const int rf = std::max(1, std::min(options_.replication_factor, brokers));
  jobs_partitions_ = ensure_sweep_topic(producer_.get(), jobs_topic_, options_.partitions, rf, options_.connect_timeout);
  results_partitions_ =
      ensure_sweep_topic(producer_.get(), results_topic_, options_.partitions, rf, options_.connect_timeout);
  ClientSettings consumer_settings{options_.bootstrap_servers,
                                   {{"fetch.wait.max.ms", "100"}},
                                   &options_.properties,
                                   {{"group.id", "archsim-sweep-coordinator-" + id_},
                                    {"enable.auto.commit", "false"},
                                    {"enable.auto.offset.store", "false"},
                                    {"enable.partition.eof", "true"},
                                    {"auto.offset.reset", "earliest"}},
                                   nullptr,
                                   nullptr};
  consumer_ = make_client(RD_KAFKA_CONSUMER, consumer_settings);
  rd_kafka_poll_set_consumer(consumer_.get());
  note(fmt::format("sweep {} on {}: jobs topic {} ({} partitions, so at most {} busy workers), results topic {}", id_,
                   options_.bootstrap_servers, jobs_topic_, jobs_partitions_, jobs_partitions_, results_topic_));
}

void SweepCoordinator::note(const std::string& text) const {
  if (options_.info) options_.info(text);
}

void SweepCoordinator::warn(const std::string& text) const {
  if (options_.warn) options_.warn(text);
}

std::vector<size_t> SweepCoordinator::published_points() {
  // Read the jobs topic to its end: an earlier, interrupted run of this sweep
  // may have published jobs whose points are still being simulated.
  assign_from_start(consumer_.get(), jobs_topic_, jobs_partitions_);
  std::set<size_t> ids;
  std::set<int32_t> at_end;
  const auto deadline = std::chrono::steady_clock::now() + 3 * options_.connect_timeout;
  while (static_cast<int>(at_end.size()) < jobs_partitions_) {
    throw_if_interrupted();
    if (std::chrono::steady_clock::now() > deadline) {
      warn(fmt::format("could not read the jobs topic {} to its end in time: jobs may be published twice (harmless: "
                       "results are deduplicated by point id)",
                       jobs_topic_));
      break;
    }
    const Message m(rd_kafka_consumer_poll(consumer_.get(), 200));
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      at_end.insert(m->partition);
    } else if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (const auto id = key_point(m.get())) ids.insert(*id);
    }
  }
  rd_kafka_assign(consumer_.get(), nullptr);
  return {ids.begin(), ids.end()};
}

void SweepCoordinator::publish(const std::vector<PendingPoint>& pending) {
  const std::vector<size_t> earlier = published_points();
  Deliveries deliveries;
  size_t sent = 0;
  for (const PendingPoint& p : pending) {
    if (std::binary_search(earlier.begin(), earlier.end(), p.point->id)) continue;
    const std::string payload = encode_job(id_, plan_, *p.point);
    const std::string key = std::to_string(p.point->id);
    for (;;) {
      const rd_kafka_resp_err_t err = rd_kafka_producev(
          producer_.get(), RD_KAFKA_V_TOPIC(jobs_topic_.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_OPAQUE(&deliveries), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
        throw KafkaError(fmt::format("cannot publish the job of point {} to {}: {}", p.point->id, jobs_topic_,
                                     rd_kafka_err2str(err)));
      rd_kafka_poll(producer_.get(), 100);
      throw_if_interrupted();
    }
    ++sent;
  }
  while (deliveries.delivered + deliveries.failed < sent) {
    rd_kafka_poll(producer_.get(), 200);
    throw_if_interrupted();
  }
  if (deliveries.failed > 0)
    throw KafkaError(fmt::format("{} of {} jobs could not be published to {} on {}: {}", deliveries.failed, sent,
                                 jobs_topic_, options_.bootstrap_servers, deliveries.first_error));
  note(fmt::format("published {} job{} to {}{}; start workers with: archsim worker --cluster {}", sent,
                   sent == 1 ? "" : "s", jobs_topic_,
                   earlier.empty() ? "" : fmt::format(" ({} already there from an earlier run)", pending.size() - sent),
                   options_.bootstrap_servers));
}

void SweepCoordinator::run(const std::vector<PendingPoint>& pending,
                           const std::function<void(nlohmann::json)>& on_record, const std::function<void()>& on_tick) {
  if (pending.empty()) return;
  publish(pending);
  std::map<size_t, const SweepPoint*> outstanding;
  for (const PendingPoint& p : pending) outstanding.emplace(p.point->id, p.point);
  assign_from_start(consumer_.get(), results_topic_, results_partitions_);
  std::set<std::string> workers;
  std::set<size_t> received;
  size_t duplicates = 0;
  auto last_result = std::chrono::steady_clock::now();
  auto last_warning = last_result;
  auto last_tick = last_result;
  while (!outstanding.empty()) {
    const Message m(rd_kafka_consumer_poll(consumer_.get(), 250));
    throw_if_interrupted();
    const auto now = std::chrono::steady_clock::now();
    if (now - last_tick >= std::chrono::milliseconds(500)) {
      if (on_tick) on_tick();
      last_tick = now;
    }
    const double quiet_s = std::chrono::duration<double>(now - std::max(last_result, last_warning)).count();
    if (quiet_s >= options_.stall_warning_s) {
      warn(fmt::format("no result for {} with {} point{} outstanding; are workers running? archsim worker --cluster {}",
                       seconds_text(std::chrono::duration<double>(now - last_result).count()), outstanding.size(),
                       outstanding.size() == 1 ? "" : "s", options_.bootstrap_servers));
      last_warning = now;
    }
    if (!m || m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) continue;
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      warn(fmt::format("reading {}: {}", results_topic_, rd_kafka_message_errstr(m.get())));
      continue;
    }
    SweepResult result;
    try {
      result = decode_result(std::string_view(static_cast<const char*>(m->payload), m->len));
    } catch (const std::invalid_argument& e) {
      warn(fmt::format("{} partition {} offset {}: skipped: {}", results_topic_, m->partition, m->offset, e.what()));
      continue;
    }
    if (result.sweep_id != id_) continue;
    const size_t id = result.record["point"].get<size_t>();
    const auto it = outstanding.find(id);
    if (it == outstanding.end()) {
      // Collected already (a point redone after a worker left, or a commit
      // that failed), or recorded by an earlier run: the journal has it.
      duplicates += received.count(id);
      continue;
    }
    if (result.record.value("key", "") != it->second->key()) {
      warn(fmt::format("result of point {} from {} skipped: its key {} is not the point's ({})", id, result.worker,
                       result.record.value("key", ""), it->second->key()));
      continue;
    }
    workers.insert(result.worker);
    on_record(std::move(result.record));
    received.insert(id);
    outstanding.erase(it);
    last_result = now;
  }
  rd_kafka_assign(consumer_.get(), nullptr);
  note(fmt::format("all {} point{} collected from {} worker{}{}", pending.size(), pending.size() == 1 ? "" : "s",
                   workers.size(), workers.size() == 1 ? "" : "s",
                   duplicates == 0 ? ""
                                   : fmt::format("; {} duplicate result{} dropped (points redone after a worker left)",
                                                 duplicates, duplicates == 1 ? "" : "s")));
}

PointExecutor SweepCoordinator::executor() {
  return [this](const std::vector<PendingPoint>& pending, const std::function<void(nlohmann::json)>& on_record,
                const std::function<void()>& on_tick) { run(pending, on_record, on_tick); };
}

}  // namespace archsim
