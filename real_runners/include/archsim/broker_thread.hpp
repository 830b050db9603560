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

/// The name librdkafka gives a client's thread for one broker connection
/// ("rdk:broker1", ...; the mock clusters' own clients' are "rdk:broker-1").
inline constexpr const char* kClientIoThreadPrefix = "rdk:broker";

/// A client I/O thread runnable (on a CPU or waiting for one) this share of
/// the window hardly ever slept: it busy-polled through the window. One that
/// serves its connection sleeps in poll() between requests: the busiest was
/// runnable 7-10% of the window at 10,000-20,000 ev/s on this project's
/// 2-core machine. librdkafka 2.0's idempotent producer polls without
/// sleeping while a partition's next batch is ready but its previous request
/// is unacknowledged (rd_kafka_toppar_producer_serve sets the next wake-up to
/// now, then sends nothing while 5 or more of the partition's messages are in
/// flight), so whenever linger.ms is shorter than the produce round trip:
/// the busiest was runnable 100% of the window at linger.ms 5 and a 20 ms
/// RTT. It polls part of the time when the round trip only sometimes
/// exceeds linger.ms (30-58% at linger.ms 5 and a 5 ms RTT, 22-74% at
/// linger.ms 25 and a 20 ms RTT): the table shows the share, and only
/// polling throughout is a finding.
inline constexpr double kClientBusyPoll = 0.9;

/// The utilisation entry with the busiest client I/O thread's runnable share.
inline constexpr const char* kBusiestClientIoThread = "busiest librdkafka client I/O thread, runnable";

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
  /// After finish(): every other thread of this process over the window,
  /// one entry each (the clients: producer, consumers, processors,
  /// librdkafka's threads).
  std::vector<ThreadTimes> clients() const { return thread_deltas(all_start_, all_end_, kMockThreadName); }

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

/// The clients' threads over the measured window (negative: not measured).
struct ClientThreadShares {
  double busiest_io_runnable = -1;  ///< the busiest librdkafka I/O thread's runnable share of the window
  double wait_over_run = -1;        ///< the clients' time waiting for a CPU over their time on one
};

/// What the shares say about the measurement: other work starved the clients
/// (they waited at least 5 times as long as they ran), librdkafka's I/O
/// threads busy-polled (one was runnable at least kClientBusyPoll of the
/// window), both, or "" for neither.
std::string client_thread_findings(const ClientThreadShares& shares);

/// A note with the clients' CPU over the window (`clients`: every thread
/// but the brokers', per thread) and its findings, and a utilisation entry
/// with the busiest client I/O thread's runnable share. Returns the shares.
ClientThreadShares record_client_threads(const std::vector<ThreadTimes>& clients, double duration_s,
                                         CandidateResult& r);

/// A measured run's threads over its window: the embedded broker's I/O
/// thread(s) and the clients (negative shares: not measured).
struct RunThreadShares {
  double broker_busy = -1;     ///< share of the window on a CPU, per broker thread
  double broker_waiting = -1;  ///< share runnable but waiting for a CPU, per broker thread
  ClientThreadShares clients;
};

/// record_broker_thread for `broker` (named `resource`) and
/// record_client_threads for every other thread `sampler` saw.
RunThreadShares record_run_threads(const ThreadCpu& broker, const BrokerThreadSampler& sampler, double duration_s,
                                   const std::string& resource, CandidateResult& r);

/// What the shares say about the measurement (broker_thread_findings,
/// client_thread_findings), "" when nothing.
std::string run_thread_findings(const RunThreadShares& shares);

}  // namespace archsim
