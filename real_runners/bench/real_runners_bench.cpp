// Google Benchmark microbenchmarks of the real Kafka paths on the embedded
// broker (librdkafka's mock cluster on loopback): produce over message size,
// linger.ms, batch.size, compression, partitions and idempotence; consume
// over message size and partitions; and the runner's own produce path
// against a plain librdkafka produce loop with the same settings.
// Counters: msgs/s, MB/s, produce-to-ack latency p50/p99 (seconds). Each
// benchmark is one timed run (manual time = wall time of the loop); use
// --benchmark_repetitions for spread and --benchmark_out=FILE
// --benchmark_out_format=json for the JSON that `archsim calibrate` and the
// reports read.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include "archsim/embedded_cluster.hpp"
#include "archsim/kafka_probes.hpp"
#include "archsim/kappa_runner.hpp"
#include "archsim/scenario_loader.hpp"

namespace {

using archsim::EmbeddedCluster;
using archsim::ProbeResult;
using archsim::ProduceProbeConfig;

const char* const kCompressions[] = {"none", "lz4", "zstd", "snappy", "gzip"};

/// Messages per run: about 40 MB of payload, between 20,000 and 200,000.
uint64_t messages_for(size_t bytes) {
  return std::clamp<uint64_t>(40'000'000 / std::max<size_t>(1, bytes), 20'000, 200'000);
}

void set_counters(benchmark::State& state, const ProbeResult& r) {
  state.SetIterationTime(r.wall_s);
  state.counters["msgs_per_s"] = r.msgs_per_s;
  state.counters["MB_per_s"] = r.bytes_per_s / 1e6;
  state.counters["lat_p50_ms"] = r.latency_p50_s * 1e3;
  state.counters["lat_p99_ms"] = r.latency_p99_s * 1e3;
  state.counters["errors"] = static_cast<double>(r.errors);
  state.SetItemsProcessed(static_cast<int64_t>(r.messages));
  state.SetBytesProcessed(static_cast<int64_t>(r.bytes_per_s * r.wall_s));
}

/// Args: message bytes, linger.ms, batch.size, compression index, partitions, idempotence (0/1).
void BM_Produce(benchmark::State& state) {
  try {
    const auto bytes = static_cast<size_t>(state.range(0));
    const int partitions = static_cast<int>(state.range(4));
    for (auto _ : state) {
      EmbeddedCluster cluster(3);
      cluster.create_topic("bench.produce", partitions, 1);
      ProduceProbeConfig c;
      c.bootstrap_servers = cluster.bootstrap_servers();
      c.topic = "bench.produce";
      c.messages = messages_for(bytes);
      c.message_bytes = bytes;
      c.linger_ms = static_cast<double>(state.range(1));
      c.batch_size_bytes = state.range(2);
      c.compression = kCompressions[state.range(3)];
      c.idempotence = state.range(5) != 0;
      const ProbeResult r = archsim::probe_produce(c);
      if (r.errors > 0) state.SkipWithError("delivery reports with errors");
      set_counters(state, r);
    }
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

// One factor at a time around a base of 1,000 B, linger 5 ms, batch.size
// 1 MB, no compression, 4 partitions, idempotent.
void produce_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"bytes", "linger_ms", "batch", "compr", "parts", "idem"});
  const std::vector<int64_t> base = {1000, 5, 1000000, 0, 4, 1};
  b->Args(base);
  auto vary = [&](size_t i, std::initializer_list<int64_t> values) {
    for (int64_t v : values) {
      std::vector<int64_t> a = base;
      a[i] = v;
      if (a != base) b->Args(a);
    }
  };
  vary(0, {100, 10000});
  vary(1, {0, 20});
  vary(2, {16384});
  vary(3, {1, 2});
  vary(4, {1, 12});
  vary(5, {0});
}
BENCHMARK(BM_Produce)->Apply(produce_args)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

/// Args: message bytes, partitions. The topic is filled first (not timed).
void BM_Consume(benchmark::State& state) {
  try {
    const auto bytes = static_cast<size_t>(state.range(0));
    const int partitions = static_cast<int>(state.range(1));
    for (auto _ : state) {
      EmbeddedCluster cluster(3);
      cluster.create_topic("bench.consume", partitions, 1);
      ProduceProbeConfig c;
      c.bootstrap_servers = cluster.bootstrap_servers();
      c.topic = "bench.consume";
      // The mock keeps about 5 MiB per partition: stay under it.
      c.messages = std::min<uint64_t>(messages_for(bytes), static_cast<uint64_t>(partitions) * 4'000'000 / bytes);
      c.message_bytes = bytes;
      c.idempotence = false;
      const ProbeResult filled = archsim::probe_produce(c);
      const ProbeResult r = archsim::probe_consume(c.bootstrap_servers, c.topic, partitions, filled.messages);
      set_counters(state, r);
    }
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}
BENCHMARK(BM_Consume)
    ->ArgNames({"bytes", "parts"})
    ->Args({100, 4})
    ->Args({1000, 4})
    ->Args({10000, 4})
    ->Args({1000, 1})
    ->Args({1000, 12})
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

/// The runner's produce path (its open-loop producer thread, flooded) against
/// a plain produce loop with the same settings, interleaved `rounds` times on
/// the same embedded cluster; counters are the medians and their ratio.
/// Candidate kappa-baseline of scenarios/kappa-reference.json (512 B events,
/// linger 5 ms, batch.size 1 MB, 12 partitions, idempotent, acks=all).
void BM_RunnerVsPlainProduce(benchmark::State& state) {
  try {
    const auto events = static_cast<uint64_t>(state.range(0));
    const int rounds = static_cast<int>(state.range(1));
    const archsim::Scenario sc = archsim::load_scenario_file(ARCHSIM_SOURCE_DIR "/scenarios/kappa-reference.json");
    const archsim::Candidate* cand = nullptr;
    for (const auto& c : sc.candidates)
      if (c.name == "kappa-baseline") cand = &c;
    if (cand == nullptr) {
      state.SkipWithError("kappa-baseline not found in kappa-reference.json");
      return;
    }
    for (auto _ : state) {
      EmbeddedCluster cluster(cand->broker.count);
      cluster.create_topic("bench.runner", cand->broker.partitions, 1);
      cluster.create_topic("bench.plain", cand->broker.partitions, 1);
      std::vector<double> runner, plain, runner_cpu, plain_cpu;
      double wall = 0;
      for (int i = 0; i < rounds; ++i) {
        // Alternate which goes first, so neither always runs on a fresher cluster.
        const auto runner_run = [&] {
          return archsim::probe_runner_produce(sc, *cand, cluster.bootstrap_servers(), "bench.runner", events);
        };
        archsim::ProducePathProbe rp;
        if (i % 2 == 0) rp = runner_run();
        ProduceProbeConfig c;
        c.bootstrap_servers = cluster.bootstrap_servers();
        c.topic = "bench.plain";
        c.messages = events;
        c.message_bytes = static_cast<size_t>(sc.workload.event_size.mean());
        c.key_count = static_cast<int>(std::min<int64_t>(sc.workload.key_cardinality, 1'000'000));
        c.linger_ms = cand->producer.linger_s * 1e3;
        c.batch_size_bytes = static_cast<int64_t>(cand->producer.batch_size_bytes);
        c.max_in_flight = std::clamp(cand->producer.max_in_flight, 1, 5);
        c.idempotence = true;
        c.extra = {{"message.timeout.ms", "20000"}};
        const ProbeResult pp = archsim::probe_produce(c);
        if (i % 2 == 1) rp = runner_run();
        if (rp.errors > 0 || pp.errors > 0) state.SkipWithError("delivery reports with errors");
        runner.push_back(rp.eps);
        plain.push_back(pp.msgs_per_s);
        runner_cpu.push_back(static_cast<double>(rp.events) / rp.cpu_s);
        plain_cpu.push_back(static_cast<double>(pp.messages) / pp.cpu_s);
        wall += rp.wall_s + pp.wall_s;
      }
      for (auto* v : {&runner, &plain, &runner_cpu, &plain_cpu}) std::sort(v->begin(), v->end());
      const double r = runner[runner.size() / 2], p = plain[plain.size() / 2];
      // Per CPU-second of the whole process: what the path costs, less
      // sensitive than wall time to other processes on a shared machine.
      const double rc = runner_cpu[runner_cpu.size() / 2], pc = plain_cpu[plain_cpu.size() / 2];
      state.counters["runner_msgs_per_cpu_s"] = rc;
      state.counters["plain_msgs_per_cpu_s"] = pc;
      state.counters["runner_over_plain_cpu"] = pc > 0 ? rc / pc : 0;
      state.SetIterationTime(wall);
      state.counters["runner_msgs_per_s"] = r;
      state.counters["plain_msgs_per_s"] = p;
      state.counters["runner_over_plain"] = p > 0 ? r / p : 0;
      state.counters["runner_min"] = runner.front();
      state.counters["runner_max"] = runner.back();
      state.counters["plain_min"] = plain.front();
      state.counters["plain_max"] = plain.back();
    }
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}
BENCHMARK(BM_RunnerVsPlainProduce)
    ->ArgNames({"events", "rounds"})
    ->Args({200000, 5})
    ->Args({100000, 9})
    ->Args({20000, 1})
    ->UseManualTime()
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
