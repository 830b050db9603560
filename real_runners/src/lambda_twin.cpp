// LambdaTwin implementation: the Kappa twin of the speed layer plus the
// batch reader mapped onto the simulator's batch layer. Each mapping is a
// rule stated in the notes, the same for every run.
#include "archsim/lambda_twin.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "archsim/units.hpp"

namespace archsim {

LocalTwin make_lambda_twin(const Scenario& scenario, const Candidate& candidate, const TwinRun& run,
                           const LambdaTwinRun& batch, const Calibration& cal, const std::string& origin) {
  if (candidate.kind != "lambda")
    throw std::invalid_argument(fmt::format("lambda twin: candidate {} is {}, expected lambda", candidate.name,
                                            candidate.kind));
  Candidate speed = candidate;
  speed.kind = "kappa";
  LocalTwin twin = make_local_twin(scenario, speed, run, cal, origin);
  Candidate& c = twin.scenario.candidates.front();
  c.kind = "lambda";
  BatchLayerConfig& b = c.batch;
  b.interval_s = batch.interval_s;
  b.runs = std::max(1, batch.runs);
  b.instances = 1;
  b.instance = c.processing.instance;  // this machine
  b.instance.vcpu = 1;                 // one reader thread
  b.read_bps_per_instance = cal.loopback_bytes_per_s;
  b.cpu_per_event_s = cal.consumer_message_cost_s;
  // Reading starts with one fetch cycle (assign, first fetch); the view is
  // published in memory at once.
  b.startup_s = cal.empty_fetch_held ? cal.fetch_cycle_s(batch.reader_fetch_wait_s) : batch.reader_fetch_wait_s;
  b.publish_s = 0;
  // An event lands in the input topic when its produce request is served:
  // the producer's mean accumulator wait plus a produce round trip.
  const double per_partition_eps = run.rate_eps / std::max(1, c.broker.partitions);
  b.landing_delay_s = accumulator_mean_wait_s(c.producer.linger_s, per_partition_eps, 0) + cal.produce_rtt_s +
                      run.injected_rtt_s;
  b.full_history = batch.full_history;
  b.history_s = (run.warmup_s + run.duration_s) / 2;
  b.transient_cluster = true;
  c.team = TeamCost{};
  twin.notes.push_back(fmt::format(
      "local twin (batch layer): one reader thread on this machine every {} ({} runs), reading at the calibrated "
      "{:.2f} us per message and {:.2g} GB/s; each run starts after one fetch cycle ({:.2f} ms) and publishes at "
      "once; events land {:.2f} ms after creation (mean accumulator wait + a produce round trip){}",
      format_duration(b.interval_s), b.runs, b.cpu_per_event_s * 1e6, b.read_bps_per_instance / 1e9,
      b.startup_s * 1e3, b.landing_delay_s * 1e3,
      b.full_history ? fmt::format("; a full re-read is simulated as reading {} of history (half the run: the "
                                   "real reader's history grows during the run)",
                                   format_duration(b.history_s))
                     : ""));
  return twin;
}

}  // namespace archsim
