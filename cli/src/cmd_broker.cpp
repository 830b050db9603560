// `archsim broker`: the embedded cluster as a standalone process.
#include "archsim/cmd_broker.hpp"

#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

#include "archsim/cli_errors.hpp"
#include "archsim/embedded_cluster.hpp"

namespace archsim {

TopicSpec parse_topic_spec(const std::string& text) {
  const size_t colon = text.rfind(':');
  TopicSpec spec;
  if (colon == std::string::npos || colon == 0)
    throw std::invalid_argument(fmt::format("--topic {}: expected NAME:PARTITIONS, e.g. events:12", text));
  spec.name = text.substr(0, colon);
  const std::string count = text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), spec.partitions);
  if (ec != std::errc() || end != count.data() + count.size() || spec.partitions < 1 || spec.partitions > 100000)
    throw std::invalid_argument(
        fmt::format("--topic {}: expected a partition count from 1 to 100000 after ':', found \"{}\"", text, count));
  return spec;
}

CLI::App* setup_broker(CLI::App& app, BrokerOptions& opts) {
  CLI::App* cmd = app.add_subcommand(
      "broker", "Run the embedded Kafka-protocol broker (librdkafka mock cluster) until SIGINT/SIGTERM");
  cmd->add_option("--brokers", opts.brokers, "number of mock brokers (ids 1..N)")
      ->type_name("N")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--topic", opts.topics,
                  "create a topic at start, NAME:PARTITIONS (replication min(3, N), in metadata only); repeatable")
      ->type_name("NAME:PARTITIONS");
  cmd->footer(
      "Prints one line on stdout, bootstrap.servers=127.0.0.1:PORT,..., once the brokers listen\n"
      "on loopback TCP; any Kafka client (librdkafka, kcat, Java) can connect to it. Topics that\n"
      "are not created up front are auto-created by the first client that asks for them. The\n"
      "broker keeps running until SIGINT (Ctrl-C) or SIGTERM, then stops cleanly (exit 130 or 143).\n"
      "\n"
      "It is librdkafka 2.0's mock cluster, with known limits: acks and fetch.min.bytes are not\n"
      "acted on, replication is not modelled, one I/O thread serves every broker, each partition\n"
      "keeps only about 5 MiB in memory, and an empty fetch is held for the full\n"
      "fetch.wait.max.ms (set it low in latency runs).\n"
      "\n"
      "Examples:\n"
      "  archsim broker\n"
      "  archsim broker --brokers 1 --topic events:12 --topic results:12\n"
      "  archsim broker > broker.txt &  kcat -b \"$(sed -n 's/^bootstrap.servers=//p' broker.txt)\" -L\n"
      "\n"
      "Exit status: 130 after a clean stop on SIGINT (Ctrl-C), 143 on SIGTERM (128 + the signal,\n"
      "as every archsim command); 2 bad options;\n"
      "1 when the cluster cannot start.");
  return cmd;
}

int run_broker(const BrokerOptions& opts, std::ostream& out, std::ostream& err) {
  std::vector<TopicSpec> topics;
  for (const std::string& t : opts.topics) topics.push_back(parse_topic_spec(t));

  // Block the stop signals before librdkafka starts its threads: they inherit
  // the mask, so only sigwait below ever receives SIGINT/SIGTERM.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);

  int signal_number = 0;
  {
    EmbeddedCluster cluster(opts.brokers);
    for (const TopicSpec& t : topics) cluster.create_topic(t.name, t.partitions, 3);
    out << "bootstrap.servers=" << cluster.bootstrap_servers() << std::endl;
    err << fmt::format("archsim broker: {} mock broker{} listening{}; stop with Ctrl-C or SIGTERM\n", opts.brokers,
                       opts.brokers == 1 ? "" : "s",
                       topics.empty() ? "" : fmt::format(", {} topic{} created", topics.size(),
                                                        topics.size() == 1 ? "" : "s"));
    err.flush();
    while (sigwait(&stop_signals, &signal_number) != 0) {
    }
    err << fmt::format("archsim broker: {} received, stopping\n", signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  err << "archsim broker: stopped\n";
  return 128 + signal_number;  // 130 after Ctrl-C, 143 after SIGTERM, as every archsim command
}

}  // namespace archsim
