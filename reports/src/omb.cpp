#include "archsim/omb.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "archsim/simulator.hpp"
#include "archsim/verdict.hpp"

namespace archsim {

namespace {

std::string acks_text(Acks a) { return a == Acks::all ? "all" : a == Acks::leader ? "1" : "0"; }

int minutes_at_least_one(double seconds) { return std::max(1, static_cast<int>(std::ceil(seconds / 60.0))); }

/// A YAML block scalar ("key: |" then indented lines).
std::string block(const std::string& key, const std::vector<std::string>& lines) {
  std::string out = key + ": |\n";
  for (const auto& l : lines) out += "  " + l + "\n";
  return out;
}

[[noreturn]] void bad(const std::string& file, const std::string& path, const std::string& expected, const nlohmann::json& found) {
  std::string text = found.is_discarded() ? "nothing" : found.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  throw std::invalid_argument(fmt::format("{}: {}: expected {}, found {}", file, path, expected, text));
}

/// A required non-negative finite number at `key` of the OMB result.
double number(const nlohmann::json& j, const std::string& key, const std::string& file) {
  auto it = j.find(key);
  if (it == j.end()) bad(file, "/" + key, "a number (milliseconds) as OMB writes it", nlohmann::json(nlohmann::json::value_t::discarded));
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0)
    bad(file, "/" + key, "a non-negative number", *it);
  return it->get<double>();
}

/// An optional array of non-negative numbers (a per-10-second series).
std::vector<double> series(const nlohmann::json& j, const std::string& key, const std::string& file) {
  std::vector<double> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) bad(file, "/" + key, "an array of numbers (one per 10-second period)", *it);
  for (size_t i = 0; i < it->size(); ++i) {
    const auto& v = (*it)[i];
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0)
      bad(file, fmt::format("/{}/{}", key, i), "a non-negative number", v);
    out.push_back(v.get<double>());
  }
  return out;
}

double mean_of(const std::vector<double>& v) {
  if (v.empty()) return 0;
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

/// OMB's aggregated latency percentiles (ms) under `prefix`, e.g.
/// "aggregatedEndToEndLatency", plus its quantile map for the CDF.
LatencySummary latency(const nlohmann::json& j, const std::string& prefix, const std::string& file, double count) {
  LatencySummary s;
  auto ms = [&](const std::string& suffix) { return number(j, prefix + suffix, file) / 1e3; };
  auto point = [](double v) { return Estimate{v, v, v}; };
  s.mean_s = ms("Avg");
  s.p50_s = point(ms("50pct"));
  s.p95_s = point(ms("95pct"));
  s.p99_s = point(ms("99pct"));
  s.p999_s = point(ms("999pct"));
  s.max_s = ms("Max");
  s.count = static_cast<uint64_t>(std::llround(count));
  const std::string qkey = prefix + "Quantiles";
  if (auto it = j.find(qkey); it != j.end() && !it->is_null()) {
    if (!it->is_object()) bad(file, "/" + qkey, "an object {percentile: milliseconds}", *it);
    for (const auto& [k, v] : it->items()) {
      char* end = nullptr;
      const double pct = std::strtod(k.c_str(), &end);
      if (end == k.c_str() || *end != '\0' || !(pct >= 0 && pct <= 100)) bad(file, "/" + qkey + "/" + k, "a percentile key from 0 to 100", k);
      if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0) bad(file, "/" + qkey + "/" + k, "a non-negative number", v);
      s.cdf.emplace_back(v.get<double>() / 1e3, pct / 100.0);
    }
    std::sort(s.cdf.begin(), s.cdf.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  }
  const double order[] = {s.p50_s.value, s.p95_s.value, s.p99_s.value, s.p999_s.value, s.max_s};
  if (!std::is_sorted(std::begin(order), std::end(order)))
    throw std::invalid_argument(fmt::format("{}: /{}50pct..{}Max: expected percentiles that do not decrease, found {} {} {} {} {} ms",
                                            file, prefix, prefix, 1e3 * order[0], 1e3 * order[1], 1e3 * order[2], 1e3 * order[3], 1e3 * order[4]));
  return s;
}

std::string text_field(const nlohmann::json& j, const std::string& key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

OmbExport export_omb(const Scenario& sc, const Candidate& cand, const std::string& bootstrap) {
  if (cand.broker.kind != "kafka")
    throw std::invalid_argument(fmt::format("candidate '{}': OMB's Kafka driver needs a Kafka broker, found broker kind '{}'", cand.name, cand.broker.kind));
  OmbExport e;
  const auto& w = sc.workload;
  const int size = std::max(1, static_cast<int>(std::lround(w.event_size.mean())));
  const int producers = std::max(1, std::min(w.sources, 64));
  const int consumers = std::max(1, std::min(cand.processing.parallelism, cand.broker.partitions));
  const bool keyed = w.key_cardinality > 1;
  e.workload_yaml = fmt::format(
      "# OpenMessaging Benchmark workload exported by archsim {} from scenario '{}', candidate '{}'.\n"
      "# Run: bin/benchmark --drivers driver-kafka.yaml workload.yaml\n"
      "name: {}\n"
      "topics: 1\n"
      "partitionsPerTopic: {}\n"
      "keyDistributor: \"{}\"\n"
      "messageSize: {}\n"
      "useRandomizedPayloads: true\n"
      "randomBytesRatio: {:.2f}\n"
      "randomizedPayloadPoolSize: 1000\n"
      "subscriptionsPerTopic: 1\n"
      "producersPerTopic: {}\n"
      "consumerPerSubscription: {}\n"
      "producerRate: {}\n"
      "consumerBacklogSizeGB: 0\n"
      "testDurationMinutes: {}\n"
      "warmupDurationMinutes: {}\n",
      version(), sc.name, cand.name, sc.name + "-" + cand.name, cand.broker.partitions, keyed ? "KEY_ROUND_ROBIN" : "NO_KEY", size,
      std::clamp(cand.producer.compression_ratio, 0.0, 1.0), producers, consumers, static_cast<long long>(std::llround(w.rate_eps)),
      minutes_at_least_one(sc.simulation.duration_s), minutes_at_least_one(sc.simulation.warmup_s));
  std::string out = fmt::format("# Kafka driver for the workload above (archsim {}, candidate '{}').\n", version(), cand.name);
  out += "name: Kafka\n";
  out += "driverClass: io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver\n";
  out += fmt::format("replicationFactor: {}\n", cand.broker.replication_factor);
  out += "reset: true\n";
  out += block("topicConfig", {fmt::format("min.insync.replicas={}", cand.broker.min_insync_replicas)});
  out += block("commonConfig", {"bootstrap.servers=" + (bootstrap.empty() ? std::string("BROKER_HOST:9092") : bootstrap),
                                "default.api.timeout.ms=1200000", "request.timeout.ms=1200000"});
  out += block("producerConfig", {"acks=" + acks_text(cand.producer.acks),
                                  fmt::format("linger.ms={}", std::llround(cand.producer.linger_s * 1e3)),
                                  fmt::format("batch.size={}", std::llround(cand.producer.batch_size_bytes)),
                                  fmt::format("max.in.flight.requests.per.connection={}", cand.producer.max_in_flight)});
  out += block("consumerConfig", {"auto.offset.reset=earliest", "enable.auto.commit=false",
                                  fmt::format("fetch.max.wait.ms={}", std::llround(cand.consumer.fetch_wait_max_s * 1e3)),
                                  fmt::format("fetch.min.bytes={}", std::llround(cand.consumer.fetch_min_bytes)),
                                  fmt::format("max.poll.records={}", cand.consumer.max_poll_records)});
  e.driver_yaml = out;

  if (w.event_size.kind != SizeDistKind::constant)
    e.caveats.push_back(fmt::format("event sizes are {} with mean {:.0f} bytes; OMB sends fixed {}-byte messages",
                                    w.event_size.kind == SizeDistKind::uniform ? "uniform" : "lognormal", w.event_size.mean(), size));
  if (cand.producer.compression_ratio < 1)
    e.caveats.push_back(fmt::format("the scenario's compression ratio {:.2f} is approximated by randomBytesRatio (the incompressible "
                                    "share of each payload); set compression.type in producerConfig to the codec you use",
                                    cand.producer.compression_ratio));
  if (w.pattern.kind != RatePatternKind::constant || !w.pattern.bursts.empty())
    e.caveats.push_back("the scenario's rate pattern (diurnal or bursts) becomes OMB's constant producerRate at its mean");
  if (w.sources > producers)
    e.caveats.push_back(fmt::format("{} sources become {} OMB producers with the same total rate", w.sources, producers));
  e.caveats.push_back("OMB's end-to-end latency is producer to consumer: it leaves out the candidate's processing and sink stages");
  if (cand.kind != "kappa") e.caveats.push_back("only the candidate's Kafka path is exported (its " + cand.kind + " parts are not)");
  return e;
}

Result import_omb_result(std::string_view json_text, const std::string& file, const std::string& label,
                         const std::vector<Verdict>& targets) {
  const nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded()) throw std::invalid_argument(fmt::format("{}: not JSON: expected an OpenMessaging Benchmark result file", file));
  if (!j.is_object()) bad(file, "", "an object (an OpenMessaging Benchmark result)", j);
  const auto publish_rate = series(j, "publishRate", file);
  const auto consume_rate = series(j, "consumeRate", file);
  const auto backlog = series(j, "backlog", file);
  if (consume_rate.empty()) bad(file, "/consumeRate", "a non-empty array (messages/s per 10-second period)", j.value("consumeRate", nlohmann::json()));

  Result r;
  r.archsim_version = version();
  r.scenario_name = text_field(j, "workload");
  if (r.scenario_name.empty()) r.scenario_name = "omb";
  r.scenario_file = file;
  r.mode = "measured";
  CandidateResult c;
  const std::string driver = text_field(j, "driver");
  c.name = label.empty() ? (driver.empty() ? "OMB" : driver) + " (OMB)" : label;
  c.kind = "kappa";
  c.source = "measured";
  c.offered_eps = mean_of(publish_rate);
  c.achieved_eps = mean_of(consume_rate);
  const double delivered = c.achieved_eps * 10.0 * static_cast<double>(consume_rate.size());
  c.end_to_end = latency(j, "aggregatedEndToEndLatency", file, delivered);
  c.produce_ack = latency(j, "aggregatedPublishLatency", file, c.offered_eps * 10.0 * static_cast<double>(publish_rate.size()));
  c.max_consumer_lag_events = backlog.empty() ? 0 : *std::max_element(backlog.begin(), backlog.end());
  c.simulated_s = 10.0 * static_cast<double>(consume_rate.size());
  c.notes.push_back(fmt::format("imported from the OpenMessaging Benchmark result {} (driver '{}', workload '{}')", file,
                                driver.empty() ? "?" : driver, r.scenario_name));
  c.notes.push_back("end-to-end is OMB's: producer send to consumer receive, whole milliseconds; no processing or sink stage; "
                    "percentiles have no confidence interval");
  if (const auto delay = j.find("aggregatedPublishDelayLatency99pct"); delay != j.end() && delay->is_number())
    c.notes.push_back(fmt::format("publish delay (actual minus intended send) p99 {} us, as OMB reports it", delay->get<double>()));
  for (const auto& t : targets) {
    if (t.requirement == "p99 latency") c.verdicts.push_back(latency_verdict("p99", c.end_to_end.p99_s, t.target, c));
    if (t.requirement == "p95 latency") c.verdicts.push_back(latency_verdict("p95", c.end_to_end.p95_s, t.target, c));
  }
  c.meets_all = !c.verdicts.empty() && std::all_of(c.verdicts.begin(), c.verdicts.end(), [](const Verdict& v) { return v.pass; });
  r.candidates.push_back(std::move(c));
  r.recommendation_reason = "a measurement: no recommendation";
  return r;
}

}  // namespace archsim
