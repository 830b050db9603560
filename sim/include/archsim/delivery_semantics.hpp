// DeliveryPlan: what a candidate's processing job guarantees (at-least-once
// or exactly-once) and how it commits: the commit interval (Kafka Streams
// commit.interval.ms, Flink checkpoint interval, a Spark micro-batch), what
// one transactional commit costs, and where each figure comes from. Shared
// by the Kappa model (read_committed visibility), the availability model
// (replay after a crash) and the verdicts.
#pragma once

#include <string>

#include "archsim/scenario.hpp"

namespace archsim {

struct DeliveryPlan {
  Delivery semantics = Delivery::at_least_once;
  std::string semantics_basis;      ///< "set by the candidate", "the requirement's", "default"
  double commit_interval_s = 1;     ///< offsets (and, under exactly-once, transactions) are committed this often
  std::string interval_basis;       ///< where the interval comes from
  bool transactional = false;       ///< exactly-once: outputs become visible to read_committed readers at the commit
  bool shared_commit = false;       ///< one commit instant for every task (Flink's coordinated checkpoints)
  double commit_s = 0;              ///< one transactional commit: EndTxn, transaction-log append, markers (derived from the hardware)
  bool supported = true;            ///< false: the engine cannot give exactly-once end to end (Spark's Kafka sink is at-least-once)
};

/// The plan of `candidate` in `scenario` (catalog defaults for what the
/// scenario leaves out).
DeliveryPlan delivery_plan(const Scenario& scenario, const Candidate& candidate);

/// What exactly-once's transactional commits take from throughput.
struct CommitCost {
  double commits_per_s = 0;          ///< transactions committed per second, all tasks
  double broker_requests_per_s = 0;  ///< AddPartitions, offsets, EndTxn and marker writes (replicated), all brokers
  double broker_cpu_fraction = 0;    ///< of the brokers' cores
  double blocked_fraction = 0;       ///< of each stream thread's time spent committing (Kafka Streams commits synchronously)
  std::string note;                  ///< the cost in words
};

/// The throughput cost of the plan's commits (zero unless transactional);
/// `task_utilisation` is the busiest task's busy fraction without it.
CommitCost commit_cost(const Candidate& candidate, const DeliveryPlan& plan, double task_utilisation);

/// "at-least-once" | "exactly-once".
std::string delivery_name(Delivery d);

}  // namespace archsim
