// FaultInjector: the thread that applies a real run's scheduled faults to
// the embedded mock cluster, and the run's fault timeline.
#include "archsim/fault_injector.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "archsim/embedded_cluster.hpp"
#include "archsim/rng.hpp"
#include "archsim/run_payload.hpp"

namespace archsim {

namespace {

constexpr int kProduceApi = 0;
constexpr int kFetchApi = 1;

/// Retriable errors a real broker answers with, per request kind.
std::vector<int> error_codes_for(int api_key) {
  if (api_key == kProduceApi)
    return {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT};
  return {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION};
}

std::string api_name(int api_key) {
  switch (api_key) {
    case kProduceApi: return "Produce";
    case kFetchApi: return "Fetch";
    default: return fmt::format("API key {}", api_key);
  }
}

}  // namespace

std::string to_string(RestartedConsumer c) { return c == RestartedConsumer::sink ? "sink" : "processor"; }

FaultInjector::FaultInjector(EmbeddedCluster* cluster, std::vector<BrokerFault> broker_faults,
                             RequestErrorPlan errors, std::vector<ConsumerRestart> restarts,
                             std::function<void(const ConsumerRestart&)> restart, uint64_t seed)
    : cluster_(cluster),
      broker_faults_(std::move(broker_faults)),
      errors_(std::move(errors)),
      restarts_(std::move(restarts)),
      restart_(std::move(restart)),
      rng_state_(mix64(seed ^ hash_name("real/request-errors"))) {
  if (cluster_ == nullptr && (!broker_faults_.empty() || errors_.fraction > 0))
    throw std::invalid_argument("broker faults and request errors need the embedded cluster");
  if (errors_.fraction != 0 && !(errors_.fraction > 0 && errors_.fraction <= 0.5))
    throw std::invalid_argument(
        fmt::format("request errors: expected a fraction in (0, 0.5], found {}", errors_.fraction));
  for (const BrokerFault& f : broker_faults_)
    if (f.broker_id != kAllBrokers && (f.broker_id < 1 || f.broker_id > cluster_->broker_count()))
      throw std::invalid_argument(fmt::format("broker fault: expected a broker id 1..{} or all, found {}",
                                              cluster_->broker_count(), f.broker_id));
  if (errors_.fraction > 0)
    for (int b = 1; b <= cluster_->broker_count(); ++b)
      for (const int api : errors_.api_keys) queues_.push_back({b, api, 0, {}});
}

FaultInjector::~FaultInjector() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

double FaultInjector::now_s() const { return static_cast<double>(run_clock_us() - t0_us_) * 1e-6; }

void FaultInjector::start(int64_t t0_us) {
  t0_us_ = t0_us;
  if (errors_.fraction > 0) {
    std::string apis;
    for (const int api : errors_.api_keys) apis += (apis.empty() ? "" : " and ") + api_name(api);
    FaultEvent f;
    f.fault = "request errors";
    f.target = fmt::format("{} requests on every broker", apis);
    f.start_s = now_s();
    f.lifted = false;
    f.detail = fmt::format("{:.3g}% of each broker's requests of each kind fail with a retriable error", errors_.fraction * 100);
    top_up_request_errors();  // in force before the first request of the run
    const std::lock_guard lock(mutex_);
    open_.push_back(timeline_.size());
    timeline_.push_back(f);
  }
  thread_ = std::thread([this] { run(); });
}

void FaultInjector::top_up_request_errors() {
  const auto block = static_cast<uint64_t>(std::lround(1.0 / errors_.fraction));
  for (ErrorQueue& q : queues_) {
    // Keep at least two blocks queued: refilled every few milliseconds, that
    // covers far more requests per second than the mock cluster serves.
    while (cluster_->queued_request_errors(q.broker, q.api_key) < 2 * block) {
      std::vector<int> entries(block, RD_KAFKA_RESP_ERR_NO_ERROR);
      rng_state_ = mix64(rng_state_ + 0x9e3779b97f4a7c15ULL);
      const uint64_t at = rng_state_ % block;
      const std::vector<int> codes = error_codes_for(q.api_key);
      entries[at] = codes[next_error_code_++ % codes.size()];
      cluster_->push_request_errors(q.broker, q.api_key, entries);
      q.error_at.push_back(q.pushed + at);
      q.pushed += block;
    }
  }
}

void FaultInjector::run() {
  struct Step {
    double at_s;
    int kind;  // 0 down, 1 up, 2 restart
    size_t index;
  };
  std::vector<Step> steps;
  for (size_t i = 0; i < broker_faults_.size(); ++i) {
    steps.push_back({broker_faults_[i].at_s, 0, i});
    steps.push_back({broker_faults_[i].at_s + broker_faults_[i].duration_s, 1, i});
  }
  for (size_t i = 0; i < restarts_.size(); ++i) steps.push_back({restarts_[i].at_s, 2, i});
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.at_s < b.at_s; });
  std::vector<size_t> entry_of(broker_faults_.size(), 0);
  size_t next = 0;
  try {
    while (!stop_.load()) {
      for (; next < steps.size() && steps[next].at_s <= now_s(); ++next) {
        const Step& st = steps[next];
        if (st.kind == 2) {
          const ConsumerRestart& r = restarts_[st.index];
          restart_(r);
          FaultEvent f;
          f.fault = "consumer restart";
          f.target = r.consumer == RestartedConsumer::sink ? "sink consumer" : "processor consumers";
          f.start_s = f.end_s = now_s();
          f.detail = "dropped without a final offset commit and re-created in the same group";
          const std::lock_guard lock(mutex_);
          timeline_.push_back(f);
          continue;
        }
        const BrokerFault& bf = broker_faults_[st.index];
        const int mock_id = bf.broker_id == kAllBrokers ? -1 : bf.broker_id;
        if (st.kind == 0) {
          cluster_->set_broker_down(mock_id);
          FaultEvent f;
          f.fault = bf.broker_id == kAllBrokers ? "all brokers down" : "broker down";
          f.target = bf.broker_id == kAllBrokers ? "all brokers" : fmt::format("broker {}", bf.broker_id);
          f.start_s = now_s();
          f.lifted = false;
          f.detail = "connections dropped and refused (leadership does not move on the mock cluster)";
          const std::lock_guard lock(mutex_);
          entry_of[st.index] = timeline_.size();
          open_.push_back(timeline_.size());
          timeline_.push_back(f);
        } else {
          cluster_->set_broker_up(mock_id);
          const std::lock_guard lock(mutex_);
          FaultEvent& f = timeline_[entry_of[st.index]];
          f.end_s = now_s();
          f.lifted = true;
          open_.erase(std::remove(open_.begin(), open_.end(), entry_of[st.index]), open_.end());
        }
      }
      if (!queues_.empty()) top_up_request_errors();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  } catch (const std::exception& e) {
    error_ = e.what();
  }
}

void FaultInjector::stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  const std::lock_guard lock(mutex_);
  const double end = now_s();
  served_ = failed_ = 0;
  for (const ErrorQueue& q : queues_) {
    const uint64_t served = q.pushed - cluster_->queued_request_errors(q.broker, q.api_key);
    const auto failed = static_cast<uint64_t>(
        std::count_if(q.error_at.begin(), q.error_at.end(), [&](uint64_t at) { return at < served; }));
    served_ += served;
    failed_ += failed;
  }
  for (const size_t i : open_) {
    FaultEvent& f = timeline_[i];
    f.end_s = end;
    if (f.fault == "request errors") {
      f.lifted = true;  // the plan ends with the run
      f.detail += fmt::format(": {} of {} requests failed", failed_, served_);
    } else {
      f.detail += " (still down when the run ended; brought back up after it so that the clients close promptly)";
    }
  }
  // Brokers still down come back, so that closing the clients does not wait on them.
  for (const BrokerFault& bf : broker_faults_) {
    try {
      cluster_->set_broker_up(bf.broker_id == kAllBrokers ? -1 : bf.broker_id);
    } catch (const std::exception& e) {
      if (error_.empty()) error_ = e.what();
    }
  }
  open_.clear();
}

std::vector<FaultEvent> FaultInjector::timeline() const {
  const std::lock_guard lock(mutex_);
  std::vector<FaultEvent> out = timeline_;
  std::stable_sort(out.begin(), out.end(), [](const FaultEvent& a, const FaultEvent& b) { return a.start_s < b.start_s; });
  return out;
}

std::string FaultInjector::describe(const FaultEvent& f) {
  const std::string when = f.end_s > f.start_s ? fmt::format("t={:.2f}-{:.2f} s", f.start_s, f.end_s)
                                               : fmt::format("t={:.2f} s", f.start_s);
  return fmt::format("{}: {} ({}){}; {}", when, f.fault, f.target, f.lifted ? "" : ", not lifted", f.detail);
}

}  // namespace archsim
