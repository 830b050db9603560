// KappaModel implementation: platform, actors and measurement of the Kappa
// pipeline. The actors and what they stand for:
//   producer/i     a client's producer: per-partition batches closed at
//                  linger.ms or batch.size; when one batch for a leader is
//                  ready, one ProduceRequest drains every open batch of that
//                  leader (the Java client's RecordAccumulator.drain)
//   broker/b       broker b's network receiver; request handling (num.io.threads
//                  on the broker's cores: CPU per request and per byte, append,
//                  fsync when asked) is a FIFO multi-server station
//   flusher/b      broker b's page-cache writeback (disk bandwidth), every 1 s
//   replica/f<-b   follower f's replica fetcher from leader b: moves every
//                  appended batch, appends it (follower CPU), and confirms on
//                  its next fetch, one network latency later
//   task/t         a processing task: fetch loop (fetch.wait.max.ms,
//                  fetch.min.bytes), operator CPU per event, keyed shuffle,
//                  tumbling window, synchronous sink write (exact mode)
//   pipeline       batched mode: every producer, broker request handler,
//                  replica fetcher and task fetch loop above, computed
//                  analytically (see below), woken every few milliseconds
//   controller     warm-up, early stop on the p99 interval, drain
// In exact mode SimGrid moves every network transfer (one per event) and
// disk write and runs every event's CPU. CPU stations are exact FIFO
// recursions (validated against M/M/c), so one step serves a whole request
// or fetched batch.
//
// Batched mode: the message-level cycles of the real system (one produce
// request per leader per linger, one replica fetch per append burst, one
// consumer fetch per visible batch) are kept one for one, but computed
// analytically by one "pipeline" actor instead of costing simulator steps.
// Causality makes this exact: a broker appends a request when it arrives
// (after it was sent), a replica fetch taking data at virtual time tau needs
// every batch appended at or before tau, a consumer fetch taking data at tau
// needs every batch made visible at or before tau, and every such batch was
// produced by a cycle that took place earlier. The pipeline actor wakes
// every kPipelineTick_s at time H and runs every cycle (producer sends,
// replica fetches, consumer fetches) whose time is before H, all in one
// time order (producers first, then replicas, then tasks at equal times); a
// cycle at or after H waits for the next wake-up. The controller also runs
// the pipeline up to its own clock before each early-stop check and drain
// step, so the wake-up period changes no figure of the Result except the
// sampled maximum lag.
// The cycles follow the exact mode's actors step for step (linger.ms,
// batch.size, request CPU, follower CPU and confirmation one latency later,
// fetch.wait.max.ms, fetch.min.bytes, limits, prefetch, micro-batch
// triggers).
// Two SimGrid scheduling effects of the exact mode are kept on purpose: a
// replica fetcher or a consumer that is waiting when a request's batches are
// appended is answered by the first of them (the notification runs it
// before the appender goes on); the other batches go with its next fetch.
// Network model (deliberate): in batched mode every produce request, replica
// fetch response and consumer fetch response goes through NicSchedule: each
// NIC sends its messages first come first served, each receiving port
// delivers them first come first served (an output-queued, non-blocking
// fabric), latency + bytes / bandwidth; a message alone takes what SimGrid's
// CM02 model gives. SimGrid's max-min sharing (the exact mode's, and the one
// this mode used before) interleaves concurrent messages instead: same
// makespan, but a small message behind a large one finishes earlier and the
// large one later. The per-message FIFO is what a NIC queue does with whole
// messages; it cannot see sharing at packet level. At the shipped loads
// (NICs at a third to a half of capacity) it moves tail latency by about
// 2%; tests/validation/batched_vs_exact_test.cpp bounds the difference
// against the exact mode. The keyed shuffle's transfers take their
// uncontended time (latency + bytes / bandwidth); disk writeback (flusher)
// stays a SimGrid disk write.
// Other approximation of the batched mode: the maximum consumer lag is
// sampled when a fetch takes data and at each wake-up (the exact mode
// samples at every append and fetch).
#include "archsim/kappa_model.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <queue>

#include "archsim/batching_writer.hpp"
#include "archsim/delivery_semantics.hpp"
#include "archsim/nic_schedule.hpp"
#include "archsim/function_pool.hpp"
#include "archsim/operator_stage.hpp"
#include "archsim/rng.hpp"
#include "archsim/units.hpp"
#include "archsim/workload_generator.hpp"

namespace sg4 = simgrid::s4u;

namespace archsim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kMaxProducerActors = 64;

// Stage indices in RunMetrics::stages.
enum Stage { kProducer, kBrokerAppend, kReplication, kFetch, kProcessing, kWindow, kSink, kCommit, kStageCount };

// One produce request in flight on a producer's connection to a leader: it
// is acknowledged when the last of its batches is (the request's done time
// is unknown, infinity, until then).
struct InFlight {
  int pending = 0;                   // batches not acknowledged yet
  int listed = 0;                    // Connections' lists that hold it (recycled at 0 once done)
  uint64_t messages = 0;             // events it carries
  double last_ack_s = 0;             // latest acknowledgement of its batches so far
  double done_s = std::numeric_limits<double>::infinity();
};

// A producer's requests in flight: per leader (one connection each) for
// max.in.flight.requests.per.connection, and per partition for librdkafka's
// idempotent producer (a new request only while fewer than 5 of the
// partition's messages are unacknowledged: librdkafka 2.0's
// rd_kafka_toppar_producer_serve compares its per-partition count of
// messages in flight with RD_KAFKA_IDEMP_MAX_INFLIGHT).
class Connections {
 public:
  static constexpr uint64_t kIdempotentMaxInFlight = 5;

  Connections(int leaders, int partitions, int max_in_flight, bool partition_gate, double latency_s)
      : max_(static_cast<uint64_t>(std::max(1, max_in_flight))), poll_s_(std::max(latency_s, 1e-6)),
        by_leader_(static_cast<size_t>(leaders)), by_partition_(partition_gate ? static_cast<size_t>(partitions) : 0) {}

  // When a request to `leader` carrying `partition` may next be sent, not
  // before `now`. An acknowledgement not computed yet is at least one
  // network latency away (both modes compute an acknowledgement at least
  // that long before it reaches the producer), so a full connection whose
  // next free slot is unknown is looked at again one latency later, and no
  // send is ever late.
  double free_at(int leader, int partition, double now) {
    double t = free_when(by_leader_[static_cast<size_t>(leader)], now, max_, false);
    if (!by_partition_.empty())
      t = std::max(t, free_when(by_partition_[static_cast<size_t>(partition)], now, kIdempotentMaxInFlight, true));
    return t;
  }
  // A request carrying `batches` messages in `batches_count` batches, in
  // flight on `leader`'s connection (and `partition`'s gate): recycled
  // storage, no allocation per request once the pool has grown.
  InFlight* open_request(int leader, int partition, int batches_count, uint64_t messages) {
    InFlight* r = nullptr;
    if (free_.empty()) {
      r = &pool_.emplace_back();
    } else {
      r = free_.back();
      free_.pop_back();
      *r = InFlight{};
    }
    r->pending = batches_count;
    r->messages = messages;
    by_leader_[static_cast<size_t>(leader)].push_back(r);
    ++r->listed;
    if (!by_partition_.empty()) {
      by_partition_[static_cast<size_t>(partition)].push_back(r);
      ++r->listed;
    }
    return r;
  }

 private:
  // When fewer than `limit` requests (or messages) of `v` are in flight.
  double free_when(std::vector<InFlight*>& v, double now, uint64_t limit, bool count_messages) {
    if (!count_messages && v.size() < limit) return now;  // acknowledged ones leave lazily: fewer than the limit at all
    std::erase_if(v, [this, now](InFlight* r) {
      if (r->done_s > now) return false;
      if (--r->listed == 0) free_.push_back(r);
      return true;
    });
    uint64_t total = 0;
    for (const InFlight* r : v) total += count_messages ? r->messages : 1;
    if (total < limit) return now;
    done_.clear();
    for (const InFlight* r : v) done_.emplace_back(r->done_s, count_messages ? r->messages : 1);
    std::sort(done_.begin(), done_.end());
    for (const auto& [done, n] : done_) {
      if (done == std::numeric_limits<double>::infinity()) break;
      total -= n;
      if (total < limit) return done;
    }
    return now + poll_s_;
  }

  uint64_t max_;
  double poll_s_;
  std::vector<std::vector<InFlight*>> by_leader_;
  std::vector<std::vector<InFlight*>> by_partition_;
  std::deque<InFlight> pool_;          // stable addresses
  std::vector<InFlight*> free_;        // done and in no list: reusable
  std::vector<std::pair<double, uint64_t>> done_;
};

struct EventBatch {
  int partition = 0;
  InFlight* request = nullptr;       // the produce request that carries it, when in-flight requests are limited (its producer's Connections own it)
  std::vector<double> created_s;
  std::vector<uint64_t> keys;        // only with keyed shuffle
  std::vector<float> wire_sizes;     // only in exact mode: each event's bytes on the wire
  double wire_bytes = 0;             // compressed bytes on the wire
  double sent_s = 0;
  double appended_s = 0;
  double append_clock_s = 0;         // simulated time the leader appended it (request arrival) and told its followers
  double visible_s = 0;
  double registered_s = 0;           // simulated time it joined the partition's visible queue
  uint64_t visible_seq = 0;          // order in which batches joined the visible queues
  int confirmations_pending = 0;     // followers that still have to confirm
  uint64_t in_window = 0;            // events created inside the measured window

  /// Back to a new batch's state, keeping the vectors' capacity (recycling).
  void reset() {
    auto c = std::move(created_s);
    auto k = std::move(keys);
    auto w = std::move(wire_sizes);
    *this = EventBatch{};
    created_s = std::move(c);
    keys = std::move(k);
    wire_sizes = std::move(w);
    created_s.clear();
    keys.clear();
    wire_sizes.clear();
  }
};
using BatchPtr = std::shared_ptr<EventBatch>;

struct ProduceRequest {
  std::vector<BatchPtr> batches;
  double wire_bytes = 0;
  size_t fragments_expected = 1;     // exact mode: one network message per event
  size_t fragments_received = 0;
};

// A message on a broker's mailbox: the whole request (batched) or one
// event's fragment of it (exact).
struct RequestFragment {
  std::shared_ptr<ProduceRequest> request;
};

// A wait/notify pair for actors (SimGrid actors are cooperative: no data races).
// notify() costs a simulator call only when an actor is waiting.
struct Signal {
  sg4::MutexPtr mutex = sg4::Mutex::create();
  sg4::ConditionVariablePtr cv = sg4::ConditionVariable::create();
  int waiting = 0;
  void notify() {
    if (waiting > 0) cv->notify_all();
  }
  template <class Pred> void wait(std::unique_lock<sg4::Mutex>& lock, Pred pred) {
    if (pred()) return;
    ++waiting;
    cv->wait(lock, pred);
    --waiting;
  }
  template <class Pred> void wait_until(std::unique_lock<sg4::Mutex>& lock, double deadline_s, Pred pred) {
    if (pred()) return;
    ++waiting;
    cv->wait_until(lock, deadline_s, pred);
    --waiting;
  }
};

struct BrokerState {
  sg4::Host* host = nullptr;
  int nic = 0;                       // NicSchedule id (batched consumers' fetch responses)
  sg4::Mailbox* mailbox = nullptr;
  sg4::Disk* disk = nullptr;
  std::unique_ptr<PauseSchedule> pauses;  // the broker process's GC pauses
  std::shared_ptr<FifoStation> cpu;  // request handler threads on the broker's cores (shared by every broker with shared_request_handler)
  double dirty_bytes = 0;
  double limit_last_start_s = 0;  // kinesis: requests pass first come first served
  double limit_tat_s = 0;   // kinesis: the shard's write limit (token bucket) is used up until this time (GCRA)
  double cpu_busy_s = 0;    // in window, core-seconds
  double disk_busy_s = 0;   // in window
  double nic_in_bytes = 0;  // in window
  double nic_out_bytes = 0; // in window
};

struct ReplicaFetcher {
  int leader = 0;
  int follower = 0;
  std::deque<BatchPtr> pending;       // in append order (batched: sorted by append_clock_s)
  Signal signal;
  double ready_s = 0;                 // batched: when its next fetch is at the leader (loop top)
};

// Batches whose time to be sent came: (ready time, partition), earliest first.
using ReadyQueue = std::priority_queue<std::pair<double, int>, std::vector<std::pair<double, int>>, std::greater<>>;

// Batched mode: one producer client's accumulator, run as a state machine
// by the "pipeline" actor (the same steps as producer_actor).
struct ProducerState {
  int id = 0;
  int nic = 0;
  std::unique_ptr<WorkloadGenerator> gen;
  std::vector<BatchPtr> open;         // per partition
  std::vector<double> deadline;       // per partition
  ReadyQueue ready;
  size_t expected_batch_events = 8;   // capacity reserved per new batch
  bool done = false;
  std::unique_ptr<Connections> connections;  // when in-flight requests are limited
};

struct PartitionState {
  int leader = 0;
  std::vector<int> fetchers;          // indices into replica fetchers (one per follower)
  std::deque<BatchPtr> visible;       // replicated, not yet fetched
  double visible_bytes = 0;
  int task = 0;
};

struct Trace {                        // one event on its way through processing
  double created_s;
  double departed_s;
  uint64_t key;
};

struct Chunk {                        // one fetched poll of records on its way to the operator
  double fetched_s = 0;
  std::vector<Trace> events;
  bool started = false;
};

struct TaskState {
  int index = 0;
  sg4::Host* host = nullptr;
  int nic = 0;                              // NicSchedule id of its host
  double request_s = 0;                     // batched: when its next fetch request is at the leaders (loop top)
  double batch_done_s = 0;                  // batched micro-batch: when the previous batch was done
  double window_end_s = 0;                  // batched: the next tumbling window to close
  uint64_t take_upto_seq = UINT64_MAX;      // batched: a fetch woken by a batch takes none registered with it after it
  bool held_empty = false;                  // batched: the next take answers a held empty fetch (hold_empty_fetch)
  std::vector<int> partitions;
  Signal signal;
  std::unique_ptr<PauseSchedule> pauses;    // the task process's GC pauses
  std::unique_ptr<OperatorStage> op;        // first (or only) operator
  std::unique_ptr<OperatorStage> op2;       // keyed downstream operator (shuffle)
  double busy_s = 0;                        // operator service seconds in window
  std::unique_ptr<BatchingWriter> sink;     // this task's sink client: sink.concurrency writes in flight
  std::vector<Trace> unwritten;             // from unwritten_head on: handed to the sink client, write not decided yet
  size_t unwritten_head = 0;                // (a vector read from the front: cheaper per event than a deque)
  std::deque<std::pair<double, size_t>> unwritten_runs;  // the unwritten events as (hand-off time, events) runs, in order
  std::deque<Trace> window_buffer;          // events waiting for their window to close, in departure order
  std::deque<std::shared_ptr<Chunk>> chunks;  // exact mode: fetched, waiting for the operator thread
  Signal operator_signal;                   // exact mode: a chunk is waiting
  Signal started_signal;                    // exact mode: the operator started a chunk
  double commit_phase_s = 0;                // exactly-once: this task's transactions commit at phase + k x interval
  double take_s = 0;                        // batched: take time of the chunk being handed off (checkpoint alignment)
  double last_take_s = -1;                  // alignment: take time of the previous chunk
  double last_done_s = 0;                   // alignment: when the first operator finished the previous chunk
  long barrier_k = -1;                      // alignment: latest checkpoint whose barrier this task passed
  double barrier_s = 0;                     //   and when that barrier reached the keyed operators
};

}  // namespace

struct KappaModel::Impl {
  const Scenario& sc;
  const Candidate& cand;
  uint64_t seed;
  SimMode mode;
  bool exact;
  DeliveryPlan plan;        // exactly-once: outputs are visible at the next transactional commit
  KeySampler keys;
  RunMetrics metrics;

  double window_start_s;
  double window_end_s;      // moves earlier on an early stop
  double drain_limit_s;
  double latency_s;         // one-way network latency
  double compression;
  int producers;

  std::vector<sg4::Host*> client_hosts;
  std::vector<BrokerState> brokers;
  std::vector<ReplicaFetcher> fetchers;
  std::vector<PartitionState> partitions;
  std::vector<std::vector<int>> led_by;     // partitions led by each broker
  std::vector<sg4::Host*> proc_hosts;
  std::vector<std::unique_ptr<TaskState>> tasks;
  sg4::Host* control_host = nullptr;
  double core_share = 1;

  int producers_running = 0;      // producers that may still send in-window events
  uint64_t appended_events = 0;   // all time
  uint64_t fetched_events = 0;
  NicSchedule nics;                // batched consumers: fetch response network time
  std::vector<int> proc_nics;      // NicSchedule id per processing host
  std::deque<std::pair<double, uint64_t>> append_log;  // batched: (arrival, events) of appends not yet behind the lag's clock
  uint64_t appended_seen = 0;
  uint64_t visible_count = 0;      // batches made visible so far (visible_seq)      // appended_events at the latest fetch time processed
  std::vector<Trace> fetch_scratch;    // batched consumers' scratch, reused
  std::vector<Trace> window_scratch;
  std::vector<BatchPtr> fetch_batches;
  std::vector<std::pair<int, double>> leader_bytes;
  std::vector<size_t> merge_at;
  std::vector<uint16_t> key_partition;  // batched producers: mix64(key) % partitions, tabulated for up to kMaxKeyTable keys
  static constexpr int64_t kMaxKeyTable = int64_t{1} << 20;
  std::vector<const EventBatch*> merge_head;
  // batched: when each cycle runs next (infinity: not before the horizon),
  // in the order that breaks ties: producers, replica fetchers, then tasks
  // (and the first of equals in each), so one scan finds the next cycle
  std::vector<double> cycle_s;
  double* producer_take_s = nullptr;  // cycle_s per producer state
  double* replica_take_s = nullptr;   //   then per replica fetcher
  double* take_s = nullptr;           //   then per task
  double pipeline_horizon_s = 0;   // batched: every cycle before it has run
  std::vector<char> task_dirty;    // batched: a batch became visible for the task since its take time was computed
  std::vector<std::unique_ptr<ProducerState>> producer_states;  // batched mode
  std::vector<int> client_nics;
  std::vector<int> send_leaders;
  std::vector<std::unique_ptr<Connections>> actor_connections;  // exact mode: each producer actor's
  std::vector<int> send_ready;         // send_ready_batches' scratch: partitions whose batch is ready
  std::vector<BatchPtr> request_batches;
  std::vector<BatchPtr> batch_pool;   // batched: fetched batches nobody else holds, reused by producers
  bool micro_batch;                   // processing.engine is spark-streaming (a trigger per micro-batch)
  // Technology profiles (batched mode only; see the file's header comment).
  bool kinesis = false;            // broker kind "kinesis": one virtual server per shard
  bool pubsub = false;             // broker kind "pubsub": one virtual service endpoint
  bool managed = false;            // either: no brokers, disks or replication to model
  // A producer has at most max_in_flight unacknowledged requests per leader
  // (a managed service's client library has limits of its own; acks=0 gets no acknowledgements).
  bool in_flight_limited() const { return !managed && cand.producer.acks != Acks::none; }
  std::unique_ptr<Connections> make_connections() const {
    const auto& pc = cand.producer;
    return std::make_unique<Connections>(broker_count, cand.broker.partitions, pc.max_in_flight,
                                         pc.client == ProducerClient::librdkafka && pc.idempotent, latency_s);
  }
  bool efo = false;                // kinesis enhanced fan-out (push)
  bool push = false;               // records pushed to the tasks as they become visible (efo, pubsub)
  bool serverless = false;         // processing engine "serverless"
  bool aligned = false;            // flink checkpoint_alignment with a keyed shuffle
  int broker_count = 0;            // brokers, shards or the one service endpoint
  double poll_s = 0;               // kinesis polling: effective GetRecords interval per shard
  double shard_poll_bytes = 0;     // kinesis polling: bytes one GetRecords call may return per shard
  double shard_poll_records = 0;
  double pubsub_mu = 0, pubsub_sigma = 0;  // publish -> deliver lognormal
  std::unique_ptr<Rng> service_rng;
  uint64_t service_requests = 0;   // kinesis: PutRecords requests arriving in the window
  uint64_t throttled_requests = 0; //   of which waited for the shard's write limit
  std::unique_ptr<FunctionPool> functions;
  double invoke_overhead_s = 0;
  double memory_gb = 0;
  uint64_t window_invocation_events = 0;
  double stall_sum_s = 0, stall_max_s = 0;  // alignment: per checkpoint, barrier spread
  uint64_t stalled_checkpoints = 0;
  long stall_k = -1;               // latest checkpoint whose stall was counted
  static constexpr double kPipelineTick_s = 0.005;  // batched pipeline actor's wake-up period (changes no latency)

  Impl(const Scenario& s, const Candidate& c, uint64_t sd, SimMode m)
      : sc(s), cand(c), seed(sd), mode(m), exact(m == SimMode::exact), plan(delivery_plan(s, c)),
        keys(s.workload.key_cardinality, s.workload.key_skew),
        metrics(s.simulation.warmup_s, s.simulation.warmup_s + s.simulation.duration_s,
                s.simulation.duration_s / (4.0 * s.simulation.batches), 4 * s.simulation.batches + 1,
                s.simulation.histogram_relative_error),
        window_start_s(s.simulation.warmup_s),
        window_end_s(s.simulation.warmup_s + s.simulation.duration_s),
        drain_limit_s(std::max(5.0, 0.5 * s.simulation.duration_s)),
        latency_s(s.hardware.network_latency_s),
        compression(c.producer.compression_ratio),
        producers(std::min(s.workload.sources, kMaxProducerActors)),
        micro_batch(c.processing.engine == "spark-streaming") {
    metrics.window_start_s = window_start_s;
    const char* stage_text[kStageCount][2] = {
        {"producer", "accumulator wait until linger.ms or batch.size closes the batch"},
        {"broker append", "network to the leader, request queue, CPU and log append"},
        {"replication", "follower fetch and confirmation until the high watermark covers the batch"},
        {"fetch", "wait for the consumer's next fetch (consumer lag) and the fetch response"},
        {"processing", "operator queue and CPU per event (and the keyed shuffle when configured)"},
        {"window", "wait for the tumbling window to close"},
        {"sink", "sink write, including its queue"},
        {"transaction commit", "exactly-once: wait for the next transactional commit (read_committed readers see results only then) and the commit itself"}};
    if (cand.broker.kind == "kinesis") {
      stage_text[kBrokerAppend][1] = "network to the shard, wait for the shard's write limit (throttling) and the put latency";
      stage_text[kReplication][1] = "none: the service replicates before it acknowledges (in the put latency)";
      stage_text[kFetch][1] = cand.broker.kinesis.enhanced_fan_out ? "enhanced fan-out push at the shard's per-consumer rate and its propagation delay"
                                                                  : "wait for the next GetRecords poll of the shard and the call's response";
    } else if (cand.broker.kind == "pubsub") {
      stage_text[kBrokerAppend][1] = "publish -> deliver latency of the service (lognormal from the catalog)";
      stage_text[kReplication][1] = "none: the service replicates before it acknowledges";
      stage_text[kFetch][1] = "wait for the subscriber task (flow control: max_poll_records, fetch_max_bytes)";
    }
    if (cand.processing.engine == "serverless")
      stage_text[kProcessing][1] = "wait for a free function environment (concurrency limit), cold start, invocation overhead and CPU";
    for (int i = 0; i < kStageCount; ++i) {
      if (i == kWindow && !cand.processing.window_s) continue;
      if (i == kCommit && !plan.transactional) continue;
      metrics.stages.push_back(StageHistogram{stage_text[i][0], stage_text[i][1], LogHistogram(sc.simulation.histogram_relative_error)});
    }
    setup_profiles();
    build_platform();
    build_topology();
  }

  // Reads the technology profiles of the candidate (broker kind, serverless
  // engine, checkpoint alignment) and their catalog figures.
  void setup_profiles() {
    const auto& bc = cand.broker;
    const auto& pc = cand.processing;
    const auto& cat = sc.hardware.catalog;
    kinesis = bc.kind == "kinesis";
    pubsub = bc.kind == "pubsub";
    managed = kinesis || pubsub;
    efo = kinesis && bc.kinesis.enhanced_fan_out;
    push = efo || pubsub;
    serverless = pc.engine == "serverless";
    aligned = pc.engine == "flink" && pc.checkpoint_alignment && pc.keyed_shuffle;
    broker_count = kinesis ? bc.partitions : pubsub ? 1 : bc.count;
    if (exact && (managed || serverless || pc.checkpoint_alignment))
      throw std::invalid_argument(fmt::format("candidate '{}': broker kind \"{}\", engine \"{}\"{} are simulated in batched mode only (simulation.mode)",
                                              cand.name, bc.kind, pc.engine, pc.checkpoint_alignment ? " and checkpoint_alignment" : ""));
    if (kinesis) {
      const auto& k = cat.kinesis;
      const double apps = bc.kinesis.consumer_applications;
      // the 5 calls/s per shard are shared by the polling applications
      poll_s = std::max(bc.kinesis.polling_interval_s, apps / k.get_records_per_s.value);
      shard_poll_bytes = std::min(k.get_records_max_bytes.value, k.read_bps_per_shard.value / apps * poll_s);
      shard_poll_records = k.get_records_max_records.value;
    }
    if (pubsub) {
      const auto& ps = cat.pubsub;
      pubsub_mu = std::log(ps.latency_median_s.value);
      pubsub_sigma = std::log(ps.latency_p99_s.value / ps.latency_median_s.value) / 2.3263478740408408;
    }
    service_rng = std::make_unique<Rng>(seed, "service/latency");
    if (serverless) {
      const auto& sv = pc.serverless;
      const auto& cs = cat.serverless;
      FunctionPoolConfig fc;
      fc.concurrency = sv.concurrency;
      fc.idle_timeout_s = sv.idle_timeout_s.value_or(cs.idle_timeout_s.value);
      fc.cold_probability = sv.cold_start_probability.value_or(cs.cold_start_probability.value);
      fc.cold_median_s = sv.cold_start_median_s.value_or(cs.cold_start_median_s.value);
      fc.cold_p99_s = sv.cold_start_p99_s.value_or(cs.cold_start_p99_s.value);
      functions = std::make_unique<FunctionPool>(fc, Rng(seed, "functions"));
      invoke_overhead_s = sv.invoke_overhead_s.value_or(cs.invoke_overhead_s.value);
      memory_gb = sv.memory_mb / 1024.0;  // billed GB: memory in MB / 1,024
    }
  }

  StageHistogram& stage(Stage s) {
    int i = static_cast<int>(s);
    if (!cand.processing.window_s && s > kWindow) --i;
    return metrics.stages[static_cast<size_t>(i)];
  }

  bool in_window(double created_s) const { return window().contains(created_s); }
  // The measured window as a value: loops over events copy it once, so the
  // bounds stay in registers instead of being reloaded per event.
  struct TimeWindow {
    double start_s, end_s;
    bool contains(double t_s) const { return t_s >= start_s && t_s < end_s; }
  };
  TimeWindow window() const { return TimeWindow{window_start_s, window_end_s}; }
  bool measuring(double now_s) const { return now_s >= window_start_s; }

  // ---------------------------------------------------------------- platform
  // Network model: CM02 without cross-traffic (set by the simulator):
  // max-min fair sharing with plain latency + size/bandwidth. LV08's
  // corrections were calibrated on wide-area TCP transfers; inside a
  // datacenter, with sub-millisecond RTTs and long-lived connections whose
  // windows are open, they inflate small-message latency (latency factor
  // 13.01) and cost several times more wall time per transfer. The reverse
  // ACK flows that cross-traffic adds are negligible next to record batches.
  // Topology: each host has a split-duplex NIC at its instance's sustained
  // bandwidth carrying half the one-way latency; NICs meet at a non-blocking
  // fabric (a star zone: routes grow linearly with the hosts), so a transfer
  // crosses the sender's NIC up and the receiver's NIC down.
  void build_platform() {
    auto* zone = sg4::create_star_zone("kappa");
    auto add_host = [&](const std::string& name, const InstanceType& it) {
      auto* h = zone->create_host(name, it.core_speed_flops);
      h->set_core_count(it.vcpu);
      h->seal();
      auto* nic = zone->create_split_duplex_link(name + "/nic", it.network_bps);
      nic->set_latency(latency_s / 2);
      nic->seal();
      zone->add_route(h->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(nic, sg4::LinkInRoute::Direction::UP)}, true);
      return h;
    };
    for (int i = 0; i < producers; ++i) {
      client_hosts.push_back(add_host(fmt::format("client{}", i), sc.hardware.client_instance));
      client_nics.push_back(nics.add_nic(sc.hardware.client_instance.network_bps));
    }
    // a managed service's endpoints are not a bottleneck of the model: their limits are the service's own
    InstanceType service_instance;
    service_instance.name = "service";
    service_instance.network_bps = 1e12;
    service_instance.disk_write_bps = 1e12;
    const InstanceType& broker_instance = managed ? service_instance : cand.broker.instance;
    brokers.resize(static_cast<size_t>(broker_count));
    for (int b = 0; b < broker_count; ++b) {
      auto& br = brokers[static_cast<size_t>(b)];
      br.host = add_host(fmt::format("broker{}", b), broker_instance);
      br.nic = nics.add_nic(broker_instance.network_bps);
      const double wbw = broker_instance.disk_write_bps;
      br.disk = br.host->create_disk("log", wbw, wbw);
      br.disk->seal();
      br.pauses = std::make_unique<PauseSchedule>(cand.broker.gc, Rng(seed, fmt::format("broker/{}/gc", b)));
      if (!managed && cand.broker.shared_request_handler && b > 0) {
        br.cpu = brokers.front().cpu;  // one handler station for the cluster
        continue;
      }
      br.cpu = managed ? std::make_shared<FifoStation>(1)  // kinesis: the shard's write limit
                       : std::make_shared<FifoStation>(std::max(1, std::min(cand.broker.io_threads, cand.broker.instance.vcpu)),
                                                       cand.broker.gc.enabled() ? br.pauses.get() : nullptr);
    }
    for (int i = 0; i < cand.processing.instances; ++i) {
      proc_hosts.push_back(add_host(fmt::format("proc{}", i), cand.processing.instance));
      proc_nics.push_back(nics.add_nic(cand.processing.instance.network_bps));
    }
    control_host = add_host("control", sc.hardware.client_instance);
    zone->seal();
  }

  // ---------------------------------------------------------------- topology
  void build_topology() {
    const int P = cand.broker.partitions, B = broker_count, RF = managed ? 1 : cand.broker.replication_factor;
    // a key's partition, looked up once per event: a table instead of a hash and a 64-bit division
    if (!exact && keys.cardinality() <= kMaxKeyTable && P <= std::numeric_limits<uint16_t>::max()) {
      key_partition.resize(static_cast<size_t>(keys.cardinality()));
      for (size_t k = 0; k < key_partition.size(); ++k) key_partition[k] = static_cast<uint16_t>(mix64(k) % static_cast<uint64_t>(P));
    }
    // one replica fetcher per (leader, follower) pair that shares a partition
    std::map<std::pair<int, int>, int> fetcher_index;
    partitions.resize(static_cast<size_t>(P));
    led_by.resize(static_cast<size_t>(B));
    for (int p = 0; p < P; ++p) {
      auto& ps = partitions[static_cast<size_t>(p)];
      ps.leader = p % B;
      led_by[static_cast<size_t>(ps.leader)].push_back(p);
      for (int r = 1; r < RF; ++r) {
        const int f = (p + r) % B;
        auto key = std::make_pair(ps.leader, f);
        auto it = fetcher_index.find(key);
        if (it == fetcher_index.end()) {
          it = fetcher_index.emplace(key, static_cast<int>(fetchers.size())).first;
          fetchers.emplace_back();
          fetchers.back().leader = ps.leader;
          fetchers.back().follower = f;
        }
        ps.fetchers.push_back(it->second);
      }
    }
    // tasks spread round robin over processing hosts; partitions round robin over tasks
    const int T = cand.processing.parallelism;
    const int H = cand.processing.instances;
    const int tasks_per_host = (T + H - 1) / H;
    core_share = std::min(1.0, static_cast<double>(cand.processing.instance.vcpu) / tasks_per_host);
    if (serverless)  // a function's CPU share grows with its memory, up to one core (the code is single threaded)
      core_share = std::min(1.0, cand.processing.serverless.memory_mb / sc.hardware.catalog.serverless.mb_per_vcpu.value);
    else if (core_share < 1.0)
      metrics.notes.push_back(fmt::format("processing: {} tasks share {} cores per host; each task gets {:.2f} of a core (processor sharing, batched mode)",
                                          tasks_per_host, cand.processing.instance.vcpu, core_share));
    for (int t = 0; t < T; ++t) {
      auto ts = std::make_unique<TaskState>();
      ts->index = t;
      ts->host = proc_hosts[static_cast<size_t>(t % H)];
      ts->nic = proc_nics[static_cast<size_t>(t % H)];
      ts->request_s = latency_s;  // the first fetch request
      if (cand.processing.window_s) ts->window_end_s = *cand.processing.window_s;
      const auto& pc = cand.processing;
      ts->sink = std::make_unique<BatchingWriter>(
          cand.sink.concurrency,
          cand.sink.write_latency_cycle_s.empty() ? std::vector<double>{cand.sink.write_latency_s} : cand.sink.write_latency_cycle_s,
          2 * latency_s);
      ts->pauses = std::make_unique<PauseSchedule>(pc.gc, Rng(seed, fmt::format("task/{}/gc", t)));
      // Flink's checkpoints commit every task's transaction at once; Kafka Streams threads commit on their own
      ts->commit_phase_s = Rng(seed, plan.shared_commit ? std::string("job/commit") : fmt::format("task/{}/commit", t)).uniform() * plan.commit_interval_s;
      PauseSchedule* pauses = pc.gc.enabled() ? ts->pauses.get() : nullptr;
      ts->op = std::make_unique<OperatorStage>(1, pc.cpu_per_event_s, pc.cpu_cv, core_share, Rng(seed, fmt::format("task/{}/op", t)), pauses);
      if (pc.keyed_shuffle)
        ts->op2 = std::make_unique<OperatorStage>(1, pc.cpu_per_event_s, pc.cpu_cv, core_share, Rng(seed, fmt::format("task/{}/op2", t)), pauses);
      tasks.push_back(std::move(ts));
    }
    for (int p = 0; p < P; ++p) {
      partitions[static_cast<size_t>(p)].task = p % T;
      tasks[static_cast<size_t>(p % T)]->partitions.push_back(p);
    }
    if (exact && cand.processing.gc.enabled())
      metrics.notes.push_back("exact mode: the tasks' GC pauses are not applied to their per-event executions");
    if (T > P)
      metrics.notes.push_back(fmt::format("processing: parallelism {} exceeds {} partitions; {} tasks stay idle unless a keyed shuffle spreads the work",
                                          T, P, T - P));

    // actors
    producers_running = producers;
    for (int i = 0; i < producers && exact; ++i)
      sg4::Actor::create(fmt::format("producer/{}", i), client_hosts[static_cast<size_t>(i)], [this, i] { producer_actor(i); })->daemonize();
    for (int i = 0; i < producers && !exact; ++i) producer_states.push_back(make_producer(i));
    for (int b = 0; b < B; ++b) {
      auto& br = brokers[static_cast<size_t>(b)];
      if (exact) {
        br.mailbox = sg4::Mailbox::by_name(fmt::format("broker{}/requests", b));
        auto receiver = sg4::Actor::create(fmt::format("broker/{}", b), br.host, [this, b] { broker_actor(b); });
        receiver->daemonize();
        br.mailbox->set_receiver(receiver);  // requests flow in while the receiver is busy
      }
      if (!managed) sg4::Actor::create(fmt::format("flusher/{}", b), br.host, [this, b] { flusher_actor(b); })->daemonize();
    }
    for (size_t f = 0; f < fetchers.size() && exact; ++f)
      sg4::Actor::create(fmt::format("replica/{}<-{}", fetchers[f].follower, fetchers[f].leader),
                         brokers[static_cast<size_t>(fetchers[f].follower)].host, [this, f] { replica_actor(f); })->daemonize();
    for (int t = 0; t < T && exact; ++t) {
      sg4::Actor::create(fmt::format("task/{}", t), tasks[static_cast<size_t>(t)]->host, [this, t] { task_actor(t); })->daemonize();
      sg4::Actor::create(fmt::format("operator/{}", t), tasks[static_cast<size_t>(t)]->host, [this, t] { operator_actor(t); })->daemonize();
      if (cand.processing.window_s)
        sg4::Actor::create(fmt::format("window/{}", t), tasks[static_cast<size_t>(t)]->host, [this, t] { window_actor(t); })->daemonize();
    }
    if (!exact) {
      task_dirty.assign(tasks.size(), 0);
      cycle_s.assign(producer_states.size() + fetchers.size() + tasks.size(), kInf);
      producer_take_s = cycle_s.data();
      replica_take_s = producer_take_s + producer_states.size();
      take_s = replica_take_s + fetchers.size();
      sg4::Actor::create("pipeline", control_host, [this] { pipeline_actor(); })->daemonize();
    }
    sg4::Actor::create("controller", control_host, [this] { controller_actor(); });
  }

  // ---------------------------------------------------------------- producer
  void producer_actor(int id) {
    const int P = cand.broker.partitions;
    const auto& pc = cand.producer;
    WorkloadGenerator gen(sc.workload, sc.workload.rate_eps / producers, keys, Rng(seed, fmt::format("producer/{}", id)),
                          sc.simulation.start_at_s);
    const bool keep_keys = cand.processing.keyed_shuffle;
    std::vector<BatchPtr> open(static_cast<size_t>(P));
    std::vector<double> deadline(static_cast<size_t>(P), kInf);
    ReadyQueue ready;
    GeneratedEvent ev = gen.next();
    // capacity reserved per new batch (its events at the mean rate over linger.ms, with room
    // for Poisson and key skew): one allocation per batch rather than one per doubling
    const double per_batch = sc.workload.rate_eps / producers / P * pc.linger_s;
    const auto batch_capacity = static_cast<size_t>(std::clamp(2.0 * per_batch + 8.0, 8.0, 4096.0));
    // owned by the model: requests still in flight when this actor returns are acknowledged later
    Connections* connections = nullptr;
    if (in_flight_limited()) connections = actor_connections.emplace_back(make_connections()).get();

    for (;;) {
      while (!ready.empty() && ready.top().first != deadline[static_cast<size_t>(ready.top().second)]) ready.pop();  // stale
      const double t_ready = ready.empty() ? kInf : ready.top().first;
      if (ev.time_s <= t_ready && ev.time_s < window_end_s) {
        const int p = static_cast<int>(mix64(ev.key) % static_cast<uint64_t>(P));
        auto& b = open[static_cast<size_t>(p)];
        if (!b) {
          b = std::make_shared<EventBatch>();
          b->partition = p;
          b->created_s.reserve(batch_capacity);
          if (keep_keys) b->keys.reserve(batch_capacity);
          deadline[static_cast<size_t>(p)] = ev.time_s + pc.linger_s;
          ready.emplace(deadline[static_cast<size_t>(p)], p);
        }
        b->created_s.push_back(ev.time_s);
        if (keep_keys) b->keys.push_back(ev.key);
        const double wire = ev.bytes * compression;
        if (exact) b->wire_sizes.push_back(static_cast<float>(wire));
        const double before = b->wire_bytes;
        b->wire_bytes += wire;
        if (before < pc.batch_size_bytes && b->wire_bytes >= pc.batch_size_bytes) {  // full: ready now (or when its connection has a free slot)
          deadline[static_cast<size_t>(p)] = ev.time_s;
          ready.emplace(ev.time_s, p);
        }
        ev = gen.next();
        continue;
      }
      if (t_ready == kInf) {
        if (ev.time_s >= window_end_s) {  // stopped and flushed
          --producers_running;
          return;
        }
        continue;
      }
      sg4::this_actor::sleep_until(t_ready);
      const double now = sg4::Engine::get_clock();
      // the requests are sent once built: sending is a simulator call, in which other actors may run
      std::vector<std::pair<int, std::shared_ptr<ProduceRequest>>> requests;
      send_ready_batches(open, deadline, ready, connections, now,
                         [&requests](int leader, std::vector<BatchPtr>& batches, double wire_bytes) {
                           auto req = std::make_shared<ProduceRequest>();
                           req->batches = std::move(batches);
                           req->wire_bytes = wire_bytes;
                           requests.emplace_back(leader, std::move(req));
                         });
      for (auto& [leader, req] : requests) send_request(leader, std::move(req));
    }
  }

  // A producer sends at `now` (producer_actor, producer_send). Each batch
  // whose time came gets its leader a request: the Java client's drains
  // every open batch the leader leads, librdkafka's carries that one
  // partition's batch; `send(leader, batches, wire_bytes)` sends it. A
  // leader whose connection has max_in_flight requests unacknowledged gets
  // none: the batch waits for a free slot and keeps filling meanwhile; a
  // request then carries batch.size of it and the rest waits for the next.
  // `send` must not call the simulator (another actor could run meanwhile
  // and use the scratch vectors and the stage's recorder).
  template <class Send>
  void send_ready_batches(std::vector<BatchPtr>& open, std::vector<double>& deadline, ReadyQueue& ready,
                          Connections* connections, double now, Send&& send) {
    LogHistogram::Recorder producer_stage(stage(kProducer).histogram);  // nothing else records this stage meanwhile
    auto& due = send_ready;
    due.clear();
    while (!ready.empty() && ready.top().first <= now) {
      const auto [t, p] = ready.top();
      ready.pop();
      if (t != deadline[static_cast<size_t>(p)]) continue;
      deadline[static_cast<size_t>(p)] = kInf;
      due.push_back(p);
    }
    for (int p : due) {
      if (!open[static_cast<size_t>(p)]) continue;  // drained by a request to its leader already
      const int leader = partitions[static_cast<size_t>(p)].leader;
      if (connections) {
        const double free = connections->free_at(leader, p, now);
        if (free > now) {
          deadline[static_cast<size_t>(p)] = free;
          ready.emplace(free, p);
          continue;
        }
      }
      auto& req = request_batches;
      req.clear();
      double wire_bytes = 0;
      const auto take = [&](int q) {
        auto& open_q = open[static_cast<size_t>(q)];
        if (!open_q) return;
        BatchPtr b = std::move(open_q);
        deadline[static_cast<size_t>(q)] = kInf;
        if (b->wire_bytes > cand.producer.batch_size_bytes) {
          // It kept filling while its connection was full: a request carries
          // batch.size of it; the rest stays open, ready for the next slot.
          if (BatchPtr rest = split_off_beyond_batch_size(*b)) {
            open_q = std::move(rest);
            deadline[static_cast<size_t>(q)] = now;
            ready.emplace(now, q);
          }
        }
        b->sent_s = now;
        // Counted when sent: the window's end only ever moves to the present
        // (early stop), so an event counted here stays inside it.
        const auto [first, last] = window_range(*b);
        for (const double* c = first; c != last; ++c) producer_stage.record(now - *c);
        b->in_window += static_cast<uint64_t>(last - first);
        metrics.window_events_offered += b->in_window;
        wire_bytes += b->wire_bytes;
        req.push_back(std::move(b));
      };
      if (cand.producer.client == ProducerClient::librdkafka) {
        take(p);
      } else {
        for (int q : led_by[static_cast<size_t>(leader)]) take(q);
      }
      if (connections) in_flight(*connections, leader, req);
      send(leader, req, wire_bytes);
      req.clear();  // the partitions' queues hold them now
    }
  }

  void send_request(int broker, std::shared_ptr<ProduceRequest> req) {
    auto& br = brokers[static_cast<size_t>(broker)];
    if (measuring(sg4::Engine::get_clock())) br.nic_in_bytes += req->wire_bytes;
    if (!exact) {
      auto* msg = new RequestFragment{std::move(req)};  // owned by the receiving handler (unique_ptr)
      br.mailbox->put_init(msg, static_cast<uint64_t>(std::max(1.0, msg->request->wire_bytes)))->detach();
      return;
    }
    // exact mode: one network message per event; the request is handled when its last event arrived
    size_t n = 0;
    for (auto& b : req->batches) n += b->wire_sizes.size();
    req->fragments_expected = n;
    for (auto& b : req->batches)
      for (float size : b->wire_sizes)
        br.mailbox->put_init(new RequestFragment{req}, static_cast<uint64_t>(std::max(1.0f, size)))->detach();
  }

  // ---------------------------------------------------------------- broker
  void broker_actor(int b) {
    auto& br = brokers[static_cast<size_t>(b)];
    const auto& bc = cand.broker;
    for (;;) {
      auto frag = br.mailbox->get_unique<RequestFragment>();
      auto req = std::move(frag->request);
      if (++req->fragments_received < req->fragments_expected) continue;
      const double now = sg4::Engine::get_clock();
      double cpu_s = bc.cpu_per_request_s + bc.cpu_per_byte_s * req->wire_bytes;
      if (bc.fsync_each_batch) cpu_s += req->wire_bytes / bc.instance.disk_write_bps + bc.instance.fsync_s;  // the handler thread waits for the flush
      if (measuring(now)) br.cpu_busy_s += cpu_s;
      const double appended = br.cpu->serve(now, cpu_s);
      br.dirty_bytes += req->wire_bytes;
      for (auto& batch : req->batches) append(batch, appended, now);
    }
  }

  // Each event's produce acknowledgement, from its creation (the
  // application's send) to `ack_s`: the accumulator wait (linger, a full
  // in-flight window) is part of it, as in Kafka's producer perf tool, OMB's
  // publish latency and the real runners (delivery report minus intended
  // send time). With acks=0 the producer counts an event done when its
  // request is sent.
  void record_produce_acks(const EventBatch& batch, double ack_s) {
    LogHistogram::Recorder acks(metrics.produce_ack);
    const auto [first, last] = window_range(batch);
    for (const double* c = first; c != last; ++c) acks.record(ack_s - *c);
  }

  // The events of `batch` created inside the measured window: a batch's
  // creation times ascend (a producer adds its events in time order), so
  // they are one range [first, last) of created_s, usually all of it.
  std::pair<const double*, const double*> window_range(const EventBatch& batch) const {
    const double* first = batch.created_s.data();
    const double* last = first + batch.created_s.size();
    if (first == last || (window().contains(*first) && window().contains(last[-1]))) return {first, last};
    return {std::lower_bound(first, last, window_start_s), std::lower_bound(first, last, window_end_s)};
  }

  // `batch` is acknowledged to its producer at `ack_s`: its request frees
  // its connection's slot once every batch it carries is, and its events
  // in the window record their produce ack.
  void acknowledged(EventBatch& batch, double ack_s) {
    if (batch.request) {
      auto& r = *batch.request;
      r.last_ack_s = std::max(r.last_ack_s, ack_s);
      if (--r.pending == 0) r.done_s = r.last_ack_s;
      batch.request = nullptr;
    }
    if (batch.in_window) record_produce_acks(batch, ack_s);
  }

  // The leader appends `batch` at `appended`; the request arrived at `arrived`.
  void append(const BatchPtr& batch, double appended, double arrived) {
    batch->appended_s = appended;
    batch->append_clock_s = arrived;
    appended_events += batch->created_s.size();
    if (exact) {
      note_lag();
    } else {
      // (arrival, events) in arrival order: requests are computed in send order
      auto it = append_log.end();
      while (it != append_log.begin() && std::prev(it)->first > arrived) --it;
      if (it == append_log.end()) {
        append_log.emplace_back(arrived, batch->created_s.size());
      } else {
        append_log.emplace(it, arrived, batch->created_s.size());
      }
    }
    if (batch->in_window) stage(kBrokerAppend).histogram.record(appended - batch->sent_s, batch->in_window);
    if (cand.producer.acks == Acks::leader) acknowledged(*batch, appended + latency_s);
    if (cand.producer.acks == Acks::none) acknowledged(*batch, batch->sent_s);
    auto& ps = partitions[static_cast<size_t>(batch->partition)];
    if (ps.fetchers.empty()) {
      // consumers see it from the append on, as the exact mode's actors do; a service's records from its ready time
      make_visible(batch, appended, managed ? appended : arrived);
      return;
    }
    batch->confirmations_pending = static_cast<int>(ps.fetchers.size());
    for (int f : ps.fetchers) {
      auto& pending = fetchers[static_cast<size_t>(f)].pending;
      auto it = pending.end();
      while (it != pending.begin() && (*std::prev(it))->append_clock_s > arrived) --it;
      if (it == pending.end()) {
        pending.push_back(batch);
      } else {
        pending.insert(it, batch);
      }
      fetchers[static_cast<size_t>(f)].signal.notify();
    }
  }

  // Page-cache writeback: what was appended in the last second goes to disk.
  void flusher_actor(int b) {
    auto& br = brokers[static_cast<size_t>(b)];
    for (;;) {
      sg4::this_actor::sleep_for(1.0);
      if (br.dirty_bytes <= 0) continue;
      const double bytes = br.dirty_bytes;
      br.dirty_bytes = 0;
      const double t0 = sg4::Engine::get_clock();
      br.disk->write(static_cast<sg_size_t>(std::max(1.0, bytes)));
      if (measuring(t0)) br.disk_busy_s += sg4::Engine::get_clock() - t0;
    }
  }

  // Moves batches over the network from one host to another: one transfer
  // for all of them (batched) or one per event (exact).
  void transfer(sg4::Host* from, sg4::Host* to, const std::vector<BatchPtr>& batches) {
    if (!exact) {
      double bytes = 0;
      for (const auto& b : batches) bytes += b->wire_bytes;
      sg4::Comm::sendto(from, to, static_cast<uint64_t>(std::max(1.0, bytes)));
      return;
    }
    std::vector<sg4::CommPtr> comms;
    for (const auto& b : batches)
      for (float size : b->wire_sizes) comms.push_back(sg4::Comm::sendto_async(from, to, static_cast<uint64_t>(std::max(1.0f, size))));
    sg4::Comm::wait_all(comms);
  }

  void replica_actor(size_t f) {
    auto& rf = fetchers[f];
    auto& leader = brokers[static_cast<size_t>(rf.leader)];
    auto& follower = brokers[static_cast<size_t>(rf.follower)];
    const auto& bc = cand.broker;
    std::unique_lock lock(*rf.signal.mutex);
    std::vector<BatchPtr> batch;
    for (;;) {
      rf.signal.wait(lock, [&] { return !rf.pending.empty(); });
      const double now = sg4::Engine::get_clock();
      batch.assign(std::make_move_iterator(rf.pending.begin()), std::make_move_iterator(rf.pending.end()));
      rf.pending.clear();
      double bytes = 0;
      double last_append = now;
      for (const auto& b : batch) {
        bytes += b->wire_bytes;
        last_append = std::max(last_append, b->appended_s);
      }
      // The leader answers when the batches are in its log. Their append
      // time is computed when the request arrives (a few CPU microseconds
      // ahead); the response is sent now and shifted by that offset rather
      // than spending a simulator step to wait for it.
      const double offset = last_append - now;
      if (measuring(now)) {
        leader.nic_out_bytes += bytes;
        follower.nic_in_bytes += bytes;
      }
      transfer(leader.host, follower.host, batch);  // the fetch response
      const double arrived = sg4::Engine::get_clock() + offset;
      const double cpu_s = bc.cpu_per_request_s + bc.cpu_per_byte_s * bytes;
      if (measuring(arrived)) follower.cpu_busy_s += cpu_s;
      const double appended = follower.cpu->serve(arrived, cpu_s);
      follower.dirty_bytes += bytes;
      // the next fetch request tells the leader how far this follower got
      sg4::this_actor::sleep_until(appended + latency_s);
      const double confirmed = sg4::Engine::get_clock();
      for (auto& b : batch)
        if (--b->confirmations_pending == 0) make_visible(b, confirmed, confirmed);
    }
  }

  // `batch` is replicated at `now`; consumers can take it from `registered` on.
  void make_visible(const BatchPtr& batch, double now, double registered) {
    batch->visible_s = now;
    batch->registered_s = registered;
    batch->visible_seq = ++visible_count;
    if (batch->in_window) stage(kReplication).histogram.record(now - batch->appended_s, batch->in_window);
    if (cand.producer.acks == Acks::all) acknowledged(*batch, now + latency_s);
    auto& ps = partitions[static_cast<size_t>(batch->partition)];
    auto it = ps.visible.end();  // in registration order (batched producers' requests are computed in send order)
    while (it != ps.visible.begin() && (*std::prev(it))->registered_s > registered) --it;
    if (it == ps.visible.end()) {
      ps.visible.push_back(batch);
    } else {
      ps.visible.insert(it, batch);
    }
    ps.visible_bytes += batch->wire_bytes;
    if (!exact) task_dirty[static_cast<size_t>(ps.task)] = 1;
    tasks[static_cast<size_t>(ps.task)]->signal.notify();
  }

  void note_lag() {
    metrics.max_lag_events = std::max(metrics.max_lag_events, static_cast<double>(appended_events - fetched_events));
  }

  // ---------------------------------------------------------------- processing
  // A task is a consumer feeding an operator. Its fetch request reaches the
  // leaders one network latency after it is sent; they answer when
  // fetch.min.bytes are visible (replicated) or fetch.wait.max.ms passed,
  // with at most max.poll.records records. The consumer prefetches: it asks
  // for the next chunk as soon as the operator has started on the last one
  // (one chunk in flight, one in service), as Kafka consumers and Flink
  // sources do. Results go to the sink asynchronously: each chunk is one
  // write, with up to sink.concurrency writes in flight per task.
  void task_actor(int t) {
    auto& ts = *tasks[static_cast<size_t>(t)];
    const auto& cc = cand.consumer;
    const double max_bytes = cand.processing.engine == "spark-streaming" ? kInf : cc.fetch_max_bytes;
    const double min_bytes = std::max(1.0, cc.fetch_min_bytes);
    const auto max_records = cand.processing.engine == "spark-streaming" ? SIZE_MAX : static_cast<size_t>(cc.max_poll_records);
    std::vector<Trace> out;
    std::map<int, std::vector<BatchPtr>> by_leader;
    std::unique_lock lock(*ts.signal.mutex);
    auto visible_bytes = [&] {
      double v = 0;
      for (int p : ts.partitions) v += partitions[static_cast<size_t>(p)].visible_bytes;
      return v;
    };
    const auto& pc = cand.processing;
    double batch_done = 0;  // micro-batch: when the previous batch was written
    sg4::this_actor::sleep_for(latency_s);  // the first fetch request
    for (;;) {
      if (micro_batch) {
        // A micro-batch starts at the next trigger after the previous one
        // finished, and takes what the log holds then.
        const double trigger = std::ceil(std::max(sg4::Engine::get_clock(), batch_done) / pc.trigger_interval_s) * pc.trigger_interval_s;
        sg4::this_actor::sleep_until(trigger + latency_s);
        if (visible_bytes() <= 0) {
          batch_done = trigger + pc.trigger_interval_s * 0.5;  // empty trigger: wait for the next one
          continue;
        }
      } else if (cc.hold_empty_fetch) {
        if (visible_bytes() <= 0) {  // held for the full wait and answered empty: the next request takes what joined
          sg4::this_actor::sleep_for(cc.fetch_wait_max_s + 2 * latency_s);
          continue;
        }
      } else {
        const double deadline = sg4::Engine::get_clock() + cc.fetch_wait_max_s;
        ts.signal.wait_until(lock, deadline, [&] { return visible_bytes() >= min_bytes; });
      }
      // take what is visible, up to fetch.max.bytes and max.poll.records, grouped by leader
      by_leader.clear();
      double taken = 0;
      size_t records = 0;
      for (int p : ts.partitions) {
        auto& ps = partitions[static_cast<size_t>(p)];
        bool took = false;  // one_batch_per_partition: this partition gave one already
        while (!ps.visible.empty() && !(cc.one_batch_per_partition && took) &&
               (taken == 0 || (taken + ps.visible.front()->wire_bytes <= max_bytes &&
                               records + ps.visible.front()->created_s.size() <= max_records))) {
          took = true;
          taken += ps.visible.front()->wire_bytes;
          records += ps.visible.front()->created_s.size();
          ps.visible_bytes -= ps.visible.front()->wire_bytes;
          by_leader[ps.leader].push_back(std::move(ps.visible.front()));
          ps.visible.pop_front();
        }
      }
      if (by_leader.empty()) {
        sg4::this_actor::sleep_for(2 * latency_s);  // empty response back, next request out
        continue;
      }
      // fetch responses from every leader in parallel
      if (by_leader.size() == 1 || exact) {
        for (auto& [leader, batches] : by_leader) transfer(brokers[static_cast<size_t>(leader)].host, ts.host, batches);
      } else {
        std::vector<sg4::CommPtr> comms;
        for (auto& [leader, batches] : by_leader) {
          double bytes = 0;
          for (const auto& b : batches) bytes += b->wire_bytes;
          comms.push_back(sg4::Comm::sendto_async(brokers[static_cast<size_t>(leader)].host, ts.host, static_cast<uint64_t>(std::max(1.0, bytes))));
        }
        sg4::Comm::wait_all(comms);
      }
      const double fetched = sg4::Engine::get_clock();
      auto chunk = std::make_shared<Chunk>();
      chunk->fetched_s = fetched;
      for (auto& [leader, batches] : by_leader) {
        for (auto& b : batches) {
          if (measuring(fetched)) brokers[static_cast<size_t>(leader)].nic_out_bytes += b->wire_bytes;
          fetched_events += b->created_s.size();
          if (b->in_window) stage(kFetch).histogram.record(fetched - b->visible_s, b->in_window);
          for (size_t i = 0; i < b->created_s.size(); ++i)
            chunk->events.push_back(Trace{b->created_s[i], 0, b->keys.empty() ? 0 : b->keys[i]});
        }
      }
      note_lag();
      double next_request = fetched;
      if (exact) {
        // the operator thread executes every event on the host's CPU; wait until it starts on this chunk
        ts.chunks.push_back(chunk);
        ts.operator_signal.notify();
        ts.started_signal.wait(lock, [&] { return chunk->started; });
        next_request = sg4::Engine::get_clock();
      } else {
        next_request = std::max(fetched, ts.op->station().last_departure_s());  // when the operator starts on it
        const double before = ts.op->station().busy_s();
        // a micro-batch pays its scheduling overhead before its first record
        auto& events = chunk->events;
        ts.op->serve_all_at_each(fetched + (micro_batch ? pc.batch_overhead_s : 0.0), events.size(),
                                 [&events](size_t i, double departed_s) { events[i].departed_s = departed_s; });
        if (measuring(fetched)) ts.busy_s += (ts.op->station().busy_s() - before) * core_share;
        hand_off(ts, chunk->events, fetched);
      }
      if (micro_batch) {
        batch_done = ts.op->station().last_departure_s();
        continue;
      }
      sg4::this_actor::sleep_until(std::max(next_request, sg4::Engine::get_clock()) + latency_s);
    }
  }

  // ---------------------------------------------------------------- batched pipeline
  // Every producer, request handler, replica fetcher and task fetch loop as
  // analytic cycles (the file's header comment gives the causality
  // argument). Wakes every kPipelineTick_s and runs the cycles before the
  // wake-up time in one time order.
  void pipeline_actor() {
    for (long k = 1;; ++k) {
      // off the round instants other actors use (controller, flushers)
      const double horizon = (static_cast<double>(k) - 0.5) * kPipelineTick_s;
      sg4::this_actor::sleep_until(horizon);
      advance_pipeline(horizon);
    }
  }

  // Runs every cycle before `horizon` (which must not be later than the
  // clock, and not earlier than the previous call's) and closes the
  // tumbling windows that end by then. The controller calls it too, so its
  // early-stop checks and drain see what the exact mode's actors would have
  // done by then.
  void advance_pipeline(double horizon) {
    if (horizon <= pipeline_horizon_s) return;
    pipeline_horizon_s = horizon;
    for (size_t i = 0; i < producer_states.size(); ++i) producer_take_s[i] = producer_next(*producer_states[i], horizon);
    for (size_t f = 0; f < fetchers.size(); ++f) replica_take_s[f] = replica_take(fetchers[f], horizon);
    for (size_t t = 0; t < tasks.size(); ++t) take_s[t] = take_time(*tasks[t], horizon);
    std::fill(task_dirty.begin(), task_dirty.end(), 0);
    for (;;) {
      const auto next = std::min_element(cycle_s.begin(), cycle_s.end());  // the first of the earliest
      if (next == cycle_s.end() || *next == kInf) break;
      const double at = *next;
      const auto k = static_cast<size_t>(next - cycle_s.begin());
      if (k < producer_states.size()) {
        const size_t i = k;
        producer_send(*producer_states[i], at);
        producer_take_s[i] = producer_next(*producer_states[i], horizon);
        // only the fetchers of the leaders it sent to, and tasks with new visible batches, have new take times
        for (size_t f = 0; f < fetchers.size(); ++f)
          if (std::find(send_leaders.begin(), send_leaders.end(), fetchers[f].leader) != send_leaders.end())
            replica_take_s[f] = replica_take(fetchers[f], horizon);
        update_dirty_tasks(horizon);
      } else if (k < producer_states.size() + fetchers.size()) {
        const size_t f = k - producer_states.size();
        run_replica(fetchers[f], at);
        replica_take_s[f] = replica_take(fetchers[f], horizon);
        update_dirty_tasks(horizon);
      } else {
        const size_t t = k - producer_states.size() - fetchers.size();
        run_fetch(*tasks[t], at);
        take_s[t] = take_time(*tasks[t], horizon);
      }
    }
    if (cand.processing.window_s)
      for (auto& ts : tasks) close_windows(*ts, horizon);
    // lag now: every append before now, every fetch before now
    lag_at(horizon);
    metrics.max_lag_events = std::max(metrics.max_lag_events, static_cast<double>(appended_seen - fetched_events));
  }

  // New take times for the tasks that got visible batches since the last call.
  void update_dirty_tasks(double horizon) {
    for (size_t t = 0; t < tasks.size(); ++t)
      if (task_dirty[t]) {
        task_dirty[t] = 0;
        take_s[t] = take_time(*tasks[t], horizon);
      }
  }

  std::unique_ptr<ProducerState> make_producer(int id) {
    auto ps = std::make_unique<ProducerState>();
    ps->id = id;
    ps->nic = client_nics[static_cast<size_t>(id)];
    ps->gen = std::make_unique<WorkloadGenerator>(sc.workload, sc.workload.rate_eps / producers, keys,
                                                  Rng(seed, fmt::format("producer/{}", id)), sc.simulation.start_at_s);
    ps->open.resize(static_cast<size_t>(cand.broker.partitions));
    ps->deadline.assign(static_cast<size_t>(cand.broker.partitions), kInf);
    // a batch's events at the mean rate over linger.ms, with room for Poisson and key skew
    const double per_batch = sc.workload.rate_eps / producers / cand.broker.partitions * cand.producer.linger_s;
    ps->expected_batch_events = static_cast<size_t>(std::clamp(2.0 * per_batch + 8.0, 8.0, 4096.0));
    if (in_flight_limited()) ps->connections = make_connections();
    return ps;
  }

  // Adds producer ps's events created before `horizon` to its open batches
  // (as producer_actor) and returns when it next sends, or infinity when
  // that is not before `horizon` (or it has stopped).
  double producer_next(ProducerState& ps, double horizon) {
    if (ps.done) return kInf;
    const int P = cand.broker.partitions;
    const auto& pc = cand.producer;
    const bool keep_keys = cand.processing.keyed_shuffle;
    // the earliest ready batch; it changes only when a batch is opened or fills up
    const auto earliest_ready = [&ps] {
      while (!ps.ready.empty() && ps.ready.top().first != ps.deadline[static_cast<size_t>(ps.ready.top().second)]) ps.ready.pop();  // stale
      return ps.ready.empty() ? kInf : ps.ready.top().first;
    };
    double t_ready = earliest_ready();
    // in locals: the loop's stores into batches could otherwise alias them
    const double created_before = std::min(horizon, window_end_s);
    const double wire_per_byte = compression;
    const double batch_size_bytes = pc.batch_size_bytes;
    for (;;) {
      const GeneratedEvent& ev = ps.gen->peek();
      if (!(ev.time_s < created_before && ev.time_s <= t_ready)) {
        if (ev.time_s <= t_ready && ev.time_s < window_end_s) return kInf;  // not created before `horizon` yet
        break;
      }
      const int p = key_partition.empty() ? static_cast<int>(mix64(ev.key) % static_cast<uint64_t>(P)) : key_partition[ev.key];
      auto& b = ps.open[static_cast<size_t>(p)];
      if (!b) {
        b = new_batch();
        b->partition = p;
        b->created_s.reserve(ps.expected_batch_events);  // one allocation per batch, not one per doubling
        if (keep_keys) b->keys.reserve(ps.expected_batch_events);
        ps.deadline[static_cast<size_t>(p)] = ev.time_s + pc.linger_s;
        ps.ready.emplace(ps.deadline[static_cast<size_t>(p)], p);
        t_ready = earliest_ready();
      }
      b->created_s.push_back(ev.time_s);
      if (keep_keys) b->keys.push_back(ev.key);
      const double before = b->wire_bytes;
      b->wire_bytes += ev.bytes * wire_per_byte;
      if (before < batch_size_bytes && b->wire_bytes >= batch_size_bytes) {  // full: ready now (or when its connection has a free slot)
        ps.deadline[static_cast<size_t>(p)] = ev.time_s;
        ps.ready.emplace(ev.time_s, p);
        t_ready = earliest_ready();
      }
      ps.gen->pop();
    }
    // the next event comes after the earliest ready batch, or the producer has stopped
    if (t_ready == kInf) {
      if (ps.gen->peek().time_s >= window_end_s) {  // stopped and flushed
        ps.done = true;
        --producers_running;
      }
      return kInf;
    }
    return t_ready < horizon ? t_ready : kInf;
  }

  // The events of `b` beyond batch.size (its first always stays) moved into
  // a new batch of the same partition, or nullptr when all of them fit.
  // Exact mode knows each event's size; batched mode splits at the mean.
  BatchPtr split_off_beyond_batch_size(EventBatch& b) {
    const double limit = cand.producer.batch_size_bytes;
    const size_t n = b.created_s.size();
    size_t keep = 0;
    double kept_bytes = 0;
    if (!b.wire_sizes.empty()) {
      while (keep < n && (keep == 0 || kept_bytes + b.wire_sizes[keep] <= limit)) kept_bytes += b.wire_sizes[keep++];
    } else if (n > 0) {
      const double per_event = b.wire_bytes / static_cast<double>(n);
      keep = std::max<size_t>(1, static_cast<size_t>(limit / per_event));
      kept_bytes = per_event * static_cast<double>(keep);
    }
    if (keep >= n) return nullptr;
    BatchPtr rest = new_batch();
    rest->partition = b.partition;
    const auto at = static_cast<std::ptrdiff_t>(keep);
    rest->created_s.assign(b.created_s.begin() + at, b.created_s.end());
    b.created_s.resize(keep);
    if (!b.keys.empty()) {
      rest->keys.assign(b.keys.begin() + at, b.keys.end());
      b.keys.resize(keep);
    }
    if (!b.wire_sizes.empty()) {
      rest->wire_sizes.assign(b.wire_sizes.begin() + at, b.wire_sizes.end());
      b.wire_sizes.resize(keep);
    }
    rest->wire_bytes = std::max(0.0, b.wire_bytes - kept_bytes);
    b.wire_bytes = kept_bytes;
    return rest;
  }

  // A batch to fill: a recycled one when there is one (batched mode).
  BatchPtr new_batch() {
    if (batch_pool.empty()) return std::make_shared<EventBatch>();
    BatchPtr b = std::move(batch_pool.back());
    batch_pool.pop_back();
    return b;
  }

  // Done with the fetched batches in `got`: those nobody else holds are reset and kept for reuse.
  void release_batches(std::vector<BatchPtr>& got) {
    for (auto& b : got)
      if (b.use_count() == 1) {
        b->reset();
        batch_pool.push_back(std::move(b));
      }
    got.clear();
  }

  // Producer ps sends at `now` (send_ready_batches); each leader handles its
  // request on arrival. send_leaders: the leaders it sent to.
  void producer_send(ProducerState& ps, double now) {
    auto& leaders = send_leaders;
    leaders.clear();
    send_ready_batches(ps.open, ps.deadline, ps.ready, ps.connections.get(), now,
                       [&](int leader, std::vector<BatchPtr>& batches, double wire_bytes) {
                         if (std::find(leaders.begin(), leaders.end(), leader) == leaders.end()) leaders.push_back(leader);
                         auto& br = brokers[static_cast<size_t>(leader)];
                         if (measuring(now)) br.nic_in_bytes += wire_bytes;
                         const double arrived = nics.transfer(ps.nic, br.nic, now, wire_bytes, latency_s);
                         handle_request(leader, arrived, wire_bytes, batches);
                       });
  }

  // The request carrying `batches` is in flight on `leader`'s connection.
  static void in_flight(Connections& connections, int leader, const std::vector<BatchPtr>& batches) {
    uint64_t messages = 0;
    for (const auto& b : batches) messages += b->created_s.size();
    InFlight* request =
        connections.open_request(leader, batches.front()->partition, static_cast<int>(batches.size()), messages);
    for (const auto& b : batches) b->request = request;
  }

  // Broker b handles a produce request arriving at `now` (as broker_actor).
  void handle_request(int b, double now, double wire_bytes, const std::vector<BatchPtr>& batches) {
    if (managed) {
      handle_service_request(b, now, wire_bytes, batches);
      return;
    }
    auto& br = brokers[static_cast<size_t>(b)];
    const auto& bc = cand.broker;
    double cpu_s = bc.cpu_per_request_s + bc.cpu_per_byte_s * wire_bytes;
    if (bc.fsync_each_batch) cpu_s += wire_bytes / bc.instance.disk_write_bps + bc.instance.fsync_s;  // the handler thread waits for the flush
    if (measuring(now)) br.cpu_busy_s += cpu_s;
    const double appended = br.cpu->serve(now, cpu_s);
    br.dirty_bytes += wire_bytes;
    for (const auto& batch : batches) append(batch, appended, now);
  }

  // A managed service takes a request arriving at `now`. Kinesis: the
  // shard's write limit (bytes/s or records/s, whichever binds) is a token
  // bucket holding one second of the limit (the limits are per second),
  // kept as a virtual clock (GCRA): a request passes at once while the
  // bucket holds its cost, else it waits, first come first served, until
  // the bucket has refilled (it is "throttled"; a real client is rejected
  // and retries with backoff, so the wait is the best case of throttling);
  // then the put latency. Pub/Sub: no limit, a publish -> deliver latency
  // drawn per request.
  void handle_service_request(int b, double now, double wire_bytes, const std::vector<BatchPtr>& batches) {
    auto& br = brokers[static_cast<size_t>(b)];
    double ready = now;
    if (kinesis) {
      const auto& k = sc.hardware.catalog.kinesis;
      double records = 0;
      for (const auto& batch : batches) records += static_cast<double>(batch->created_s.size());
      const double cost_s = std::max(wire_bytes / k.write_bps_per_shard.value, records / k.write_records_per_shard.value);
      constexpr double bucket_s = 1.0;  // one second of the limit
      const double tolerance_s = std::max(0.0, bucket_s - cost_s);  // a request may start while the bucket holds its cost
      const double start = std::max({now, br.limit_tat_s - tolerance_s, br.limit_last_start_s});
      br.limit_tat_s = std::max(br.limit_tat_s, start) + cost_s;
      br.limit_last_start_s = start;
      if (measuring(now)) {
        br.cpu_busy_s += cost_s;
        ++service_requests;
        if (start > now + 1e-12) ++throttled_requests;
      }
      ready = start + k.put_latency_s.value;
    } else {
      ready = now + std::exp(pubsub_mu + pubsub_sigma * service_rng->normal());
    }
    for (const auto& batch : batches) append(batch, ready, now);
  }

  // When replica fetcher rf next takes batches, or infinity when not before `horizon`.
  double replica_take(const ReplicaFetcher& rf, double horizon) const {
    if (rf.pending.empty()) return kInf;
    const double take = std::max(rf.ready_s, rf.pending.front()->append_clock_s);
    return take < horizon ? take : kInf;
  }

  // One replica fetch taking the batches appended by `now` (as replica_actor).
  void run_replica(ReplicaFetcher& rf, double now) {
    auto& leader = brokers[static_cast<size_t>(rf.leader)];
    auto& follower = brokers[static_cast<size_t>(rf.follower)];
    const auto& bc = cand.broker;
    auto& batch = fetch_batches;
    batch.clear();
    double bytes = 0;
    double last_append = now;
    // A fetcher waiting for data is answered by the first batch appended: the
    // leader's other batches of the same request go with its next fetch (as
    // the exact mode's actors do: the notification runs the waiting fetcher first).
    const bool woken = rf.ready_s < now;
    while (!rf.pending.empty() && rf.pending.front()->append_clock_s <= now && !(woken && !batch.empty())) {
      bytes += rf.pending.front()->wire_bytes;
      last_append = std::max(last_append, rf.pending.front()->appended_s);
      batch.push_back(std::move(rf.pending.front()));
      rf.pending.pop_front();
    }
    // the response leaves now, shifted by the few CPU microseconds until the batches are in the leader's log
    const double offset = last_append - now;
    if (measuring(now)) {
      leader.nic_out_bytes += bytes;
      follower.nic_in_bytes += bytes;
    }
    const double arrived = nics.transfer(leader.nic, follower.nic, now, bytes, latency_s) + offset;
    const double cpu_s = bc.cpu_per_request_s + bc.cpu_per_byte_s * bytes;
    if (measuring(arrived)) follower.cpu_busy_s += cpu_s;
    const double appended = follower.cpu->serve(arrived, cpu_s);
    follower.dirty_bytes += bytes;
    // the next fetch request tells the leader how far this follower got
    const double confirmed = appended + latency_s;
    rf.ready_s = confirmed;
    for (auto& b : batch)
      if (--b->confirmations_pending == 0) make_visible(b, confirmed, confirmed);
    batch.clear();
  }

  // Brings appended_seen to the events appended by `t_s` (non-decreasing across calls).
  void lag_at(double t_s) {
    while (!append_log.empty() && append_log.front().first <= t_s) {
      appended_seen += append_log.front().second;
      append_log.pop_front();
    }
  }

  // When task ts's next fetch takes its data, or infinity when that is not
  // before `horizon` (batches visible from `horizon` on are not known yet).
  double take_time(TaskState& ts, double horizon) {
    const auto& pc = cand.processing;
    if (micro_batch) {
      // the next trigger after the previous batch; the request reaches the leaders one latency later
      const double trigger = std::ceil(std::max(ts.request_s, ts.batch_done_s) / pc.trigger_interval_s) * pc.trigger_interval_s;
      const double take = trigger + latency_s;
      return take < horizon ? take : kInf;
    }
    if (ts.request_s >= horizon) return kInf;
    if (kinesis && !efo) {  // GetRecords returns what the shard holds now; no long poll
      ts.take_upto_seq = UINT64_MAX;
      return ts.request_s;
    }
    // the leaders answer once fetch.min.bytes are visible, or at fetch.wait.max.ms (push services: at the first record)
    const double min_bytes = push ? 1.0 : std::max(1.0, cand.consumer.fetch_min_bytes);
    const double deadline = push ? kInf : ts.request_s + cand.consumer.fetch_wait_max_s;
    uint64_t trigger_seq = UINT64_MAX;
    if (cand.consumer.hold_empty_fetch && !push) {
      // data there when the request arrives: taken now; none: an empty answer at the deadline, whatever joins meanwhile
      ts.held_empty = visible_reaches(ts, 1.0, ts.request_s, trigger_seq) > ts.request_s;
      ts.take_upto_seq = UINT64_MAX;
      const double take = ts.held_empty ? deadline : ts.request_s;
      return take < horizon ? take : kInf;
    }
    const double ready = visible_reaches(ts, min_bytes, ts.request_s, trigger_seq);
    const double take = std::min(ready, deadline);
    // A fetch waiting at the leader is answered as soon as the batch that
    // completes fetch.min.bytes joins the log: batches registered with it at
    // the same instant but after it wait for the next fetch (as the exact
    // mode's actors do: the notification runs the waiting task first).
    ts.take_upto_seq = ready > ts.request_s && ready <= deadline ? trigger_seq : UINT64_MAX;
    return take < horizon ? take : kInf;
  }

  // Earliest time, not before `from_s`, at which the task's partitions hold
  // `bytes` of registered batches (infinity when the known batches do not).
  double visible_reaches(const TaskState& ts, double bytes, double from_s, uint64_t& trigger_seq) {
    // visible queues are in registration order: merge them by time
    auto& at = merge_at;      // per partition: its queue position, once the merge passes a batch
    auto& head = merge_head;  // per partition: its batch at at[i], or nullptr past the queue's end
    const size_t n = ts.partitions.size();
    bool merging = false;     // at[] is set (the common fetch.min.bytes of 1 needs none)
    head.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const auto& q = partitions[static_cast<size_t>(ts.partitions[i])].visible;
      head[i] = q.empty() ? nullptr : q.front().get();
    }
    double sum = 0;
    for (;;) {
      size_t best = SIZE_MAX;
      double best_t = kInf;
      for (size_t i = 0; i < n; ++i) {
        const EventBatch* h = head[i];
        if (h && (h->registered_s < best_t || (h->registered_s == best_t && h->visible_seq < trigger_seq))) {
          best_t = h->registered_s;
          trigger_seq = h->visible_seq;
          best = i;
        }
      }
      if (best == SIZE_MAX) return kInf;
      sum += head[best]->wire_bytes;
      if (sum >= bytes) return std::max(from_s, best_t);
      const auto& q = partitions[static_cast<size_t>(ts.partitions[best])].visible;
      if (!merging) {
        at.assign(n, 0);
        merging = true;
      }
      ++at[best];
      head[best] = at[best] < q.size() ? q[at[best]].get() : nullptr;
      trigger_seq = UINT64_MAX;
    }
  }

  // One fetch cycle of task ts taking its data at `take` (as task_actor).
  void run_fetch(TaskState& ts, double take) {
    const auto& cc = cand.consumer;
    const auto& pc = cand.processing;
    if (ts.held_empty) {  // a held empty fetch: the empty response back, the next request out
      ts.held_empty = false;
      ts.request_s = take + 2 * latency_s;
      return;
    }
    const double max_bytes = micro_batch ? kInf : cc.fetch_max_bytes;
    const auto max_records = micro_batch ? SIZE_MAX : static_cast<size_t>(cc.max_poll_records);
    if (micro_batch) {
      const double trigger = std::ceil(std::max(ts.request_s, ts.batch_done_s) / pc.trigger_interval_s) * pc.trigger_interval_s;
      bool any = false;
      for (int p : ts.partitions) {
        const auto& q = partitions[static_cast<size_t>(p)].visible;
        any = any || (!q.empty() && q.front()->registered_s <= take);
      }
      if (!any) {  // empty trigger: wait for the next one
        ts.request_s = take;
        ts.batch_done_s = trigger + pc.trigger_interval_s * 0.5;
        return;
      }
    }
    // take what is visible, up to fetch.max.bytes and max.poll.records; one response per leader
    double taken = 0;
    size_t records = 0;
    double fetched = take;
    auto& events = fetch_scratch;
    events.clear();
    lag_at(take);
    metrics.max_lag_events = std::max(metrics.max_lag_events, static_cast<double>(appended_seen - fetched_events));
    leader_bytes.clear();
    auto& got = fetch_batches;
    got.clear();
    // Kinesis: a GetRecords call per shard, each within the shard's read limits; enhanced fan-out: no per-call limits
    const bool shard_caps = kinesis && !efo;
    for (int p : ts.partitions) {
      auto& ps = partitions[static_cast<size_t>(p)];
      double from_leader = 0;
      double shard_records = 0;
      auto fits = [&](const EventBatch& b) {
        if (efo) return true;
        if (shard_caps)
          return from_leader == 0 || (from_leader + b.wire_bytes <= shard_poll_bytes &&
                                      shard_records + static_cast<double>(b.created_s.size()) <= shard_poll_records);
        return taken == 0 || (taken + b.wire_bytes <= max_bytes && records + b.created_s.size() <= max_records);
      };
      while (!ps.visible.empty() && !(cc.one_batch_per_partition && from_leader > 0) &&
             (ps.visible.front()->registered_s < take ||
              (ps.visible.front()->registered_s == take && ps.visible.front()->visible_seq <= ts.take_upto_seq)) &&
             fits(*ps.visible.front())) {
        taken += ps.visible.front()->wire_bytes;
        records += ps.visible.front()->created_s.size();
        shard_records += static_cast<double>(ps.visible.front()->created_s.size());
        from_leader += ps.visible.front()->wire_bytes;
        ps.visible_bytes -= ps.visible.front()->wire_bytes;
        got.push_back(std::move(ps.visible.front()));
        ps.visible.pop_front();
      }
      if (from_leader <= 0) continue;
      auto it = std::find_if(leader_bytes.begin(), leader_bytes.end(), [&](const auto& lb) { return lb.first == ps.leader; });
      if (it == leader_bytes.end()) {
        leader_bytes.emplace_back(ps.leader, from_leader);
      } else {
        it->second += from_leader;
      }
    }
    if (got.empty()) {
      ts.request_s = shard_caps ? take + poll_s : take + 2 * latency_s;  // empty response back, next request out (Kinesis: next poll)
      return;
    }
    std::sort(leader_bytes.begin(), leader_bytes.end());  // leaders answer in parallel: the order only breaks NIC ties
    // the chunk lists the responses by leader, as task_actor does
    // (a stable insertion sort: a fetch holds a few batches, and std::stable_sort allocates a buffer per call)
    for (size_t i = 1; i < got.size(); ++i) {
      const int leader = partitions[static_cast<size_t>(got[i]->partition)].leader;
      size_t j = i;
      for (; j > 0 && partitions[static_cast<size_t>(got[j - 1]->partition)].leader > leader; --j) {
      }
      if (j < i) std::rotate(got.begin() + static_cast<std::ptrdiff_t>(j), got.begin() + static_cast<std::ptrdiff_t>(i), got.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
    double push_free = take;  // enhanced fan-out: when each shard's push pipe is free again
    if (efo) {
      // each shard pushes at its per-consumer rate, shards in parallel, then the propagation delay
      for (const auto& [leader, bytes] : leader_bytes) push_free = std::max(push_free, take + bytes / sc.hardware.catalog.kinesis.efo_bps_per_shard.value);
      fetched = push_free + sc.hardware.catalog.kinesis.efo_latency_s.value;
    } else if (pubsub) {
      fetched = take;  // the publish -> deliver latency distribution covers the delivery
    } else {
      for (const auto& [leader, bytes] : leader_bytes)
        fetched = std::max(fetched, nics.transfer(brokers[static_cast<size_t>(leader)].nic, ts.nic, take, bytes, latency_s));
      if (kinesis) fetched += sc.hardware.catalog.kinesis.get_records_latency_s.value;
    }
    for (auto& b : got) {
      if (measuring(fetched)) brokers[static_cast<size_t>(partitions[static_cast<size_t>(b->partition)].leader)].nic_out_bytes += b->wire_bytes;
      fetched_events += b->created_s.size();
      if (b->in_window) stage(kFetch).histogram.record(fetched - b->visible_s, b->in_window);
      const size_t n = b->created_s.size();
      if (events.capacity() < events.size() + n) events.reserve(std::max(events.size() + n, 2 * events.capacity()));
      const double* const created = b->created_s.data();
      if (b->keys.empty()) {
        for (size_t i = 0; i < n; ++i) events.push_back(Trace{created[i], 0, 0});
      } else {
        for (size_t i = 0; i < n; ++i) events.push_back(Trace{created[i], 0, b->keys[i]});
      }
    }
    release_batches(got);
    ts.take_s = take;
    if (aligned) note_barriers(ts);
    double next_request = 0;
    if (serverless) {
      next_request = invoke_functions(ts, fetched, events);  // the poller waits for the batch's result
    } else {
      next_request = std::max(fetched, ts.op->station().last_departure_s());  // when the operator starts on it
      const double before = ts.op->station().busy_s();
      ts.op->serve_all_at_each(fetched + (micro_batch ? pc.batch_overhead_s : 0.0), events.size(),
                               [&events](size_t i, double departed_s) { events[i].departed_s = departed_s; });
      if (measuring(fetched)) ts.busy_s += (ts.op->station().busy_s() - before) * core_share;
    }
    if (aligned) {
      ts.last_take_s = take;
      ts.last_done_s = ts.op->station().last_departure_s();
    }
    hand_off(ts, events, fetched);
    if (micro_batch) {
      ts.request_s = fetched;
      ts.batch_done_s = ts.op->station().last_departure_s();
      return;
    }
    if (shard_caps) {
      ts.request_s = std::max(take + poll_s, next_request);  // next GetRecords at the poll tick, once the records are handed on
    } else if (efo) {
      // pushes are pipelined: the next leaves the shard while this one propagates, unless the operator lags behind
      ts.request_s = std::max(push_free, next_request - sc.hardware.catalog.kinesis.efo_latency_s.value);
    } else {
      ts.request_s = std::max(next_request, fetched) + latency_s;
    }
  }

  // Serverless: the chunk's events go to the function in invocations of at
  // most batch_size events; each returns when its last event is done (cold
  // start included). Returns when the chunk's last invocation returned.
  double invoke_functions(TaskState& ts, double fetched, std::vector<Trace>& events) {
    const auto per = static_cast<size_t>(cand.processing.serverless.batch_size);
    const bool measured = measuring(fetched);
    double last = fetched;
    for (size_t i = 0; i < events.size(); i += per) {
      const size_t n = std::min(per, events.size() - i);
      double work = invoke_overhead_s;
      for (size_t k = 0; k < n; ++k) work += ts.op->sample_service_s();
      const auto inv = functions->invoke(fetched, work, measured);
      if (measured) window_invocation_events += n;
      for (size_t k = 0; k < n; ++k) events[i + k].departed_s = inv.end_s;
      last = std::max(last, inv.end_s);
    }
    return last;
  }

  // ---------------------------------------------------------------- checkpoint alignment
  // Flink aligned checkpoints (exactly-once mode), modelled small: the
  // checkpoint coordinator injects barrier k at every source at
  // t_k = phase + k x interval (the job's shared commit phase). A source
  // task's records taken before t_k precede the barrier, so the barrier
  // leaves task w's first operator when that operator has finished them:
  // b_w = max(t_k, w's operator done with its last pre-barrier chunk). Each
  // keyed operator has an input channel from every upstream task; a channel
  // whose barrier arrived is blocked until the last barrier arrives (one
  // network latency after max_w b_w). So records from upstream task u that
  // follow its barrier and reach the keyed operator before then wait. The
  // stall of a checkpoint is max_w b_w - min_w b_w: zero with one task, and
  // larger when one task's backlog (key skew, busy operator) holds its
  // barrier back. Not modelled: the barrier's own transfer, snapshot time
  // (asynchronous in Flink), and unaligned checkpoints (no stall).
  double checkpoint_at(long k) const { return tasks.front()->commit_phase_s + static_cast<double>(k) * plan.commit_interval_s; }
  long checkpoint_before(double t) const {  // latest checkpoint at or before t; -1 when none
    const double x = std::floor((t - tasks.front()->commit_phase_s) / plan.commit_interval_s);
    return x < 0 ? -1 : static_cast<long>(x);
  }

  // Task u takes a chunk at u.take_s: the latest barrier injected since its previous take leaves its operator.
  void note_barriers(TaskState& u) {
    const long k = checkpoint_before(u.take_s);
    if (k < 0 || checkpoint_at(k) <= u.last_take_s) return;
    u.barrier_k = k;
    u.barrier_s = std::max(checkpoint_at(k), u.last_done_s);
  }

  // Barrier k leaves task w's first operator (w has taken nothing since t_k when it has not recorded it).
  double barrier_of(const TaskState& w, long k) const {
    if (w.barrier_k == k) return w.barrier_s;
    if (w.barrier_k > k) return -kInf;  // w is past a later barrier: it cannot hold this one back
    return std::max(checkpoint_at(k), w.last_done_s);
  }

  // When records of upstream task u's current chunk may enter the keyed operators (-infinity: no stall).
  double alignment_release(const TaskState& u) {
    const long k = checkpoint_before(u.take_s);
    if (k < 0 || u.barrier_k != k) return -kInf;
    double first = kInf, last = -kInf;
    for (const auto& w : tasks) {
      const double b = barrier_of(*w, k);
      if (b == -kInf) continue;
      first = std::min(first, b);
      last = std::max(last, b);
    }
    if (k > stall_k) {
      stall_k = k;
      if (measuring(checkpoint_at(k)) && checkpoint_at(k) < window_end_s) {
        ++stalled_checkpoints;
        stall_sum_s += last - first;
        stall_max_s = std::max(stall_max_s, last - first);
      }
    }
    return last > u.barrier_s ? last + latency_s : -kInf;
  }

  // Batched mode: tumbling windows of task ts that end by `horizon`
  // (every event leaving its operator before then is known), as window_actor.
  void close_windows(TaskState& ts, double horizon) {
    const double w = *cand.processing.window_s;
    auto& evs = window_scratch;
    for (; ts.window_end_s <= horizon; ts.window_end_s += w) close_window(ts, ts.window_end_s, evs);
  }

  // Closes the window of task ts that ends at `end`: the results of the
  // events that left the operator before then are written at `end`.
  void close_window(TaskState& ts, double end, std::vector<Trace>& evs) {
    evs.clear();
    while (!ts.window_buffer.empty() && ts.window_buffer.front().departed_s < end) {
      evs.push_back(ts.window_buffer.front());
      ts.window_buffer.pop_front();
    }
    if (evs.empty()) return;
    for (const auto& e : evs)
      if (in_window(e.created_s)) stage(kWindow).histogram.record(end - e.departed_s);
    write_to_sink(ts, evs, end);
  }

  // Exact mode: the operator thread of task t, one SimGrid execution per
  // event (CPU sharing between tasks on a host is SimGrid's).
  void operator_actor(int t) {
    auto& ts = *tasks[static_cast<size_t>(t)];
    const double speed = ts.host->get_speed();
    std::unique_lock lock(*ts.operator_signal.mutex);
    for (;;) {
      ts.operator_signal.wait(lock, [&] { return !ts.chunks.empty(); });
      auto chunk = std::move(ts.chunks.front());
      ts.chunks.pop_front();
      chunk->started = true;
      ts.started_signal.notify();
      for (auto& e : chunk->events) {
        const double service = ts.op->sample_service_s() * core_share;  // dedicated-core time; sharing comes from SimGrid
        if (measuring(sg4::Engine::get_clock())) ts.busy_s += service;
        sg4::this_actor::execute(service * speed);
        e.departed_s = sg4::Engine::get_clock();
      }
      hand_off(ts, chunk->events, chunk->fetched_s);
    }
  }

  // After the first operator: keyed shuffle, window, sink.
  void hand_off(TaskState& ts, std::vector<Trace>& out, double fetched) {
    if (out.empty()) return;
    if (!cand.processing.keyed_shuffle) {
      finish_operator(ts, out, fetched);
      return;
    }
    // Repartition by key to the downstream operator instances. The records
    // leave when the upstream operator is done with the chunk; the transfer
    // is made now and shifted to that time, so the consumer keeps fetching.
    double upstream_done = fetched;
    for (const auto& e : out) upstream_done = std::max(upstream_done, e.departed_s);
    const double release = aligned ? alignment_release(ts) : -kInf;  // checkpoint alignment (batched mode)
    const auto T = static_cast<uint64_t>(tasks.size());
    std::map<int, std::vector<Trace>> by_task;
    for (const auto& e : out) by_task[static_cast<int>(mix64(e.key ^ 0x5bd1e995ULL) % T)].push_back(e);
    const double event_bytes = sc.workload.event_size.mean();
    for (auto& [t, evs] : by_task) {
      auto& dst = *tasks[static_cast<size_t>(t)];
      const double bytes = std::max(1.0, static_cast<double>(evs.size()) * event_bytes);
      double network_s = 0;
      if (dst.host != ts.host && exact) {
        const double t0 = sg4::Engine::get_clock();
        sg4::Comm::sendto(ts.host, dst.host, static_cast<uint64_t>(bytes));
        network_s = sg4::Engine::get_clock() - t0;
      } else if (dst.host != ts.host) {
        network_s = nics.uncontended_s(ts.nic, dst.nic, bytes, latency_s);  // batched: no simulator step (header comment)
      }
      const double arrived = std::max({network_s + upstream_done, release, dst.op2->station().last_arrival_s()});
      const double before = dst.op2->station().busy_s();
      auto& chunk = evs;  // clang 14 cannot capture a structured binding
      dst.op2->serve_all_at_each(arrived, chunk.size(), [&chunk](size_t i, double departed_s) { chunk[i].departed_s = departed_s; });
      if (measuring(arrived)) dst.busy_s += (dst.op2->station().busy_s() - before) * core_share;
      finish_operator(dst, evs, fetched);
    }
  }

  // Events leave the last operator (running on `last`): into the window, or
  // to the sink as one asynchronous write through that task's sink client.
  void finish_operator(TaskState& last, const std::vector<Trace>& evs, double fetched) {
    LogHistogram::Recorder processing(stage(kProcessing).histogram);
    double done = 0;
    const TimeWindow w = window();
    for (const auto& e : evs) {
      done = std::max(done, e.departed_s);
      if (w.contains(e.created_s)) processing.record(e.departed_s - fetched);
    }
    if (cand.processing.window_s) {
      last.window_buffer.insert(last.window_buffer.end(), evs.begin(), evs.end());
      return;
    }
    write_to_sink(last, evs, done);
  }

  // Processing-time tumbling windows: at each window end, the results of the
  // events that left the operator during the window are written.
  void window_actor(int t) {
    auto& ts = *tasks[static_cast<size_t>(t)];
    const double w = *cand.processing.window_s;
    std::vector<Trace> evs;
    for (double end = w;; end += w) {
      sg4::this_actor::sleep_until(end);
      close_window(ts, end, evs);
    }
  }

  // Hands events to the task's sink client at `handoff`; they are recorded
  // when the write that carries them is decided.
  void write_to_sink(TaskState& ts, const std::vector<Trace>& evs, double handoff) {
    ts.unwritten.insert(ts.unwritten.end(), evs.begin(), evs.end());
    if (!evs.empty()) ts.unwritten_runs.emplace_back(handoff, evs.size());
    ts.sink->hand_off(handoff, evs.size(), written(ts));
  }

  BatchingWriter::OnWrite written(TaskState& ts) {
    return [this, &ts](size_t, size_t count, double, double done) {
      if (done >= window_start_s && done < window_end_s) metrics.deliveries_in_window += count;
      // exactly-once: the write belongs to the open transaction; readers see it when that commits
      const double seen = plan.transactional ? committed_at(ts, done) : done;
      const int timeline_window = metrics.timeline.window_of(done);  // one delivery instant for the whole write
      const int slice = metrics.end_to_end.slice_of(done);
      const Trace* const evs = ts.unwritten.data() + ts.unwritten_head;
      const TimeWindow w = window();
      ts.unwritten_head += count;
      // each histogram gets its values in event order, one pass per histogram (Recorders)
      uint64_t delivered = 0;
      {
        LogHistogram::Recorder end_to_end(metrics.end_to_end.slice_histogram(slice));
        LatencyTimeSeries::Recorder timeline(metrics.timeline, timeline_window);
        // events handed off together share their hand-off time, so the sink
        // stage's value: one bucket lookup per run of them
        LogHistogram::Recorder sink_stage(stage(kSink).histogram);
        for (size_t i = 0; i < count;) {
          auto& [run_handoff, run_events] = ts.unwritten_runs.front();
          const size_t stop = i + std::min(run_events, count - i);
          run_events -= stop - i;
          uint64_t run_delivered = 0;
          for (; i < stop; ++i) {
            timeline.record(seen - evs[i].created_s);  // latency over time: every delivery, by delivery time
            if (w.contains(evs[i].created_s)) {
              end_to_end.record(seen - evs[i].created_s);
              ++run_delivered;
            }
          }
          sink_stage.record_repeated(done - run_handoff, run_delivered);
          delivered += run_delivered;
          if (run_events == 0) ts.unwritten_runs.pop_front();
        }
      }
      if (delivered > 0) {
        metrics.end_to_end.note_recorded(slice);
        metrics.window_events_delivered += delivered;
        if (plan.transactional) LogHistogram::Recorder(stage(kCommit).histogram).record_repeated(seen - done, delivered);
      }
      if (ts.unwritten_head == ts.unwritten.size() || ts.unwritten_head > 4096) {  // drop what was written
        ts.unwritten.erase(ts.unwritten.begin(), ts.unwritten.begin() + static_cast<std::ptrdiff_t>(ts.unwritten_head));
        ts.unwritten_head = 0;
      }
    };
  }

  // When a write done at `done_s` becomes visible: the task's next commit instant, plus the commit.
  double committed_at(const TaskState& ts, double done_s) const {
    const double c = plan.commit_interval_s;
    return ts.commit_phase_s + std::ceil((done_s - ts.commit_phase_s) / c) * c + plan.commit_s;
  }

  // ---------------------------------------------------------------- control
  void controller_actor() {
    const auto& sim = sc.simulation;
    sg4::this_actor::sleep_until(window_start_s);
    for (auto& ts : tasks) ts->sink->start_window(window_start_s);
    const double check_every = sim.duration_s / (4.0 * sim.batches);
    if (sim.p99_ci_rel_width > 0) {
      for (double t = window_start_s + check_every; t < window_end_s - 1e-12; t += check_every) {
        sg4::this_actor::sleep_until(t);
        if (!exact) advance_pipeline(t);
        // relative_half_width needs at least `batches` filled slices (a quarter of the duration)
        if (metrics.end_to_end.relative_half_width(0.99, sim.batches) <= sim.p99_ci_rel_width) {
          window_end_s = t;
          metrics.stopped_early = true;
          break;
        }
      }
    }
    sg4::this_actor::sleep_until(window_end_s);
    metrics.window_end_s = window_end_s;
    // drain: every in-window event reaches the sink, or the limit passes
    const double limit = window_end_s + drain_limit_s;
    const double step = std::max(1e-3, std::min(0.05, sim.duration_s / 200.0));
    auto flush_sinks = [&] {
      if (!exact) advance_pipeline(sg4::Engine::get_clock());
      for (auto& ts : tasks) ts->sink->flush_until(sg4::Engine::get_clock(), written(*ts));
    };
    flush_sinks();
    while ((producers_running > 0 || metrics.window_events_delivered < metrics.window_events_offered) &&
           sg4::Engine::get_clock() < limit) {
      sg4::this_actor::sleep_for(step);
      flush_sinks();
    }
    metrics.drained = producers_running == 0 && metrics.window_events_delivered >= metrics.window_events_offered;
    metrics.end_s = sg4::Engine::get_clock();
  }

  // ---------------------------------------------------------------- results
  // Busiest instance's offered utilisation per resource class at the mean rate.
  std::vector<std::pair<std::string, double>> offered_loads() const {
    const double rate = sc.workload.rate_eps;
    const double wire_bps = rate * sc.workload.event_size.mean() * compression;
    const auto& bc = cand.broker;
    const double B = bc.count, RF = bc.replication_factor;
    std::vector<std::pair<std::string, double>> loads;
    const auto part_share = keys.bucket_shares(bc.partitions);
    if (!managed) {
      // each broker receives its leader share of produce traffic plus (RF-1)/B of all replication traffic
      loads.emplace_back("broker nic in", wire_bps * RF / B / bc.instance.network_bps);
      loads.emplace_back("broker disk", wire_bps * RF / B / bc.instance.disk_write_bps);
    }
    if (kinesis) {
      // the hottest shard: keys hash to shards
      const auto& k = sc.hardware.catalog.kinesis;
      const double share = *std::max_element(part_share.begin(), part_share.end());
      const double eps = rate * share, bps = wire_bps * share;
      loads.emplace_back("kinesis shard write", std::max(bps / k.write_bps_per_shard.value, eps / k.write_records_per_shard.value));
      if (efo) {
        loads.emplace_back("kinesis shard read", bps / k.efo_bps_per_shard.value);
      } else {
        loads.emplace_back("kinesis shard read", std::max(bps * poll_s / shard_poll_bytes, eps * poll_s / shard_poll_records));
      }
    }
    // the hottest task: partitions hash keys; tasks take partitions round robin
    std::vector<double> task_share(tasks.size(), 0.0);
    for (size_t p = 0; p < part_share.size(); ++p) task_share[p % tasks.size()] += part_share[p];
    const double hottest = *std::max_element(task_share.begin(), task_share.end());
    if (serverless) {
      // at best every invocation carries a full batch
      const auto& sv = cand.processing.serverless;
      loads.emplace_back("function concurrency",
                         rate * (cand.processing.cpu_per_event_s / core_share + invoke_overhead_s / sv.batch_size) / sv.concurrency);
    } else {
      loads.emplace_back("processing task", rate * hottest * cand.processing.cpu_per_event_s / core_share);
    }
    return loads;
  }

  // Figures and notes of the technology profiles (after the run).
  void profile_summary() {
    const auto& cat = sc.hardware.catalog;
    const auto& pc = cand.processing;
    auto& pr = metrics.profile;
    const double window = std::max(1e-9, metrics.window_end_s - window_start_s);
    if (kinesis) {
      const auto& k = cat.kinesis;
      pr.present = true;
      pr.throttled_fraction = service_requests ? static_cast<double>(throttled_requests) / static_cast<double>(service_requests) : 0.0;
      metrics.notes.push_back(fmt::format(
          "kinesis: {} shards ({} MB/s or {} records/s each for writes); {:.2f}% of PutRecords requests found their shard's write limit used up and "
          "waited for it (a real client is rejected and retries with backoff: the wait shown is the best case); put latency {}",
          cand.broker.partitions, k.write_bps_per_shard.value / 1e6, k.write_records_per_shard.value, 100 * pr.throttled_fraction,
          format_duration(k.put_latency_s.value)));
      if (efo)
        metrics.notes.push_back(fmt::format("kinesis: enhanced fan-out: records pushed at {} MB/s per shard, propagation {}",
                                            k.efo_bps_per_shard.value / 1e6, format_duration(k.efo_latency_s.value)));
      else
        metrics.notes.push_back(fmt::format("kinesis: polling: GetRecords every {} per shard ({} application(s) share the shard's {} calls/s and {} MB/s), "
                                            "at most {:.3g} MB and {:.0f} records per call, response {}",
                                            format_duration(poll_s), cand.broker.kinesis.consumer_applications, k.get_records_per_s.value,
                                            k.read_bps_per_shard.value / 1e6, shard_poll_bytes / 1e6, shard_poll_records,
                                            format_duration(k.get_records_latency_s.value)));
    }
    if (pubsub)
      metrics.notes.push_back(fmt::format("pubsub: publish -> deliver lognormal, median {}, p99 {} (catalog); no throughput limit modelled; "
                                          "messages are spread over the {} subscriber tasks by key hash (as with ordering keys)",
                                          format_duration(cat.pubsub.latency_median_s.value), format_duration(cat.pubsub.latency_p99_s.value),
                                          pc.parallelism));
    if (serverless) {
      pr.present = true;
      const double inv = static_cast<double>(functions->invocations());
      pr.invocations_per_s = inv / window;
      pr.billed_gb_s_per_s = functions->busy_s() * memory_gb / window;
      pr.cold_start_fraction = inv > 0 ? static_cast<double>(functions->cold_starts()) / inv : 0.0;
      pr.events_per_invocation = inv > 0 ? static_cast<double>(window_invocation_events) / inv : 0.0;
      pr.mean_concurrency = functions->busy_s() / window;
      metrics.notes.push_back(fmt::format(
          "serverless: concurrency limit {}, up to {} events per invocation, {:.0f} MB ({:.2f} of a core); {:.1f} invocations/s of {:.1f} events, "
          "{:.2f}% cold (init counted in the billed duration), {:.1f} billed environment-seconds per second; {} event source pollers wait for each batch's result",
          pc.serverless.concurrency, pc.serverless.batch_size, pc.serverless.memory_mb, core_share, pr.invocations_per_s, pr.events_per_invocation,
          100 * pr.cold_start_fraction, pr.mean_concurrency, pc.parallelism));
    }
    if (pc.checkpoint_alignment) {
      pr.present = true;
      pr.checkpoints = stalled_checkpoints;
      pr.alignment_stall_mean_s = stalled_checkpoints ? stall_sum_s / static_cast<double>(stalled_checkpoints) : 0.0;
      pr.alignment_stall_max_s = stall_max_s;
      metrics.notes.push_back(
          aligned ? fmt::format("flink: aligned checkpoints every {}: {} in the window; the keyed operator's inputs waited {} on average (at most {}) "
                                "for the last upstream barrier",
                                format_duration(plan.commit_interval_s), stalled_checkpoints, format_duration(pr.alignment_stall_mean_s),
                                format_duration(pr.alignment_stall_max_s))
                  : "flink: checkpoint alignment has nothing to align without a keyed shuffle (no stall)");
    }
  }

  void collect_utilisation() {
    const double window = std::max(1e-9, metrics.window_end_s - window_start_s);
    // Activity after the window (drain) is not counted; activity during it is.
    auto add = [&](const std::string& name, const std::vector<double>& per_instance) {
      if (per_instance.empty()) return;
      double sum = 0, peak = 0;
      for (double v : per_instance) {
        sum += v;
        peak = std::max(peak, v);
      }
      metrics.utilisation.push_back(Utilisation{name, sum / static_cast<double>(per_instance.size()), peak});
    };
    std::vector<double> cpu, disk, nic_in, nic_out;
    const double active = std::max(window, metrics.end_s - window_start_s);
    for (const auto& br : brokers) {
      if (kinesis) {
        cpu.push_back(br.cpu_busy_s / active);  // the shard's write limit in use
        continue;
      }
      cpu.push_back(br.cpu_busy_s / (active * cand.broker.instance.vcpu));
      disk.push_back(br.disk_busy_s / active);
      nic_in.push_back(br.nic_in_bytes / (active * cand.broker.instance.network_bps));
      nic_out.push_back(br.nic_out_bytes / (active * cand.broker.instance.network_bps));
    }
    if (kinesis) {
      add("kinesis shard write", cpu);
    } else if (!managed) {
      add("broker cpu", cpu);
      add("broker disk", disk);
      add("broker nic in", nic_in);
      add("broker nic out", nic_out);
    }
    if (serverless) {
      // pool-wide: environments busy on average (the most recently used environment is preferred, so per-environment peaks say nothing)
      const double used = functions->busy_s() / (window * functions->concurrency());
      metrics.utilisation.push_back(Utilisation{"function concurrency", used, used});
    } else {
      std::vector<double> task_busy;
      for (const auto& ts : tasks) task_busy.push_back(ts->busy_s / (active * core_share));
      add("processing task", task_busy);
      std::vector<double> host_cpu(proc_hosts.size(), 0.0);
      for (const auto& ts : tasks)
        host_cpu[static_cast<size_t>(ts->index % static_cast<int>(proc_hosts.size()))] += ts->busy_s / (active * cand.processing.instance.vcpu);
      add("processing cpu", host_cpu);
    }
    std::vector<double> sink_busy;
    for (const auto& ts : tasks) sink_busy.push_back(ts->sink->busy_s() / (active * cand.sink.concurrency));
    add("sink client", sink_busy);
    // Offered load from the workload itself (mean rate): a design whose
    // resources cannot carry it is overloaded whatever a finite run shows.
    for (const auto& [resource, load] : offered_loads())
      if (load >= 1.0) metrics.overloads.push_back(fmt::format("{}: offered load {:.0f}% of capacity", resource, 100 * load));
    for (const auto& u : metrics.utilisation) {
      const bool named = std::any_of(metrics.overloads.begin(), metrics.overloads.end(),
                                     [&](const std::string& o) { return o.rfind(u.resource, 0) == 0; });
      // a batching sink client busy all the time is working as designed: its writes grow instead
      const bool absorbs = u.resource == "sink client";
      if (u.peak >= 0.98 && !named && !absorbs) metrics.overloads.push_back(fmt::format("{} at {:.0f}% of capacity", u.resource, 100 * u.peak));
    }
    if (!metrics.drained)
      metrics.overloads.push_back(fmt::format("{} of {} events created in the window had not reached the sink {:.1f} s after it closed",
                                              metrics.window_events_offered - metrics.window_events_delivered,
                                              metrics.window_events_offered, drain_limit_s));
  }
};

KappaModel::KappaModel(const Scenario& scenario, const Candidate& candidate, uint64_t seed, SimMode mode)
    : impl_(std::make_unique<Impl>(scenario, candidate, seed, mode)) {}

KappaModel::~KappaModel() = default;

RunMetrics KappaModel::run() {
  sg4::Engine::get_instance()->run();
  impl_->collect_utilisation();
  if (impl_->keys.tail_approximated())
    impl_->metrics.notes.push_back("keys: Zipf tail beyond the 65,536 hottest keys sampled uniformly (approximation)");
  if (impl_->producers < impl_->sc.workload.sources)
    impl_->metrics.notes.push_back(fmt::format("producers: {} sources modelled as {} producer clients with the same total rate",
                                               impl_->sc.workload.sources, impl_->producers));
  if (impl_->in_flight_limited()) {
    const auto& pc = impl_->cand.producer;
    impl_->metrics.notes.push_back(fmt::format(
        "producer: at most {} unacknowledged request{} per connection (max.in.flight.requests.per.connection), "
        "{}; a batch that finds its connection full waits for an acknowledgement and keeps filling meanwhile, and a "
        "request carries at most batch.size of it (the rest waits for the next free slot)",
        pc.max_in_flight, pc.max_in_flight == 1 ? "" : "s",
        pc.client == ProducerClient::librdkafka
            ? pc.idempotent ? "one partition's batch per request (librdkafka client), idempotent: a partition sends only "
                              "while fewer than 5 of its messages are unacknowledged (librdkafka 2.0)"
                            : "one partition's batch per request (librdkafka client)"
            : "each request drains every open batch its leader leads (Java client)"));
  }
  impl_->profile_summary();
  const DeliveryPlan& plan = impl_->plan;
  if (plan.transactional)
    impl_->metrics.notes.push_back(fmt::format("exactly-once ({}): transactional commits every {} ({}), each taking {} (EndTxn, transaction log and markers); "
                                               "results are visible to read_committed readers at the commit, so end-to-end latency includes the wait for it",
                                               plan.semantics_basis, format_duration(plan.commit_interval_s), plan.interval_basis, format_duration(plan.commit_s)));
  else
    impl_->metrics.notes.push_back(fmt::format("delivery: {} ({}); offsets committed every {} ({}), results visible as soon as written",
                                               delivery_name(plan.semantics), plan.semantics_basis, format_duration(plan.commit_interval_s), plan.interval_basis));
  return std::move(impl_->metrics);
}

}  // namespace archsim
