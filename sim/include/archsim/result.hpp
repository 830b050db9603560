// Result: what a simulated (or, later, measured) run of a scenario produced.
// One shape for every architecture and for simulated and measured runs, so
// reporters, the GUI and `check` compare like with like.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace archsim {

/// A point estimate with its 95% confidence interval (lo = hi = value when
/// no interval could be computed, e.g. too few batches).
struct Estimate {
  double value = 0;
  double lo = 0;
  double hi = 0;
};

/// Latency distribution summary, seconds.
struct LatencySummary {
  uint64_t count = 0;
  double mean_s = 0;
  Estimate p50_s, p95_s, p99_s, p999_s;
  double max_s = 0;
  /// CDF points (latency_s, cumulative fraction), ascending, for plots.
  std::vector<std::pair<double, double>> cdf;
};

/// One stage of the end-to-end path (producer, broker, fetch, processing, sink).
struct StageLatency {
  std::string stage;
  std::string description;
  LatencySummary latency;
};

/// Busy fraction of one resource class (e.g. "broker cpu", "broker nic").
struct Utilisation {
  std::string resource;
  double mean = 0;   ///< time-average busy fraction over the measured window
  double peak = 0;   ///< busiest single instance of that class
};

/// One line of the monthly cost.
struct CostLine {
  std::string component;   ///< "brokers", "processing", "broker storage", ...
  std::string category;    ///< "compute" | "storage" | "transfer"
  double usd_month = 0;
  std::string basis;       ///< how it was computed, with the catalog prices used
  /// Where the price came from: the catalog entry's public source, its
  /// as-of date and how sure it is ("AWS EC2 on-demand ..., 2025-07,
  /// verified"); "given in the scenario" when the scenario states the price.
  std::string price_source{};
};

/// Verdict on one requirement.
struct Verdict {
  std::string requirement;  ///< "p99 latency", "p95 latency", "monthly budget", ...
  double target = 0;
  double value = 0;
  std::string unit;         ///< "s", "USD/month", "fraction", ""
  bool pass = false;
  double headroom = 0;      ///< (target - value)/target for upper bounds; negative when failing
  std::string text;         ///< "p99 182 ms vs target 200 ms: PASS, 9% headroom"
};

/// Lambda's batch layer over the simulated runs.
struct BatchLayerSummary {
  uint64_t runs = 0;                    ///< 0 for designs without a batch layer
  double interval_s = 0;
  double mean_run_s = 0;                ///< start -> view published
  double max_run_s = 0;
  double max_start_delay_s = 0;         ///< how late the last runs started (a growing backlog)
  bool keeps_up = true;                 ///< every run finished before the next was due
};

/// An edge design's sites, WAN and outage episode (figures per month are
/// for all sites together).
struct EdgeSummary {
  int sites = 0;                        ///< 0 for designs without an edge
  double wan_bytes_month = 0;           ///< forwarded over the WAN
  double raw_bytes_month = 0;           ///< what shipping every raw event would send
  double wan_saving = 0;                ///< 1 - wan/raw
  double buffer_bytes = 0;              ///< gateway buffer size
  double peak_buffer_bytes = 0;         ///< during the simulated outage
  double outage_s = 0;                  ///< simulated outage (the mean duration)
  double drain_s = 0;                   ///< link back -> backlog delivered
  double outages_per_month = 0;         ///< per site
  double lost_per_outage = 0;           ///< forwarded events dropped (buffer full), per site and outage
  double lost_events_month = 0;         ///< all sites
};

/// One failure type of a candidate, evaluated as a representative episode
/// drawn many times over its repair-time distribution. Per-episode figures
/// are means over the draws.
struct FailureEpisodeSummary {
  std::string failure;             ///< "broker loss", "processing crash", "gateway down", "WAN outage", "batch storage outage"
  double per_month = 0;            ///< episodes per month, all instances together
  double share = 0;                ///< fraction of the traffic an episode stops
  double mean_repair_s = 0;        ///< mean repair (or outage) time of the draws
  double down_s = 0;               ///< the affected share delivers nothing for this long
  double late_s = 0;               ///< then it delivers, above the p99 target, for this long
  double lost_events = 0;          ///< events lost per episode
  double duplicated_events = 0;    ///< events delivered twice per episode
  std::string description;         ///< what happens in the episode
  /// Representative episode (the draw with the median down + late time),
  /// modelled by the fluid queue, not simulated: (seconds since the
  /// failure, age of the affected share's oldest waiting event plus the
  /// steady p99, seconds), ascending in time. Empty when the failure does not
  /// delay the speed path (e.g. batch storage) or for Results before schema 3.
  std::vector<std::pair<double, double>> trace;
  double trace_down_s = 0;         ///< the representative episode: no delivery for this long from its start
  double trace_late_s = 0;         ///< then above the p99 target for this long
  /// Where the representative episode is drawn on the candidate's timeline
  /// (seconds since the measured window's start): an illustrative placement.
  double timeline_at_s = 0;
};

/// Availability, loss and duplicates over a month, from failure episodes
/// weighted by their frequency (not from months of simulated events).
struct AvailabilitySummary {
  bool estimated = false;          ///< false: the candidate has no failure model
  Estimate delivering;             ///< fraction of time delivering at all (partial outages weighted by their traffic share); lo/hi: 95% of months
  Estimate within_target;          ///< fraction of time delivering within the p99 latency target
  double down_s_month = 0;         ///< traffic-weighted seconds per month not delivering
  double late_s_month = 0;         ///< traffic-weighted seconds per month delivering above the p99 target
  double lost_events_month = 0;
  double duplicated_events_month = 0;
  std::string method;              ///< how the figures were estimated
  std::vector<FailureEpisodeSummary> episodes;
};

/// One window of the latency-over-time series.
struct TimelinePoint {
  double t_s = 0;            ///< window start (seconds; the clock is the timeline's, see LatencyTimeline)
  uint64_t count = 0;        ///< events of the window (delivered in it; measured: intended to be sent in it)
  double p50_s = 0;          ///< end-to-end latency of those events (log buckets, within about 3%)
  double p99_s = 0;
  double max_s = 0;          ///< exact
  double delivered_eps = 0;  ///< count / window width
};

/// End-to-end latency over time in fixed windows (at most a few hundred, so
/// memory does not grow with the duration). Simulated: by delivery time, t_s
/// in seconds since the measured window's start. Measured (`archsim check`,
/// schema 4): 1 s windows by intended send time, t_s in seconds since the
/// run's first intended send, the clock of `faults`.
struct LatencyTimeline {
  std::string source;        ///< "simulated" | "measured"; "" when the Result has no series
  std::string basis;         ///< what the series covers (e.g. "failure-free run")
  double window_s = 0;       ///< width of each window
  std::vector<TimelinePoint> points;
};

/// A fault injected during a measured run. Times are seconds since the
/// run's first intended send: the clock of a measured candidate's `timeline`,
/// so a report can draw the fault next to the latency it caused.
struct FaultEvent {
  std::string fault;        ///< "broker down" | "all brokers down" | "request errors" | "consumer restart"
  std::string target;       ///< "broker 2", "all brokers", "Produce and Fetch on every broker", "processor consumer 1"
  double start_s = 0;       ///< when it was applied
  double end_s = 0;         ///< when it was lifted; start_s for an instantaneous fault (a restart)
  bool lifted = true;       ///< false: still in force when the run ended (end_s is the run's end)
  std::string detail;       ///< what was observed, e.g. "52 of 5,113 Produce requests failed"
};

/// What a measured run delivered, counted by sequence number over the
/// whole run (warm-up included). sent = acked + failed + unknown.
struct MeasuredDelivery {
  uint64_t sent = 0;          ///< events handed to the producer
  uint64_t acked = 0;         ///< acknowledged by the broker (delivery report without error)
  uint64_t failed = 0;        ///< delivery report with an error (e.g. message timed out)
  uint64_t unknown = 0;       ///< no delivery report when the run stopped
  uint64_t received = 0;      ///< distinct sequence numbers at the sink
  uint64_t lost = 0;          ///< sent but never received
  uint64_t duplicated = 0;    ///< extra copies of a sequence number at the sink
  uint64_t redelivered = 0;   ///< copies explained by consumer restarts (at-least-once re-reads)
  /// Copies the broker appended twice when a producer retried a request
  /// whose answer was lost with its connection (records on the topics
  /// beyond those acknowledged and forwarded; a broker that deduplicates
  /// idempotent producers appends none).
  uint64_t appended_twice = 0;
  std::string explanation;    ///< why there are losses or duplicates, when there are
};

/// Why a candidate has no figures: its simulation (or measurement) failed and
/// the run went on with the other candidates (schema 4).
struct CandidateError {
  std::string stage;    ///< what failed: "simulation", "batch layer simulation", "edge site simulation", "measurement"
  std::string message;  ///< the reason, e.g. "peak memory 412 MiB above the --max-memory bound of 100 MiB"
};

/// Figures of the technology profiles that have them (absent from the JSON
/// Result when `present` is false: Kafka brokers with JVM engines).
struct ProfileSummary {
  bool present = false;
  // broker kind "kinesis"
  double throttled_fraction = 0;      ///< PutRecords requests (in the window) that found their shard's write limit used up and waited
  // engine "serverless"
  double invocations_per_s = 0;       ///< function invocations per second of the measured window
  double billed_gb_s_per_s = 0;       ///< billed GB-seconds per second (duration, init included, x memory)
  double cold_start_fraction = 0;     ///< of the invocations
  double events_per_invocation = 0;
  double mean_concurrency = 0;        ///< billed environment-seconds per second of the window (environments busy on average; above the limit only when a backlog runs on after the window)
  // flink checkpoint_alignment
  uint64_t checkpoints = 0;           ///< aligned checkpoints in the measured window
  double alignment_stall_mean_s = 0;  ///< spread between the first and last barrier at the keyed operator, mean over checkpoints
  double alignment_stall_max_s = 0;
};

struct CandidateResult {
  std::string name;
  std::string kind;                     ///< "kappa"
  std::string source = "simulated";     ///< "simulated" | "measured"
  LatencySummary end_to_end;
  LatencyTimeline timeline;             ///< end-to-end latency over time (schema 3; empty in older Results)
  std::vector<StageLatency> stages;
  LatencySummary produce_ack;           ///< event created (the application's send) -> producer acknowledgement (per acks), accumulator wait included; not part of end_to_end
  LatencySummary accuracy_latency;      ///< lambda: creation -> included in a published batch view (count 0 otherwise)
  BatchLayerSummary batch_layer;
  LatencySummary local_decision;        ///< edge: device event -> gateway's local decision (count 0 otherwise)
  EdgeSummary edge;
  std::string delivery;                 ///< semantics the candidate runs with: "at-least-once" | "exactly-once"
  AvailabilitySummary availability;
  double offered_eps = 0;               ///< mean offered rate over the measured window
  double achieved_eps = 0;              ///< events delivered to the sink per second
  double max_consumer_lag_events = 0;
  std::vector<Utilisation> utilisation;
  ProfileSummary profile;               ///< broker-kind / engine figures (Kinesis, serverless, checkpoint alignment)
  std::vector<CostLine> cost;
  double cost_usd_month = 0;
  bool overloaded = false;
  std::string overload_reason;          ///< which resource and by how much
  std::vector<Verdict> verdicts;
  bool meets_all = false;
  // precision of the run
  double simulated_s = 0;               ///< measured window, after warm-up
  double warmup_s = 0;
  bool stopped_early = false;           ///< stopped on the p99 confidence target
  std::vector<std::string> notes;       ///< modelling notes and approximations
  // measured runs only (empty or zero for simulated ones)
  std::vector<FaultEvent> faults;               ///< the fault timeline
  MeasuredDelivery measured_delivery;           ///< by sequence number
  /// Set when the candidate failed to simulate: then it has no figures (every
  /// number is zero, no verdicts, meets_all false) and is never recommended.
  std::optional<CandidateError> error;
  bool failed() const { return error.has_value(); }
};

struct Result {
  int schema_version = 4;
  std::string archsim_version;
  std::string scenario_name;
  std::string scenario_file;
  uint64_t seed = 0;
  std::string mode;                     ///< "batched" | "exact"
  std::vector<CandidateResult> candidates;
  std::string recommended;              ///< cheapest candidate meeting all requirements; "" if none
  std::string recommendation_reason;
};

}  // namespace archsim
