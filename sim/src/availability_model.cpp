// AvailabilityModel implementation: failure episodes (a fluid queue of the
// affected traffic share), their frequencies, and months sampled from them
// for the interval.
#include "archsim/availability_model.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "archsim/delivery_semantics.hpp"
#include "archsim/rng.hpp"
#include "archsim/units.hpp"

namespace archsim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kMonths = 2000;          // sampled months for the interval
constexpr int kSteps = 4000;           // time steps of an episode's fluid queue
constexpr double kHorizon_s = 86400;   // an episode that has not drained a day after the stall never recovers

struct Chunk {
  double created_s;
  double amount;
  bool duplicate;   // replayed output already delivered once
};

}  // namespace

std::vector<std::pair<double, double>> thin_trace(const std::vector<std::pair<double, double>>& trace, size_t points) {
  if (trace.size() <= points || points < 2) return trace;
  std::vector<std::pair<double, double>> out;
  // keep the first and last points; each group in between becomes its peak
  out.push_back(trace.front());
  const size_t inner = trace.size() - 2, groups = points - 2;
  for (size_t g = 0; g < groups; ++g) {
    const size_t from = 1 + g * inner / groups, to = 1 + (g + 1) * inner / groups;
    if (from >= to) continue;
    auto peak = std::max_element(trace.begin() + static_cast<std::ptrdiff_t>(from), trace.begin() + static_cast<std::ptrdiff_t>(to),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    out.push_back(*peak);
  }
  out.push_back(trace.back());
  return out;
}

EpisodeOutcome run_episode(const EpisodeSpec& s, std::vector<std::pair<double, double>>* trace) {
  EpisodeOutcome out;
  if (trace) trace->emplace_back(0.0, s.base_latency_s);
  out.down_s = s.stall_s;
  out.lost = s.lost_at_failure;
  if (s.rate_eps <= 0) return out;
  // an event may wait this long and still be delivered within the target
  const double margin = s.target_s - s.base_latency_s > 0 ? s.target_s - s.base_latency_s : kInf;
  const double degraded_s = std::max(0.0, s.degraded_until_s - s.stall_s);
  const double spare = s.capacity_eps - s.rate_eps;
  const double backlog = s.rate_eps * s.stall_s + s.replay_events;
  const double expected_s = s.stall_s + degraded_s + (spare > 0 ? backlog / spare : kHorizon_s);
  const double dt = std::max(1e-6, std::min(expected_s, s.stall_s + kHorizon_s) / kSteps);

  std::deque<Chunk> queue;
  double held = 0;  // events waiting (not counting replayed duplicates)
  auto expire = [&](double now) {
    while (!queue.empty() && !queue.front().duplicate && queue.front().created_s < now - s.expiry_s) {
      out.lost += queue.front().amount;
      held -= queue.front().amount;
      queue.pop_front();
    }
  };
  // the stall: the affected share's events pile up upstream (or are lost)
  const int stall_steps = s.stall_s > 0 ? std::max(1, static_cast<int>(std::ceil(s.stall_s / dt))) : 0;
  for (int i = 0; i < stall_steps; ++i) {
    const double step = s.stall_s / stall_steps;
    const double t = i * step;
    double amount = s.rate_eps * step;
    const double room = std::max(0.0, s.hold_events - held);
    const bool blocked_in_time = t + step / 2 >= s.stall_s - s.block_s;  // its blocked send() outlasts the stall
    if (amount > room && !blocked_in_time) {
      out.lost += amount - room;
      amount = room;
    }
    if (amount > 0) {
      queue.push_back({t + step / 2, amount, false});
      held += amount;
    }
    expire(t + step);
    if (trace) trace->emplace_back(t + step, s.base_latency_s + (queue.empty() ? 0.0 : t + step - queue.front().created_s));
  }
  // the restart: what was processed since the last commit goes first again
  if (s.replay_events > 0) {
    constexpr int kReplayChunks = 16;
    for (int i = kReplayChunks - 1; i >= 0; --i) {
      const double created = -s.replay_age_s * (i + 0.5) / kReplayChunks;
      queue.push_front({created, s.replay_events / kReplayChunks, s.replay_is_duplicate});
      if (!s.replay_is_duplicate) held += s.replay_events / kReplayChunks;
    }
  }
  // the drain: arrivals continue, the backlog is served first come first served
  double t = s.stall_s;
  const double end = s.stall_s + degraded_s + kHorizon_s;
  for (;;) {
    if (t >= end) {
      out.recovers = false;
      break;
    }
    queue.push_back({t + dt / 2, s.rate_eps * dt, false});
    held += s.rate_eps * dt;
    double capacity = (t < s.degraded_until_s ? s.degraded_capacity_eps : s.capacity_eps) * dt;
    while (capacity > 0 && !queue.empty()) {
      Chunk& c = queue.front();
      const double take = std::min(capacity, c.amount);
      capacity -= take;
      c.amount -= take;
      if (c.duplicate) out.duplicated += take;
      else held -= take;
      if (c.amount <= 1e-12) queue.pop_front();
    }
    t += dt;
    expire(t);
    const Chunk* head = nullptr;
    for (const Chunk& c : queue)
      if (!c.duplicate) {
        head = &c;
        break;
      }
    const bool replaying = !queue.empty() && queue.front().duplicate;
    const bool late = head && t - head->created_s > margin;
    if (late) out.late_s += dt;
    if (trace) trace->emplace_back(t, s.base_latency_s + (head ? std::max(0.0, t - head->created_s) : 0.0));
    // recovered: no replay left, nothing late, and only the current step's arrivals waiting
    if (!replaying && !late && held <= 1.5 * s.rate_eps * dt) break;
  }
  return out;
}

namespace {

/// A Poisson count with the given mean (normal approximation above 50).
uint64_t poisson(Rng& rng, double mean) {
  if (mean <= 0) return 0;
  if (mean > 50) return static_cast<uint64_t>(std::max(0.0, std::round(mean + std::sqrt(mean) * rng.normal())));
  const double limit = std::exp(-mean);
  uint64_t k = 0;
  double p = rng.uniform_pos();
  while (p > limit) {
    ++k;
    p *= rng.uniform_pos();
  }
  return k;
}

/// Draws repair times from a profile: lognormal with its mean and p99, or constant.
class RepairTimes {
 public:
  RepairTimes(const FailureProfile& f, Rng rng) : f_(f), rng_(rng) {
    if (f.mttr_p99_s > f.mttr_mean_s) fit_ = lognormal_from_mean_p99(f.mttr_mean_s, f.mttr_p99_s);
  }
  double next() {
    if (f_.mttr_p99_s <= f_.mttr_mean_s) return f_.mttr_mean_s;
    return std::exp(fit_.mu + fit_.sigma * rng_.normal());
  }

 private:
  FailureProfile f_;
  Rng rng_;
  LognormalFit fit_;
};

/// The draws of one failure type, per episode: share-weighted down and
/// late seconds, loss and duplicates.
struct TypeDraws {
  FailureEpisodeSummary summary;
  std::vector<double> weighted_down_s;
  std::vector<double> weighted_bad_s;   // down + late, share-weighted
  double mean_weighted_down_s = 0;
  double mean_weighted_bad_s = 0;
  bool recovers = true;
  std::vector<EpisodeSpec> specs;       // per draw, for the representative episode's trace
  std::vector<double> bad_s;            // per draw, down + late (unweighted)
};

/// Traces the draw with the median down + late time (the lower middle one
/// for an even count) into the type's summary.
void trace_representative(TypeDraws& d) {
  if (d.specs.empty()) return;
  std::vector<size_t> order(d.specs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return d.bad_s[a] < d.bad_s[b]; });
  std::vector<std::pair<double, double>> trace;
  const EpisodeOutcome o = run_episode(d.specs[order[(order.size() - 1) / 2]], &trace);
  d.summary.trace = thin_trace(trace, 120);
  d.summary.trace_down_s = o.down_s;
  d.summary.trace_late_s = o.late_s;
}

void add_draw(TypeDraws& d, double share, double repair_s, const EpisodeOutcome& o, int n, const EpisodeSpec* spec = nullptr) {
  if (spec) {
    d.specs.push_back(*spec);
    d.bad_s.push_back(o.down_s + o.late_s);
  }
  auto& s = d.summary;
  s.share += share / n;
  s.mean_repair_s += repair_s / n;
  s.down_s += o.down_s / n;
  s.late_s += o.late_s / n;
  s.lost_events += o.lost / n;
  s.duplicated_events += o.duplicated / n;
  d.weighted_down_s.push_back(share * o.down_s);
  d.weighted_bad_s.push_back(share * (o.down_s + o.late_s));
  d.mean_weighted_down_s += share * o.down_s / n;
  d.mean_weighted_bad_s += share * (o.down_s + o.late_s) / n;
  d.recovers = d.recovers && o.recovers;
}

double peak_of(const CandidateResult& r, const std::string& prefix) {
  double u = 0;
  for (const auto& x : r.utilisation)
    if (x.resource.rfind(prefix, 0) == 0) u = std::max(u, x.peak);
  return u;
}

double stage_mean(const CandidateResult& r, const std::string& name, double fallback) {
  for (const auto& st : r.stages)
    if (st.stage == name && st.latency.count > 0) return st.latency.mean_s;
  return fallback;
}

/// Fraction of partitions p (of P) for which `member(p)` holds.
template <class F>
double partition_share(int P, F member) {
  int n = 0;
  for (int p = 0; p < P; ++p) n += member(p) ? 1 : 0;
  return static_cast<double>(n) / P;
}

}  // namespace

AvailabilitySummary estimate_availability(const Scenario& sc, const Candidate& cand, const CandidateResult& r) {
  AvailabilitySummary a;
  const FailureModel& fm = cand.failures;
  const bool edge = cand.kind == "edge";
  const bool wan = edge && r.edge.outages_per_month > 0 && r.edge.outage_s > 0;
  if (!fm.any() && !wan) return a;
  const double rate = r.offered_eps;
  if (rate <= 0) return a;
  a.estimated = true;

  const auto& tech = sc.hardware.catalog.technology;
  const auto& bc = cand.broker;
  const auto& pc = cand.processing;
  const DeliveryPlan plan = delivery_plan(sc, cand);
  const double month_s = sc.hardware.catalog.hours_per_month * 3600.0;
  const double p99 = r.end_to_end.p99_s.value;
  const double target = sc.requirements.p99_s.value_or(kInf);
  const double u_broker = std::max(1e-3, peak_of(r, "broker"));
  const double u_proc = std::max(1e-3, peak_of(r, "processing task"));
  const double u = std::min(0.999, std::max(u_broker, u_proc));
  const int N = std::max(1, fm.episodes);
  const double failover_s = fm.broker_failover_s.value_or(tech.broker_failover_s.value);
  const double delivery_timeout_s = fm.delivery_timeout_s.value_or(tech.producer_delivery_timeout_s.value);
  const double producer_buffer = fm.producer_buffer_bytes.value_or(tech.producer_buffer_bytes.value);
  const double max_block_s = fm.max_block_s.value_or(tech.producer_max_block_s.value);
  // what the sources hold while a partition has no leader: each producer's
  // buffer.memory (expiring at delivery.timeout.ms), or an edge site's
  // store-and-forward buffer (no expiry)
  const double event_wire_bytes = std::max(1.0, (edge && cand.edge.raw_event_bytes > 0 ? cand.edge.raw_event_bytes
                                                                                        : sc.workload.event_size.mean()) *
                                                    cand.producer.compression_ratio);
  const double hold_events = edge ? cand.edge.sites * cand.edge.gateway_buffer_bytes / event_wire_bytes
                                  : sc.workload.sources * producer_buffer / event_wire_bytes;
  const double expiry_s = edge ? kInf : delivery_timeout_s;
  const std::string hold_text =
      edge ? fmt::format("the gateways' store-and-forward buffers ({} each) hold the records", format_bytes(cand.edge.gateway_buffer_bytes))
           : fmt::format("producers hold records in buffer.memory ({}; then send() blocks up to max.block.ms, {}) and drop those older than delivery.timeout.ms ({})",
                         format_bytes(producer_buffer), format_duration(max_block_s), format_duration(delivery_timeout_s));

  EpisodeSpec base;
  base.base_latency_s = p99;
  base.target_s = target;
  base.hold_events = hold_events;
  base.block_s = edge ? 0.0 : max_block_s;  // a full gateway buffer drops
  base.expiry_s = expiry_s;
  std::vector<TypeDraws> types;

  if (fm.brokers.enabled()) {
    TypeDraws d;
    const int B = bc.count, P = bc.partitions, RF = bc.replication_factor;
    d.summary.failure = "broker loss";
    d.summary.per_month = B * month_s / fm.brokers.mtbf_s;
    RepairTimes repairs(fm.brokers, Rng(sc.simulation.seed, "failures/brokers"));
    const double degraded_u = B > 1 ? std::max(u_broker * B / (B - 1.0), u_proc) : u;
    const bool unwritable = RF > 1 && bc.min_insync_replicas > RF - 1 && cand.producer.acks == Acks::all;
    const double replication_s = stage_mean(r, "replication", 2 * sc.hardware.network_latency_s);
    for (int i = 0; i < N; ++i) {
      const int b = i % B;
      const double led = partition_share(P, [&](int p) { return p % B == b; });
      const double replica = partition_share(P, [&](int p) {
        for (int k = 0; k < RF; ++k)
          if ((p + k) % B == b) return true;
        return false;
      });
      const double repair = repairs.next();
      EpisodeSpec s = base;
      double share = 0;
      if (RF > 1) {
        // until the controller fences the broker, the high watermark of every
        // partition with a replica on it stops; then leaders move
        share = replica;
        s.stall_s = unwritable ? std::max(failover_s, repair) : failover_s;
        s.degraded_until_s = repair;
        s.degraded_capacity_eps = rate * share / std::min(0.999, degraded_u);
        if (cand.producer.acks != Acks::all) s.lost_at_failure = rate * led * replication_s;  // acknowledged, not yet on a follower
      } else {
        share = led;  // its partitions have no other replica: down until the broker is back
        s.stall_s = repair;
        if (!bc.fsync_each_batch) s.lost_at_failure = rate * led * tech.page_cache_expire_s.value / 2;  // in the page cache only
      }
      s.rate_eps = rate * share;
      s.capacity_eps = s.rate_eps / u;
      if (s.degraded_capacity_eps <= 0) s.degraded_capacity_eps = s.capacity_eps;
      add_draw(d, share, repair, run_episode(s), N, &s);
    }
    d.summary.description =
        RF > 1 ? fmt::format("replication {}: partitions with a replica on the lost broker stall for the failover ({}; catalog: {}){}, "
                             "then drain on {} brokers at up to {:.0f}% load while it is repaired; {}; {}",
                             RF, format_duration(failover_s), tech.broker_failover_s.provenance.source,
                             unwritable ? fmt::format(", and stay unwritable until the repair since min.insync.replicas {} > {} remaining replicas", bc.min_insync_replicas, RF - 1) : "",
                             B - 1, 100 * std::min(0.999, degraded_u), hold_text,
                             cand.producer.acks == Acks::all ? "acks=all: acknowledged events are on every in-sync replica, none lost"
                                                             : fmt::format("acks={}: the lost leader's unreplicated tail (mean replication lag {}) is lost",
                                                                           cand.producer.acks == Acks::leader ? "1" : "0", format_duration(replication_s)))
               : fmt::format("replication 1: the lost broker's partitions are down until it is repaired; {}; {}", hold_text,
                             bc.fsync_each_batch ? "every batch was fsynced: nothing acknowledged is lost"
                                                 : fmt::format("acknowledged data still only in its page cache is lost (half of {} on average; catalog: {})",
                                                               format_duration(tech.page_cache_expire_s.value), tech.page_cache_expire_s.provenance.source));
    types.push_back(std::move(d));
  }

  if (fm.processing.enabled()) {
    TypeDraws d;
    const int H = pc.instances, T = pc.parallelism, P = bc.partitions;
    d.summary.failure = "processing crash";
    d.summary.per_month = H * month_s / fm.processing.mtbf_s;
    RepairTimes repairs(fm.processing, Rng(sc.simulation.seed, "failures/processing"));
    const bool whole_job = pc.engine == "spark-streaming" || (pc.engine == "flink" && pc.keyed_shuffle);
    const TechnologyDefault& detection_default = pc.engine == "kafka-streams" ? tech.consumer_session_timeout_s
                                                 : pc.engine == "flink"       ? tech.flink_heartbeat_timeout_s
                                                                              : tech.spark_network_timeout_s;
    const double detection_s = fm.failure_detection_s.value_or(detection_default.value);
    Rng since_commit(sc.simulation.seed, "failures/processing/commit-phase");
    for (int i = 0; i < N; ++i) {
      const int h = i % H;
      const double share = whole_job ? 1.0 : partition_share(P, [&](int p) { return (p % T) % H == h; });
      const double repair = repairs.next();
      EpisodeSpec s = base;
      s.rate_eps = rate * share;
      s.stall_s = detection_s + repair;
      s.capacity_eps = s.rate_eps / u;
      s.hold_events = kInf;  // the events wait in Kafka
      s.expiry_s = kInf;
      s.replay_age_s = since_commit.uniform() * plan.commit_interval_s;
      s.replay_events = s.rate_eps * s.replay_age_s;
      s.replay_is_duplicate = !plan.transactional;
      add_draw(d, share, repair, run_episode(s), N, &s);
    }
    d.summary.description = fmt::format(
        "{} the crashed instance's {}: detection {} ({}), restart (the repair time), then replay from the last commit "
        "(every {}, {}): {}",
        whole_job ? "the whole job restarts on losing" : "only the tasks of", whole_job ? "tasks (all-to-all exchange or micro-batch driver)" : "tasks restart",
        format_duration(detection_s), fm.failure_detection_s ? "set by the scenario" : "catalog: " + detection_default.provenance.source,
        format_duration(plan.commit_interval_s), plan.interval_basis,
        plan.transactional ? "exactly-once: the replayed events were not committed, so they are delivered late, not twice"
                           : "at-least-once: outputs written since the last commit are written again (duplicates)");
    types.push_back(std::move(d));
  }

  if (edge && fm.gateways.enabled()) {
    TypeDraws d;
    const int S = cand.edge.sites;
    d.summary.failure = "gateway down";
    d.summary.per_month = S * month_s / fm.gateways.mtbf_s;
    RepairTimes repairs(fm.gateways, Rng(sc.simulation.seed, "failures/gateways"));
    for (int i = 0; i < N; ++i) {
      const double repair = repairs.next();
      EpisodeSpec s = base;
      s.rate_eps = rate / S;
      s.stall_s = repair;
      s.capacity_eps = s.rate_eps / u;
      s.hold_events = 0;  // the devices keep nothing: what the site forwards meanwhile is lost
      add_draw(d, 1.0 / S, repair, run_episode(s), N, &s);
    }
    d.summary.description = "a site's gateway is down until repaired: its devices keep nothing (assumption), so its forwarded records of the outage are lost and its local decisions stop";
    types.push_back(std::move(d));
  }

  if (cand.kind == "lambda" && fm.batch_storage.enabled()) {
    TypeDraws d;
    d.summary.failure = "batch storage outage";
    d.summary.per_month = month_s / fm.batch_storage.mtbf_s;
    RepairTimes repairs(fm.batch_storage, Rng(sc.simulation.seed, "failures/batch-storage"));
    for (int i = 0; i < N; ++i) add_draw(d, 0.0, repairs.next(), EpisodeOutcome{}, N);
    d.summary.description = fmt::format(
        "the batch layer's storage is unavailable: landing and batch runs wait, so batch views are late by about the outage; "
        "the speed layer keeps delivering (no down time) and events wait in Kafka (retention {}), none lost while the outage is shorter",
        format_duration(bc.retention_s));
    types.push_back(std::move(d));
  }

  if (wan) {
    // simulated once on SimGrid (the site model's mean outage): constant per episode
    TypeDraws d;
    const auto& e = r.edge;
    const double margin = target - p99 > 0 ? target - p99 : kInf;
    EpisodeOutcome o;
    o.down_s = e.outage_s;
    // the oldest waiting record's age falls linearly during the drain (fluid FIFO)
    o.late_s = std::isfinite(margin) && e.outage_s > 0 ? e.drain_s * std::max(0.0, e.outage_s - margin) / e.outage_s : 0.0;
    o.lost = e.lost_per_outage;
    d.summary.failure = "WAN outage";
    d.summary.per_month = e.outages_per_month * e.sites;
    add_draw(d, 1.0 / std::max(1, e.sites), e.outage_s, o, 1);
    if (e.outage_s > 0) {
      // the same fluid reading: the oldest record ages through the outage, then its age falls linearly over the drain
      d.summary.trace = {{0.0, p99}, {e.outage_s, p99 + e.outage_s}, {e.outage_s + e.drain_s, p99}};
      d.summary.trace_down_s = o.down_s;
      d.summary.trace_late_s = o.late_s;
    }
    d.summary.description = fmt::format("a site's WAN link is down for {} (SimGrid site model, the mean outage): its records wait in the gateway buffer "
                                        "({} lost per outage) and drain in {} after the link returns",
                                        format_duration(e.outage_s), fmt::format("{:.0f}", e.lost_per_outage), format_duration(e.drain_s));
    types.push_back(std::move(d));
  }

  // monthly totals and the interval over sampled months
  std::vector<std::string> names;
  for (auto& d : types) trace_representative(d);
  for (const auto& d : types) {
    a.down_s_month += d.summary.per_month * d.mean_weighted_down_s;
    a.late_s_month += d.summary.per_month * (d.mean_weighted_bad_s - d.mean_weighted_down_s);
    a.lost_events_month += d.summary.per_month * d.summary.lost_events;
    a.duplicated_events_month += d.summary.per_month * d.summary.duplicated_events;
    a.episodes.push_back(d.summary);
    names.push_back(fmt::format("{} ({:.3g}/month)", d.summary.failure, d.summary.per_month));
  }
  Rng months_rng(sc.simulation.seed, "failures/months");
  std::vector<double> down_months, bad_months;
  for (int m = 0; m < kMonths; ++m) {
    double down = 0, bad = 0;
    for (const auto& d : types) {
      const uint64_t k = poisson(months_rng, d.summary.per_month);
      if (k > 1000) {  // many episodes: their mean
        down += static_cast<double>(k) * d.mean_weighted_down_s;
        bad += static_cast<double>(k) * d.mean_weighted_bad_s;
        continue;
      }
      for (uint64_t j = 0; j < k; ++j) {
        const size_t i = months_rng.below(d.weighted_down_s.size());
        down += d.weighted_down_s[i];
        bad += d.weighted_bad_s[i];
      }
    }
    down_months.push_back(std::min(1.0, down / month_s));
    bad_months.push_back(std::min(1.0, bad / month_s));
  }
  auto interval = [](std::vector<double>& v, double expected) {
    std::sort(v.begin(), v.end());
    const double last = static_cast<double>(v.size() - 1);
    const double worst = v[static_cast<size_t>(std::floor(0.975 * last))];
    const double best = v[static_cast<size_t>(std::ceil(0.025 * last))];
    return Estimate{1 - expected, 1 - worst, 1 - best};
  };
  a.delivering = interval(down_months, std::min(1.0, a.down_s_month / month_s));
  a.within_target = interval(bad_months, std::min(1.0, (a.down_s_month + a.late_s_month) / month_s));
  const bool steady_fails = r.overloaded || p99 > target;
  if (steady_fails) a.within_target = Estimate{0, 0, 0};
  const bool never = std::any_of(types.begin(), types.end(), [](const TypeDraws& d) { return !d.recovers; });

  std::string names_text;
  for (size_t i = 0; i < names.size(); ++i) names_text += (i ? ", " : "") + names[i];
  a.method = fmt::format(
      "failure episodes weighted by frequency, not months of simulated events: {}; each episode drawn {} times over its repair-time "
      "distribution and evaluated as a fluid first-come-first-served queue of the traffic share it stops, fed by this run's steady state "
      "({} ev/s, p99 {}, draining at the busiest resource's spare capacity, utilisation {:.0f}%){}; partial outages count by their "
      "traffic share; 'within target' excludes time while the oldest waiting event is older than the p99 target less the steady p99; "
      "interval: 2.5% to 97.5% of {} sampled months (Poisson episode counts); double failures and replica catch-up load after a repair are not modelled{}{}",
      names_text, N, fmt::format("{:.0f}", rate), format_duration(p99), 100 * u, wan ? "; WAN outages from the SimGrid site model" : "",
      kMonths, steady_fails ? "; the steady state already misses the p99 target, so no time is within target" : "",
      never ? "; WARNING: some episode never drains (no spare capacity), counted as late for a day" : "");
  return a;
}

}  // namespace archsim
