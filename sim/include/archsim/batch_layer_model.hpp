// BatchLayerModel: Lambda's batch layer on SimGrid. Events land in object
// storage; every interval a job starts on the batch cluster (or when the
// previous one ends, if it overran), reads the new data (or the whole
// history) from storage over the instances' NICs, computes on all their
// cores, and publishes a batch view. Accuracy latency is the time from an
// event's creation to the publication of the first view that includes it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "archsim/log_histogram.hpp"
#include "archsim/scenario.hpp"

namespace archsim {

struct BatchLayerMetrics {
  explicit BatchLayerMetrics(double relative_error) : accuracy(relative_error) {}
  LogHistogram accuracy;              ///< creation -> included in a published view, weighted by events
  std::vector<double> run_durations_s;  ///< start -> view published, per run
  std::vector<double> start_delays_s;   ///< actual start - scheduled start, per run (a growing backlog)
  double interval_s = 0;
};

class BatchLayerModel {
 public:
  /// Builds the platform and the job actor in the current SimGrid engine.
  BatchLayerModel(const Scenario& scenario, const Candidate& candidate);
  /// Runs the engine through `candidate.batch.runs` runs.
  BatchLayerMetrics run();

 private:
  void job_actor();
  const Scenario& sc_;
  const Candidate& cand_;
  BatchLayerMetrics metrics_;
};

}  // namespace archsim
