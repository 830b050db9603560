// RestartableConsumer: crash-style restart of a runner's consumer, its own
// offset commits and the count of events a restart reads again.
#include "archsim/restartable_consumer.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

namespace archsim {

namespace {

constexpr int kCommittedTimeoutMs = 10000;  // reading the group's committed offsets after a restart

}  // namespace

RestartableConsumer::RestartableConsumer(ClientSettings settings, std::string topic,
                                         std::vector<int64_t> start_offsets, int first, int stride,
                                         std::chrono::milliseconds commit_interval)
    : settings_(std::move(settings)),
      topic_(std::move(topic)),
      start_offsets_(std::move(start_offsets)),
      next_offset_(start_offsets_),
      committed_(start_offsets_),
      read_before_(start_offsets_),
      commit_interval_(commit_interval),
      last_commit_(std::chrono::steady_clock::now()) {
  if (stride < 1 || first < 0) throw std::invalid_argument("consumer: expected first >= 0 and stride >= 1");
  for (size_t p = static_cast<size_t>(first); p < start_offsets_.size(); p += static_cast<size_t>(stride))
    partitions_.push_back(static_cast<int32_t>(p));
  create(start_offsets_);
}

RestartableConsumer::~RestartableConsumer() = default;

void RestartableConsumer::create(const std::vector<int64_t>& offsets) {
  handle_ = make_client(RD_KAFKA_CONSUMER, settings_);
  assign(offsets);
}

void RestartableConsumer::assign(const std::vector<int64_t>& offsets) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(partitions_.size()));
  for (const int32_t p : partitions_)
    rd_kafka_topic_partition_list_add(list, topic_.c_str(), p)->offset = offsets[static_cast<size_t>(p)];
  const rd_kafka_resp_err_t err = rd_kafka_assign(handle_.get(), list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw KafkaError(fmt::format("cannot assign {} partitions: {}", topic_, rd_kafka_err2str(err)));
}

void RestartableConsumer::processed(int32_t partition, int64_t offset) {
  handled(partition, offset);
  if (commit_interval_.count() > 0 && std::chrono::steady_clock::now() - last_commit_ >= commit_interval_) commit();
}

void RestartableConsumer::handled(int32_t partition, int64_t offset) {
  if (partition < 0 || static_cast<size_t>(partition) >= next_offset_.size()) return;
  next_offset_[static_cast<size_t>(partition)] = offset + 1;
}

bool RestartableConsumer::commit_handled() { return commit(); }

bool RestartableConsumer::rereading(int32_t partition, int64_t offset) const {
  return partition >= 0 && static_cast<size_t>(partition) < read_before_.size() &&
         offset < read_before_[static_cast<size_t>(partition)];
}

bool RestartableConsumer::commit() {
  bool ok = true;
  last_commit_ = std::chrono::steady_clock::now();
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(partitions_.size()));
  for (const int32_t p : partitions_)
    if (next_offset_[static_cast<size_t>(p)] > committed_[static_cast<size_t>(p)])
      rd_kafka_topic_partition_list_add(list, topic_.c_str(), p)->offset = next_offset_[static_cast<size_t>(p)];
  if (list->cnt > 0) {
    const rd_kafka_resp_err_t err = rd_kafka_commit(handle_.get(), list, 0);  // synchronous
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      ++commits_;
      for (int i = 0; i < list->cnt; ++i)
        if (list->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR)
          committed_[static_cast<size_t>(list->elems[i].partition)] = list->elems[i].offset;
    } else {
      // Not fatal: the next commit carries the same offsets; a restart meanwhile reads more again.
      ++commit_failures_;
      ok = false;
    }
  }
  rd_kafka_topic_partition_list_destroy(list);
  return ok;
}

bool RestartableConsumer::restart_if_requested() {
  if (!restart_requested_.exchange(false)) return true;
  try {
    if (commit_interval_.count() <= 0)
      throw std::logic_error("consumer restart without offset commits: the runner did not enable them");
    // As a crash: no consumer close, so no final commit.
    rd_kafka_destroy_flags(handle_.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    handle_ = make_client(RD_KAFKA_CONSUMER, settings_);
    // Where the group says to resume: its committed offsets.
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(partitions_.size()));
    for (const int32_t p : partitions_) rd_kafka_topic_partition_list_add(list, topic_.c_str(), p);
    const rd_kafka_resp_err_t err = rd_kafka_committed(handle_.get(), list, kCommittedTimeoutMs);
    std::vector<int64_t> resume = start_offsets_;
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      for (int i = 0; i < list->cnt; ++i) {
        const auto p = static_cast<size_t>(list->elems[i].partition);
        // A commit older than this run (or none) resumes at the run's start.
        if (list->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR && list->elems[i].offset >= 0)
          resume[p] = std::max(list->elems[i].offset, start_offsets_[p]);
      }
    }
    rd_kafka_topic_partition_list_destroy(list);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw KafkaError(fmt::format("restarted consumer of {} could not read its group's committed offsets: {}",
                                   topic_, rd_kafka_err2str(err)));
    assign(resume);
    for (const int32_t p : partitions_) {
      const auto i = static_cast<size_t>(p);
      if (next_offset_[i] > resume[i]) redelivered_ += static_cast<uint64_t>(next_offset_[i] - resume[i]);
      read_before_[i] = std::max(read_before_[i], next_offset_[i]);
      next_offset_[i] = resume[i];
      committed_[i] = resume[i];
    }
    ++restarts_;
    last_commit_ = std::chrono::steady_clock::now();
    return true;
  } catch (const std::exception& e) {
    error_ = e.what();
    return false;
  }
}

void RestartableConsumer::close() {
  if (handle_) rd_kafka_consumer_close(handle_.get());
}

}  // namespace archsim
