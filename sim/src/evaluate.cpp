// Evaluation implementation.
#include "archsim/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/availability_model.hpp"
#include "archsim/batch_layer_model.hpp"
#include "archsim/cost_model.hpp"
#include "archsim/delivery_semantics.hpp"
#include "archsim/edge_site_model.hpp"
#include "archsim/latency_time_series.hpp"
#include "archsim/units.hpp"
#include "archsim/verdict.hpp"

namespace archsim {

namespace {

/// Summary of a plain histogram: quantiles without intervals.
LatencySummary summarise(const LogHistogram& h) {
  LatencySummary s;
  s.count = h.count();
  s.mean_s = h.mean();
  s.max_s = h.max();
  auto at = [&](double q) { return Estimate{h.quantile(q), h.quantile(q), h.quantile(q)}; };
  s.p50_s = at(0.5);
  s.p95_s = at(0.95);
  s.p99_s = at(0.99);
  s.p999_s = at(0.999);
  return s;
}

}  // namespace

CandidateResult summarise_run(const Scenario& sc, const Candidate& cand, const RunMetrics& m) {
  CandidateResult r;
  r.name = cand.name;
  r.kind = cand.kind;
  const int batches = sc.simulation.batches;
  r.end_to_end = m.end_to_end.summary(batches);
  r.timeline = m.timeline.timeline(m.window_end_s, "simulated",
                                   "failure-free simulated run: every event the sink acknowledged in each window (by delivery time)");
  for (const auto& st : m.stages) r.stages.push_back(StageLatency{st.stage, st.description, summarise(st.histogram)});
  r.produce_ack = summarise(m.produce_ack);
  r.simulated_s = m.window_end_s - m.window_start_s;
  r.warmup_s = m.window_start_s;
  r.stopped_early = m.stopped_early;
  r.offered_eps = r.simulated_s > 0 ? static_cast<double>(m.window_events_offered) / r.simulated_s : 0;
  // Throughput: a pipeline that delivered every event of the window kept up
  // with the offered rate; one that did not delivered what its sink
  // acknowledged while the window was open.
  const uint64_t delivered = m.drained ? m.window_events_delivered : m.deliveries_in_window;
  r.achieved_eps = r.simulated_s > 0 ? static_cast<double>(delivered) / r.simulated_s : 0;
  r.max_consumer_lag_events = m.max_lag_events;
  r.utilisation = m.utilisation;
  r.profile = m.profile;
  r.overloaded = !m.overloads.empty();
  r.overload_reason = fmt::format("{}", fmt::join(m.overloads, "; "));
  r.notes = m.notes;
  return r;
}

CandidateResult summarise_batch_layer(const BatchLayerMetrics& m) {
  CandidateResult r;
  r.accuracy_latency = summarise(m.accuracy);
  r.accuracy_latency.cdf = m.accuracy.cdf(60);
  auto& b = r.batch_layer;
  b.runs = m.run_durations_s.size();
  b.interval_s = m.interval_s;
  for (double d : m.run_durations_s) {
    b.mean_run_s += d / static_cast<double>(b.runs);
    b.max_run_s = std::max(b.max_run_s, d);
  }
  for (double d : m.start_delays_s) b.max_start_delay_s = std::max(b.max_start_delay_s, d);
  // a run that overruns pushes the next one back: the delays grow run after run
  b.keeps_up = b.max_run_s <= m.interval_s;
  return r;
}

void merge_batch_layer(CandidateResult& speed, const CandidateResult& batch, const Candidate& cand) {
  speed.kind = cand.kind;
  speed.accuracy_latency = batch.accuracy_latency;
  speed.batch_layer = batch.batch_layer;
  // Readers query the serving layer: every result is seen one query later.
  const double q = cand.serving.query_latency_s;
  auto shift = [q](Estimate& e) {
    e.value += q;
    e.lo += q;
    e.hi += q;
  };
  auto& l = speed.end_to_end;
  for (Estimate* e : {&l.p50_s, &l.p95_s, &l.p99_s, &l.p999_s}) shift(*e);
  l.mean_s += q;
  l.max_s += q;
  for (auto& point : l.cdf) point.first += q;
  for (auto& point : speed.timeline.points)
    if (point.count > 0) {
      point.p50_s += q;
      point.p99_s += q;
      point.max_s += q;
    }
  if (!speed.timeline.points.empty()) speed.timeline.basis += ", plus the serving layer's query latency";
  LatencySummary query;
  query.count = l.count;
  query.mean_s = query.max_s = q;
  query.p50_s = query.p95_s = query.p99_s = query.p999_s = Estimate{q, q, q};
  speed.stages.push_back(StageLatency{"serving query", "a reader's query of the serving layer (merges speed and batch views)", query});
  const auto& b = speed.batch_layer;
  speed.notes.push_back(fmt::format("batch layer: {} runs every {}; a run takes {} on average, {} at most; accuracy latency p50 {}, p99 {}",
                                    b.runs, format_duration(b.interval_s), format_duration(b.mean_run_s), format_duration(b.max_run_s),
                                    format_duration(speed.accuracy_latency.p50_s.value), format_duration(speed.accuracy_latency.p99_s.value)));
  if (!b.keeps_up) {
    const std::string reason = fmt::format("batch layer: a run takes up to {}, longer than its {} interval, so the backlog grows",
                                           format_duration(b.max_run_s), format_duration(b.interval_s));
    speed.overload_reason += (speed.overloaded ? "; " : "") + reason;
    speed.overloaded = true;
  }
}

CandidateResult summarise_edge_site(const Scenario& sc, const Candidate& cand, const EdgeSiteMetrics& m) {
  const auto& e = cand.edge;
  CandidateResult r;
  r.local_decision = summarise(m.local_decision);
  r.local_decision.cdf = m.local_decision.cdf(60);
  auto& s = r.edge;
  s.sites = e.sites;
  const double month_s = sc.hardware.catalog.hours_per_month * 3600.0;
  s.outages_per_month = e.outage_every_s > 0 ? month_s / e.outage_every_s : 0;
  s.wan_bytes_month = m.window_s > 0 ? m.wan_bytes_window / m.window_s * month_s * e.sites : 0;
  const double raw_event = e.raw_event_bytes > 0 ? e.raw_event_bytes : sc.workload.event_size.mean();
  s.raw_bytes_month = sc.workload.rate_eps * raw_event * month_s;
  s.wan_saving = s.raw_bytes_month > 0 ? 1.0 - s.wan_bytes_month / s.raw_bytes_month : 0;
  s.buffer_bytes = e.gateway_buffer_bytes;
  s.peak_buffer_bytes = m.peak_buffer_bytes;
  s.outage_s = m.outage_s;
  s.drain_s = m.drain_s;
  s.lost_per_outage = static_cast<double>(m.lost_events);
  s.lost_events_month = s.lost_per_outage * s.outages_per_month * e.sites;
  // Edge-to-core latency over a month: the normal window's distribution and
  // the outage episode's, weighted by how many forwarded events each stands for.
  LogHistogram mix(sc.simulation.histogram_relative_error);
  const double forwarded_per_s = m.window_s > 0 ? static_cast<double>(m.forwarded_window) / m.window_s : 0;
  const double affected_month = static_cast<double>(m.outage_events) * s.outages_per_month;
  const double normal_month = std::max(0.0, forwarded_per_s * month_s - affected_month);
  const double scale = 1e9 / std::max(1.0, normal_month + affected_month);  // a billion counts keep both parts resolved
  if (m.to_core_normal.count() > 0) mix.merge_weighted(m.to_core_normal, normal_month * scale / static_cast<double>(m.to_core_normal.count()));
  if (m.to_core_outage.count() > 0) mix.merge_weighted(m.to_core_outage, affected_month * scale / static_cast<double>(m.to_core_outage.count()));
  r.end_to_end = summarise(mix);
  r.end_to_end.cdf = mix.cdf(400);
  return r;
}

namespace {

/// Latency at cumulative fraction q from CDF points (linear interpolation).
double quantile_from_cdf(const std::vector<std::pair<double, double>>& cdf, double q) {
  if (cdf.empty()) return 0;
  if (q <= cdf.front().second) return cdf.front().first;
  for (size_t i = 1; i < cdf.size(); ++i)
    if (cdf[i].second >= q) {
      const auto& [x0, y0] = cdf[i - 1];
      const auto& [x1, y1] = cdf[i];
      return y1 > y0 ? x0 + (x1 - x0) * (q - y0) / (y1 - y0) : x1;
    }
  return cdf.back().first;
}

/// The delivery-semantics verdict: is the configuration able to give the
/// required guarantee (acks, min.insync.replicas, engine, semantics run)?
Verdict delivery_verdict(Delivery required, const Candidate& cand, const DeliveryPlan& plan, const CandidateResult& r) {
  Verdict v;
  v.requirement = "delivery semantics";
  v.unit = "";
  const bool durable = cand.producer.acks == Acks::all && cand.broker.min_insync_replicas >= 2;
  const bool edge_loses = r.edge.lost_events_month > 0;
  const std::string name = delivery_name(required);
  if (!durable) {
    v.text = name + ": FAIL (needs acks=all and min.insync.replicas >= 2; a leader loss can drop acknowledged events)";
  } else if (edge_loses) {
    v.text = fmt::format("{}: FAIL (about {:.3g} events a month are dropped when gateway buffers overflow during WAN outages)", name,
                         r.edge.lost_events_month);
  } else if (required == Delivery::exactly_once && cand.broker.is_service()) {
    v.text = "exactly-once: FAIL (broker kind " + cand.broker.kind + " has no transactions: archsim models it at least once)";
  } else if (required == Delivery::exactly_once && !plan.supported) {
    v.text = "exactly-once: FAIL (" + cand.processing.engine + " writes to Kafka at least once: its Kafka sink is not transactional)";
  } else if (required == Delivery::exactly_once && plan.semantics != Delivery::exactly_once) {
    v.text = "exactly-once: FAIL (the candidate's processing runs at-least-once; set processing.delivery to exactly-once)";
  } else {
    v.pass = true;
    v.text = required == Delivery::exactly_once
                 ? fmt::format("exactly-once: PASS (acks=all, min.insync.replicas={}, transactional commits every {}, read_committed readers)",
                               cand.broker.min_insync_replicas, format_duration(plan.commit_interval_s))
                 : cand.broker.is_service()
                     ? "at-least-once: PASS (" + cand.broker.kind + " acknowledges a record once it has stored it durably)"
                     : fmt::format("at-least-once: PASS (acks=all, min.insync.replicas={})", cand.broker.min_insync_replicas);
  }
  v.headroom = v.pass ? 0 : -1;
  return v;
}

Verdict availability_verdict(double target, const AvailabilitySummary& a) {
  Verdict v;
  v.requirement = "availability";
  v.target = target;
  v.value = a.within_target.value;
  v.unit = "fraction";
  v.pass = v.value >= target;
  v.headroom = target < 1 ? (v.value - target) / (1 - target) : (v.pass ? 0 : -1);
  const double month_min = (a.down_s_month + a.late_s_month) / 60;
  v.text = fmt::format("availability {} within the latency target ({} delivering; {:.1f} min/month down or late) vs target {}: ", format_availability(v.value),
                       format_availability(a.delivering.value), month_min, format_availability(target));
  if (v.pass)
    v.text += fmt::format("PASS, {} of the downtime budget left", percent(v.headroom));
  else
    v.text += fmt::format("FAIL, {:.1f}x the downtime budget", target < 1 ? (1 - v.value) / (1 - target) : 0.0);
  if (v.pass && a.within_target.lo < target) v.text += fmt::format(" (1 month in 40 is worse than {})", format_availability(a.within_target.lo));
  return v;
}

/// Lost or duplicated events per month: any is a failure.
Verdict count_verdict(const std::string& what, double per_month, bool lost, const AvailabilitySummary& a) {
  Verdict v;
  v.requirement = what;
  v.target = 0;
  v.value = per_month;
  v.unit = "";
  v.pass = per_month <= 0;
  v.headroom = v.pass ? 0 : -1;
  std::string cause;
  double worst = 0;
  for (const auto& e : a.episodes) {
    const double n = e.per_month * (lost ? e.lost_events : e.duplicated_events);
    if (n > worst) {
      worst = n;
      cause = e.failure;
    }
  }
  v.text = v.pass ? fmt::format("{}: none expected per month: PASS", what)
                  : fmt::format("{}: about {:.3g} per month (mostly on {}): FAIL", what, per_month, cause);
  return v;
}

}  // namespace

void merge_edge(CandidateResult& core, const CandidateResult& site, const Candidate& cand, double relative_error) {
  // An event's end-to-end latency is its time to reach the core plus the
  // core pipeline's latency, taken as independent: the distribution is the
  // convolution of the two, computed on 500 quantiles of each.
  constexpr int kQuantiles = 500;
  LogHistogram sum(relative_error);
  std::vector<double> a(kQuantiles), b(kQuantiles);
  for (int i = 0; i < kQuantiles; ++i) {
    const double q = (i + 0.5) / kQuantiles;
    a[static_cast<size_t>(i)] = quantile_from_cdf(site.end_to_end.cdf, q);
    b[static_cast<size_t>(i)] = quantile_from_cdf(core.end_to_end.cdf, q);
  }
  for (double x : a)
    for (double y : b) sum.record(x + y);
  LatencySummary to_core = site.end_to_end;
  to_core.cdf = {};
  const uint64_t delivered = core.end_to_end.count;
  core.stages.insert(core.stages.begin(), StageLatency{"edge to core", "gateway filter and aggregation, store-and-forward buffer, WAN (outages weighted by their frequency)", to_core});
  core.end_to_end = summarise(sum);
  core.end_to_end.count = delivered;
  core.end_to_end.cdf = sum.cdf(60);
  if (!core.timeline.points.empty()) core.timeline.basis += "; the core pipeline only (edge-to-core latency not included)";
  core.kind = cand.kind;
  core.local_decision = site.local_decision;
  core.edge = site.edge;
  const auto& e = core.edge;
  core.notes.push_back(fmt::format("edge: {} identical sites, one simulated (exact per site; the core sees all sites' records); "
                                   "end-to-end = edge-to-core convolved with the core pipeline (independence assumed); "
                                   "a WAN outage of {} every {} per site: peak buffer {} of {}, drained {} after the link returned, "
                                   "{:.0f} events lost per outage",
                                   e.sites, format_duration(e.outage_s), format_duration(cand.edge.outage_every_s),
                                   format_bytes(e.peak_buffer_bytes), format_bytes(e.buffer_bytes), format_duration(e.drain_s),
                                   e.lost_per_outage));
}

void judge(const Scenario& sc, const Candidate& cand, CandidateResult& r) {
  const DeliveryPlan plan = delivery_plan(sc, cand);
  r.delivery = delivery_name(plan.semantics);
  r.availability = estimate_availability(sc, cand, r);
  place_episodes(r);
  if (plan.transactional) {
    double task_u = 0;
    for (const auto& u : r.utilisation)
      if (u.resource == "processing task") task_u = u.peak;
    const CommitCost cc = commit_cost(cand, plan, task_u);
    r.notes.push_back(cc.note);
    if (cc.blocked_fraction > 0 && task_u / (1 - cc.blocked_fraction) >= 1) {
      r.overload_reason += fmt::format("{}processing task: {:.0f}% busy once Kafka Streams' synchronous commits take {:.1f}% of each thread",
                                       r.overloaded ? "; " : "", 100 * task_u / (1 - cc.blocked_fraction), 100 * cc.blocked_fraction);
      r.overloaded = true;
    }
  }
  r.cost = cand.kind == "lambda" ? lambda_monthly_cost(sc, cand, r)
           : cand.kind == "edge" ? edge_monthly_cost(sc, cand, r)
                                 : kappa_monthly_cost(sc, cand, &r.profile);
  if (cand.team.engineer_hours_month > 0)
    r.cost.push_back({"team", "people", cand.team.engineer_hours_month * cand.team.usd_per_hour,
                      fmt::format("{:.0f} engineer hours/month x {:.0f} USD/h{}", cand.team.engineer_hours_month, cand.team.usd_per_hour,
                                  cand.kind == "lambda" ? " (keeping the batch and speed code paths in step)" : ""),
                      "given in the scenario (team.engineer_hours_month, team.usd_per_hour)"});
  r.cost_usd_month = 0;
  for (const auto& c : r.cost) r.cost_usd_month += c.usd_month;

  const auto& req = sc.requirements;
  if (req.p95_s) r.verdicts.push_back(latency_verdict("p95", r.end_to_end.p95_s, *req.p95_s, r));
  if (req.p99_s) r.verdicts.push_back(latency_verdict("p99", r.end_to_end.p99_s, *req.p99_s, r));
  if (req.budget_usd_month) {
    Verdict v;
    v.requirement = "monthly budget";
    v.target = *req.budget_usd_month;
    v.value = r.cost_usd_month;
    v.unit = "USD/month";
    v.pass = v.value <= v.target;
    v.headroom = v.target > 0 ? (v.target - v.value) / v.target : (v.pass ? 0 : -1);
    v.text = fmt::format("cost {:.0f} USD/month vs budget {:.0f}: {}, {:.0f}% {}", v.value, v.target, v.pass ? "PASS" : "FAIL",
                         std::abs(100 * v.headroom), v.pass ? "headroom" : "over");
    r.verdicts.push_back(v);
  }
  if (req.delivery) r.verdicts.push_back(delivery_verdict(*req.delivery, cand, plan, r));
  if (cand.kind == "edge" && cand.edge.local_decision_target_s) {
    Verdict v = latency_verdict("local decision p99", r.local_decision.p99_s, *cand.edge.local_decision_target_s, r);
    v.requirement = "local decision p99 latency";
    if (r.overloaded && r.local_decision.p99_s.value <= *cand.edge.local_decision_target_s) {  // the gateway path does not go through the core
      v.pass = true;
      v.headroom = (v.target - v.value) / v.target;
      v.text = fmt::format("local decision p99 {} vs target {}: PASS", format_duration(v.value), format_duration(v.target));
    }
    r.verdicts.push_back(v);
  }
  const auto& a = r.availability;
  if (req.availability && a.estimated) r.verdicts.push_back(availability_verdict(*req.availability, a));
  if (req.availability && !a.estimated)
    r.notes.push_back(fmt::format("availability target {:.5g} not judged: the candidate has no failures section", *req.availability));
  if (req.delivery && a.estimated) {
    r.verdicts.push_back(count_verdict("events lost", a.lost_events_month, true, a));
    if (*req.delivery == Delivery::exactly_once) r.verdicts.push_back(count_verdict("events duplicated", a.duplicated_events_month, false, a));
  }
  if (a.estimated) r.notes.push_back("availability: " + a.method);
  r.meets_all = !r.overloaded && std::all_of(r.verdicts.begin(), r.verdicts.end(), [](const Verdict& v) { return v.pass; });
}

void recommend(Result& result) {
  const CandidateResult* best = nullptr;
  for (const auto& c : result.candidates)
    if (c.meets_all && !c.failed() && (!best || c.cost_usd_month < best->cost_usd_month)) best = &c;
  if (!best) {
    result.recommended.clear();
    std::vector<std::string> why;
    for (const auto& c : result.candidates) {
      if (c.failed()) {
        why.push_back(fmt::format("{} was not simulated ({} failed)", c.name, c.error->stage));
        continue;
      }
      std::vector<std::string> failed;
      if (c.overloaded) failed.push_back("overloaded");
      for (const auto& v : c.verdicts)
        if (!v.pass) failed.push_back(v.requirement);
      why.push_back(fmt::format("{} fails {}", c.name, fmt::format("{}", fmt::join(failed, ", "))));
    }
    result.recommendation_reason = "no candidate meets every requirement: " + fmt::format("{}", fmt::join(why, "; "));
    return;
  }
  result.recommended = best->name;
  std::string binding;
  double least = 1e300;
  for (const auto& v : best->verdicts)
    if (v.unit != "" && v.headroom < least) {
      least = v.headroom;
      binding = v.requirement;
    }
  result.recommendation_reason = fmt::format("{} is the cheapest candidate meeting every requirement ({:.0f} USD/month)", best->name, best->cost_usd_month);
  if (!binding.empty()) result.recommendation_reason += fmt::format("; the tightest requirement is {} with {:.0f}% headroom", binding, 100 * least);
}

}  // namespace archsim
