// EdgeTwin implementation: the core as the Kappa twin, the site's edge hop
// and gateway mapped onto the simulator's edge site. Each mapping is a rule
// stated in the notes, the same for every run.
#include "archsim/edge_twin.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "archsim/units.hpp"

namespace archsim {

LocalTwin make_edge_twin(const Scenario& scenario, const Candidate& candidate, const TwinRun& run,
                         const EdgeTwinRun& edge, const Calibration& cal, const std::string& origin) {
  if (candidate.kind != "edge")
    throw std::invalid_argument(fmt::format("edge twin: candidate {} is {}, expected edge", candidate.name,
                                            candidate.kind));
  const double forward_ratio = std::clamp(candidate.edge.forward_ratio, 0.0, 1.0);
  Candidate core = candidate;
  core.kind = "kappa";
  TwinRun core_run = run;
  core_run.rate_eps = run.rate_eps * forward_ratio;
  core_run.processors = 1;
  core_run.cpu_per_event_s = edge.core_cpu_per_event_s;
  LocalTwin twin = make_local_twin(scenario, core, core_run, cal, origin);
  twin.scenario.workload.rate_eps = run.rate_eps;  // the simulator derives the core's rate with the forward ratio
  Candidate& c = twin.scenario.candidates.front();
  c.kind = "edge";
  EdgeConfig& e = c.edge;
  // The edge hop: the devices' producer (its accumulator wait on the edge
  // topic's one partition, a produce round trip) and the gateway's held
  // fetch (uniform over a fetch cycle). Each event draws both waits: the
  // accumulator's as uniform over the linger, less a constant that keeps its
  // mean (accumulator_mean_wait_s: the batch's first event waits it all).
  const double linger = std::max(0.0, candidate.producer.linger_s);
  const double fetch_cycle = cal.empty_fetch_held ? cal.fetch_cycle_s(run.fetch_wait_max_s) : 0;
  const double acc_mean = accumulator_mean_wait_s(linger, run.rate_eps, 0);
  const double edge_hop = acc_mean + cal.produce_rtt_s + fetch_cycle / 2;
  e.sites = 1;
  e.device_latency_s = cal.produce_rtt_s + std::max(0.0, acc_mean - linger / 2);
  e.device_latency_uniform_s.clear();
  if (linger > 0) e.device_latency_uniform_s.push_back(linger);
  if (fetch_cycle > 0) e.device_latency_uniform_s.push_back(fetch_cycle);
  e.gateway_vcpu = 1;
  e.gateway_cpu_per_event_s = edge.gateway_cpu_per_event_s + cal.consumer_message_cost_s;
  e.gateway_buffer_bytes = 1e15;
  e.gateway_capex_usd = 0;
  e.gateway_usd_month = 0;
  e.forward_ratio = forward_ratio;
  e.aggregation_window_s = 0;
  e.aggregation_ratio = 1;
  // The simulated WAN starts at the event's creation and ends where the
  // core twin's producer (the forwarder) takes over: it carries the edge hop
  // and the gateway; the injected round trip is on the core twin's hops.
  e.wan_bps = cal.loopback_bytes_per_s;
  e.wan_latency_s = edge_hop + e.gateway_cpu_per_event_s;
  e.wan_jitter_s = 0;
  e.wan_usd_per_gb = 0;
  e.outage_every_s = 1e15;  // no WAN outage in a check
  e.outage_duration_s = 0.1;
  e.raw_event_bytes = 0;
  twin.notes.push_back(fmt::format(
      "local twin (edge): one site; local decision = the edge hop, {:.2f} ms on average (an accumulator wait uniform "
      "over the linger + a produce round trip + a wait uniform over the held fetch cycle, calibrated) + the "
      "gateway's {:.1f} us per event on one thread; edge-to-core = "
      "that hop and the gateway as the site's WAN latency (the simulator adds its 2 ms forwarding chunks), then the "
      "core as the Kappa twin at the forwarded {:.0f} ev/s with the injected {:.0f} ms on every core response; no "
      "WAN outage",
      edge_hop * 1e3, e.gateway_cpu_per_event_s * 1e6, core_run.rate_eps, run.injected_rtt_s * 1e3));
  return twin;
}

}  // namespace archsim
