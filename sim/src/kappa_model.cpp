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
//                  tumbling window, synchronous sink write
//   controller     warm-up, early stop on the p99 interval, drain
// SimGrid moves every network transfer (NIC bandwidth sharing) and disk
// write; CPU stations are exact FIFO recursions (validated against M/M/c),
// so one simulator step serves a whole request or fetched batch.
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
#include "archsim/operator_stage.hpp"
#include "archsim/rng.hpp"
#include "archsim/workload_generator.hpp"

namespace sg4 = simgrid::s4u;

namespace archsim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kMaxProducerActors = 64;

// Stage indices in RunMetrics::stages.
enum Stage { kProducer, kBrokerAppend, kReplication, kFetch, kProcessing, kWindow, kSink, kStageCount };

struct EventBatch {
  int partition = 0;
  std::vector<double> created_s;
  std::vector<uint64_t> keys;        // only with keyed shuffle
  std::vector<float> wire_sizes;     // only in exact mode: each event's bytes on the wire
  double wire_bytes = 0;             // compressed bytes on the wire
  double sent_s = 0;
  double appended_s = 0;
  double visible_s = 0;
  int confirmations_pending = 0;     // followers that still have to confirm
  uint64_t in_window = 0;            // events created inside the measured window
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
  sg4::Mailbox* mailbox = nullptr;
  sg4::Disk* disk = nullptr;
  std::unique_ptr<PauseSchedule> pauses;  // the broker process's GC pauses
  std::unique_ptr<FifoStation> cpu;  // request handler threads on the broker's cores
  double dirty_bytes = 0;
  double cpu_busy_s = 0;    // in window, core-seconds
  double disk_busy_s = 0;   // in window
  double nic_in_bytes = 0;  // in window
  double nic_out_bytes = 0; // in window
};

struct ReplicaFetcher {
  int leader = 0;
  int follower = 0;
  std::deque<BatchPtr> pending;
  Signal signal;
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
  double handoff_s = 0;               // handed to the sink client
};

struct Chunk {                        // one fetched poll of records on its way to the operator
  double fetched_s = 0;
  std::vector<Trace> events;
  bool started = false;
};

struct TaskState {
  int index = 0;
  sg4::Host* host = nullptr;
  std::vector<int> partitions;
  Signal signal;
  std::unique_ptr<PauseSchedule> pauses;    // the task process's GC pauses
  std::unique_ptr<OperatorStage> op;        // first (or only) operator
  std::unique_ptr<OperatorStage> op2;       // keyed downstream operator (shuffle)
  double busy_s = 0;                        // operator service seconds in window
  std::unique_ptr<BatchingWriter> sink;     // this task's sink client: sink.concurrency writes in flight
  std::deque<Trace> unwritten;              // handed to the sink client, write not decided yet
  std::deque<Trace> window_buffer;          // events waiting for their window to close, in departure order
  std::deque<std::shared_ptr<Chunk>> chunks;  // exact mode: fetched, waiting for the operator thread
  Signal operator_signal;                   // exact mode: a chunk is waiting
  Signal started_signal;                    // exact mode: the operator started a chunk
};

}  // namespace

struct KappaModel::Impl {
  const Scenario& sc;
  const Candidate& cand;
  uint64_t seed;
  SimMode mode;
  bool exact;
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
  std::vector<double> departures;  // scratch for batched serving

  Impl(const Scenario& s, const Candidate& c, uint64_t sd, SimMode m)
      : sc(s), cand(c), seed(sd), mode(m), exact(m == SimMode::exact),
        keys(s.workload.key_cardinality, s.workload.key_skew),
        metrics(s.simulation.warmup_s, s.simulation.duration_s / (4.0 * s.simulation.batches), 4 * s.simulation.batches + 1,
                s.simulation.histogram_relative_error),
        window_start_s(s.simulation.warmup_s),
        window_end_s(s.simulation.warmup_s + s.simulation.duration_s),
        drain_limit_s(std::max(5.0, 0.5 * s.simulation.duration_s)),
        latency_s(s.hardware.network_latency_s),
        compression(c.producer.compression_ratio),
        producers(std::min(s.workload.sources, kMaxProducerActors)),
        departures() {
    metrics.window_start_s = window_start_s;
    const char* stage_text[kStageCount][2] = {
        {"producer", "accumulator wait until linger.ms or batch.size closes the batch"},
        {"broker append", "network to the leader, request queue, CPU and log append"},
        {"replication", "follower fetch and confirmation until the high watermark covers the batch"},
        {"fetch", "wait for the consumer's next fetch (consumer lag) and the fetch response"},
        {"processing", "operator queue and CPU per event (and the keyed shuffle when configured)"},
        {"window", "wait for the tumbling window to close"},
        {"sink", "sink write, including its queue"}};
    for (int i = 0; i < kStageCount; ++i) {
      if (i == kWindow && !cand.processing.window_s) continue;
      metrics.stages.push_back(StageHistogram{stage_text[i][0], stage_text[i][1], LogHistogram(sc.simulation.histogram_relative_error)});
    }
    build_platform();
    build_topology();
  }

  StageHistogram& stage(Stage s) {
    int i = static_cast<int>(s);
    if (!cand.processing.window_s && s > kWindow) --i;
    return metrics.stages[static_cast<size_t>(i)];
  }

  bool in_window(double created_s) const { return created_s >= window_start_s && created_s < window_end_s; }
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
    for (int i = 0; i < producers; ++i) client_hosts.push_back(add_host(fmt::format("client{}", i), sc.hardware.client_instance));
    brokers.resize(static_cast<size_t>(cand.broker.count));
    for (int b = 0; b < cand.broker.count; ++b) {
      auto& br = brokers[static_cast<size_t>(b)];
      br.host = add_host(fmt::format("broker{}", b), cand.broker.instance);
      const double wbw = cand.broker.instance.disk_write_bps;
      br.disk = br.host->create_disk("log", wbw, wbw);
      br.disk->seal();
      br.pauses = std::make_unique<PauseSchedule>(cand.broker.gc, Rng(seed, fmt::format("broker/{}/gc", b)));
      br.cpu = std::make_unique<FifoStation>(std::max(1, std::min(cand.broker.io_threads, cand.broker.instance.vcpu)),
                                             cand.broker.gc.enabled() ? br.pauses.get() : nullptr);
    }
    for (int i = 0; i < cand.processing.instances; ++i) proc_hosts.push_back(add_host(fmt::format("proc{}", i), cand.processing.instance));
    control_host = add_host("control", sc.hardware.client_instance);
    zone->seal();
  }

  // ---------------------------------------------------------------- topology
  void build_topology() {
    const int P = cand.broker.partitions, B = cand.broker.count, RF = cand.broker.replication_factor;
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
    if (core_share < 1.0)
      metrics.notes.push_back(fmt::format("processing: {} tasks share {} cores per host; each task gets {:.2f} of a core (processor sharing, batched mode)",
                                          tasks_per_host, cand.processing.instance.vcpu, core_share));
    for (int t = 0; t < T; ++t) {
      auto ts = std::make_unique<TaskState>();
      ts->index = t;
      ts->host = proc_hosts[static_cast<size_t>(t % H)];
      const auto& pc = cand.processing;
      ts->sink = std::make_unique<BatchingWriter>(cand.sink.concurrency, cand.sink.write_latency_s, 2 * latency_s);
      ts->pauses = std::make_unique<PauseSchedule>(pc.gc, Rng(seed, fmt::format("task/{}/gc", t)));
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
    for (int i = 0; i < producers; ++i)
      sg4::Actor::create(fmt::format("producer/{}", i), client_hosts[static_cast<size_t>(i)], [this, i] { producer_actor(i); })->daemonize();
    for (int b = 0; b < B; ++b) {
      auto& br = brokers[static_cast<size_t>(b)];
      br.mailbox = sg4::Mailbox::by_name(fmt::format("broker{}/requests", b));
      auto receiver = sg4::Actor::create(fmt::format("broker/{}", b), br.host, [this, b] { broker_actor(b); });
      receiver->daemonize();
      br.mailbox->set_receiver(receiver);  // requests flow in while the receiver is busy
      sg4::Actor::create(fmt::format("flusher/{}", b), br.host, [this, b] { flusher_actor(b); })->daemonize();
    }
    for (size_t f = 0; f < fetchers.size(); ++f)
      sg4::Actor::create(fmt::format("replica/{}<-{}", fetchers[f].follower, fetchers[f].leader),
                         brokers[static_cast<size_t>(fetchers[f].follower)].host, [this, f] { replica_actor(f); })->daemonize();
    for (int t = 0; t < T; ++t) {
      sg4::Actor::create(fmt::format("task/{}", t), tasks[static_cast<size_t>(t)]->host, [this, t] { task_actor(t); })->daemonize();
      if (exact)
        sg4::Actor::create(fmt::format("operator/{}", t), tasks[static_cast<size_t>(t)]->host, [this, t] { operator_actor(t); })->daemonize();
      if (cand.processing.window_s)
        sg4::Actor::create(fmt::format("window/{}", t), tasks[static_cast<size_t>(t)]->host, [this, t] { window_actor(t); })->daemonize();
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
    using Entry = std::pair<double, int>;  // (ready time, partition)
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> ready;
    GeneratedEvent ev = gen.next();
    auto& producer_stage = stage(kProducer).histogram;
    // capacity reserved per new batch (its events at the mean rate over linger.ms, with room
    // for Poisson and key skew): one allocation per batch rather than one per doubling
    const double per_batch = sc.workload.rate_eps / producers / P * pc.linger_s;
    const auto batch_capacity = static_cast<size_t>(std::clamp(2.0 * per_batch + 8.0, 8.0, 4096.0));

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
        b->wire_bytes += wire;
        if (b->wire_bytes >= pc.batch_size_bytes) {  // full: ready now
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
      // a leader with a ready batch gets one request draining every open batch it leads
      std::vector<int> leaders;
      while (!ready.empty() && ready.top().first <= now) {
        const auto [t, p] = ready.top();
        ready.pop();
        if (t != deadline[static_cast<size_t>(p)]) continue;
        const int leader = partitions[static_cast<size_t>(p)].leader;
        if (std::find(leaders.begin(), leaders.end(), leader) == leaders.end()) leaders.push_back(leader);
        deadline[static_cast<size_t>(p)] = kInf;
      }
      for (int leader : leaders) {
        auto req = std::make_shared<ProduceRequest>();
        for (int p : led_by[static_cast<size_t>(leader)]) {
          auto& b = open[static_cast<size_t>(p)];
          if (!b) continue;
          deadline[static_cast<size_t>(p)] = kInf;
          b->sent_s = now;
          // Counted when sent: the window's end only ever moves to the present
          // (early stop), so an event counted here stays inside it.
          for (double c : b->created_s)
            if (in_window(c)) {
              ++b->in_window;
              producer_stage.record(now - c);
            }
          metrics.window_events_offered += b->in_window;
          req->wire_bytes += b->wire_bytes;
          req->batches.push_back(std::move(b));
        }
        send_request(leader, std::move(req));
      }
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
      for (auto& batch : req->batches) append(batch, appended);
    }
  }

  void append(const BatchPtr& batch, double appended) {
    batch->appended_s = appended;
    appended_events += batch->created_s.size();
    note_lag();
    if (batch->in_window) {
      stage(kBrokerAppend).histogram.record(appended - batch->sent_s, batch->in_window);
      if (cand.producer.acks == Acks::leader) metrics.produce_ack.record(appended + latency_s - batch->sent_s, batch->in_window);
      if (cand.producer.acks == Acks::none) metrics.produce_ack.record(0, batch->in_window);
    }
    auto& ps = partitions[static_cast<size_t>(batch->partition)];
    if (ps.fetchers.empty()) {
      make_visible(batch, appended);
      return;
    }
    batch->confirmations_pending = static_cast<int>(ps.fetchers.size());
    for (int f : ps.fetchers) {
      fetchers[static_cast<size_t>(f)].pending.push_back(batch);
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
        if (--b->confirmations_pending == 0) make_visible(b, confirmed);
    }
  }

  void make_visible(const BatchPtr& batch, double now) {
    batch->visible_s = now;
    if (batch->in_window) {
      stage(kReplication).histogram.record(now - batch->appended_s, batch->in_window);
      if (cand.producer.acks == Acks::all) metrics.produce_ack.record(now + latency_s - batch->sent_s, batch->in_window);
    }
    auto& ps = partitions[static_cast<size_t>(batch->partition)];
    ps.visible.push_back(batch);
    ps.visible_bytes += batch->wire_bytes;
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
    const bool micro_batch = pc.engine == "spark-streaming";
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
        while (!ps.visible.empty() && (taken == 0 || (taken + ps.visible.front()->wire_bytes <= max_bytes &&
                                                      records + ps.visible.front()->created_s.size() <= max_records))) {
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
        ts.op->serve_all_at(fetched + (micro_batch ? pc.batch_overhead_s : 0.0), chunk->events.size(), departures);
        if (measuring(fetched)) ts.busy_s += (ts.op->station().busy_s() - before) * core_share;
        for (size_t i = 0; i < chunk->events.size(); ++i) chunk->events[i].departed_s = departures[i];
        hand_off(ts, chunk->events, fetched);
      }
      if (micro_batch) {
        batch_done = ts.op->station().last_departure_s();
        continue;
      }
      sg4::this_actor::sleep_until(std::max(next_request, sg4::Engine::get_clock()) + latency_s);
    }
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
    const auto T = static_cast<uint64_t>(tasks.size());
    std::map<int, std::vector<Trace>> by_task;
    for (const auto& e : out) by_task[static_cast<int>(mix64(e.key ^ 0x5bd1e995ULL) % T)].push_back(e);
    const double event_bytes = sc.workload.event_size.mean();
    for (auto& [t, evs] : by_task) {
      auto& dst = *tasks[static_cast<size_t>(t)];
      const double t0 = sg4::Engine::get_clock();
      if (dst.host != ts.host)
        sg4::Comm::sendto(ts.host, dst.host, static_cast<uint64_t>(std::max(1.0, static_cast<double>(evs.size()) * event_bytes)));
      const double arrived = std::max(sg4::Engine::get_clock() - t0 + upstream_done, dst.op2->station().last_arrival_s());
      std::vector<double> deps;
      const double before = dst.op2->station().busy_s();
      dst.op2->serve_all_at(arrived, evs.size(), deps);
      if (measuring(arrived)) dst.busy_s += (dst.op2->station().busy_s() - before) * core_share;
      for (size_t i = 0; i < evs.size(); ++i) evs[i].departed_s = deps[i];
      finish_operator(dst, evs, fetched);
    }
  }

  // Events leave the last operator (running on `last`): into the window, or
  // to the sink as one asynchronous write through that task's sink client.
  void finish_operator(TaskState& last, const std::vector<Trace>& evs, double fetched) {
    auto& processing = stage(kProcessing).histogram;
    double done = 0;
    for (const auto& e : evs) {
      done = std::max(done, e.departed_s);
      if (in_window(e.created_s)) processing.record(e.departed_s - fetched);
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
      evs.clear();
      while (!ts.window_buffer.empty() && ts.window_buffer.front().departed_s < end) {
        evs.push_back(ts.window_buffer.front());
        ts.window_buffer.pop_front();
      }
      if (evs.empty()) continue;
      for (const auto& e : evs)
        if (in_window(e.created_s)) stage(kWindow).histogram.record(end - e.departed_s);
      write_to_sink(ts, evs, end);
    }
  }

  // Hands events to the task's sink client at `handoff`; they are recorded
  // when the write that carries them is decided.
  void write_to_sink(TaskState& ts, const std::vector<Trace>& evs, double handoff) {
    for (const auto& e : evs) {
      ts.unwritten.push_back(e);
      ts.unwritten.back().handoff_s = handoff;
    }
    ts.sink->hand_off(handoff, evs.size(), written(ts));
  }

  BatchingWriter::OnWrite written(TaskState& ts) {
    return [this, &ts](size_t, size_t count, double, double done) {
      if (done >= window_start_s && done < window_end_s) metrics.deliveries_in_window += count;
      auto& sink_stage = stage(kSink).histogram;
      for (size_t i = 0; i < count; ++i) {
        const Trace& e = ts.unwritten.front();
        if (in_window(e.created_s)) {
          metrics.end_to_end.record(done, done - e.created_s);
          sink_stage.record(done - e.handoff_s);
          ++metrics.window_events_delivered;
        }
        ts.unwritten.pop_front();
      }
    };
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
    // each broker receives its leader share of produce traffic plus (RF-1)/B of all replication traffic
    loads.emplace_back("broker nic in", wire_bps * RF / B / bc.instance.network_bps);
    loads.emplace_back("broker disk", wire_bps * RF / B / bc.instance.disk_write_bps);
    // the hottest task: partitions hash keys; tasks take partitions round robin
    const auto part_share = keys.bucket_shares(bc.partitions);
    std::vector<double> task_share(tasks.size(), 0.0);
    for (size_t p = 0; p < part_share.size(); ++p) task_share[p % tasks.size()] += part_share[p];
    const double hottest = *std::max_element(task_share.begin(), task_share.end());
    loads.emplace_back("processing task", rate * hottest * cand.processing.cpu_per_event_s / core_share);
    return loads;
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
      cpu.push_back(br.cpu_busy_s / (active * cand.broker.instance.vcpu));
      disk.push_back(br.disk_busy_s / active);
      nic_in.push_back(br.nic_in_bytes / (active * cand.broker.instance.network_bps));
      nic_out.push_back(br.nic_out_bytes / (active * cand.broker.instance.network_bps));
    }
    add("broker cpu", cpu);
    add("broker disk", disk);
    add("broker nic in", nic_in);
    add("broker nic out", nic_out);
    std::vector<double> task_busy;
    for (const auto& ts : tasks) task_busy.push_back(ts->busy_s / (active * core_share));
    add("processing task", task_busy);
    std::vector<double> host_cpu(proc_hosts.size(), 0.0);
    for (const auto& ts : tasks)
      host_cpu[static_cast<size_t>(ts->index % static_cast<int>(proc_hosts.size()))] += ts->busy_s / (active * cand.processing.instance.vcpu);
    add("processing cpu", host_cpu);
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
  impl_->metrics.notes.push_back("producer: max.in.flight is not limited in this version (acks do not throttle the producer)");
  return std::move(impl_->metrics);
}

}  // namespace archsim
