// RestartableConsumer: a runner's consumer (a processor's or the sink's)
// that can be dropped as a crash would drop it and re-created in the same
// consumer group mid-run, resuming from the group's committed offsets. It
// commits the offsets of processed events itself (synchronously, every
// commit interval) and counts the events a restart makes it read again:
// the at-least-once duplicates the run must explain.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "archsim/kafka_client.hpp"

namespace archsim {

class RestartableConsumer {
 public:
  /// Creates the consumer from `settings` (which must set group.id) and
  /// assigns it the partitions p of `topic` with p % stride == first, each at
  /// `start_offsets[p]`. `commit_interval` 0: never commit (and never
  /// restart: a restart then fails). Throws like make_client / assign_partitions.
  RestartableConsumer(ClientSettings settings, std::string topic, std::vector<int64_t> start_offsets, int first,
                      int stride, std::chrono::milliseconds commit_interval);
  ~RestartableConsumer();
  RestartableConsumer(const RestartableConsumer&) = delete;
  RestartableConsumer& operator=(const RestartableConsumer&) = delete;

  /// The current client; changes on a restart (owning thread only).
  rd_kafka_t* get() const { return handle_.get(); }

  /// Asks the owning thread to restart at its next restart_if_requested(). Any thread.
  void request_restart() { restart_requested_.store(true); }
  /// A restart was asked and not yet done (the owning thread may prepare for it).
  bool restart_pending() const { return restart_requested_.load(); }

  /// Owning thread, between polls. When a restart was requested: destroys
  /// the client without closing it (no final commit, as in a crash), creates
  /// a new one with the same settings and group, and assigns each partition
  /// at its committed offset (the start offset when nothing of this run was
  /// committed). Returns false, with error() set, when that fails.
  bool restart_if_requested();

  /// Owning thread: the event at `offset` of `partition` has been handled
  /// (forwarded, or counted at the sink). Commits the next offsets
  /// synchronously once the commit interval has passed since the last commit.
  void processed(int32_t partition, int64_t offset);

  /// Owning thread: the event at `offset` of `partition` has been handled,
  /// its offset committed elsewhere (a transaction): no commit here, only
  /// the position a restart compares with the committed offsets.
  void handled(int32_t partition, int64_t offset);

  /// Owning thread: commits the offsets after the handled events now,
  /// synchronously (a plain OffsetCommit). False when the commit failed
  /// (counted in commit_failures; the next commit carries the same offsets).
  bool commit_handled();

  /// Owning thread: the record at `offset` of `partition` was read before a
  /// restart of this consumer and is being read again (not a new record).
  bool rereading(int32_t partition, int64_t offset) const;

  /// Closes the consumer (no commit); owning thread, after the last poll.
  void close();

  int restarts() const { return restarts_; }
  /// Events handled before a restart and read again after it (handled past the last commit).
  uint64_t redelivered() const { return redelivered_; }
  uint64_t commits() const { return commits_; }
  /// Commits that failed (retried with the next one).
  uint64_t commit_failures() const { return commit_failures_; }
  /// Why a restart failed; "" when none did.
  const std::string& error() const { return error_; }

 private:
  void create(const std::vector<int64_t>& offsets);
  void assign(const std::vector<int64_t>& offsets);
  bool commit();

  ClientSettings settings_;
  std::string topic_;
  std::vector<int64_t> start_offsets_;   ///< the run's first offset of each partition
  std::vector<int32_t> partitions_;      ///< assigned partitions
  std::vector<int64_t> next_offset_;     ///< per partition: offset after the last handled event
  std::vector<int64_t> committed_;       ///< per partition: last offset this consumer committed
  std::vector<int64_t> read_before_;     ///< per partition: offsets below this were read before a restart
  std::chrono::milliseconds commit_interval_;
  std::chrono::steady_clock::time_point last_commit_;
  KafkaHandle handle_;
  std::atomic<bool> restart_requested_{false};
  int restarts_ = 0;
  uint64_t redelivered_ = 0;
  uint64_t commits_ = 0;
  uint64_t commit_failures_ = 0;
  std::string error_;
};

}  // namespace archsim
