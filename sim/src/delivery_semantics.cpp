// DeliveryPlan implementation.
#include "archsim/delivery_semantics.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "archsim/units.hpp"

namespace archsim {

std::string delivery_name(Delivery d) { return d == Delivery::exactly_once ? "exactly-once" : "at-least-once"; }

DeliveryPlan delivery_plan(const Scenario& sc, const Candidate& cand) {
  const auto& pc = cand.processing;
  const auto& tech = sc.hardware.catalog.technology;
  DeliveryPlan plan;
  if (pc.delivery) {
    plan.semantics = *pc.delivery;
    plan.semantics_basis = "set by the candidate";
  } else if (sc.requirements.delivery) {
    plan.semantics = *sc.requirements.delivery;
    plan.semantics_basis = "the requirement's; the candidate sets none";
  } else {
    plan.semantics = Delivery::at_least_once;
    plan.semantics_basis = "default; neither the candidate nor the requirements set one";
  }
  const bool eos = plan.semantics == Delivery::exactly_once;
  auto from_catalog = [](const TechnologyDefault& d, const std::string& what) {
    return fmt::format("{}, the catalog's default: {}; {}, {}", what, d.provenance.source, d.provenance.date, d.provenance.flag);
  };
  if (pc.engine == "spark-streaming") {
    // a micro-batch commits its offsets (and its output) when it ends
    plan.commit_interval_s = pc.trigger_interval_s;
    plan.interval_basis = "one micro-batch: the trigger interval";
    plan.shared_commit = true;
    plan.supported = !eos;
  } else if (pc.commit_interval_s) {
    plan.commit_interval_s = *pc.commit_interval_s;
    plan.interval_basis = "set by the candidate";
    plan.shared_commit = pc.engine == "flink";
  } else if (pc.engine == "kafka-streams") {
    const auto& d = eos ? tech.kafka_streams_eos_commit_interval_s : tech.kafka_streams_commit_interval_s;
    plan.commit_interval_s = d.value;
    plan.interval_basis = from_catalog(d, "commit.interval.ms");
  } else {
    plan.commit_interval_s = tech.flink_checkpoint_interval_s.value;
    plan.interval_basis = from_catalog(tech.flink_checkpoint_interval_s, "checkpoint interval");
    plan.shared_commit = true;
  }
  plan.transactional = eos && plan.supported;
  if (plan.transactional) {
    // EndTxn to the coordinator and back (2 L), the PREPARE_COMMIT record
    // appended and replicated (one request of CPU, a follower fetch round
    // trip 2 L), then the markers written to the output and offsets
    // partitions' leaders (2 L) and replicated (2 L): 8 one-way latencies
    // and two requests of broker CPU (plus two fsyncs when every batch is flushed).
    const double L = sc.hardware.network_latency_s;
    const auto& bc = cand.broker;
    plan.commit_s = 8 * L + 2 * bc.cpu_per_request_s + (bc.fsync_each_batch ? 2 * bc.instance.fsync_s : 0.0);
  }
  return plan;
}

CommitCost commit_cost(const Candidate& cand, const DeliveryPlan& plan, double task_utilisation) {
  CommitCost cost;
  if (!plan.transactional) return cost;
  const auto& bc = cand.broker;
  const int T = cand.processing.parallelism;
  cost.commits_per_s = T / plan.commit_interval_s;
  // per task and commit: AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn, and a marker on
  // each output partition it wrote (about its share of the partitions) and on its offsets partition;
  // the markers and the transaction log records are replicated to every follower
  const double partitions_per_task = std::max(1.0, std::ceil(static_cast<double>(bc.partitions) / T));
  const double requests = 4 + (partitions_per_task + 1) * bc.replication_factor;
  cost.broker_requests_per_s = cost.commits_per_s * requests;
  cost.broker_cpu_fraction = cost.broker_requests_per_s * bc.cpu_per_request_s / (bc.count * bc.instance.vcpu);
  if (cand.processing.engine == "kafka-streams") cost.blocked_fraction = plan.commit_s / plan.commit_interval_s;
  cost.note = fmt::format("exactly-once throughput cost: {:.0f} transactional commits/s add about {:.0f} broker requests/s ({:.2f}% of the brokers' cores)",
                          cost.commits_per_s, cost.broker_requests_per_s, 100 * cost.broker_cpu_fraction);
  if (cost.blocked_fraction > 0)
    cost.note += fmt::format("; each Kafka Streams thread is blocked {:.2f}% of the time committing, so the busiest task's load rises from {:.1f}% to {:.1f}% "
                             "(checked for overload; the simulated queueing leaves it out)",
                             100 * cost.blocked_fraction, 100 * task_utilisation, 100 * task_utilisation / (1 - cost.blocked_fraction));
  else
    cost.note += "; Flink commits after each checkpoint, off the processing path";
  return cost;
}

}  // namespace archsim
