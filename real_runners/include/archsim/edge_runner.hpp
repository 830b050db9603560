// EdgeRunner: runs one edge candidate of a scenario for real on two embedded
// clusters: an edge cluster (one broker, the site's gateway-local log) and a
// core cluster (the candidate's brokers) whose every response is delayed by
// the injected WAN round trip (rd_kafka_mock_broker_set_rtt). Path: an
// open-loop producer (the site's devices) -> edge topic -> gateway thread
// (consumes, spins the local decision's CPU: the local decision is measured
// here, at the edge; keeps the candidate's forward ratio of events) ->
// forwarder producer -> core input topic -> core processor (consume, spin,
// produce) -> core output topic -> core sink consumer. Latencies count from
// the intended send time (no coordinated omission); every event carries a
// sequence number (run_payload.hpp), so loss and duplicates are counted.
#pragma once

#include <cstdint>
#include <string>

#include "archsim/kappa_runner.hpp"

namespace archsim {

struct EdgeRunOutcome {
  CandidateResult result;      ///< named "CANDIDATE (measured)", kind "edge", source "measured"
  std::string broker;          ///< both clusters, in one line
  uint64_t sent = 0;           ///< events the devices' producer sent
  uint64_t acked = 0;          ///< acknowledged by the edge cluster
  uint64_t decided = 0;        ///< distinct events the gateway decided on
  uint64_t forwarded = 0;      ///< events the gateway kept and forwarded
  uint64_t at_core = 0;        ///< distinct forwarded events at the core sink
  uint64_t duplicated = 0;     ///< extra copies at the gateway or the core sink
  uint64_t lost = 0;           ///< acknowledged but not decided, plus forwarded but not at the core
  double wall_s = 0;
  // What the run used, for the local twin.
  double fetch_wait_max_s = 0;       ///< every consumer's fetch.wait.max.ms
  double gateway_cpu_per_event_s = 0;  ///< spun per local decision
  double core_cpu_per_event_s = 0;   ///< spun per event by the core processor
  int wan_rtt_ms = 0;                ///< injected on the core cluster
  /// The two clusters' I/O threads (per thread) and the clients' threads
  /// over the measured window (broker_thread.hpp; negative: not measured).
  RunThreadShares threads;
};

/// Runs `candidate` (kind "edge") with `options` (embedded clusters only:
/// bootstrap_servers must be empty and faults none; injected_rtt_ms is the
/// WAN round trip). Throws std::invalid_argument for bad options and
/// KafkaError on Kafka failures.
EdgeRunOutcome run_edge(const Scenario& scenario, const Candidate& candidate, const KappaRunOptions& options);

}  // namespace archsim
