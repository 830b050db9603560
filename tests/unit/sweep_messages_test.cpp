// Distributed sweep messages: a job and a result survive encoding, name
// their sweep's topics, and a malformed message is refused naming the field.
#include <gtest/gtest.h>

#include <string>

#include "archsim/simulator.hpp"
#include "archsim/sweep_messages.hpp"

namespace archsim {
namespace {

SweepPlan small_plan() {
  return make_sweep_plan(std::string(ARCHSIM_SOURCE_DIR) + "/tests/integration/fixtures/sweep-small.json",
                         {"/candidates/0/processing/parallelism=2,4", "/candidates/0/producer/linger=5ms,20ms"}, "",
                         "durable");
}

void expect_refused(const std::string& payload, const std::string& fragment) {
  try {
    decode_job(payload);
    FAIL() << "accepted: " << payload;
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(SweepMessages, JobRoundTripAppliesThePoint) {
  const SweepPlan plan = small_plan();
  const std::string id = sweep_id(plan);
  EXPECT_EQ(id.size(), 16u);
  const SweepPoint point = grid_point(plan.dims, 3);
  const SweepJob job = decode_job(encode_job(id, plan, point));
  EXPECT_EQ(job.sweep_id, id);
  EXPECT_EQ(job.archsim_version, version());
  EXPECT_EQ(job.point.id, 3u);
  EXPECT_EQ(job.point.key(), point.key());
  EXPECT_EQ(job.candidate, "durable");
  EXPECT_EQ(job.results_topic, "archsim-sweep-" + id + "-results");
  EXPECT_TRUE(job.base_dir.is_absolute());
  EXPECT_EQ(job.scenario, apply_point(plan.document, point));
  EXPECT_EQ(job.scenario["candidates"][0]["producer"]["linger"], "20ms");
}

TEST(SweepMessages, TopicsDependOnTheGrid) {
  SweepPlan plan = small_plan();
  const std::string a = sweep_id(plan);
  plan.candidate = "";
  EXPECT_NE(sweep_id(plan), a);
  EXPECT_EQ(sweep_jobs_topic(a), "archsim-sweep-" + a + "-jobs");
  EXPECT_EQ(sweep_jobs_subscription(""), "^archsim-sweep-[0-9a-f]+-jobs$");
  EXPECT_EQ(sweep_jobs_subscription(a), sweep_jobs_topic(a));
}

TEST(SweepMessages, MalformedJobsNameTheField) {
  const SweepPlan plan = small_plan();
  nlohmann::json job = nlohmann::json::parse(encode_job(sweep_id(plan), plan, grid_point(plan.dims, 1)));
  expect_refused("not json", "expected a JSON object");
  nlohmann::json j = job;
  j.erase("scenario");
  expect_refused(j.dump(), "no \"scenario\" field");
  j = job;
  j["point"] = "one";
  expect_refused(j.dump(), "\"point\" expected number, found string");
  j = job;
  j["key"] = "/x=1";
  expect_refused(j.dump(), "does not match its overrides");
  j = job;
  j["results_topic"] = "elsewhere";
  expect_refused(j.dump(), "expected a name starting with archsim-sweep-");
}

TEST(SweepMessages, ResultRoundTrip) {
  const nlohmann::json record = {{"point", 7}, {"key", "/a=1"}, {"status", "ok"}};
  const SweepResult r = decode_result(encode_result("00ff", "host:12", record));
  EXPECT_EQ(r.sweep_id, "00ff");
  EXPECT_EQ(r.worker, "host:12");
  EXPECT_EQ(r.record, record);
  EXPECT_THROW(decode_result(R"({"archsim_sweep_result":1,"sweep":"00ff","worker":"w","record":{"key":"k"}})"),
               std::invalid_argument);
}

}  // namespace
}  // namespace archsim
