// LocalTwin: maps the real run and the calibration onto a Scenario (see
// local_twin.hpp). Every mapping is a rule stated in the notes, the same for
// every configuration; nothing is fitted to a measurement of the run itself.
#include "archsim/local_twin.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "archsim/kappa_runner.hpp"

namespace archsim {

std::vector<double> accumulator_burst_waits_s(double linger_s, double burst_period_s) {
  if (!(linger_s > 0) || !(burst_period_s > 0)) return {std::max(0.0, linger_s)};
  // Bursts at 0, T, 2T, ... within the linger: burst j waits linger - jT.
  const int n = static_cast<int>(std::ceil(linger_s / burst_period_s - 1e-12));
  std::vector<double> waits;
  for (int j = 0; j < n; ++j) waits.push_back(linger_s - j * burst_period_s);
  return waits;
}

double accumulator_mean_wait_s(double linger_s, double rate_eps, double burst_period_s) {
  if (!(linger_s > 0)) return 0;
  if (burst_period_s > 0) {  // equal bursts
    const std::vector<double> waits = accumulator_burst_waits_s(linger_s, burst_period_s);
    double sum = 0;
    for (double w : waits) sum += w;
    return sum / static_cast<double>(waits.size());
  }
  // Poisson arrivals: the first waits linger; the rate x linger others wait linger/2 on average.
  const double others = std::max(0.0, rate_eps) * linger_s;
  return (linger_s + others * linger_s / 2) / (1 + others);
}

double held_fetch_period_s(double batches_per_s, double round_trip_s, double held_cycle_s) {
  return round_trip_s + std::exp(-std::max(0.0, batches_per_s) * round_trip_s) * held_cycle_s;
}

LocalTwin make_local_twin(const Scenario& scenario, const Candidate& candidate, const TwinRun& run,
                          const Calibration& cal, const std::string& origin) {
  if (candidate.kind != "kappa")
    throw std::invalid_argument(fmt::format("local twin: candidate {} is {}, expected kappa", candidate.name,
                                            candidate.kind));
  LocalTwin twin;
  Scenario& s = twin.scenario;
  s = scenario;
  auto& notes = twin.notes;
  notes.push_back("local twin: " + cal.describe(origin));

  // Workload: the rate, window and single producer thread of the real run.
  s.workload.rate_eps = run.rate_eps;
  s.workload.sources = 1;
  s.simulation.duration_s = run.duration_s;
  s.simulation.warmup_s = run.warmup_s;
  s.simulation.p99_ci_rel_width = 0;

  // One network latency for every hop: a produce round trip is two hops plus
  // one request on the broker.
  // An injected response delay lengthens every round trip by itself.
  const double plain_one_way = std::max(cal.loopback_rtt_s / 2, (cal.produce_rtt_s - cal.request_cost_s) / 2);
  const double one_way = plain_one_way + run.injected_rtt_s / 2;
  s.hardware.network_latency_s = one_way;
  s.hardware.multi_az = false;
  InstanceType machine;
  machine.name = "this machine (calibrated)";
  machine.vcpu = cal.cores;
  machine.memory_gib = 1;
  machine.network_bps = cal.loopback_bytes_per_s;
  machine.disk_write_bps = 1e12;  // the mock keeps its log in memory
  machine.fsync_s = 0;
  machine.price_usd_hour = 0;
  s.hardware.client_instance = machine;
  notes.push_back(fmt::format(
      "local twin: every host is this machine ({} cores, loopback {:.2g} GB/s); one-way network latency {:.0f} us "
      "(half of the produce round trip less one request{}); cost figures are zero (not a deployment)",
      cal.cores, cal.loopback_bytes_per_s / 1e9, one_way * 1e6,
      run.injected_rtt_s > 0 ? fmt::format(", plus half the injected {:.0f} ms response delay", run.injected_rtt_s * 1e3)
                             : ""));

  Candidate c = candidate;
  // Broker: the calibrated request and byte costs. The mock serves every
  // broker from one I/O thread: the brokers (each a connection of its own
  // for the producers) share one request handler; no replication (the mock
  // moves no data).
  BrokerConfig& b = c.broker;
  b.kind = "kafka";
  const bool one_thread = cal.broker_io_threads == 1 && cal.broker.rfind("embedded", 0) == 0;
  if (one_thread) {
    b.shared_request_handler = true;
    notes.push_back(fmt::format(
        "local twin: the embedded cluster's {} brokers share one I/O thread, simulated as {} brokers (one producer "
        "connection each) whose requests all go through one request handler",
        candidate.broker.count, candidate.broker.count));
  }
  b.instance = machine;
  b.instance.vcpu = std::max(1, cal.broker_io_threads);
  b.io_threads = cal.broker_io_threads;
  b.replication_factor = 1;
  b.min_insync_replicas = 1;
  b.cpu_per_request_s = cal.request_cost_s;
  b.cpu_per_byte_s = cal.byte_cost_s;
  if (one_thread) {
    // The output hop's produce requests (same rate, same batching as the
    // input's) are served by the same single thread: each simulated input
    // request is charged for both.
    b.cpu_per_request_s *= 2;
    b.cpu_per_byte_s *= 2;
    notes.push_back("local twin: the output topic's produce requests share the single broker thread; each input "
                    "request is charged twice (the fetch requests' cost is not charged)");
  }
  b.fsync_each_batch = false;
  b.gc = PauseModel{};
  b.volume_gb = 1;
  notes.push_back(fmt::format("local twin: broker {:.1f} us per request and {:.2f} ns per byte (calibrated), "
                              "replication factor 1, no GC pauses, log in memory",
                              cal.request_cost_s * 1e6, cal.byte_cost_s * 1e9));

  // Producer: what the runner used (librdkafka 2.0, idempotent, acks=all,
  // no compression): one partition per produce request, at most
  // max.in.flight.requests.per.connection (at most 5 with idempotence) per
  // broker connection, and per partition a new request only while fewer
  // than 5 of its messages are unacknowledged.
  c.producer.acks = Acks::all;
  c.producer.compression_ratio = 1;
  c.producer.client = ProducerClient::librdkafka;
  c.producer.idempotent = true;
  c.producer.max_in_flight = runner_max_in_flight(candidate.producer);
  notes.push_back(fmt::format(
      "local twin: producers as librdkafka 2.0's idempotent producer: one partition per produce request, a new one "
      "only while fewer than 5 of the partition's messages are unacknowledged, at most {} request{} in flight per "
      "broker connection",
      c.producer.max_in_flight, c.producer.max_in_flight == 1 ? "" : "s"));

  // Consumers: the runner's fetch.wait.max.ms. The embedded broker answers a
  // fetch that finds data at once (its answer carries any injected delay)
  // and holds one that finds none for the full wait, answering it empty: the
  // data that arrived meanwhile comes with the next fetch. The simulator's
  // consumers do the same (hold_empty_fetch). The held cycle is measured
  // (calibration probes), as librdkafka's consumer and the mock's timers add
  // to the wait; the simulated hold is that cycle less the plain round trip
  // the simulator adds, and an injected delay adds to every answer.
  const double cycle = cal.empty_fetch_held ? cal.fetch_cycle_s(run.fetch_wait_max_s) : run.fetch_wait_max_s;
  c.consumer.fetch_wait_max_s =
      cal.empty_fetch_held ? std::max(run.fetch_wait_max_s, cycle - 2 * plain_one_way) : run.fetch_wait_max_s;
  if (cal.empty_fetch_held) {
    c.consumer.hold_empty_fetch = true;
    c.consumer.fetch_min_bytes = 1;
    notes.push_back(fmt::format(
        "local twin: the broker answers a fetch that finds data at once and holds one that finds none for the full "
        "fetch.wait.max.ms, answering it empty (measured): the processors' fetches do the same, with an empty fetch "
        "cycle of {:.2f} ms for fetch.wait.max.ms={:.0f} (from the calibration's held-fetch probes){}",
        cycle * 1e3, run.fetch_wait_max_s * 1e3,
        run.injected_rtt_s > 0 ? fmt::format(" plus the injected {:.0f} ms", run.injected_rtt_s * 1e3) : ""));
  }
  if (cal.broker.rfind("embedded", 0) == 0) {
    // rdkafka_mock_handlers.c's Fetch handler ("FIXME: Multiple messageSets ?")
    c.consumer.one_batch_per_partition = true;
    notes.push_back("local twin: a fetch takes at most one batch per partition, as the embedded broker answers; the "
                    "rest comes with the next fetches");
  }

  // Processing: the runner's threads on this machine; per event, the
  // candidate's CPU (as spun) plus one consumed and one produced message.
  ProcessingConfig& p = c.processing;
  // Continuous processing; Kafka Streams keeps its per-thread commits
  // (exactly-once: each runner thread commits its own transaction).
  if (p.engine != "kafka-streams") p.engine = "flink";
  p.parallelism = std::max(1, run.processors);
  p.instances = 1;
  p.instance = machine;
  p.cpu_per_event_s = run.cpu_per_event_s + cal.consumer_message_cost_s + cal.producer_message_cost_s;
  p.cpu_cv = 0;
  p.keyed_shuffle = false;
  p.gc = PauseModel{};
  p.window_s.reset();
  notes.push_back(fmt::format(
      "local twin: {} processor thread{} on {} cores, {:.1f} us per event ({:.1f} us spun + {:.2f} us consume + "
      "{:.2f} us produce, calibrated)",
      p.parallelism, p.parallelism == 1 ? "" : "s", cal.cores, p.cpu_per_event_s * 1e6, run.cpu_per_event_s * 1e6,
      cal.consumer_message_cost_s * 1e6, cal.producer_message_cost_s * 1e6));

  // The output hop (forward producer -> output topic -> sink consumer) as the
  // sink: its held fetch is a cycle of fetch.wait.max.ms (events wait for the
  // end of the current cycle: a processing-time window of that length), and
  // one write per output batch costs the forward producer's accumulator wait
  // plus a produce request and a fetch request. The embedded broker appends
  // a produce request's batch when the request arrives and applies an
  // injected delay to its answers only: the batch is visible one plain
  // network latency after it is sent, and the sink's fetch answer carries
  // the injected delay once (the writer adds that fetch's round trip).
  //
  // The forward producer's events come in bursts, one per processor fetch,
  // and the sink's fetch has a cycle of its own: both periods from
  // held_fetch_period_s. A fetch's round trip is two hops (with any injected
  // delay); a held cycle adds the measured empty cycle and the injected
  // delay. Arrivals per second at a consumer's partitions on one broker:
  // the input's batches are independent (Poisson events; each partition's
  // batch closes linger.ms after its first event and is not sent before the
  // previous one is acknowledged: one request in flight per partition,
  // librdkafka's idempotent producer); the output's come in groups, one per
  // processor burst (a burst's events close their batches together, a batch
  // taking the bursts of its linger), so the sink's fetch sees each
  // processor's groups, not each batch, as an arrival.
  const double per_partition_eps = run.rate_eps / std::max(1, c.broker.partitions);
  double burst_period = 0;
  if (cal.empty_fetch_held && run.fetch_wait_max_s > 0) {
    const double brokers = std::max(1, c.broker.count);
    const double round_trip = 2 * one_way;
    const double produce_round_trip = round_trip + cal.request_cost_s;
    const double held_cycle = cycle + run.injected_rtt_s;
    const double linger = c.producer.linger_s;
    const double in_interval =
        std::max(linger + (per_partition_eps > 0 ? 1 / per_partition_eps : 0.0), produce_round_trip);
    const double task_partitions = std::max(1.0, c.broker.partitions / (p.parallelism * brokers));
    burst_period = held_fetch_period_s(task_partitions / in_interval, round_trip, held_cycle);
    const double bursts_per_batch = linger > 0 ? std::ceil(linger / burst_period - 1e-12) : 1;
    const double out_interval = std::max(bursts_per_batch * burst_period, produce_round_trip);
    p.window_s = held_fetch_period_s(p.parallelism / out_interval, round_trip, held_cycle);
  }
  const double acc_wait = accumulator_mean_wait_s(c.producer.linger_s, per_partition_eps, burst_period);
  c.sink.kind = "kafka topic + sink consumer";
  c.sink.concurrency = 1024;
  c.sink.write_latency_s = acc_wait + 2 * cal.request_cost_s + plain_one_way;
  if (burst_period > 0 && c.producer.linger_s > 0)  // each write a burst: its wait by its place in the batch
    for (double w : accumulator_burst_waits_s(c.producer.linger_s, burst_period))
      c.sink.write_latency_cycle_s.push_back(w + 2 * cal.request_cost_s + plain_one_way);
  notes.push_back(fmt::format(
      "local twin: the output hop is the sink: {}one write per batch of {:.2f} ms = the forward producer's mean "
      "accumulator wait {:.2f} ms (linger {:.0f} ms, {}) + a produce request (its batch visible on arrival, before any "
      "injected response delay) + a fetch request{}",
      cal.empty_fetch_held ? fmt::format("a {:.2f} ms window for the sink consumer's fetch cycle, then ",
                                         *p.window_s * 1e3)
                           : "",
      (c.sink.write_latency_s + 2 * one_way) * 1e3, acc_wait * 1e3, c.producer.linger_s * 1e3,
      burst_period > 0 ? fmt::format("events arrive in bursts, one per processor fetch, every {:.2f} ms",
                                     burst_period * 1e3)
                       : std::string("Poisson arrivals"),
      c.sink.write_latency_cycle_s.size() > 1
          ? fmt::format("; successive writes wait as the {} bursts of a batch do, the first the full linger",
                        c.sink.write_latency_cycle_s.size())
          : ""));
  notes.push_back(
      "local twin lacks: CPU contention between the broker thread, the clients' threads and other processes on this "
      "machine, including the CPU librdkafka's I/O threads spend busy-polling (its idempotent producer, when linger.ms "
      "is below the produce round trip); the spread of the output hop's accumulator wait under continuous arrivals "
      "(its mean is used); librdkafka's per-broker fetch sessions");
  s.candidates = {c};
  return twin;
}

}  // namespace archsim
