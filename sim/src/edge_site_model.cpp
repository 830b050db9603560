// EdgeSiteModel implementation.
#include "archsim/edge_site_model.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <fmt/format.h>

#include "archsim/fifo_station.hpp"
#include "archsim/rng.hpp"
#include "archsim/workload_generator.hpp"

namespace sg4 = simgrid::s4u;

namespace archsim {

namespace {

// Forwarded events are carried in chunks of this much creation time: their
// latency is taken from the chunk's middle (at most half a chunk off).
constexpr double kChunk_s = 2e-3;
// A WAN transfer carries at most this much, so a drain delivers as it goes.
constexpr double kMaxTransferBytes = 4e6;

struct SiteChunk {
  double first_s = 0;     // creation time of its first and last events
  double last_s = 0;
  double ready_s = 0;     // handed to the forwarder
  uint64_t events = 0;    // forwarded events it stands for
  double bytes = 0;       // on the WAN
};

}  // namespace

Scenario edge_core_scenario(const Scenario& scenario, const Candidate& candidate) {
  const auto& e = candidate.edge;
  Scenario core = scenario;
  const bool aggregated = e.aggregation_window_s > 0;
  core.workload.rate_eps = scenario.workload.rate_eps * e.forward_ratio * (aggregated ? e.aggregation_ratio : 1.0);
  core.workload.sources = e.sites;
  if (e.raw_event_bytes > 0 || aggregated) {
    core.workload.event_size = SizeDist{};
    core.workload.event_size.kind = SizeDistKind::constant;
    core.workload.event_size.bytes = e.raw_event_bytes > 0 ? e.raw_event_bytes : scenario.workload.event_size.mean();
  }
  return core;
}

EdgeSiteModel::EdgeSiteModel(const Scenario& scenario, const Candidate& candidate, uint64_t seed)
    : sc_(scenario), cand_(candidate), seed_(seed), metrics_(scenario.simulation.histogram_relative_error) {}

EdgeSiteMetrics EdgeSiteModel::run() {
  const auto& e = cand_.edge;
  const auto& sim = sc_.simulation;
  auto* zone = sg4::create_star_zone("site");
  auto* gateway = zone->create_host("gateway", 1e9);
  gateway->set_core_count(e.gateway_vcpu);
  gateway->seal();
  auto* core = zone->create_host("core", 1e9);
  core->seal();
  auto* wan = zone->create_split_duplex_link("wan", e.wan_bps);
  wan->set_latency(e.wan_latency_s);
  wan->seal();
  auto* core_nic = zone->create_split_duplex_link("core/nic", 1e12);
  core_nic->set_latency(0);
  core_nic->seal();
  zone->add_route(gateway->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(wan, sg4::LinkInRoute::Direction::UP)}, true);
  zone->add_route(core->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(core_nic, sg4::LinkInRoute::Direction::UP)}, true);
  zone->seal();

  const double window_start = sim.warmup_s;
  const double outage_start = sim.warmup_s + sim.duration_s;
  const double outage_end = outage_start + e.outage_duration_s;
  const double horizon = outage_end + std::max(10 * e.outage_duration_s, 600.0);  // drain limit
  metrics_.window_s = sim.duration_s;
  metrics_.outage_s = e.outage_duration_s;

  std::deque<SiteChunk> buffer;
  double buffered_bytes = 0;
  bool link_up = true;
  bool done = false;
  double drained_at = -1;
  auto mutex = sg4::Mutex::create();
  auto cv = sg4::ConditionVariable::create();
  const double raw_bytes = e.raw_event_bytes > 0 ? e.raw_event_bytes : sc_.workload.event_size.mean();
  auto affected = [&](double created) { return created >= outage_start; };

  // Devices and the gateway: local decision for every event, filter, aggregation, hand-off.
  sg4::Actor::create("gateway", gateway, [&] {
    KeySampler keys(sc_.workload.key_cardinality, sc_.workload.key_skew);
    WorkloadGenerator gen(sc_.workload, sc_.workload.rate_eps / e.sites, keys, Rng(seed_, "edge/devices"), sim.start_at_s);
    Rng filter(seed_, "edge/filter");
    Rng device(seed_, "edge/device");
    FifoStation cpu(e.gateway_vcpu);
    SiteChunk open;
    auto hand_off = [&](SiteChunk c) {
      if (c.events == 0) return;
      if (buffered_bytes + c.bytes > e.gateway_buffer_bytes) {  // full: the records are dropped
        metrics_.lost_events += c.events;
        if (affected(c.first_s)) metrics_.outage_events += c.events;
        return;
      }
      buffered_bytes += c.bytes;
      metrics_.peak_buffer_bytes = std::max(metrics_.peak_buffer_bytes, buffered_bytes);
      buffer.push_back(c);
      cv->notify_all();
    };
    const double window = e.aggregation_window_s;
    double next_close = window > 0 ? window : kChunk_s;
    for (GeneratedEvent ev = gen.next(); !done && ev.time_s < horizon; ev = gen.next()) {
      while (ev.time_s >= next_close) {  // close the chunk (or aggregation window) before this event
        if (open.events > 0) {
          if (window > 0) open.bytes = std::max(1.0, std::round(static_cast<double>(open.events) * e.aggregation_ratio)) * raw_bytes;
          if (sg4::Engine::get_clock() < next_close) sg4::this_actor::sleep_until(next_close);
          open.ready_s = next_close;
          hand_off(open);
          open = SiteChunk{};
        }
        next_close = window > 0 ? next_close + window : std::max(next_close + kChunk_s, ev.time_s);
      }
      double arrived = ev.time_s + e.device_latency_s;
      for (const double w : e.device_latency_uniform_s) arrived += device.uniform() * w;
      const double decided = cpu.serve(arrived, e.gateway_cpu_per_event_s);
      const bool in_window = ev.time_s >= window_start && ev.time_s < outage_start;
      if (in_window) {
        metrics_.local_decision.record(decided - ev.time_s);
        ++metrics_.events_window;
      }
      if (filter.uniform() >= e.forward_ratio) continue;
      if (in_window) ++metrics_.forwarded_window;
      if (open.events == 0) open.first_s = ev.time_s;
      open.last_s = ev.time_s;
      ++open.events;
      if (window <= 0) open.bytes += raw_bytes;
    }
  })->daemonize();

  // The forwarder: sends what is buffered over the WAN whenever the link is up.
  sg4::Actor::create("forwarder", gateway, [&] {
    Rng jitter(seed_, "edge/jitter");
    std::unique_lock lock(*mutex);
    for (;;) {
      cv->wait(lock, [&] { return link_up && !buffer.empty(); });
      std::vector<SiteChunk> batch;
      double bytes = 0;
      while (!buffer.empty() && (batch.empty() || bytes + buffer.front().bytes <= kMaxTransferBytes)) {
        bytes += buffer.front().bytes;
        batch.push_back(buffer.front());
        buffer.pop_front();
      }
      sg4::Comm::sendto(gateway, core, static_cast<uint64_t>(std::max(1.0, bytes)));
      if (e.wan_jitter_s > 0) sg4::this_actor::sleep_for(std::abs(jitter.normal()) * e.wan_jitter_s);
      buffered_bytes -= bytes;
      const double arrived = sg4::Engine::get_clock();
      for (const auto& c : batch) {
        const double created = (c.first_s + c.last_s) / 2;
        if (affected(c.first_s)) {
          metrics_.to_core_outage.record(arrived - created, c.events);
          metrics_.outage_events += c.events;
        } else if (c.first_s >= window_start) {
          metrics_.to_core_normal.record(arrived - created, c.events);
          metrics_.wan_bytes_window += c.bytes;
        }
      }
      if (arrived > outage_end && buffer.empty() && drained_at < 0) drained_at = arrived;
    }
  })->daemonize();

  // The WAN outage episode, then the drain.
  sg4::Actor::create("outage", core, [&] {
    sg4::this_actor::sleep_until(outage_start);
    link_up = false;
    sg4::this_actor::sleep_until(outage_end);
    link_up = true;
    cv->notify_all();
    // the episode lasts until the backlog is gone and the events created meanwhile got through
    while (sg4::Engine::get_clock() < horizon && (drained_at < 0 || sg4::Engine::get_clock() < drained_at + 1.0))
      sg4::this_actor::sleep_for(1.0);
    metrics_.drain_s = (drained_at < 0 ? sg4::Engine::get_clock() : drained_at) - outage_end;
    done = true;
  });
  sg4::Engine::get_instance()->run();
  return std::move(metrics_);
}

}  // namespace archsim
