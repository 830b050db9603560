// Batched versus exact mode: the batched mode moves a whole producer request,
// replica fetch or fetch response as one SimGrid transfer and serves a
// fetched batch with the FIFO recursion; the exact mode moves every event as
// its own transfer and runs every event's CPU as its own SimGrid execution.
// On the same small Kappa scenario, p50 and p99 must agree within 2%.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "archsim/scenario_loader.hpp"
#include "archsim/simulator.hpp"

namespace {

archsim::Scenario small_kappa() {
  const std::string path = std::string(ARCHSIM_SOURCE_DIR) + "/tests/validation/fixtures/small-kappa.json";
  return archsim::load_scenario_file(path);
}

TEST(BatchedVsExact, P50AndP99WithinTwoPercent) {
  const archsim::Scenario sc = small_kappa();
  archsim::SimOptions batched;
  batched.mode = archsim::SimMode::batched;
  archsim::SimOptions exact;
  exact.mode = archsim::SimMode::exact;
  const archsim::Result rb = archsim::simulate(sc, batched);
  const archsim::Result re = archsim::simulate(sc, exact);
  ASSERT_EQ(rb.candidates.size(), re.candidates.size());
  for (size_t i = 0; i < rb.candidates.size(); ++i) {
    const auto& b = rb.candidates[i].end_to_end;
    const auto& e = re.candidates[i].end_to_end;
    ASSERT_GT(b.count, 10000u);
    EXPECT_EQ(b.count, e.count) << "both modes see the same events";
    const double p50_err = (b.p50_s.value - e.p50_s.value) / e.p50_s.value;
    const double p99_err = (b.p99_s.value - e.p99_s.value) / e.p99_s.value;
    std::printf("BATCHED-VS-EXACT %s events=%llu p50 batched %.4f ms exact %.4f ms (%+.2f%%) p99 batched %.4f ms exact %.4f ms (%+.2f%%)\n",
                rb.candidates[i].name.c_str(), static_cast<unsigned long long>(b.count), b.p50_s.value * 1e3,
                e.p50_s.value * 1e3, 100 * p50_err, b.p99_s.value * 1e3, e.p99_s.value * 1e3, 100 * p99_err);
    EXPECT_LT(std::abs(p50_err), 0.02) << rb.candidates[i].name;
    EXPECT_LT(std::abs(p99_err), 0.02) << rb.candidates[i].name;
  }
}

}  // namespace
