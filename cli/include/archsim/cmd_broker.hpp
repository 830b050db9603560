// `archsim broker`: run the embedded Kafka-protocol broker (librdkafka's mock
// cluster) standalone on loopback TCP, print its bootstrap.servers, and stop
// cleanly on SIGINT or SIGTERM.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace archsim {

struct BrokerOptions {
  int brokers = 3;                  ///< mock brokers, ids 1..N
  std::vector<std::string> topics;  ///< "NAME:PARTITIONS" each, created at start
};

/// A topic to create: parsed from "NAME:PARTITIONS".
struct TopicSpec {
  std::string name;
  int partitions = 1;
};

/// Parses "NAME:PARTITIONS" (PARTITIONS 1..100000). Throws
/// std::invalid_argument naming the text for anything else.
TopicSpec parse_topic_spec(const std::string& text);

/// Adds the `broker` subcommand to `app`, storing its arguments in `opts`
/// (which must outlive parsing). Returns the subcommand.
CLI::App* setup_broker(CLI::App& app, BrokerOptions& opts);

/// Starts the cluster and its topics, prints "bootstrap.servers=LIST" on
/// `out` (flushed), then blocks SIGINT and SIGTERM and waits for one with
/// sigwait (the calling thread must be the only one that could take them:
/// main calls this before starting any thread). Returns exit_code::ok after
/// the cluster stopped. Throws std::invalid_argument for bad options.
int run_broker(const BrokerOptions& opts, std::ostream& out, std::ostream& err);

}  // namespace archsim
