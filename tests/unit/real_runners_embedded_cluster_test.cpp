// EmbeddedCluster: the mock cluster starts N brokers on loopback TCP, and a
// plain librdkafka producer and consumer round-trip messages through it.
#include <gtest/gtest.h>

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <set>
#include <stdexcept>
#include <string>

#include "archsim/embedded_cluster.hpp"

namespace archsim {
namespace {

rd_kafka_t* new_client(rd_kafka_type_t type, const std::string& bootstrap,
                       std::initializer_list<std::pair<const char*, const char*>> settings) {
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  EXPECT_EQ(rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), errstr, sizeof errstr), RD_KAFKA_CONF_OK);
  for (const auto& [k, v] : settings) EXPECT_EQ(rd_kafka_conf_set(conf, k, v, errstr, sizeof errstr), RD_KAFKA_CONF_OK) << k;
  rd_kafka_t* rk = rd_kafka_new(type, conf, errstr, sizeof errstr);
  EXPECT_NE(rk, nullptr) << errstr;
  return rk;
}

TEST(RealRunnersEmbeddedCluster, BootstrapListsOneLoopbackAddressPerBroker) {
  EmbeddedCluster cluster(3);
  EXPECT_EQ(cluster.broker_count(), 3);
  const std::string bootstrap = cluster.bootstrap_servers();
  size_t entries = 0;
  for (size_t pos = 0; (pos = bootstrap.find("127.0.0.1:", pos)) != std::string::npos; ++pos) ++entries;
  EXPECT_EQ(entries, 3u) << bootstrap;
}

TEST(RealRunnersEmbeddedCluster, PlainProducerAndConsumerRoundTripOverTcp) {
  EmbeddedCluster cluster(3);
  cluster.create_topic("roundtrip", 4, 3);
  const std::string bootstrap = cluster.bootstrap_servers();
  constexpr int kMessages = 2000;

  rd_kafka_t* producer = new_client(RD_KAFKA_PRODUCER, bootstrap, {{"linger.ms", "1"}});
  ASSERT_NE(producer, nullptr);
  for (int i = 0; i < kMessages; ++i) {
    const std::string value = "message-" + std::to_string(i);
    ASSERT_EQ(rd_kafka_producev(producer, RD_KAFKA_V_TOPIC("roundtrip"),
                                RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
              RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_poll(producer, 0);
  }
  ASSERT_EQ(rd_kafka_flush(producer, 20000), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_destroy(producer);

  rd_kafka_t* consumer = new_client(RD_KAFKA_CONSUMER, bootstrap,
                                    {{"group.id", "roundtrip-test"}, {"fetch.wait.max.ms", "10"}});
  ASSERT_NE(consumer, nullptr);
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(4);
  for (int p = 0; p < 4; ++p)
    rd_kafka_topic_partition_list_add(parts, "roundtrip", p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  ASSERT_EQ(rd_kafka_assign(consumer, parts), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(parts);

  std::set<std::string> received;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (received.size() < kMessages && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, 100);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
      received.insert(std::string(static_cast<const char*>(m->payload), m->len));
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  ASSERT_EQ(received.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(received.count("message-0"), 1u);
  EXPECT_EQ(received.count("message-1999"), 1u);
}

TEST(RealRunnersEmbeddedCluster, FaultSettersAcceptBrokerIdsAndAll) {
  EmbeddedCluster cluster(2);
  EXPECT_NO_THROW(cluster.set_broker_rtt(1, 5));
  EXPECT_NO_THROW(cluster.set_broker_rtt(-1, 0));
  EXPECT_NO_THROW(cluster.set_broker_down(2));
  EXPECT_NO_THROW(cluster.set_broker_up(2));
  EXPECT_THROW(cluster.set_broker_rtt(1, -1), std::invalid_argument);
}

TEST(RealRunnersEmbeddedCluster, RejectsBadArguments) {
  EXPECT_THROW(EmbeddedCluster(0), std::invalid_argument);
  EXPECT_THROW(EmbeddedCluster(65), std::invalid_argument);
  EmbeddedCluster cluster(1);
  EXPECT_THROW(cluster.create_topic("t", 0, 1), std::invalid_argument);
  EXPECT_THROW(cluster.create_topic("", 1, 1), std::invalid_argument);
  EXPECT_THROW(cluster.create_topic("t", 1, 0), std::invalid_argument);
  EXPECT_NO_THROW(cluster.create_topic("t", 3, 3));  // replication clamped to the one broker
}

TEST(RealRunnersEmbeddedCluster, KnownLimitsNameEachLimit) {
  std::string all;
  for (const std::string& s : EmbeddedCluster::known_limits()) all += s + "\n";
  for (const char* word : {"acks", "replication", "one I/O thread", "5 MiB", "fetch.wait.max.ms", "aborted transactions",
                           "TxnOffsetCommit"})
    EXPECT_NE(all.find(word), std::string::npos) << word;
}

}  // namespace
}  // namespace archsim
