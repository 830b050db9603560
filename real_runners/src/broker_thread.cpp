#include "archsim/broker_thread.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

namespace archsim {

namespace {

/// The clients' nice value. Not SCHED_IDLE (which cut the broker thread's
/// wait at a 5 ms RTT from 26% to 3-8%): idle-policy threads get no CPU while
/// any other program wants one, and a compiler running beside a check then
/// stalled the edge gateway for seconds.
constexpr int kClientNice = 10;

/// Clients waiting this many times as long as they ran were starved by other
/// work on the machine. On two idle cores a run's own clients wait 1.6 (base
/// row), 1.7 (5 ms RTT) and 3.0 (linger 0, broker saturated) times as long
/// as they run; with two busy loops beside the base row, 7.8 and 9.6 times.
constexpr double kClientsStarved = 5;

}  // namespace

std::string serve_embedded_broker_first(const std::string& what) {
  // librdkafka's broker threads poll hard while their partitions wait for an
  // in-flight request (linger.ms 0, an injected RTT): on a small machine they
  // would starve the broker's thread, which stands for a broker on a machine
  // of its own. A nice value gives it the larger share of the CPUs.
  const int lowered = lower_other_threads(kMockThreadName, kClientNice);
  return fmt::format(
      "embedded broker: {} client threads of this run (consumers, processors, librdkafka's threads; not the "
      "open-loop producer's) run at nice +{}, so {}, which stands for a broker on a machine of its own, gets the larger "
      "share of this machine's cores",
      lowered, kClientNice, what);
}

BrokerThreadSampler::BrokerThreadSampler(bool enabled, const MeasuredWindow& window) {
  if (!enabled) return;
  const int64_t start = window.t0_us + static_cast<int64_t>(window.warmup_s * 1e6);
  const int64_t end = start + static_cast<int64_t>(window.duration_s * 1e6);
  thread_ = std::thread([this, start, end] {
    if (!wait_until(start)) return;
    all_start_ = thread_times();
    if (!wait_until(end)) return;
    all_end_ = thread_times();
    sampled_ = true;
  });
}

std::optional<ThreadCpu> BrokerThreadSampler::finish() {
  if (thread_.joinable()) thread_.join();
  if (!sampled_) return std::nullopt;
  const ThreadCpu start = threads_named(all_start_, kMockThreadName);
  const ThreadCpu end = threads_named(all_end_, kMockThreadName);
  if (start.threads == 0 || end.threads == 0) return std::nullopt;
  return end - start;
}

bool BrokerThreadSampler::wait_until(int64_t at_us) {
  for (int64_t now = run_clock_us(); now < at_us && !stop_.load(); now = run_clock_us())
    std::this_thread::sleep_for(std::chrono::microseconds(std::min<int64_t>(at_us - now, 50000)));
  return !stop_.load();
}

void BrokerThreadSampler::stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

std::string broker_thread_findings(double busy, double waiting) {
  std::string findings;
  if (waiting >= kBrokerThreadContended)
    findings = fmt::format(
        "it waited {:.0f}% of the window for a CPU: this machine's CPU contention lengthened the requests it served, "
        "and the local twin does not simulate contention",
        100 * waiting);
  if (busy >= kBrokerThreadSaturated)
    findings += fmt::format(
        "{}at {:.0f}% busy it is near saturation, so it, not the design, set the latency: its fetches walk each "
        "partition's message sets from the oldest, so with small batches (low linger.ms) every fetch costs more as "
        "the run goes on (see the latency per second)",
        findings.empty() ? "" : "; ", 100 * busy);
  return findings;
}

void record_broker_thread(const ThreadCpu& cpu, double duration_s, const std::string& resource, CandidateResult& r,
                          double& busy, double& waiting) {
  const double threads = std::max(1, cpu.threads);
  busy = cpu.run_s / duration_s / threads;
  waiting = cpu.wait_s / duration_s / threads;
  r.utilisation.push_back({resource, busy, busy});
  r.utilisation.push_back({resource + " waiting for a CPU", waiting, waiting});
  const std::string findings = broker_thread_findings(busy, waiting);
  r.notes.push_back(fmt::format(
      "{}: ran {:.0f}% of the measured window and waited {:.0f}% for a CPU{} (runnable while other "
      "threads or programs held this machine's {} cores; /proc schedstat){}",
      resource, 100 * busy, 100 * waiting, cpu.threads > 1 ? fmt::format(" (mean of its {} threads)", cpu.threads) : "",
      std::thread::hardware_concurrency(), findings.empty() ? "" : ": " + findings));
}

std::string client_thread_findings(const ClientThreadShares& shares) {
  std::string findings;
  if (shares.wait_over_run >= kClientsStarved)
    findings = fmt::format(
        "the clients waited {:.0f} times as long as they ran, so other work held this machine's CPUs and the "
        "measurement includes that (rerun on a quieter machine)",
        shares.wait_over_run);
  if (shares.busiest_io_runnable >= kClientBusyPoll)
    findings += fmt::format(
        "{}librdkafka's client I/O threads busy-polled (the busiest was runnable {:.0f}% of the window; one that "
        "serves its connection sleeps between requests and is runnable about a tenth of it): librdkafka 2.0's "
        "idempotent producer polls without sleeping while a partition's next batch is ready but its previous request "
        "is unacknowledged, which happens when linger.ms is shorter than the produce round trip; those threads held "
        "CPUs the data path needed, and the local twin does not simulate client CPU (a linger.ms above the round trip "
        "avoids it)",
        findings.empty() ? "" : "; ", 100 * shares.busiest_io_runnable);
  return findings;
}

ClientThreadShares record_client_threads(const std::vector<ThreadTimes>& clients, double duration_s,
                                         CandidateResult& r) {
  ClientThreadShares shares;
  if (clients.empty() || !(duration_s > 0)) return shares;
  const ThreadCpu total = total_of(clients);
  shares.wait_over_run = total.wait_s / std::max(total.run_s, 1e-9);
  for (const ThreadTimes& t : clients)
    if (t.comm.starts_with(kClientIoThreadPrefix))
      shares.busiest_io_runnable = std::max(shares.busiest_io_runnable, (t.run_s + t.wait_s) / duration_s);
  const std::string findings = client_thread_findings(shares);
  r.notes.push_back(fmt::format(
      "client threads ({} of them: producer, consumers, processors, librdkafka's): {:.2f} CPU-seconds on a CPU and "
      "{:.2f} s runnable but waiting for one over the {:.2f} s window, on {} cores{}",
      total.threads, total.run_s, total.wait_s, duration_s, std::thread::hardware_concurrency(),
      findings.empty() ? "" : ": " + findings));
  if (shares.busiest_io_runnable >= 0)
    r.utilisation.push_back({kBusiestClientIoThread, shares.busiest_io_runnable, shares.busiest_io_runnable});
  return shares;
}

RunThreadShares record_run_threads(const ThreadCpu& broker, const BrokerThreadSampler& sampler, double duration_s,
                                   const std::string& resource, CandidateResult& r) {
  RunThreadShares shares;
  record_broker_thread(broker, duration_s, resource, r, shares.broker_busy, shares.broker_waiting);
  shares.clients = record_client_threads(sampler.clients(), duration_s, r);
  return shares;
}

std::string run_thread_findings(const RunThreadShares& shares) {
  std::string findings;
  if (shares.broker_busy >= 0) {
    const std::string broker = broker_thread_findings(shares.broker_busy, shares.broker_waiting);
    if (!broker.empty()) findings = "the embedded broker's I/O thread: " + broker;
  }
  if (const std::string clients = client_thread_findings(shares.clients); !clients.empty())
    findings += (findings.empty() ? "" : "; ") + clients;
  return findings;
}

}  // namespace archsim
