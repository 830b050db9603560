// The embedded broker's I/O thread during a real run: served before the
// clients' threads (it stands for a broker on a machine of its own), and
// measured over the measured window (how busy, how long it waited for a
// CPU). Shared by the Kappa (and so Lambda) and edge runners.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "archsim/result.hpp"
#include "archsim/run_payload.hpp"
#include "archsim/thread_cpu.hpp"

namespace archsim {

/// librdkafka's name for a mock cluster's thread (one per cluster).
inline constexpr const char* kMockThreadName = "rdk:mock";

/// A broker thread that waited this share of the window for a CPU was slowed
/// by contention (a note says so; the local twin does not simulate it).
inline constexpr double kBrokerThreadContended = 0.10;

/// A broker thread busy this share of the window is near saturation: the
/// embedded broker, not the design, then sets the latency (a note says so).
/// Its fetch walks each partition's message sets from the oldest (librdkafka
/// 2.0's rdkafka_mock.c, msgset_find: no offset index), so with small
/// batches every fetch costs more as the run goes on.
inline constexpr double kBrokerThreadSaturated = 0.70;

/// Lowers every thread of this process but the calling one (the open-loop
/// producer) and the mock clusters' to nice +10 (lower_other_threads);
/// returns the note that says so. `what` names the broker ("the embedded
/// broker's I/O thread").
std::string serve_embedded_broker_first(const std::string& what);

/// Samples the mock clusters' threads at the start and the end of the
/// measured window, from a thread of its own (the producer thread keeps its
/// schedule); finish() joins it.
class BrokerThreadSampler {
 public:
  BrokerThreadSampler(bool enabled, const MeasuredWindow& window);
  BrokerThreadSampler(const BrokerThreadSampler&) = delete;
  BrokerThreadSampler& operator=(const BrokerThreadSampler&) = delete;
  ~BrokerThreadSampler() { stop(); }  // an exception left the run: no wait for the window's end

  /// The threads' times over the window (waits for the window's end, which
  /// the producer's last send is at most one interval before), or nothing
  /// when no such thread was found.
  std::optional<ThreadCpu> finish();
  /// After finish(): every other thread of this process over the window
  /// (the clients: producer, consumers, processors, librdkafka's threads).
  ThreadCpu others() const { return threads_between(all_start_, all_end_, kMockThreadName); }

 private:
  bool wait_until(int64_t at_us);
  void stop();

  std::thread thread_;
  std::atomic<bool> stop_{false};
  bool sampled_ = false;  // both ends of the window were reached
  std::vector<ThreadTimes> all_start_, all_end_;
};

/// What a broker thread's shares of the window say about the measurement:
/// CPU contention (waiting at least kBrokerThreadContended), saturation
/// (busy at least kBrokerThreadSaturated), both, or "" for neither.
std::string broker_thread_findings(double busy, double waiting);

/// The measured shares of the window: `cpu` over `duration_s`, per thread
/// (`cpu.threads` of them), into `busy` and `waiting`, two utilisation
/// entries named after `resource` and a note (with its findings).
void record_broker_thread(const ThreadCpu& cpu, double duration_s, const std::string& resource, CandidateResult& r,
                          double& busy, double& waiting);

/// A note with the clients' CPU over the window (`clients`: every thread
/// but the brokers'), saying so when they waited for a CPU several times as
/// long as they ran: other work then held the machine.
void record_client_threads(const ThreadCpu& clients, double duration_s, CandidateResult& r);

}  // namespace archsim
