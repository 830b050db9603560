// Validation against queueing theory: the processing operator (OperatorStage
// driven by a SimGrid actor, as in the Kappa model) fed by Poisson arrivals
// must reproduce the closed-form mean and p99 sojourn time of M/M/1, M/D/1
// and M/M/4 within 2% at utilisation 0.5, 0.8 and 0.95.
#include <gtest/gtest.h>
#include <quadmath.h>
#include <simgrid/s4u.hpp>

#include <cmath>
#include <deque>
#include <functional>
#include <fmt/format.h>

#include "archsim/log_histogram.hpp"
#include "archsim/operator_stage.hpp"
#include "archsim/rng.hpp"

namespace sg4 = simgrid::s4u;
using archsim::LogHistogram;
using archsim::OperatorStage;
using archsim::Rng;

namespace {

constexpr double kServiceMean = 1e-3;  // seconds

struct Case {
  const char* model;  // "MM1" | "MD1" | "MMc"
  int servers;
  double rho;
  uint64_t events;    // long enough for a 2% check at the case's autocorrelation
};

// ---- closed forms ---------------------------------------------------------

double erlang_c(int c, double a) {  // probability of waiting, offered load a = lambda/mu
  double term = 1, sum = 1;
  for (int k = 1; k < c; ++k) {
    term *= a / k;
    sum += term;
  }
  term *= a / c;
  const double last = term * c / (c - a);
  return last / (sum + last);
}

struct Theory {
  double mean_s;
  double p99_s;
};

double bisect(const std::function<double(double)>& tail, double target, double hi) {
  double lo = 0;
  while (tail(hi) > target) hi *= 2;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (tail(mid) > target ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

// M/D/1 waiting-time CDF (Erlang 1909 / Crommelin): alternating sum, so it is
// evaluated in quad precision to survive the cancellation at high load.
double md1_wait_cdf(double lambda, double d, double t) {
  __float128 sum = 0;
  const auto kmax = static_cast<int>(std::floor(t / d));
  __float128 fact = 1;
  for (int k = 0; k <= kmax; ++k) {
    if (k > 0) fact *= k;
    const __float128 x = static_cast<__float128>(lambda) * (static_cast<__float128>(k) * d - t);  // <= 0
    sum += powq(x, k) / fact * expq(-x);
  }
  return static_cast<double>((1 - static_cast<__float128>(lambda * d)) * sum);
}

Theory theory(const Case& c) {
  const double mu = 1.0 / kServiceMean;
  const double lambda = c.rho * mu * c.servers;
  const std::string m = c.model;
  if (m == "MM1") return {1.0 / (mu - lambda), std::log(100.0) / (mu - lambda)};
  if (m == "MD1") {
    const double mean = kServiceMean + c.rho / (2 * mu * (1 - c.rho));
    // sojourn = wait + D
    const double p99_wait = bisect([&](double t) { return 1.0 - md1_wait_cdf(lambda, kServiceMean, t); }, 0.01, 10 * kServiceMean);
    return {mean, p99_wait + kServiceMean};
  }
  // M/M/c: W = 0 w.p. 1-C, else Exp(theta); sojourn T = W + S, S ~ Exp(mu)
  const double C = erlang_c(c.servers, lambda / mu);
  const double theta = c.servers * mu - lambda;
  const double mean = C / theta + 1.0 / mu;
  auto tail = [&](double t) {
    return (1 - C) * std::exp(-mu * t) + C * (theta * std::exp(-mu * t) - mu * std::exp(-theta * t)) / (theta - mu);
  };
  return {mean, bisect(tail, 0.01, kServiceMean)};
}

// ---- simulation through the model's code path -----------------------------

struct Measured {
  double mean_s;
  double p99_s;
  uint64_t count;
};

Measured simulate(const Case& c) {
  int argc = 3;
  std::string a0 = "queueing", a1 = "--log=root.thres:critical", a2 = "--cfg=network/model:CM02";
  char* argv[] = {a0.data(), a1.data(), a2.data(), nullptr};
  sg4::Engine engine(&argc, argv);
  auto* zone = sg4::create_full_zone("q");
  auto* host = zone->create_host("server", 1e9);
  host->set_core_count(c.servers);
  host->seal();
  zone->seal();

  const double mu = 1.0 / kServiceMean;
  const double lambda = c.rho * mu * c.servers;
  const double cv = std::string(c.model) == "MD1" ? 0.0 : 1.0;
  const uint64_t warmup = c.events / 50;
  constexpr size_t kChunk = 4096;

  std::deque<std::vector<double>> queue;
  auto mutex = sg4::Mutex::create();
  auto cv_ready = sg4::ConditionVariable::create();
  bool done = false;
  LogHistogram sojourn;

  sg4::Actor::create("source", host, [&] {
    Rng rng(7, "queueing/arrivals");
    double t = 0;
    uint64_t sent = 0;
    while (sent < c.events) {
      std::vector<double> chunk;
      for (size_t i = 0; i < kChunk && sent < c.events; ++i, ++sent) {
        t += rng.exponential(1.0 / lambda);
        chunk.push_back(t);
      }
      sg4::this_actor::sleep_until(chunk.back());  // a chunk is handed over when its last event has arrived
      queue.push_back(std::move(chunk));
      cv_ready->notify_all();
    }
    done = true;
    cv_ready->notify_all();
  });
  sg4::Actor::create("operator", host, [&] {
    OperatorStage op(c.servers, kServiceMean, cv, 1.0, Rng(7, "queueing/service"));
    std::vector<double> departures;
    uint64_t seen = 0;
    std::unique_lock lock(*mutex);
    for (;;) {
      cv_ready->wait(lock, [&] { return !queue.empty() || done; });
      if (queue.empty()) return;
      std::vector<double> arrivals = std::move(queue.front());
      queue.pop_front();
      const double last = op.serve(arrivals, departures);
      for (size_t i = 0; i < arrivals.size(); ++i, ++seen)
        if (seen >= warmup) sojourn.record(departures[i] - arrivals[i]);
      sg4::this_actor::sleep_until(last);
    }
  });
  engine.run();
  return {sojourn.mean(), sojourn.quantile(0.99), sojourn.count()};
}

class QueueingValidation : public ::testing::TestWithParam<Case> {};

TEST_P(QueueingValidation, MeanAndP99WithinTwoPercentOfClosedForm) {
  const Case c = GetParam();
  const Theory th = theory(c);
  const Measured m = simulate(c);
  const double mean_err = (m.mean_s - th.mean_s) / th.mean_s;
  const double p99_err = (m.p99_s - th.p99_s) / th.p99_s;
  // One line per case, quoted in the project notes.
  std::printf("QUEUEING %s c=%d rho=%.2f events=%llu mean %.6f ms (theory %.6f, err %+.2f%%) p99 %.6f ms (theory %.6f, err %+.2f%%)\n",
              c.model, c.servers, c.rho, static_cast<unsigned long long>(m.count), m.mean_s * 1e3, th.mean_s * 1e3,
              100 * mean_err, m.p99_s * 1e3, th.p99_s * 1e3, 100 * p99_err);
  EXPECT_LT(std::abs(mean_err), 0.02);
  EXPECT_LT(std::abs(p99_err), 0.02);
}

// Sample sizes grow with the relaxation time of the queue, ~1/(1-sqrt(rho))^2.
INSTANTIATE_TEST_SUITE_P(Queues, QueueingValidation,
                         ::testing::Values(Case{"MM1", 1, 0.5, 4'000'000}, Case{"MM1", 1, 0.8, 16'000'000},
                                           Case{"MM1", 1, 0.95, 80'000'000}, Case{"MD1", 1, 0.5, 4'000'000},
                                           Case{"MD1", 1, 0.8, 16'000'000}, Case{"MD1", 1, 0.95, 80'000'000},
                                           Case{"MMc", 4, 0.5, 4'000'000}, Case{"MMc", 4, 0.8, 16'000'000},
                                           Case{"MMc", 4, 0.95, 80'000'000}),
                         [](const auto& test_info) {
                           return fmt::format("{}_c{}_rho{:02.0f}", test_info.param.model, test_info.param.servers, test_info.param.rho * 100);
                         });

TEST(ClosedForms, SanityOfTheReferenceFormulas) {
  // M/M/1 with c=1 through the M/M/c formula must equal the M/M/1 closed form.
  const Theory mmc = theory(Case{"MMc", 1, 0.8, 0});
  const Theory mm1 = theory(Case{"MM1", 1, 0.8, 0});
  EXPECT_NEAR(mmc.mean_s, mm1.mean_s, 1e-12);
  EXPECT_NEAR(mmc.p99_s, mm1.p99_s, 1e-9);
  // M/D/1 waiting CDF at t=0 is 1-rho.
  EXPECT_NEAR(md1_wait_cdf(800, 1e-3, 0), 0.2, 1e-12);
}

}  // namespace
