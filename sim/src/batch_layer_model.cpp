// BatchLayerModel implementation.
#include "archsim/batch_layer_model.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "archsim/workload_generator.hpp"

namespace sg4 = simgrid::s4u;

namespace archsim {

namespace {

// Object storage serves many readers at once; what limits a job is each
// instance's read rate (and NIC), not the store.
constexpr double kStorageBandwidth = 1e12;
// Steps per run when integrating the rate pattern over the run's new data.
constexpr int kIntegrationSteps = 400;

}  // namespace

BatchLayerModel::BatchLayerModel(const Scenario& scenario, const Candidate& candidate)
    : sc_(scenario), cand_(candidate), metrics_(scenario.simulation.histogram_relative_error) {
  const auto& b = cand_.batch;
  auto* zone = sg4::create_star_zone("batch");
  auto add_host = [&](const std::string& name, double speed, int cores, double nic_bps) {
    auto* h = zone->create_host(name, speed);
    h->set_core_count(cores);
    h->seal();
    auto* nic = zone->create_split_duplex_link(name + "/nic", nic_bps);
    nic->set_latency(sc_.hardware.network_latency_s / 2);
    nic->seal();
    zone->add_route(h->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(nic, sg4::LinkInRoute::Direction::UP)}, true);
    return h;
  };
  add_host("storage", 1e9, 1, kStorageBandwidth);
  for (int i = 0; i < b.instances; ++i)
    add_host(fmt::format("batch{}", i), b.instance.core_speed_flops, b.instance.vcpu,
             std::min(b.instance.network_bps, b.read_bps_per_instance));
  zone->seal();
  metrics_.interval_s = b.interval_s;
  sg4::Actor::create("job", sg4::Host::by_name("batch0"), [this] { job_actor(); });
}

void BatchLayerModel::job_actor() {
  const auto& b = cand_.batch;
  const auto& w = sc_.workload;
  const double event_bytes = w.event_size.mean();
  auto* storage = sg4::Host::by_name("storage");
  std::vector<sg4::Host*> cluster;
  for (int i = 0; i < b.instances; ++i) cluster.push_back(sg4::Host::by_name(fmt::format("batch{}", i)));
  // events created in [from, to) at the pattern's rate
  auto events_between = [&](double from, double to) {
    double n = 0;
    const double dt = (to - from) / kIntegrationSteps;
    for (int i = 0; i < kIntegrationSteps; ++i)
      n += w.rate_eps * rate_factor(w.pattern, sc_.simulation.start_at_s + from + (i + 0.5) * dt) * dt;
    return n;
  };
  // Runs are scheduled every interval from one interval after the start;
  // the first one includes what landed during the first interval.
  double covered_until = -b.landing_delay_s;  // data created before this is in a published view
  for (int k = 1; k <= b.runs; ++k) {
    const double scheduled = k * b.interval_s;
    if (sg4::Engine::get_clock() < scheduled) sg4::this_actor::sleep_until(scheduled);
    const double start = sg4::Engine::get_clock();
    metrics_.start_delays_s.push_back(start - scheduled);
    const double cutoff = start - b.landing_delay_s;  // what has landed in storage
    const double new_events = events_between(std::max(0.0, covered_until), cutoff) +
                              (covered_until < 0 ? w.rate_eps * (-covered_until) : 0.0);  // steady state before t=0
    const double read_events = b.full_history ? w.rate_eps * b.history_s : new_events;
    sg4::this_actor::sleep_for(b.startup_s);
    // every instance reads its share from storage in parallel, then computes on all its cores
    std::vector<sg4::CommPtr> reads;
    for (auto* h : cluster)
      reads.push_back(sg4::Comm::sendto_async(storage, h, static_cast<uint64_t>(std::max(1.0, read_events * event_bytes / b.instances))));
    sg4::Comm::wait_all(reads);
    std::vector<sg4::ExecPtr> work;
    for (auto* h : cluster) {
      const double flops = read_events * b.cpu_per_event_s * b.instance.core_speed_flops / b.instances;
      work.push_back(sg4::Exec::init()->set_flops_amount(flops / h->get_core_count())->set_thread_count(h->get_core_count())->set_host(h));
    }
    for (auto& e : work) e->start();
    for (auto& e : work) e->wait();
    sg4::this_actor::sleep_for(b.publish_s);
    const double published = sg4::Engine::get_clock();
    metrics_.run_durations_s.push_back(published - start);
    // accuracy latency of the events this view adds: created in [covered_until, cutoff)
    const double from = covered_until;
    const double dt = (cutoff - from) / kIntegrationSteps;
    for (int i = 0; i < kIntegrationSteps; ++i) {
      const double t = from + (i + 0.5) * dt;
      const double rate = t < 0 ? w.rate_eps : w.rate_eps * rate_factor(w.pattern, sc_.simulation.start_at_s + t);
      metrics_.accuracy.record(published - t, static_cast<uint64_t>(std::llround(std::max(1.0, rate * dt))));
    }
    covered_until = cutoff;
  }
}

BatchLayerMetrics BatchLayerModel::run() {
  sg4::Engine::get_instance()->run();
  return std::move(metrics_);
}

}  // namespace archsim
