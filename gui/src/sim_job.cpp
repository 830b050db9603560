// SimJob (see sim_job.hpp).
#include "archsim/gui/sim_job.hpp"

#include <exception>

namespace archsim::gui {

SimJob::SimJob(SimulateFn simulate)
    : simulate_(std::move(simulate)), worker_([this](std::stop_token stop) { work(stop); }) {}

SimJob::~SimJob() {
  cancel_flag_ = true;  // a running simulation stops within ~100 ms
  worker_.request_stop();
  wake_.notify_all();
  // jthread joins in its destructor
}

void SimJob::post(SimRequest request) {
  {
    std::lock_guard lock(mutex_);
    waiting_ = std::move(request);
  }
  wake_.notify_all();
}

void SimJob::cancel() {
  std::lock_guard lock(mutex_);
  waiting_.reset();
  finished_.reset();
  if (running_revision_ != 0) {
    abandoned_ = true;
    cancel_flag_ = true;
  }
}

std::optional<SimOutcome> SimJob::take_finished() {
  std::lock_guard lock(mutex_);
  std::optional<SimOutcome> out = std::move(finished_);
  finished_.reset();
  return out;
}

bool SimJob::busy() const {
  std::lock_guard lock(mutex_);
  return waiting_.has_value() || running_revision_ != 0;
}

uint64_t SimJob::running_revision() const {
  std::lock_guard lock(mutex_);
  return running_revision_;
}

double SimJob::running_for_s() const {
  std::lock_guard lock(mutex_);
  if (running_revision_ == 0) return 0;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

void SimJob::work(std::stop_token stop) {
  for (;;) {
    SimRequest request;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, stop, [this] { return waiting_.has_value(); });
      if (stop.stop_requested()) return;
      request = std::move(*waiting_);
      waiting_.reset();
      running_revision_ = request.revision;
      abandoned_ = false;
      cancel_flag_ = false;
      started_ = std::chrono::steady_clock::now();
    }
    SimOutcome outcome;
    outcome.revision = request.revision;
    outcome.quick = request.quick;
    const auto t0 = std::chrono::steady_clock::now();
    request.options.cancel = &cancel_flag_;
    try {
      outcome.result = simulate_(request.scenario, request.options);
    } catch (const std::exception& e) {
      outcome.error = e.what();
    } catch (...) {
      outcome.error = "unknown error";
    }
    outcome.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::lock_guard lock(mutex_);
    if (!abandoned_ && !stop.stop_requested()) finished_ = std::move(outcome);
    running_revision_ = 0;
    abandoned_ = false;
  }
}

}  // namespace archsim::gui
