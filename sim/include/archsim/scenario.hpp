// Scenario: the typed form of a scenario JSON file. Parsed once at the edge
// (scenario_loader); models never see JSON or unit strings. Times are
// seconds, sizes bytes, rates per second, money USD.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archsim/catalog.hpp"
#include "archsim/failure_model.hpp"
#include "archsim/pause_schedule.hpp"

namespace archsim {

/// A timed burst: the rate is multiplied by `factor` during [start_s, start_s+duration_s).
struct Burst {
  double start_s = 0;
  double duration_s = 0;
  double factor = 1;
};

enum class RatePatternKind { constant, diurnal };

/// How the event rate varies around its mean.
/// diurnal: rate(t) = mean * (1 + (peak_factor-1) * cos(2*pi*(t - peak_at_s)/period_s)),
/// peak_factor in [1, 2]; bursts multiply on top.
struct RatePattern {
  RatePatternKind kind = RatePatternKind::constant;
  double peak_factor = 1;
  double period_s = 86400;
  double peak_at_s = 0;
  std::vector<Burst> bursts;
};

enum class SizeDistKind { constant, uniform, lognormal };

/// Event (payload) size distribution, bytes.
struct SizeDist {
  SizeDistKind kind = SizeDistKind::constant;
  double bytes = 1000;      ///< constant
  double min_bytes = 0;     ///< uniform
  double max_bytes = 0;     ///< uniform
  double mean_bytes = 0;    ///< lognormal
  double p99_bytes = 0;     ///< lognormal
  /// Mean of the distribution, bytes.
  double mean() const;
};

struct Workload {
  double rate_eps = 1000;        ///< mean events per second, all sources together
  RatePattern pattern;
  SizeDist event_size;
  int sources = 1;               ///< producing clients (devices, services)
  int64_t key_cardinality = 1000000;
  double key_skew = 0;           ///< Zipf exponent; 0 = uniform keys
};

enum class Delivery { at_least_once, exactly_once };

/// Targets; absent ones are not judged.
struct Requirements {
  std::optional<double> p95_s;
  std::optional<double> p99_s;
  std::optional<double> availability;   ///< fraction, e.g. 0.999
  std::optional<Delivery> delivery;
  std::optional<double> budget_usd_month;
};

/// Shared hardware facts of the deployment.
struct Hardware {
  Catalog catalog;                      ///< resolved catalog
  double network_latency_s = 100e-6;    ///< one-way latency between two hosts
  bool multi_az = true;                 ///< brokers spread over 3 zones: replication is billed cross-AZ
  InstanceType client_instance;         ///< where producers run (not billed: the team's own services)
};

enum class Acks { none, leader, all };  ///< acks=0 | 1 | all

/// Kinesis-like shard service (broker kind "kinesis"): the stream's shards
/// are BrokerConfig::partitions; limits and prices come from the catalog.
struct KinesisConfig {
  double polling_interval_s = 1;        ///< a polling consumer calls GetRecords on each shard this often
  bool enhanced_fan_out = false;        ///< push (SubscribeToShard) with its own 2 MB/s per shard instead of polling
  int consumer_applications = 1;        ///< polling applications sharing each shard's read limits (this one included)
};

struct BrokerConfig {
  std::string kind = "kafka";           ///< technology profile: "kafka" | "managed-kafka" | "kinesis" | "pubsub"
  int count = 3;
  InstanceType instance;
  int partitions = 12;
  int replication_factor = 3;
  int min_insync_replicas = 2;
  int io_threads = 8;                   ///< num.io.threads: request handler threads per broker
  bool shared_request_handler = false;  ///< not read from scenarios: every broker's requests go through one handler station (the local twin's embedded cluster, one I/O thread for all its brokers)
  double cpu_per_request_s = 50e-6;     ///< broker CPU per produce/fetch request, seconds of one core
  double cpu_per_byte_s = 1e-9;         ///< broker CPU per byte appended, seconds of one core
  bool fsync_each_batch = false;        ///< flush.messages=1; Kafka's default relies on the page cache
  double retention_s = 7 * 86400.0;
  double volume_gb = 0;                 ///< 0: sized from throughput x retention x replication
  PauseModel gc;                        ///< JVM pauses of each broker process
  KinesisConfig kinesis;                ///< kind "kinesis" only
  /// A managed service with no brokers to size ("kinesis", "pubsub").
  bool is_service() const { return kind == "kinesis" || kind == "pubsub"; }
};

/// How a producer client builds produce requests (both limit requests in
/// flight per connection to max_in_flight).
enum class ProducerClient {
  java,        ///< one request drains the open batch of every partition the leader leads (RecordAccumulator.drain)
  librdkafka,  ///< one request carries one partition's batch (librdkafka 2.x)
};

struct ProducerConfig {
  Acks acks = Acks::all;
  ProducerClient client = ProducerClient::java;
  /// enable.idempotence (acks=all only). With the librdkafka client it also
  /// gates each partition: a new request only while fewer than 5 of the
  /// partition's messages are unacknowledged (librdkafka 2.0's rule, which in
  /// practice allows one request per partition in flight).
  bool idempotent = false;
  double linger_s = 5e-3;
  double batch_size_bytes = 1e6;
  double compression_ratio = 1;         ///< compressed/raw, in (0, 1]
  int max_in_flight = 5;                ///< unacknowledged requests per connection (producer x leader); acks=0 is not limited
};

struct ConsumerConfig {
  double fetch_wait_max_s = 0.5;
  double fetch_min_bytes = 1;
  double fetch_max_bytes = 52428800;
  int max_poll_records = 500;           ///< records a task takes per processing cycle (max.poll.records)
  /// The broker answers a fetch that finds no data only at fetch.wait.max.ms,
  /// with no data: what joins the log meanwhile comes with the next fetch.
  /// librdkafka's mock cluster does so (the local twin sets it); a Kafka
  /// broker answers as soon as fetch.min.bytes are there. Not a scenario key.
  bool hold_empty_fetch = false;
  /// A fetch takes at most one batch (one produce request's) per partition:
  /// librdkafka's mock cluster answers so; the rest comes with later
  /// fetches. Not a scenario key.
  bool one_batch_per_partition = false;
};

/// Serverless functions (processing engine "serverless"): an event source
/// mapping's pollers (the tasks) invoke a function with up to `batch_size`
/// events; at most `concurrency` invocations run at once, the others queue.
struct ServerlessConfig {
  int concurrency = 100;                ///< reserved concurrency: invocations running at once
  int batch_size = 100;                 ///< events per invocation at most (event source mapping BatchSize)
  double memory_mb = 1024;              ///< function memory; CPU share is memory / the catalog's MB per vCPU (at most 1)
  std::optional<double> invoke_overhead_s;      ///< per invocation; absent: the catalog's
  std::optional<double> cold_start_probability; ///< a warm invocation still starts cold (environment recycled); absent: the catalog's
  std::optional<double> idle_timeout_s;         ///< an environment idle this long is reclaimed; absent: the catalog's
  std::optional<double> cold_start_median_s;    ///< cold start (init) duration, lognormal; absent: the catalog's
  std::optional<double> cold_start_p99_s;
};

struct ProcessingConfig {
  std::string engine = "flink";         ///< "flink" | "kafka-streams" (continuous operators) | "spark-streaming" (micro-batches) | "serverless"
  double trigger_interval_s = 1;        ///< spark-streaming: a micro-batch starts every trigger interval (or when the previous ends)
  double batch_overhead_s = 0.05;       ///< spark-streaming: scheduling overhead per micro-batch
  int parallelism = 4;
  InstanceType instance;
  int instances = 1;                    ///< hosts the tasks are spread over (round robin)
  double cpu_per_event_s = 10e-6;       ///< seconds of one core per event
  double cpu_cv = 0;                    ///< coefficient of variation of the per-event cost (0: deterministic, 1: exponential)
  bool keyed_shuffle = false;           ///< repartition by key to a second operator
  std::optional<double> window_s;       ///< tumbling window: results leave at the window's end
  PauseModel gc;                        ///< JVM pauses of each task's process
  /// Delivery semantics the job runs with; absent: the requirement's, else
  /// at-least-once (see delivery_semantics.hpp).
  std::optional<Delivery> delivery;
  /// Commit interval (Kafka Streams commit.interval.ms, Flink checkpoint
  /// interval); absent: the catalog's default for the engine and semantics.
  std::optional<double> commit_interval_s;
  /// flink: aligned checkpoints (every commit interval) stall the keyed
  /// operator's inputs until every upstream task's barrier arrived.
  bool checkpoint_alignment = false;
  ServerlessConfig serverless;          ///< engine "serverless" only
};

struct SinkConfig {
  std::string kind = "database";
  double write_latency_s = 2e-3;        ///< per write (one write per output batch)
  int concurrency = 4;                  ///< parallel writes
  /// When set, successive writes take these latencies in turn instead of
  /// write_latency_s (the local twin: an output producer's accumulator wait
  /// by a burst's place in its batch). Not a scenario key.
  std::vector<double> write_latency_cycle_s;
};

/// Lambda's batch layer: events land in durable storage; a job runs every
/// `interval_s` on a cluster, reads what it must, computes and publishes a
/// batch view.
struct BatchLayerConfig {
  double interval_s = 3600;              ///< a run is scheduled every interval
  bool full_history = false;             ///< each run recomputes the retained history (else only the new data)
  double history_s = 30 * 86400.0;       ///< retained history (read by full recomputes; billed as storage)
  int instances = 4;                     ///< batch cluster size
  InstanceType instance;                 ///< default r5.xlarge
  double read_bps_per_instance = 200e6;  ///< storage read rate one instance sustains, bytes/s
  double cpu_per_event_s = 20e-6;        ///< batch computation per event, seconds of one core
  double startup_s = 120;                ///< scheduling and cluster start per run
  double publish_s = 30;                 ///< swapping in the new batch view
  double landing_delay_s = 60;           ///< events reach storage this long after creation (connector flush)
  bool transient_cluster = true;         ///< billed only while a run is going on
  int runs = 12;                         ///< runs simulated
};

/// The serving layer that merges the speed and batch views.
struct ServingConfig {
  double query_latency_s = 5e-3;
};

/// Edge: the workload is spread over `sites` identical sites; each has a
/// gateway that decides locally, filters and aggregates, and forwards over
/// its WAN link to the core Kappa cluster (the candidate's broker, producer,
/// consumer, processing and sink).
struct EdgeConfig {
  int sites = 100;
  double device_latency_s = 5e-3;       ///< device -> gateway (local network)
  /// Each event's device latency adds a draw from U(0, w) for each w (the
  /// local twin: the edge hop's accumulator and held-fetch waits). Not a
  /// scenario key.
  std::vector<double> device_latency_uniform_s;
  int gateway_vcpu = 4;
  double gateway_cpu_per_event_s = 200e-6;  ///< local decision CPU per event
  double gateway_buffer_bytes = 1e9;    ///< store-and-forward buffer for WAN outages
  double gateway_capex_usd = 80;        ///< per gateway (proxy: a Raspberry Pi 5 class node)
  double gateway_amortisation_months = 36;
  double gateway_usd_month = 0.16;      ///< running cost per gateway (device management service)
  double forward_ratio = 0.1;           ///< fraction of events the filter forwards (before aggregation)
  double aggregation_window_s = 0;      ///< 0: forward each kept event; else one record per key group per window
  double aggregation_ratio = 1;         ///< records out per kept event when aggregating (0, 1]
  double wan_bps = 1.25e6;              ///< WAN bandwidth per site, bytes/s
  double wan_latency_s = 40e-3;         ///< one way
  double wan_jitter_s = 5e-3;           ///< standard deviation of extra one-way delay
  double wan_usd_per_gb = 0;            ///< carrier price of WAN traffic
  double outage_every_s = 7 * 86400.0;  ///< mean time between WAN outages per site
  double outage_duration_s = 1800;      ///< mean outage duration
  double raw_event_bytes = 0;           ///< 0: the workload's event size
  std::optional<double> local_decision_target_s;  ///< p99 target of the local decision path
};

/// People cost of a design: keeping two code paths in step (Lambda).
struct TeamCost {
  double engineer_hours_month = 0;
  double usd_per_hour = 100;
};

/// One candidate design: kind "kappa" (broker, producer, consumer,
/// processing, sink) or "lambda" (those as its speed layer, plus batch,
/// serving and team).
struct Candidate {
  std::string name;
  std::string kind = "kappa";
  BrokerConfig broker;
  ProducerConfig producer;
  ConsumerConfig consumer;
  ProcessingConfig processing;
  SinkConfig sink;
  BatchLayerConfig batch;   ///< lambda only
  EdgeConfig edge;          ///< edge only
  ServingConfig serving;    ///< lambda only
  TeamCost team;
  FailureModel failures;    ///< none given: availability is not estimated
  /// Uses a technology profile the exact mode does not simulate (a managed
  /// service broker, serverless functions, checkpoint alignment).
  bool batched_only() const {
    return broker.is_service() || processing.engine == "serverless" || processing.checkpoint_alignment;
  }
};

enum class SimMode { batched, exact };

struct SimulationConfig {
  double duration_s = 60;           ///< simulated time after warm-up, at most
  double warmup_s = 5;              ///< discarded from every statistic
  double start_at_s = 0;            ///< time of the rate pattern (e.g. of day) at which the run starts
  uint64_t seed = 1;
  double p99_ci_rel_width = 0;      ///< stop early when the 95% CI of p99 is this narrow (relative half-width); 0: run the full duration
  int batches = 20;                 ///< batch-means batches for confidence intervals
  double histogram_relative_error = 0.01;  ///< bound on every reported quantile's relative error
  SimMode mode = SimMode::batched;
};

struct Scenario {
  std::string name;
  std::string description;
  Workload workload;
  Requirements requirements;
  Hardware hardware;
  std::vector<Candidate> candidates;
  SimulationConfig simulation;
};

}  // namespace archsim
