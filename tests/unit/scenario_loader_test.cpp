// Tests of the scenario and catalog loaders: every shipped scenario loads
// with the figures it states, the default catalog carries provenance, and
// a table of malformed scenarios each report the exact JSON path and what
// was expected, all problems of a file at once.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "archsim/scenario_loader.hpp"

namespace archsim {
namespace {

namespace fs = std::filesystem;

fs::path scenarios_dir() { return fs::path(ARCHSIM_SOURCE_DIR) / "scenarios"; }

bool is_scenario_file(const fs::path& path) {
  const std::string name = path.filename().string();
  return path.extension() == ".json" && !name.starts_with("catalog") && !name.ends_with(".schema.json");
}

/// The issues parse_scenario reports for `text` (empty when it loads).
std::vector<ValidationIssue> issues_of(const std::string& text) {
  try {
    parse_scenario(text, "test.json", scenarios_dir());
  } catch (const ScenarioError& error) {
    return error.issues();
  }
  return {};
}

std::string listing(const std::vector<ValidationIssue>& issues) {
  std::string text;
  for (const auto& issue : issues) text += "\n  [" + issue.path + "] " + issue.message();
  return text;
}

/// A temporary directory removed at the end of a test.
class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("archsim-loader-test-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return path_ / name;
  }

 private:
  fs::path path_;
};

// --- shipped files ------------------------------------------------------------

TEST(ScenarioLoaderTest, EveryShippedScenarioLoads) {
  int loaded = 0;
  for (const auto& entry : fs::directory_iterator(scenarios_dir())) {
    if (!is_scenario_file(entry.path())) continue;
    SCOPED_TRACE(entry.path().string());
    try {
      const Scenario scenario = load_scenario_file(entry.path());
      EXPECT_FALSE(scenario.name.empty());
      EXPECT_FALSE(scenario.candidates.empty());
      EXPECT_EQ(scenario.hardware.catalog.name, "default");
      // managed services and functions have no instances; commodity-6c-1gbe is owned hardware, priced 0 on purpose
      auto priced = [](const InstanceType& it) { return it.price_usd_hour > 0 || it.name == "commodity-6c-1gbe"; };
      for (const Candidate& candidate : scenario.candidates) {
        if (!candidate.broker.is_service()) {
          EXPECT_TRUE(priced(candidate.broker.instance)) << candidate.name;
        }
        if (candidate.processing.engine != "serverless") {
          EXPECT_TRUE(priced(candidate.processing.instance)) << candidate.name;
        }
      }
      ++loaded;
    } catch (const ScenarioError& error) {
      ADD_FAILURE() << error.what();
    }
  }
  EXPECT_GE(loaded, 2);
}

TEST(ScenarioLoaderTest, KappaReferenceHasTheBenchmarkFigures) {
  const Scenario s = load_scenario_file(scenarios_dir() / "kappa-reference.json");
  EXPECT_EQ(s.name, "kappa-reference");
  EXPECT_DOUBLE_EQ(s.workload.rate_eps, 100000);
  EXPECT_EQ(s.workload.pattern.kind, RatePatternKind::constant);
  EXPECT_EQ(s.workload.sources, 4);
  EXPECT_EQ(s.workload.event_size.kind, SizeDistKind::constant);
  EXPECT_DOUBLE_EQ(s.workload.event_size.mean(), 512);
  EXPECT_DOUBLE_EQ(*s.requirements.p95_s, 0.1);
  EXPECT_DOUBLE_EQ(*s.requirements.p99_s, 0.2);
  EXPECT_EQ(*s.requirements.delivery, Delivery::at_least_once);
  EXPECT_DOUBLE_EQ(*s.requirements.budget_usd_month, 11000);
  EXPECT_DOUBLE_EQ(s.hardware.network_latency_s, 100e-6);
  EXPECT_EQ(s.hardware.client_instance.name, "m5.xlarge");
  EXPECT_DOUBLE_EQ(s.simulation.duration_s, 30);
  EXPECT_DOUBLE_EQ(s.simulation.warmup_s, 5);
  EXPECT_EQ(s.simulation.seed, 42u);
  ASSERT_EQ(s.candidates.size(), 2u);

  const Candidate& base = s.candidates[0];
  EXPECT_EQ(base.kind, "kappa");
  EXPECT_EQ(base.broker.count, 3);
  EXPECT_EQ(base.broker.partitions, 12);
  EXPECT_EQ(base.broker.replication_factor, 3);
  EXPECT_EQ(base.broker.instance.name, "m5.xlarge");
  EXPECT_DOUBLE_EQ(base.broker.instance.price_usd_hour, 0.192);
  EXPECT_DOUBLE_EQ(base.broker.retention_s, 6 * 3600);
  EXPECT_EQ(base.producer.acks, Acks::all);
  EXPECT_DOUBLE_EQ(base.producer.linger_s, 0.005);
  EXPECT_DOUBLE_EQ(base.consumer.fetch_wait_max_s, 0.1);
  EXPECT_EQ(base.processing.parallelism, 4);
  EXPECT_FALSE(base.processing.window_s.has_value());

  const Candidate& lean = s.candidates[1];
  EXPECT_EQ(lean.name, "kappa-lean");
  EXPECT_EQ(lean.broker.instance.name, "m5.large");
  EXPECT_EQ(lean.producer.acks, Acks::leader);
  EXPECT_DOUBLE_EQ(lean.producer.linger_s, 0.020);
  EXPECT_EQ(lean.processing.parallelism, 2);
}

TEST(ScenarioLoaderTest, ClickstreamUsesDiurnalLognormalAndUnitKeys) {
  const Scenario s = load_scenario_file(scenarios_dir() / "clickstream-kappa.json");
  EXPECT_DOUBLE_EQ(s.workload.rate_eps, 20000);
  EXPECT_EQ(s.workload.pattern.kind, RatePatternKind::diurnal);
  EXPECT_DOUBLE_EQ(s.workload.pattern.peak_factor, 1.6);
  EXPECT_DOUBLE_EQ(s.workload.pattern.period_s, 86400);
  EXPECT_DOUBLE_EQ(s.workload.pattern.peak_at_s, 14 * 3600);
  ASSERT_EQ(s.workload.pattern.bursts.size(), 1u);
  EXPECT_DOUBLE_EQ(s.workload.pattern.bursts[0].start_s, 20);
  EXPECT_DOUBLE_EQ(s.workload.pattern.bursts[0].factor, 2);
  EXPECT_EQ(s.workload.event_size.kind, SizeDistKind::lognormal);
  EXPECT_DOUBLE_EQ(s.workload.event_size.mean(), 800);
  EXPECT_DOUBLE_EQ(s.workload.event_size.p99_bytes, 4096);
  EXPECT_DOUBLE_EQ(s.workload.key_skew, 1.1);
  EXPECT_DOUBLE_EQ(s.hardware.network_latency_s, 150e-6);  // "latency_us": 150
  ASSERT_EQ(s.candidates.size(), 2u);
  EXPECT_TRUE(s.candidates[0].processing.keyed_shuffle);
  EXPECT_DOUBLE_EQ(*s.candidates[0].processing.window_s, 10);
  EXPECT_DOUBLE_EQ(s.candidates[0].producer.linger_s, 0.010);     // "linger_ms": 10
  EXPECT_DOUBLE_EQ(s.candidates[0].processing.cpu_per_event_s, 25e-6);
  EXPECT_FALSE(s.candidates[1].processing.window_s.has_value());
  EXPECT_EQ(s.candidates[1].processing.engine, "kafka-streams");
  EXPECT_LE(s.simulation.duration_s, 60);
}

TEST(ScenarioLoaderTest, DefaultCatalogCarriesProvenanceForEveryFigure) {
  const Catalog catalog = load_catalog_file(data_dir() / "catalog.json");
  EXPECT_FALSE(catalog.as_of.empty());
  EXPECT_DOUBLE_EQ(catalog.hours_per_month, 730);
  const std::set<std::string> flags{"verified", "unverified", "inferred", "assumption"};
  for (const char* name : {"m5.large", "m5.xlarge", "m5.2xlarge", "c5.xlarge", "c5.2xlarge", "r5.xlarge",
                           "r5.2xlarge", "i3en.2xlarge", "i3en.6xlarge"}) {
    ASSERT_TRUE(catalog.instances.contains(name)) << name;
    const InstanceType& type = catalog.instances.at(name);
    EXPECT_EQ(type.name, name);
    EXPECT_GT(type.price_usd_hour, 0) << name;
    EXPECT_DOUBLE_EQ(type.core_speed_flops, 1e9) << name;
    for (const Provenance* p : {&type.provenance, &type.specs_provenance, &type.disk_provenance}) {
      EXPECT_FALSE(p->source.empty()) << name;
      EXPECT_FALSE(p->date.empty()) << name;
      EXPECT_TRUE(flags.contains(p->flag)) << name << " " << p->flag;
    }
  }
  const InstanceType& m5 = catalog.instances.at("m5.xlarge");
  EXPECT_EQ(m5.vcpu, 4);
  EXPECT_DOUBLE_EQ(m5.memory_gib, 16);
  EXPECT_DOUBLE_EQ(m5.network_bps, 1.25e9 / 8);
  EXPECT_DOUBLE_EQ(m5.disk_write_bps, 125e6);
  EXPECT_DOUBLE_EQ(m5.fsync_s, 1e-3);
  EXPECT_EQ(m5.provenance.flag, "verified");
  EXPECT_EQ(catalog.instances.at("c5.xlarge").provenance.flag, "unverified");
  const InstanceType& i3en = catalog.instances.at("i3en.2xlarge");
  EXPECT_DOUBLE_EQ(i3en.disk_write_bps, 1e9);
  EXPECT_DOUBLE_EQ(i3en.fsync_s, 1e-4);
  EXPECT_EQ(i3en.disk_provenance.flag, "assumption");

  EXPECT_DOUBLE_EQ(catalog.prices.block_storage_usd_gb_month, 0.08);
  EXPECT_DOUBLE_EQ(catalog.prices.object_storage_usd_gb_month, 0.023);
  EXPECT_DOUBLE_EQ(catalog.prices.cross_az_usd_gb, 0.01);
  EXPECT_DOUBLE_EQ(catalog.prices.internet_egress_usd_gb, 0.09);
  for (const char* key : {"block_storage_usd_gb_month", "object_storage_usd_gb_month", "cross_az_usd_gb",
                          "internet_egress_usd_gb"}) {
    ASSERT_TRUE(catalog.prices.provenance.contains(key)) << key;
    EXPECT_FALSE(catalog.prices.provenance.at(key).source.empty()) << key;
  }
}

TEST(ScenarioLoaderTest, ProducerClientAndIdempotenceAreRead) {
  const Scenario plain = parse_scenario(R"({"name": "p", "candidates": [{"name": "a"}]})", "test.json", scenarios_dir());
  EXPECT_EQ(plain.candidates.at(0).producer.client, ProducerClient::java);
  EXPECT_FALSE(plain.candidates.at(0).producer.idempotent);
  const Scenario rdk = parse_scenario(
      R"({"name": "p", "candidates": [{"name": "a", "producer": {"client": "librdkafka", "idempotent": true, "max_in_flight": 3}}]})",
      "test.json", scenarios_dir());
  const ProducerConfig& pc = rdk.candidates.at(0).producer;
  EXPECT_EQ(pc.client, ProducerClient::librdkafka);
  EXPECT_TRUE(pc.idempotent);
  EXPECT_EQ(pc.max_in_flight, 3);
}

TEST(ScenarioLoaderTest, FailuresAndDeliveryAreReadWithCatalogDefaults) {
  const Scenario fraud = load_scenario_file(scenarios_dir() / "fraud-lambda-vs-kappa.json");
  const FailureModel& f = fraud.candidates.at(0).failures;
  EXPECT_DOUBLE_EQ(f.brokers.mtbf_s, 30 * 86400.0);
  EXPECT_DOUBLE_EQ(f.brokers.mttr_mean_s, 600);
  EXPECT_DOUBLE_EQ(f.brokers.mttr_p99_s, 3600);
  EXPECT_DOUBLE_EQ(f.processing.mttr_mean_s, 60);
  EXPECT_TRUE(f.batch_storage.enabled());
  EXPECT_FALSE(f.gateways.enabled());
  EXPECT_FALSE(f.broker_failover_s.has_value());  // the catalog's default applies
  EXPECT_EQ(fraud.requirements.availability, 0.9995);
  const TechnologyDefaults& t = fraud.hardware.catalog.technology;
  const std::set<std::string> flags{"verified", "unverified", "inferred", "assumption"};
  for (const TechnologyDefault* d : {&t.broker_failover_s, &t.consumer_session_timeout_s, &t.flink_heartbeat_timeout_s,
                                     &t.spark_network_timeout_s, &t.producer_delivery_timeout_s, &t.producer_buffer_bytes,
                                     &t.producer_max_block_s, &t.page_cache_expire_s, &t.kafka_streams_commit_interval_s,
                                     &t.kafka_streams_eos_commit_interval_s, &t.flink_checkpoint_interval_s}) {
    EXPECT_GT(d->value, 0);
    EXPECT_FALSE(d->provenance.source.empty());
    EXPECT_EQ(d->provenance.date, "2025-07") << d->provenance.source;  // read from the catalog, not the built-in fallback
    EXPECT_TRUE(flags.contains(d->provenance.flag)) << d->provenance.flag;
  }
  EXPECT_DOUBLE_EQ(t.consumer_session_timeout_s.value, 45);
  EXPECT_DOUBLE_EQ(t.kafka_streams_eos_commit_interval_s.value, 0.1);
  EXPECT_DOUBLE_EQ(t.producer_buffer_bytes.value, 33554432);

  const Scenario eos = parse_scenario(R"({"name": "e", "candidates": [{"name": "a", "processing": {"engine": "kafka-streams",
      "delivery": "exactly-once", "commit_interval": "50ms"}, "failures": {"processing": {"mtbf": "7d", "mttr": {"mean": "30s"}},
      "broker_failover": "5s", "max_block": "0s", "episodes": 50}}]})",
                                      "e.json", scenarios_dir());
  const Candidate& c = eos.candidates.at(0);
  EXPECT_EQ(c.processing.delivery, Delivery::exactly_once);
  EXPECT_DOUBLE_EQ(*c.processing.commit_interval_s, 0.05);
  EXPECT_DOUBLE_EQ(c.failures.processing.mttr_p99_s, 0);  // constant repair time
  EXPECT_DOUBLE_EQ(*c.failures.broker_failover_s, 5);
  EXPECT_DOUBLE_EQ(*c.failures.max_block_s, 0);
  EXPECT_EQ(c.failures.episodes, 50);
}

// --- defaults and accepted spellings ---------------------------------------------

TEST(ScenarioLoaderTest, MinimalScenarioTakesTheDocumentedDefaults) {
  const Scenario s = parse_scenario(R"({"name": "m", "candidates": [{"name": "a"}]})", "m.json", scenarios_dir());
  const Candidate& c = s.candidates.at(0);
  EXPECT_EQ(c.kind, "kappa");
  EXPECT_EQ(c.broker.instance.name, "m5.xlarge");
  EXPECT_EQ(c.processing.instance.name, "c5.xlarge");
  EXPECT_EQ(s.hardware.client_instance.name, "m5.xlarge");
  EXPECT_EQ(s.hardware.catalog.name, "default");
  EXPECT_EQ(c.broker.replication_factor, 3);
  EXPECT_EQ(c.broker.min_insync_replicas, 2);
  EXPECT_DOUBLE_EQ(c.producer.linger_s, 5e-3);
  EXPECT_DOUBLE_EQ(s.workload.rate_eps, 1000);
  EXPECT_DOUBLE_EQ(s.workload.event_size.mean(), 1000);
  EXPECT_FALSE(s.requirements.p99_s.has_value());
  EXPECT_EQ(s.simulation.seed, 1u);
}

TEST(ScenarioLoaderTest, AcceptsEverySpellingOfQuantitiesAndAcks) {
  const Scenario s = parse_scenario(R"({
    "$schema": "./scenario.schema.json", "$comment": "spellings",
    "name": "spellings",
    "workload": {"event_size": {"bytes": 2048}},
    "requirements": {"latency": {"p95_ms": 50, "p99": "0.1s"}},
    "candidates": [
      {"name": "a", "producer": {"acks": -1, "linger_us": 2500, "batch_size_bytes": 16384},
       "consumer": {"fetch_min_bytes": "1KiB", "fetch_max_bytes": 1048576, "fetch_wait_max_s": 0.25},
       "broker": {"cpu_per_byte": "1ns", "volume": "500GB", "retention_s": 3600},
       "processing": {"cpu_per_event_us": 12, "window": "1m"}},
      {"name": "b", "producer": {"acks": 0}},
      {"name": "c", "producer": {"acks": "1"}}
    ],
    "simulation": {"duration_s": 20, "warmup": "1 s", "seed": 18446744073709551615}
  })", "s.json", scenarios_dir());
  EXPECT_DOUBLE_EQ(s.workload.event_size.bytes, 2048);
  EXPECT_DOUBLE_EQ(*s.requirements.p95_s, 0.05);
  const Candidate& a = s.candidates.at(0);
  EXPECT_EQ(a.producer.acks, Acks::all);
  EXPECT_DOUBLE_EQ(a.producer.linger_s, 2.5e-3);
  EXPECT_DOUBLE_EQ(a.producer.batch_size_bytes, 16384);
  EXPECT_DOUBLE_EQ(a.consumer.fetch_min_bytes, 1024);
  EXPECT_DOUBLE_EQ(a.consumer.fetch_max_bytes, 1048576);
  EXPECT_DOUBLE_EQ(a.consumer.fetch_wait_max_s, 0.25);
  EXPECT_DOUBLE_EQ(a.broker.cpu_per_byte_s, 1e-9);
  EXPECT_DOUBLE_EQ(a.broker.volume_gb, 500);
  EXPECT_DOUBLE_EQ(a.broker.retention_s, 3600);
  EXPECT_DOUBLE_EQ(a.processing.cpu_per_event_s, 12e-6);
  EXPECT_DOUBLE_EQ(*a.processing.window_s, 60);
  EXPECT_EQ(s.candidates.at(1).producer.acks, Acks::none);
  EXPECT_EQ(s.candidates.at(2).producer.acks, Acks::leader);
  EXPECT_DOUBLE_EQ(s.simulation.duration_s, 20);
  EXPECT_EQ(s.simulation.seed, 18446744073709551615u);
}

TEST(ScenarioLoaderTest, SizeDistMeanPerKind) {
  SizeDist d;
  d.kind = SizeDistKind::uniform;
  d.min_bytes = 100;
  d.max_bytes = 300;
  EXPECT_DOUBLE_EQ(d.mean(), 200);
  d.kind = SizeDistKind::lognormal;
  d.mean_bytes = 800;
  EXPECT_DOUBLE_EQ(d.mean(), 800);
}

// --- malformed scenarios ----------------------------------------------------------

struct BadCase {
  const char* label;
  std::string text;
  std::string path;       ///< exact JSON pointer of the (only) issue
  std::string substring;  ///< part of its message
};

/// A valid scenario with `candidate` as its only candidate's body.
std::string with_candidate(const std::string& candidate_body) {
  return R"({"name": "t", "candidates": [{"name": "a", )" + candidate_body + "}]}";
}
/// A valid scenario with extra top-level members.
std::string with_top(const std::string& members) {
  return R"({"name": "t", "candidates": [{"name": "a"}], )" + members + "}";
}

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.label; }

class MalformedScenarioTest : public testing::TestWithParam<BadCase> {};

TEST_P(MalformedScenarioTest, ReportsPathAndExpectation) {
  const BadCase& c = GetParam();
  const auto issues = issues_of(c.text);
  ASSERT_EQ(issues.size(), 1u) << c.label << listing(issues);
  EXPECT_EQ(issues[0].path, c.path) << c.label << listing(issues);
  EXPECT_NE(issues[0].message().find(c.substring), std::string::npos)
      << c.label << ": \"" << c.substring << "\" not in" << listing(issues);
}

const BadCase bad_cases[] = {
    // Whole-file problems.
    {"empty_file", "", "", "expected a JSON object, found an empty file"},
    {"blank_file", "  \n\t ", "", "an empty file"},
    {"truncated_json", R"({"name": "t", "candidates": [{"name": )", "", "expected valid JSON"},
    {"truncated_reports_line", "{\n\"name\": \"t\",\n", "", "line 3"},
    {"top_level_array", R"([{"name": "t"}])", "", "expected a JSON object, found an array"},
    {"top_level_string", R"("scenario")", "", "found a string"},
    {"repeated_key", R"({"name": "t", "name": "u", "candidates": [{"name": "a"}]})", "/name", "again"},
    // Required members.
    {"missing_name", R"({"candidates": [{"name": "a"}]})", "/name", "a non-empty string (required), found nothing"},
    {"empty_name", R"({"name": "", "candidates": [{"name": "a"}]})", "/name", "found an empty string"},
    {"missing_candidates", R"({"name": "t"})", "/candidates", "(required), found nothing"},
    {"empty_candidates", R"({"name": "t", "candidates": []})", "/candidates", "at least 1 object, found an empty array"},
    {"candidate_not_object", R"({"name": "t", "candidates": [5]})", "/candidates/0", "expected an object, found a number (5)"},
    {"candidate_without_name", R"({"name": "t", "candidates": [{"kind": "kappa"}]})", "/candidates/0/name", "(required)"},
    {"duplicate_candidate_names", R"({"name": "t", "candidates": [{"name": "a"}, {"name": "a"}]})",
     "/candidates/1/name", "also at /candidates/0/name"},
    // Wrong JSON types name the type found.
    {"name_is_number", R"({"name": 5, "candidates": [{"name": "a"}]})", "/name", "found a number (5)"},
    {"candidates_is_object", R"({"name": "t", "candidates": {}})", "/candidates", "found an object"},
    {"partitions_is_string", with_candidate(R"("broker": {"partitions": "12"})"),
     "/candidates/0/broker/partitions", "found a string (\"12\")"},
    {"description_is_null", with_top(R"("description": null)"), "/description", "expected a string, found null"},
    {"multi_az_is_string", with_top(R"("hardware": {"multi_az": "yes"})"), "/hardware/multi_az",
     "expected true or false"},
    {"workload_is_array", with_top(R"("workload": [])"), "/workload", "expected an object, found an empty array"},
    // Unknown keys, top level and nested.
    {"unknown_top_level_key", with_top(R"("nmae": "x")"), "/nmae", "unknown key \"nmae\" (did you mean \"name\"?)"},
    {"unknown_top_level_lists_keys", with_top(R"("extra": 1)"), "/extra", "one of the keys $schema, name, description"},
    {"unknown_nested_key", with_candidate(R"("producer": {"lingr": "5ms"})"), "/candidates/0/producer/lingr",
     "did you mean \"linger\""},
    {"unknown_deep_key", with_top(R"("workload": {"rate": {"mean_eps": 5, "burst": []}})"),
     "/workload/rate/burst", "unknown key \"burst\""},
    {"unknown_key_escaped", with_top(R"("a/b~c": 1)"), "/a~1b~0c", "unknown key"},
    // A long key is quoted cut to 60 bytes, never inside a UTF-8 sequence
    // (fuzz.sweep_spec found the cut making the message invalid UTF-8).
    {"unknown_long_key_cut_on_utf8_boundary", with_top("\"" + std::string(59, 'x') + "\u00e9\": 1"),
     "/" + std::string(59, 'x') + "\u00e9", "unknown key \"" + std::string(59, 'x') + "...\""},
    // Producer client and idempotence.
    {"producer_client_unknown", with_candidate(R"("producer": {"client": "sarama"})"), "/candidates/0/producer/client",
     "one of \"java\", \"librdkafka\""},
    {"idempotent_needs_acks_all", with_candidate(R"("producer": {"acks": "1", "idempotent": true})"),
     "/candidates/0/producer/idempotent", "acks \"all\" for an idempotent producer (Kafka requires it), found acks 1"},
    {"idempotent_is_string", with_candidate(R"("producer": {"idempotent": "yes"})"), "/candidates/0/producer/idempotent",
     "expected true or false"},
    {"client_for_a_service", with_candidate(R"("broker": {"kind": "kinesis"}, "producer": {"client": "librdkafka"})"),
     "/candidates/0/producer/client", "for broker kind \"kinesis\""},
    // Candidate kinds and catalog names.
    {"edge_needs_its_section", with_candidate(R"("kind": "edge")"), "/candidates/0/edge", "an object (required)"},
    {"lambda_needs_batch", with_candidate(R"("kind": "lambda")"), "/candidates/0/batch", "an object (required)"},
    {"lambda_bad_recompute", with_candidate(R"("kind": "lambda", "batch": {"recompute": "nightly"})"), "/candidates/0/batch/recompute",
     "\"incremental\""},
    {"edge_forward_ratio_above_one", with_candidate(R"("kind": "edge", "edge": {"local": {"forward_ratio": 1.5}})"),
     "/candidates/0/edge/local/forward_ratio", "1.5"},
    {"managed_kafka_unpriced_instance", with_candidate(R"("broker": {"kind": "managed-kafka", "instance": "c5.xlarge"})"),
     "/candidates/0/broker/instance", "managed-Kafka price"},
    {"gc_p99_below_mean", with_candidate(R"("processing": {"gc": {"every": "1s", "pause_mean": "50ms", "pause_p99": "10ms"}})"),
     "/candidates/0/processing/gc/pause_p99", "above pause_mean"},
    {"gc_missing_every", with_candidate(R"("broker": {"gc": {"pause_mean": "50ms", "pause_p99": "100ms"}})"),
     "/candidates/0/broker/gc/every", "(required)"},
    // Failures and delivery.
    {"failures_missing_mttr", with_candidate(R"("failures": {"brokers": {"mtbf": "30d"}})"), "/candidates/0/failures/brokers/mttr",
     "(required)"},
    {"failures_missing_mtbf", with_candidate(R"("failures": {"processing": {"mttr": {"mean": "1m"}}})"),
     "/candidates/0/failures/processing/mtbf", "(required)"},
    {"failures_mttr_p99_below_mean", with_candidate(R"("failures": {"brokers": {"mtbf": "30d", "mttr": {"mean": "10m", "p99": "5m"}}})"),
     "/candidates/0/failures/brokers/mttr/p99", "above the mean"},
    {"failures_mtbf_zero", with_candidate(R"("failures": {"brokers": {"mtbf": "0s", "mttr": {"mean": "10m"}}})"),
     "/candidates/0/failures/brokers/mtbf", "greater than 0"},
    {"failures_gateways_on_kappa", with_candidate(R"("failures": {"gateways": {"mtbf": "30d", "mttr": {"mean": "1h"}}})"),
     "/candidates/0/failures/gateways", "unless the candidate's kind is \"edge\""},
    {"failures_batch_storage_on_kappa", with_candidate(R"("failures": {"batch_storage": {"mtbf": "30d", "mttr": {"mean": "1h"}}})"),
     "/candidates/0/failures/batch_storage", "\"lambda\""},
    {"failures_unknown_key", with_candidate(R"("failures": {"broker": {}})"), "/candidates/0/failures/broker", "did you mean \"brokers\""},
    {"processing_bad_delivery", with_candidate(R"("processing": {"delivery": "exactly-twice"})"), "/candidates/0/processing/delivery",
     "\"exactly-once\""},
    {"spark_commit_interval", with_candidate(R"("processing": {"engine": "spark-streaming", "commit_interval": "1s"})"),
     "/candidates/0/processing/commit_interval", "trigger_interval"},
    {"unknown_kind", with_candidate(R"("kind": "batch")"), "/candidates/0/kind", "expected \"kappa\""},
    {"unknown_instance", with_candidate(R"("broker": {"instance": "m5.huge"})"), "/candidates/0/broker/instance",
     "m5.xlarge"},
    {"unknown_client_instance", with_top(R"("hardware": {"client_instance": "t2.nano"})"),
     "/hardware/client_instance", "found \"t2.nano\""},
    {"missing_catalog_file", with_top(R"("hardware": {"catalog": "no-such-catalog.json"})"), "/hardware/catalog",
     "No such file or directory"},
    {"unknown_broker_kind", with_candidate(R"("broker": {"kind": "pulsar"})"), "/candidates/0/broker/kind",
     "expected one of \"kafka\", \"managed-kafka\""},
    // Ranges and huge numbers.
    {"partitions_zero", with_candidate(R"("broker": {"partitions": 0})"), "/candidates/0/broker/partitions",
     "expected an integer from 1 to 100000, found 0"},
    {"partitions_1e300", with_candidate(R"("broker": {"partitions": 1e300})"), "/candidates/0/broker/partitions",
     "from 1 to 100000, found 1e+300"},
    {"partitions_2_pow_64", with_candidate(R"("broker": {"partitions": 18446744073709551616})"),
     "/candidates/0/broker/partitions", "from 1 to 100000"},
    {"partitions_negative_huge", with_candidate(R"("broker": {"partitions": -9223372036854775809})"),
     "/candidates/0/broker/partitions", "from 1 to 100000"},
    {"number_1e400", with_top(R"("workload": {"rate": {"mean_eps": 1e400}})"), "/workload/rate/mean_eps",
     "number overflow"},
    {"number_1e400_in_array", R"({"name": "t", "candidates": [{"name": "a"}, {"name": "b", "broker": {"count": -1e400}}]})",
     "/candidates/1/broker/count", "number overflow"},
    {"integer_as_fraction", with_candidate(R"("broker": {"partitions": 3.5})"), "/candidates/0/broker/partitions",
     "expected an integer from 1 to 100000, found a number with a fraction (3.5)"},
    {"rate_zero", with_top(R"("workload": {"rate": {"mean_eps": 0}})"), "/workload/rate/mean_eps",
     "greater than 0 and at most 1000000000"},
    {"sources_too_many", with_top(R"("workload": {"sources": 1e8})"), "/workload/sources", "from 1 to 10000000"},
    {"cardinality_zero", with_top(R"("workload": {"keys": {"cardinality": 0}})"), "/workload/keys/cardinality",
     "found 0"},
    {"skew_too_high", with_top(R"("workload": {"keys": {"skew": 6}})"), "/workload/keys/skew", "from 0 to 5"},
    {"peak_factor_too_high", with_top(R"("workload": {"rate": {"pattern": "diurnal", "peak_factor": 3}})"),
     "/workload/rate/peak_factor", "from 1 to 2"},
    {"availability_above_one", with_top(R"("requirements": {"availability": 1.5})"),
     "/requirements/availability", "greater than 0 and at most 1"},
    {"budget_negative", with_top(R"("requirements": {"monthly_budget_usd": -1})"),
     "/requirements/monthly_budget_usd", "found -1"},
    {"compression_zero", with_candidate(R"("producer": {"compression_ratio": 0})"),
     "/candidates/0/producer/compression_ratio", "greater than 0 and at most 1"},
    {"seed_negative", with_top(R"("simulation": {"seed": -1})"), "/simulation/seed", "found -1"},
    {"seed_fraction", with_top(R"("simulation": {"seed": 3.5})"), "/simulation/seed", "fraction"},
    {"batches_too_few", with_top(R"("simulation": {"batches": 4})"), "/simulation/batches", "from 5 to 1000"},
    {"ci_width_one", with_top(R"("simulation": {"p99_ci_rel_width": 1})"), "/simulation/p99_ci_rel_width",
     "less than 1"},
    {"duration_too_long", with_top(R"("simulation": {"duration": "31d"})"), "/simulation/duration",
     "at most 30.0 d"},
    {"duration_zero", with_top(R"("simulation": {"duration_s": 0})"), "/simulation/duration_s",
     "greater than 0 s and at most 30.0 d, found 0 s"},
    // Enumerations.
    {"delivery_misspelt", with_top(R"("requirements": {"delivery": "exactly_once"})"), "/requirements/delivery",
     "one of \"at-least-once\", \"exactly-once\""},
    {"mode_unknown", with_top(R"("simulation": {"mode": "fast"})"), "/simulation/mode", "found \"fast\""},
    {"acks_two", with_candidate(R"("producer": {"acks": "2"})"), "/candidates/0/producer/acks",
     "one of \"0\", \"1\", \"all\""},
    {"acks_bool", with_candidate(R"("producer": {"acks": true})"), "/candidates/0/producer/acks",
     "found a boolean (true)"},
    {"engine_unknown", with_candidate(R"("processing": {"engine": "storm"})"), "/candidates/0/processing/engine",
     "\"flink\""},
    // Durations and sizes.
    {"linger_too_long", with_candidate(R"("producer": {"linger": "20s"})"), "/candidates/0/producer/linger",
     "from 0 s to 10.0 s, found \"20s\""},
    {"linger_ms_too_long", with_candidate(R"("producer": {"linger_ms": 20000})"),
     "/candidates/0/producer/linger_ms", "found 20000 ms"},
    {"linger_without_unit", with_candidate(R"("producer": {"linger": 5})"), "/candidates/0/producer/linger",
     "linger_s, linger_ms or linger_us"},
    {"linger_unknown_unit", with_candidate(R"("producer": {"linger": "5 parsecs"})"),
     "/candidates/0/producer/linger", "a number and a unit"},
    {"linger_negative", with_candidate(R"("producer": {"linger": "-5ms"})"), "/candidates/0/producer/linger",
     "found a string (\"-5ms\")"},
    {"linger_and_linger_ms", with_candidate(R"("producer": {"linger": "5ms", "linger_ms": 5})"),
     "/candidates/0/producer/linger_ms", "only one of linger, linger_ms"},
    {"cpu_us_as_string", with_candidate(R"("processing": {"cpu_per_event_us": "12"})"),
     "/candidates/0/processing/cpu_per_event_us", "a number of us"},
    {"batch_size_too_small", with_candidate(R"("producer": {"batch_size": "512B"})"),
     "/candidates/0/producer/batch_size", "from 1.00 KiB to 1.00 GiB"},
    {"size_unknown_unit", with_top(R"("workload": {"event_size": {"bytes": "1.5 XB"}})"),
     "/workload/event_size/bytes", "KiB"},
    {"window_zero", with_candidate(R"("processing": {"window": "0s"})"), "/candidates/0/processing/window",
     "greater than 0 s"},
    // Cross-field rules.
    {"min_insync_above_replication",
     with_candidate(R"("broker": {"replication_factor": 2, "min_insync_replicas": 3})"),
     "/candidates/0/broker/min_insync_replicas", "from 1 to 2 (the replication factor)"},
    {"replication_above_count", with_candidate(R"("broker": {"count": 2, "replication_factor": 3})"),
     "/candidates/0/broker/replication_factor", "from 1 to 2 (the broker count), found 3"},
    {"default_replication_above_count", with_candidate(R"("broker": {"count": 1})"),
     "/candidates/0/broker/replication_factor", "the default 3 does not fit"},
    {"p95_above_p99", with_top(R"("requirements": {"latency": {"p95": "300ms", "p99": "200ms"}})"),
     "/requirements/latency/p99", "at least the p95 (300 ms)"},
    {"warmup_not_below_duration", with_top(R"("simulation": {"duration": "10s", "warmup": "10s"})"),
     "/simulation/warmup", "shorter than the duration"},
    {"default_warmup_not_below_duration", with_top(R"("simulation": {"duration": "3s"})"), "/simulation/warmup",
     "the default 5.00 s does not fit"},
    {"fetch_min_above_max", with_candidate(R"("consumer": {"fetch_min_bytes": "2MiB", "fetch_max_bytes": "1MiB"})"),
     "/candidates/0/consumer/fetch_max_bytes", "fetch_min_bytes at most fetch_max_bytes"},
    {"uniform_max_below_min",
     with_top(R"("workload": {"event_size": {"distribution": "uniform", "min": "2KB", "max": "1KB"}})"),
     "/workload/event_size/max", "at least the min"},
    {"uniform_missing_max", with_top(R"("workload": {"event_size": {"distribution": "uniform", "min": "2KB"}})"),
     "/workload/event_size/max", "(required)"},
    {"uniform_with_bytes",
     with_top(R"("workload": {"event_size": {"distribution": "uniform", "min_bytes": 1, "max_bytes": 2, "bytes": 5}})"),
     "/workload/event_size/bytes", "unless distribution is \"constant\""},
    {"lognormal_p99_below_mean",
     with_top(R"("workload": {"event_size": {"distribution": "lognormal", "mean": "800B", "p99": "500B"}})"),
     "/workload/event_size/p99", "greater than the mean"},
    {"lognormal_ratio_impossible",
     with_top(R"("workload": {"event_size": {"distribution": "lognormal", "mean": "1KB", "p99": "20KB"}})"),
     "/workload/event_size/p99", "no sigma gives this mean and p99"},
    {"peak_factor_without_diurnal", with_top(R"("workload": {"rate": {"peak_factor": 1.5}})"),
     "/workload/rate/peak_factor", "unless pattern is \"diurnal\""},
    {"burst_missing_factor", with_top(R"("workload": {"rate": {"bursts": [{"start": "1s", "duration": "2s"}]}})"),
     "/workload/rate/bursts/0/factor", "(required)"},
    // Technology profiles: broker kinds, serverless, checkpoint alignment.
    {"broker_kind_unknown", with_candidate(R"("broker": {"kind": "rabbitmq"})"), "/candidates/0/broker/kind", "\"kinesis\""},
    {"kinesis_with_broker_count", with_candidate(R"("broker": {"kind": "kinesis", "count": 3})"), "/candidates/0/broker/count",
     "for kind \"kinesis\" (a managed service: no brokers to size)"},
    {"kinesis_negative_shards", with_candidate(R"("broker": {"kind": "kinesis", "partitions": -4})"), "/candidates/0/broker/partitions",
     "from 1 to"},
    {"kinesis_zero_polling", with_candidate(R"("broker": {"kind": "kinesis", "polling_interval": "0s"})"),
     "/candidates/0/broker/polling_interval", "greater than 0"},
    {"kinesis_polling_with_fan_out", with_candidate(R"("broker": {"kind": "kinesis", "enhanced_fan_out": true, "polling_interval": "1s"})"),
     "/candidates/0/broker/polling_interval", "with enhanced_fan_out"},
    {"polling_on_kafka", with_candidate(R"("broker": {"kind": "kafka", "polling_interval": "1s"})"),
     "/candidates/0/broker/polling_interval", "unless kind is \"kinesis\""},
    {"pubsub_with_partitions", with_candidate(R"("broker": {"kind": "pubsub", "partitions": 12})"), "/candidates/0/broker/partitions",
     "for kind \"pubsub\""},
    {"pubsub_with_fan_out", with_candidate(R"("broker": {"kind": "pubsub", "enhanced_fan_out": true})"),
     "/candidates/0/broker/enhanced_fan_out", "unless kind is \"kinesis\""},
    {"kinesis_with_acks", with_candidate(R"("broker": {"kind": "kinesis"}, "producer": {"acks": "1"})"), "/candidates/0/producer/acks",
     "the service acknowledges"},
    {"kinesis_with_fetch_wait", with_candidate(R"("broker": {"kind": "kinesis"}, "consumer": {"fetch_wait_max": "1s"})"),
     "/candidates/0/consumer/fetch_wait_max", "for broker kind \"kinesis\""},
    {"kinesis_broker_failures", with_candidate(R"("broker": {"kind": "kinesis"}, "failures": {"brokers": {"mtbf": "30d", "mttr": {"mean": "10m", "p99": "1h"}}})"),
     "/candidates/0/failures/brokers", "the managed service's own failures are not modelled"},
    {"serverless_zero_concurrency", with_candidate(R"("processing": {"engine": "serverless", "serverless": {"concurrency": 0}})"),
     "/candidates/0/processing/serverless/concurrency", "from 1 to"},
    {"serverless_negative_probability", with_candidate(R"("processing": {"engine": "serverless", "serverless": {"cold_start_probability": -0.1}})"),
     "/candidates/0/processing/serverless/cold_start_probability", "from 0 to 1"},
    {"serverless_cold_p99_below_median",
     with_candidate(R"("processing": {"engine": "serverless", "serverless": {"cold_start_median": "1s", "cold_start_p99": "500ms"}})"),
     "/candidates/0/processing/serverless/cold_start_p99", "a p99 above cold_start_median"},
    {"serverless_with_instance", with_candidate(R"("processing": {"engine": "serverless", "instance": "c5.xlarge"})"),
     "/candidates/0/processing/instance", "for engine \"serverless\""},
    {"serverless_section_on_flink", with_candidate(R"("processing": {"engine": "flink", "serverless": {"concurrency": 5}})"),
     "/candidates/0/processing/serverless", "unless engine is \"serverless\""},
    {"serverless_exactly_once", with_candidate(R"("processing": {"engine": "serverless", "delivery": "exactly-once"})"),
     "/candidates/0/processing/delivery", "\"at-least-once\" for engine \"serverless\""},
    {"alignment_on_kafka_streams", with_candidate(R"("processing": {"engine": "kafka-streams", "checkpoint_alignment": true})"),
     "/candidates/0/processing/checkpoint_alignment", "unless engine is \"flink\""},
};

INSTANTIATE_TEST_SUITE_P(Table, MalformedScenarioTest, testing::ValuesIn(bad_cases),
                         [](const testing::TestParamInfo<BadCase>& row) { return std::string(row.param.label); });

TEST(ScenarioLoaderTest, ReportsEveryProblemOfAFileAtOnce) {
  const std::string text = R"({
    "name": "three problems",
    "workload": {"sources": 0},
    "candidates": [{"name": "a", "broker": {"partitions": "many"}, "colour": "blue"}]
  })";
  try {
    parse_scenario(text, "three.json", scenarios_dir());
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& error) {
    ASSERT_EQ(error.issues().size(), 3u) << error.what();
    std::set<std::string> paths;
    for (const auto& issue : error.issues()) paths.insert(issue.path);
    EXPECT_EQ(paths, (std::set<std::string>{"/workload/sources", "/candidates/0/broker/partitions",
                                            "/candidates/0/colour"}));
    EXPECT_EQ(error.file(), "three.json");
    const std::string what = error.what();
    EXPECT_TRUE(what.starts_with("three.json: 3 problems\n")) << what;
    for (const auto& issue : error.issues()) {
      EXPECT_NE(what.find("\n  " + issue.message()), std::string::npos) << what;
    }
  }
}

TEST(ScenarioLoaderTest, IssueMessageNamesPathExpectedAndFound) {
  const ValidationIssue issue{"/candidates/1/broker/partitions", "an integer from 1 to 100000", "0"};
  EXPECT_EQ(issue.message(), "/candidates/1/broker/partitions: expected an integer from 1 to 100000, found 0");
  EXPECT_EQ((ValidationIssue{"", "a JSON object", "an empty file"}).message(),
            "expected a JSON object, found an empty file");
}

TEST(ScenarioLoaderTest, UnreadableFileReportsTheOsReason) {
  const fs::path missing = scenarios_dir() / "no-such-scenario.json";
  try {
    load_scenario_file(missing);
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& error) {
    ASSERT_EQ(error.issues().size(), 1u);
    EXPECT_EQ(error.issues()[0].path, "");
    EXPECT_NE(error.issues()[0].found.find("No such file or directory"), std::string::npos);
    EXPECT_EQ(error.file(), missing.string());
  }
  try {
    load_scenario_file(scenarios_dir());  // a directory
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& error) {
    EXPECT_NE(error.issues().at(0).found.find("directory"), std::string::npos) << error.what();
  }
}

TEST(ScenarioLoaderTest, RelativeCatalogPathIsResolvedNextToTheScenario) {
  TempDir dir;
  fs::copy_file(data_dir() / "catalog.json", dir.path() / "team-catalog.json");
  const fs::path scenario = dir.write("s.json", R"({"name": "t", "hardware": {"catalog": "team-catalog.json"},
      "candidates": [{"name": "a", "broker": {"instance": "i3en.2xlarge"}}]})");
  const Scenario s = load_scenario_file(scenario);
  EXPECT_EQ(s.hardware.catalog.name, (dir.path() / "team-catalog.json").string());
  EXPECT_DOUBLE_EQ(s.candidates.at(0).broker.instance.price_usd_hour, 0.904);
}

TEST(ScenarioLoaderTest, InvalidCatalogIssuesAppearUnderHardwareCatalog) {
  TempDir dir;
  dir.write("bad-catalog.json", R"({"as_of": "2025-07", "hours_per_month": 730,
      "disks": {"d": {"write_mb_s": 125, "fsync": "1ms",
                      "provenance": {"source": "s", "date": "2025", "flag": "guess"}}},
      "instances": {"x.large": {"vcpu": 0, "memory_gib": 8, "network_baseline_gbit_s": 1, "disk": "d",
                                "price_usd_hour": 0.1, "provenance": {"source": "s", "date": "d", "flag": "verified"},
                                "specs_provenance": {"source": "s", "date": "d", "flag": "verified"}}},
      "prices": {}})");
  try {
    load_catalog_file(dir.path() / "bad-catalog.json");
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& error) {
    std::set<std::string> paths;
    for (const auto& issue : error.issues()) paths.insert(issue.path);
    EXPECT_TRUE(paths.contains("/disks/d/provenance/flag")) << error.what();
    EXPECT_TRUE(paths.contains("/instances/x.large/vcpu")) << error.what();
    EXPECT_TRUE(paths.contains("/prices/cross_az_usd_gb")) << error.what();
  }
  const fs::path scenario = dir.write("s.json", R"({"name": "t", "hardware": {"catalog": "bad-catalog.json"},
      "candidates": [{"name": "a"}]})");
  try {
    load_scenario_file(scenario);
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& error) {
    ASSERT_FALSE(error.issues().empty());
    for (const auto& issue : error.issues()) EXPECT_EQ(issue.path, "/hardware/catalog") << error.what();
    EXPECT_NE(std::string(error.what()).find("at /instances/x.large/vcpu"), std::string::npos) << error.what();
  }
}

TEST(ScenarioLoaderTest, DataDirFollowsTheEnvironment) {
  const char* previous = std::getenv("ARCHSIM_DATA_DIR");
  const std::string saved = previous ? previous : "";
  ::setenv("ARCHSIM_DATA_DIR", "/tmp/archsim-data", 1);
  EXPECT_EQ(data_dir(), fs::path("/tmp/archsim-data"));
  ::unsetenv("ARCHSIM_DATA_DIR");
  EXPECT_TRUE(fs::exists(data_dir() / "catalog.json")) << data_dir();
  if (previous) ::setenv("ARCHSIM_DATA_DIR", saved.c_str(), 1);
}

}  // namespace
}  // namespace archsim
