// FunctionPool implementation.
#include "archsim/function_pool.hpp"

#include <cassert>
#include <cmath>
#include <limits>

namespace archsim {

namespace {
constexpr double kNever = -std::numeric_limits<double>::infinity();
constexpr double kZ99 = 2.3263478740408408;  // standard normal 99th percentile
}  // namespace

FunctionPool::FunctionPool(const FunctionPoolConfig& config, Rng rng)
    : config_(config), rng_(rng), free_at_(static_cast<size_t>(config.concurrency > 0 ? config.concurrency : 1), kNever) {
  assert(config.cold_p99_s > config.cold_median_s && config.cold_median_s > 0 && "FunctionPool: cold start p99 must exceed its median");
  mu_ = std::log(config.cold_median_s);
  sigma_ = std::log(config.cold_p99_s / config.cold_median_s) / kZ99;
}

FunctionPool::Invocation FunctionPool::invoke(double arrival_s, double work_s, bool measured) {
  const double arrival = std::max(arrival_s, last_arrival_s_);
  last_arrival_s_ = arrival;
  // the most recently freed environment that is free at the arrival; else the first to free up
  size_t pick = free_at_.size();
  size_t earliest = 0;
  for (size_t i = 0; i < free_at_.size(); ++i) {
    if (free_at_[i] <= arrival && (pick == free_at_.size() || free_at_[i] > free_at_[pick])) pick = i;
    if (free_at_[i] < free_at_[earliest]) earliest = i;
  }
  if (pick == free_at_.size()) pick = earliest;
  Invocation inv;
  const double freed = free_at_[pick];
  inv.start_s = std::max(arrival, freed);
  // one draw per invocation whatever the outcome: the stream does not depend on the pool's state
  const bool recycled = rng_.uniform() < config_.cold_probability;
  const double init_s = std::exp(mu_ + sigma_ * rng_.normal());
  inv.cold = freed == kNever || inv.start_s - freed > config_.idle_timeout_s || recycled;
  inv.end_s = inv.start_s + work_s + (inv.cold ? init_s : 0.0);
  free_at_[pick] = inv.end_s;
  if (measured) {
    ++invocations_;
    if (inv.cold) ++cold_starts_;
    busy_s_ += inv.end_s - inv.start_s;
    wait_s_ += inv.start_s - arrival_s;
  }
  return inv;
}

}  // namespace archsim
