// Design search helpers: judging a result with a margin and a relaxed p99
// target, and which settings the search treats as monotone resources.
#include <gtest/gtest.h>

#include "archsim/design_search.hpp"

namespace archsim {
namespace {

Verdict verdict(const std::string& requirement, double value, double target, const std::string& unit) {
  Verdict v;
  v.requirement = requirement;
  v.value = value;
  v.target = target;
  v.unit = unit;
  v.pass = value <= target;
  v.headroom = (target - value) / target;
  return v;
}

CandidateResult result_with(std::vector<Verdict> verdicts) {
  CandidateResult r;
  r.verdicts = std::move(verdicts);
  return r;
}

TEST(CheckDesign, MarginOnLatencyAndBudget) {
  const CandidateResult r =
      result_with({verdict("p99 latency", 0.19, 0.2, "s"), verdict("monthly budget", 500, 1000, "USD/month")});
  EXPECT_TRUE(check_design(r, 0.0, 1).feasible);
  const DesignCheck with_margin = check_design(r, 0.1, 1);
  EXPECT_FALSE(with_margin.feasible);
  EXPECT_TRUE(with_margin.fails_resource);
  ASSERT_EQ(with_margin.shortfalls.size(), 1u);
  EXPECT_NE(with_margin.shortfalls[0].find("below the 10% margin"), std::string::npos);
  EXPECT_EQ(with_margin.binding, "p99 latency");
  EXPECT_NEAR(with_margin.binding_headroom, 0.05, 1e-12);
}

TEST(CheckDesign, RelaxedP99AndBudgetOnlyFailure) {
  const CandidateResult slow = result_with({verdict("p99 latency", 0.3, 0.2, "s")});
  EXPECT_FALSE(check_design(slow, 0.1, 1).feasible);
  EXPECT_NE(check_design(slow, 0.1, 1).shortfalls[0].find("50% over"), std::string::npos);
  EXPECT_TRUE(check_design(slow, 0.1, 2).feasible);  // target 400 ms: 25% headroom
  const CandidateResult dear = result_with({verdict("monthly budget", 1200, 1000, "USD/month")});
  const DesignCheck c = check_design(dear, 0.1, 1);
  EXPECT_FALSE(c.feasible);
  EXPECT_FALSE(c.fails_resource);  // a budget failure says nothing about smaller designs
}

TEST(CheckDesign, OverloadAndNonNumericVerdicts) {
  CandidateResult r = result_with({verdict("p99 latency", 0.01, 0.2, "s")});
  r.overloaded = true;
  r.overload_reason = "processing task: offered load 124% of capacity";
  EXPECT_FALSE(check_design(r, 0, 2).feasible);
  EXPECT_TRUE(check_design(r, 0, 1).fails_resource);
  Verdict delivery;
  delivery.requirement = "delivery semantics";
  delivery.pass = false;
  delivery.text = "at-least-once: FAIL";
  const CandidateResult d = result_with({delivery});
  EXPECT_EQ(check_design(d, 0, 1).shortfalls, std::vector<std::string>{"at-least-once: FAIL"});
}

TEST(DesignSearch, MonotoneSettings) {
  EXPECT_TRUE(is_monotone_setting("/candidates/0/broker/count"));
  EXPECT_TRUE(is_monotone_setting("/candidates/2/processing/instances"));
  EXPECT_TRUE(is_monotone_setting("/candidates/1/sink/concurrency"));
  EXPECT_FALSE(is_monotone_setting("/candidates/0/processing/parallelism"));
  EXPECT_FALSE(is_monotone_setting("/candidates/0/broker/partitions"));
  EXPECT_FALSE(is_monotone_setting("/candidates/0/producer/linger"));
}

}  // namespace
}  // namespace archsim
