// Requests in flight: a producer has at most max_in_flight unacknowledged
// produce requests per connection (producer x leader), and librdkafka's
// idempotent producer sends a partition's next request only while fewer
// than 5 of its messages are unacknowledged. On a slow network these
// limits set the produce latency; what must hold whatever the numbers:
//  - no median acknowledgement comes before four one-way trips (send,
//    replica fetch response, follower confirmation, ack);
//  - one request in flight waits for each acknowledgement: slower than
//    five, and every event still delivered;
//  - acks=0 has no acknowledgements to wait for: max_in_flight changes nothing;
//  - the idempotent librdkafka producer is never faster than the plain one;
//  - batched and exact modes agree (within 3%) when the limit binds.
#include <gtest/gtest.h>

#include <cstdio>

#include "archsim/scenario_loader.hpp"
#include "archsim/simulator.hpp"
#include "one_producer.hpp"

namespace in_flight_test {

constexpr double kLatency = 5e-3;  // one way

// One producer at 3,000 events/s to 3 partitions on 3 brokers over a 5 ms
// network, linger.ms 0: a request per event when nothing holds it back.
archsim::Scenario slow_network() { return validation::one_producer(3000, kLatency, 3, 4); }

archsim::CandidateResult simulate_one(const archsim::Scenario& sc, archsim::SimMode mode = archsim::SimMode::batched) {
  archsim::SimOptions options;
  options.mode = mode;
  return archsim::simulate(sc, options).candidates.at(0);
}

void print(const char* what, const archsim::CandidateResult& r) {
  std::printf("IN-FLIGHT %s: produce ack p50 %.3f ms p99 %.3f ms, end to end p50 %.3f ms, %llu events\n", what,
              r.produce_ack.p50_s.value * 1e3, r.produce_ack.p99_s.value * 1e3, r.end_to_end.p50_s.value * 1e3,
              static_cast<unsigned long long>(r.end_to_end.count));
  std::fflush(stdout);
}

TEST(InFlight, OneRequestInFlightWaitsForEachAcknowledgement) {
  archsim::Scenario one = slow_network();
  one.candidates[0].producer.max_in_flight = 1;
  archsim::Scenario five = slow_network();
  five.candidates[0].producer.max_in_flight = 5;
  const auto r1 = simulate_one(one);
  const auto r5 = simulate_one(five);
  print("java max_in_flight=1", r1);
  print("java max_in_flight=5", r5);
  ASSERT_GT(r1.end_to_end.count, 5000u);
  EXPECT_EQ(r1.end_to_end.count, r5.end_to_end.count) << "every event is delivered either way";
  ASSERT_GT(r1.produce_ack.count, 5000u);
  for (const auto* r : {&r1, &r5}) EXPECT_GE(r->produce_ack.p50_s.value, 4 * kLatency * 0.99);
  // One in flight: the next request leaves with the acknowledgement, when
  // the follower's fetch already waits at the leader, so a cycle is the four
  // trips; an event waits for the request before its own (half a cycle on
  // average, a whole one at worst), then its own cycle.
  EXPECT_GE(r1.produce_ack.p50_s.value, 1.4 * 4 * kLatency);
  EXPECT_GE(r1.produce_ack.p99_s.value, 1.9 * 4 * kLatency);
  EXPECT_GT(r1.produce_ack.p50_s.value, 1.05 * r5.produce_ack.p50_s.value);
}

TEST(InFlight, AcksZeroIsNotLimited) {
  archsim::Scenario one = slow_network();
  one.candidates[0].producer.acks = archsim::Acks::none;
  one.candidates[0].producer.max_in_flight = 1;
  archsim::Scenario five = one;
  five.candidates[0].producer.max_in_flight = 5;
  const auto r1 = simulate_one(one);
  const auto r5 = simulate_one(five);
  print("acks=0 max_in_flight=1", r1);
  EXPECT_EQ(r1.end_to_end.count, r5.end_to_end.count);
  EXPECT_DOUBLE_EQ(r1.end_to_end.p50_s.value, r5.end_to_end.p50_s.value);
  EXPECT_DOUBLE_EQ(r1.end_to_end.p99_s.value, r5.end_to_end.p99_s.value);
}

TEST(InFlight, IdempotentLibrdkafkaIsNeverFaster) {
  archsim::Scenario plain = slow_network();
  auto& p = plain.candidates[0].producer;
  p.client = archsim::ProducerClient::librdkafka;
  p.max_in_flight = 5;
  archsim::Scenario idempotent = plain;
  idempotent.candidates[0].producer.idempotent = true;
  const auto rp = simulate_one(plain);
  const auto ri = simulate_one(idempotent);
  print("librdkafka", rp);
  print("librdkafka idempotent", ri);
  EXPECT_EQ(rp.end_to_end.count, ri.end_to_end.count);
  EXPECT_GE(ri.produce_ack.p50_s.value, rp.produce_ack.p50_s.value);
  EXPECT_GE(ri.produce_ack.p99_s.value, rp.produce_ack.p99_s.value);
  // 1,000 events/s per partition and a 20 ms cycle: about 20 messages
  // gather behind each request, far over 5, so one request per partition is
  // in flight and an event waits up to a cycle for it.
  EXPECT_GT(ri.produce_ack.p50_s.value, 1.25 * 4 * kLatency);
}

TEST(InFlight, ARequestCarriesAtMostBatchSize) {
  // One request in flight per connection, a ~20 ms cycle, 1,000 events/s of
  // 1 KB per partition: about 20 KB gather behind each request. With
  // batch.size 1 MB a request takes them all and the producer keeps up; with
  // 8 KB a request carries 8 events, at most ~400 events/s per partition,
  // so the rest waits longer and longer.
  archsim::Scenario roomy = slow_network();
  roomy.candidates[0].producer.max_in_flight = 1;
  roomy.candidates[0].producer.batch_size_bytes = 1e6;
  archsim::Scenario capped = roomy;
  capped.candidates[0].producer.batch_size_bytes = 8192;
  for (const auto mode : {archsim::SimMode::batched, archsim::SimMode::exact}) {
    const auto r = simulate_one(roomy, mode);
    const auto c = simulate_one(capped, mode);
    print(mode == archsim::SimMode::batched ? "batch.size 1 MB batched" : "batch.size 1 MB exact", r);
    print(mode == archsim::SimMode::batched ? "batch.size 8 KB batched" : "batch.size 8 KB exact", c);
    ASSERT_GT(r.produce_ack.count, 5000u);
    EXPECT_LT(r.produce_ack.p99_s.value, 0.1);
    EXPECT_GT(c.produce_ack.p99_s.value, 1.0) << "8 KB requests cannot carry 1,000 events/s over a 20 ms cycle";
    EXPECT_LT(c.achieved_eps, 0.6 * r.achieved_eps);
  }
}

TEST(InFlight, BatchedAndExactAgreeWhenTheLimitBinds) {
  archsim::Scenario sc = slow_network();
  sc.workload.rate_eps = 1000;
  sc.simulation.duration_s = 3;
  auto& p = sc.candidates[0].producer;
  p.client = archsim::ProducerClient::librdkafka;
  p.idempotent = true;
  const auto rb = simulate_one(sc, archsim::SimMode::batched);
  const auto re = simulate_one(sc, archsim::SimMode::exact);
  print("batched", rb);
  print("exact", re);
  EXPECT_EQ(rb.produce_ack.count, re.produce_ack.count);
  // 3%: the batched mode's network (first come first served per NIC) moves
  // tails by about 2% against SimGrid's sharing, and the histogram's
  // buckets are 1% wide
  EXPECT_NEAR(rb.produce_ack.p50_s.value, re.produce_ack.p50_s.value, 0.03 * re.produce_ack.p50_s.value);
  EXPECT_NEAR(rb.produce_ack.p99_s.value, re.produce_ack.p99_s.value, 0.03 * re.produce_ack.p99_s.value);
}

}  // namespace in_flight_test
