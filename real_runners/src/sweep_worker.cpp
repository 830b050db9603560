// The worker of distributed sweeps (see sweep_worker.hpp).
#include "archsim/sweep_worker.hpp"

#include <unistd.h>

#include <memory>
#include <optional>

#include <fmt/format.h>

#include "archsim/interrupt.hpp"
#include "archsim/kafka_client.hpp"
#include "archsim/point_runner.hpp"
#include "archsim/scenario_loader.hpp"
#include "archsim/simulator.hpp"
#include "archsim/sweep_messages.hpp"
#include "archsim/sweep_record.hpp"

namespace archsim {

namespace {

using Message = KafkaMessage;

/// The delivery report of the one result in flight.
struct ResultDelivery {
  bool done = false;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
};

void on_result_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  auto* d = static_cast<ResultDelivery*>(m->_private);
  if (d == nullptr) return;
  d->done = true;
  d->err = m->err;
}

std::string worker_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return fmt::format("unknown:{}", ::getpid());
  return fmt::format("{}:{}", host, ::getpid());
}

/// The record of a job's point: simulated in a child process, as in a local sweep.
nlohmann::json simulate_job(const SweepJob& job) {
  std::optional<Scenario> scenario;
  try {
    scenario = parse_scenario(job.scenario.dump(), job.scenario_file, job.base_dir);
  } catch (const ScenarioError& e) {
    return point_error_record(job.point, "failed", "the worker could not load the point's scenario: " + issues_line(e));
  }
  SimOptions options;
  if (!job.candidate.empty()) options.candidate = job.candidate;
  options.scenario_file = job.scenario_file;
  nlohmann::json record;
  run_points(
      {&*scenario}, options, 1,
      [&](size_t, PointOutcome outcome) {
        record = outcome.result ? point_record(job.point, *outcome.result)
                                : point_error_record(job.point, "failed", outcome.error);
      },
      nullptr);
  return record;
}

/// Commits `m`'s offset (the next one to read). A failure is not fatal: the
/// result is published, so at worst another worker redoes the point.
std::optional<std::string> commit(rd_kafka_t* consumer, const rd_kafka_message_t* m) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, rd_kafka_topic_name(m->rkt), m->partition)->offset = m->offset + 1;
  const rd_kafka_resp_err_t err = rd_kafka_commit(consumer, list, 0);
  rd_kafka_topic_partition_list_destroy(list);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
  return std::string(rd_kafka_err2str(err));
}

}  // namespace

SweepWorkerStats run_sweep_worker(const SweepWorkerOptions& o) {
  const auto info = [&](const std::string& text) {
    if (o.info) o.info(text);
  };
  const auto warn = [&](const std::string& text) {
    if (o.warn) o.warn(text);
  };
  const std::string me = worker_name();
  KafkaHandle producer = make_client(
      RD_KAFKA_PRODUCER,
      {o.bootstrap_servers, {{"linger.ms", "0"}, {"message.timeout.ms", "60000"}}, &o.properties, {}, on_result_delivery, nullptr});
  const int brokers = check_reachable(producer.get(), o.bootstrap_servers, o.connect_timeout);
  // A worker not heard from for session.timeout.ms leaves the group and its
  // partitions move; a point may take long, so polls may be far apart.
  KafkaHandle consumer = make_client(RD_KAFKA_CONSUMER,
                                     {o.bootstrap_servers,
                                      {{"session.timeout.ms", "10000"},
                                       {"heartbeat.interval.ms", "1000"},
                                       {"max.poll.interval.ms", "3600000"},
                                       {"topic.metadata.refresh.interval.ms", "3000"},
                                       {"fetch.wait.max.ms", "100"}},
                                      &o.properties,
                                      {{"group.id", o.group},
                                       {"enable.auto.commit", "false"},
                                       {"enable.auto.offset.store", "false"},
                                       {"auto.offset.reset", "earliest"}},
                                      nullptr,
                                      nullptr});
  rd_kafka_poll_set_consumer(consumer.get());
  const std::string subscription = sweep_jobs_subscription(o.sweep_id);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, subscription.c_str(), RD_KAFKA_PARTITION_UA);
  const rd_kafka_resp_err_t sub_err = rd_kafka_subscribe(consumer.get(), topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (sub_err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw KafkaError(fmt::format("cannot subscribe to {}: {}", subscription, rd_kafka_err2str(sub_err)));
  info(fmt::format("worker {} on {} ({} broker{}): group {}, jobs from {}", me, o.bootstrap_servers, brokers,
                   brokers == 1 ? "" : "s", o.group, subscription));

  SweepWorkerStats stats;
  bool waiting_noted = false;
  auto idle_since = std::chrono::steady_clock::now();
  try {
    for (;;) {
      throw_if_interrupted();
      const Message m(rd_kafka_consumer_poll(consumer.get(), 500));
      if (!m) {
        const double idle_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - idle_since).count();
        if (o.exit_when_idle_s > 0 && idle_s >= o.exit_when_idle_s) {
          info(fmt::format("no job for {:.0f} s: stopping", idle_s));
          break;
        }
        continue;
      }
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) continue;
      if (m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART && subscription.front() == '^') {
        if (!waiting_noted) info("no sweep has published jobs yet: waiting (topics are looked for every 3 s)");
        waiting_noted = true;
        continue;
      }
      if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        warn(fmt::format("consumer: {}", rd_kafka_message_errstr(m.get())));
        continue;
      }
      const std::string topic = rd_kafka_topic_name(m->rkt);
      SweepJob job;
      try {
        job = decode_job(std::string_view(static_cast<const char*>(m->payload), m->len));
      } catch (const std::invalid_argument& e) {
        ++stats.skipped;  // it will never become readable: commit it out of the way
        warn(fmt::format("{} partition {} offset {}: skipped: {}", topic, m->partition, m->offset, e.what()));
        if (auto err = commit(consumer.get(), m.get())) warn(fmt::format("commit failed: {}", *err));
        continue;
      }
      if (job.archsim_version != version())
        throw std::invalid_argument(fmt::format(
            "{} partition {} offset {}: the job comes from archsim {}, this worker is archsim {}: results could "
            "differ; run workers of the coordinator's version (the job is left for them)",
            topic, m->partition, m->offset, job.archsim_version, version()));
      info(fmt::format("simulating point {} of sweep {} ({} partition {} offset {})", job.point.id, job.sweep_id,
                       topic, m->partition, m->offset));
      const auto started = std::chrono::steady_clock::now();
      const nlohmann::json record = simulate_job(job);
      const bool failed = record.value("status", "") != "ok";

      const std::string payload = encode_result(job.sweep_id, me, record);
      const std::string key = std::to_string(job.point.id);
      ResultDelivery delivery;
      const rd_kafka_resp_err_t err = rd_kafka_producev(
          producer.get(), RD_KAFKA_V_TOPIC(job.results_topic.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(&delivery), RD_KAFKA_V_END);
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        throw KafkaError(fmt::format("cannot publish the result of point {} to {}: {}", job.point.id,
                                     job.results_topic, rd_kafka_err2str(err)));
      while (!delivery.done) {  // the job is committed only once Kafka holds its result
        rd_kafka_poll(producer.get(), 100);
        throw_if_interrupted();
      }
      if (delivery.err != RD_KAFKA_RESP_ERR_NO_ERROR)
        throw KafkaError(fmt::format("the result of point {} was not accepted by {} on {}: {}; the job stays "
                                     "uncommitted for another worker",
                                     job.point.id, job.results_topic, o.bootstrap_servers,
                                     rd_kafka_err2str(delivery.err)));
      if (auto commit_err = commit(consumer.get(), m.get()))
        warn(fmt::format("point {}: result published, but committing the job failed ({}): another worker may redo "
                         "it (the duplicate is dropped)",
                         job.point.id, *commit_err));
      ++stats.simulated;
      stats.failed += failed ? 1 : 0;
      info(fmt::format("point {} {} in {:.1f} s, result published", job.point.id, failed ? "failed" : "simulated",
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()));
      idle_since = std::chrono::steady_clock::now();
    }
  } catch (...) {
    rd_kafka_consumer_close(consumer.get());  // leave the group now: the partitions move without waiting
    throw;
  }
  rd_kafka_consumer_close(consumer.get());
  return stats;
}

}  // namespace archsim
