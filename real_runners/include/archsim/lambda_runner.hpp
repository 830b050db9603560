// LambdaRunner: runs one Lambda candidate of a scenario for real on the
// embedded broker: its speed layer exactly as a Kappa run (run_kappa), plus
// a batch reader that, every interval (the candidate's batch interval scaled
// to the run), reads the input topic up to its current end (the whole
// history or only what is new, as the candidate's batch layer is
// configured), computes the aggregate (events and payload bytes per key) and
// publishes it as a batch view. Accuracy latency is the time from an event's
// intended send to the publication of the first view that includes it. A
// speed-view consumer computes the same aggregate from the output topic, so
// the two views can be compared when the run is over.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archsim/kappa_runner.hpp"

namespace archsim {

struct LambdaRunOptions {
  KappaRunOptions speed;                   ///< the speed path (embedded broker only: bootstrap_servers empty)
  std::optional<double> batch_interval_s;  ///< absent: the candidate's interval scaled to the run (see lambda_batch_interval)
};

/// One run of the batch reader. Times in seconds from the batch schedule's start.
struct BatchViewRun {
  double scheduled_s = 0;
  double started_s = 0;     ///< the cut (end offsets) was taken here
  double published_s = 0;   ///< the view was published here
  uint64_t events_read = 0; ///< messages read by this run
  uint64_t view_events = 0; ///< distinct events in the published view
};

struct LambdaRunOutcome {
  KappaRunOutcome speed;       ///< the speed layer's run; speed.result is the Lambda candidate's measured Result
  double batch_interval_s = 0;
  std::string interval_reason; ///< how the interval was chosen, one sentence
  bool full_history = false;   ///< each run re-read the whole input topic
  std::vector<BatchViewRun> runs;
  uint64_t view_events = 0;    ///< distinct events in the last batch view
  uint64_t speed_events = 0;   ///< distinct events in the speed view
  uint64_t keys = 0;           ///< keys in the last batch view
  uint64_t mismatched_keys = 0;  ///< keys whose count or bytes differ between the views (either side)
  bool aggregate_matches = false;  ///< the last batch view equals the speed view and holds every acknowledged event
  double accuracy_max_s = 0;   ///< largest accuracy latency in the measured window
  double produce_ack_max_s = 0;  ///< largest produce-ack latency in the measured window (the events' landing)
  double run_max_s = 0;        ///< longest batch run (cut -> published)
};

/// The batch interval of a real Lambda run: `asked` when given (> 0), else
/// min(candidate interval, (warm-up + duration) / 4), so that a run sees
/// several batch views. Sets `reason`. Throws std::invalid_argument for a
/// non-positive `asked`.
double lambda_batch_interval(const Candidate& candidate, double warmup_s, double duration_s,
                             std::optional<double> asked, std::string& reason);

/// Runs `candidate` (kind "lambda"). Throws std::invalid_argument for bad
/// options (an external cluster, injected RTT or faults: not supported for
/// Lambda runs in this version), and KafkaError like run_kappa.
LambdaRunOutcome run_lambda(const Scenario& scenario, const Candidate& candidate, const LambdaRunOptions& options);

}  // namespace archsim
