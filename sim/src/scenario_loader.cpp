// Scenario loader: scenario JSON (format v1, described key by key in
// scenarios/scenario.schema.json) -> typed Scenario. Every problem of a file
// is collected and reported at once, each with its JSON pointer path, what
// was expected and what was found. Omitted keys take the defaults of
// scenario.hpp; where a default cannot fit the other values given (a
// replication factor of 3 on one broker, a 5 s warm-up for a 3 s run) the
// loader reports it instead of adjusting it.
#include "archsim/scenario_loader.hpp"

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "archsim/units.hpp"
#include "json_reader.hpp"

namespace archsim {
namespace {

constexpr double day_s = 86400;
constexpr double gib = 1073741824.0;
/// Largest p99/mean ratio a lognormal can have: exp(z99^2 / 2) with
/// z99 = 2.3263, about 14.96. The loader asks for a bit less.
constexpr double lognormal_max_p99_over_mean = 14.9;

template <class Field, class Value>
void assign(Field& field, const std::optional<Value>& value) {
  if (value) field = static_cast<Field>(*value);
}

std::string quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

/// Reports `key` when present although `allowed` is false (the value was
/// read, so its own problems are reported too).
void reject_unless(JsonReader& reader, std::string_view key, bool allowed, const std::string& why) {
  if (!allowed && reader.has(key)) {
    reader.add_issue(reader.path_of(key), "no " + std::string(key) + " " + why, "a value for it");
  }
}

/// Reports `key` when present: it does not apply (`why`). Its value is not read.
void reject_key(JsonReader& reader, std::string_view key, const std::string& why) {
  reader.accept(key);
  reject_unless(reader, key, false, why);
}

/// What was found when a value, given or defaulted, breaks a cross-field
/// rule: the value, or that the default does not fit.
std::string found_or_default(const JsonReader& reader, std::string_view key, const std::string& shown) {
  if (reader.has(key)) return shown;
  return "nothing, and the default " + shown + " does not fit: set it";
}

// --- workload ---------------------------------------------------------------

void read_rate(JsonReader& workload, Workload& out) {
  auto rate = workload.object("rate");
  if (!rate) return;
  RatePattern& pattern = out.pattern;
  assign(out.rate_eps, rate->number("mean_eps", NumberRange::above_up_to(0, 1e9)));
  assign(pattern.kind, rate->choice<RatePatternKind>(
                           "pattern", {{"constant", RatePatternKind::constant},
                                       {"diurnal", RatePatternKind::diurnal}}));
  const bool diurnal = pattern.kind == RatePatternKind::diurnal;
  assign(pattern.peak_factor, rate->number("peak_factor", NumberRange::closed(1, 2)));
  assign(pattern.period_s, rate->duration_s("period", NumberRange::above_up_to(0, 366 * day_s)));
  assign(pattern.peak_at_s, rate->duration_s("peak_at", NumberRange::closed(0, 366 * day_s)));
  for (const char* key : {"peak_factor", "period", "peak_at"}) {
    reject_unless(*rate, key, diurnal, "unless pattern is \"diurnal\"");
  }
  if (auto bursts = rate->objects("bursts", 0)) {
    for (JsonReader& burst_reader : *bursts) {
      Burst burst;
      const auto start = burst_reader.duration_s("start", NumberRange::closed(0, 366 * day_s), Presence::required);
      const auto duration =
          burst_reader.duration_s("duration", NumberRange::above_up_to(0, 366 * day_s), Presence::required);
      const auto factor = burst_reader.number("factor", NumberRange::above_up_to(0, 1000), Presence::required);
      burst_reader.report_unknown_keys();
      if (start && duration && factor) pattern.bursts.push_back(Burst{*start, *duration, *factor});
    }
  }
  rate->report_unknown_keys();
}

void read_event_size(JsonReader& workload, SizeDist& out) {
  auto size = workload.object("event_size");
  if (!size) return;
  assign(out.kind, size->choice<SizeDistKind>("distribution", {{"constant", SizeDistKind::constant},
                                                               {"uniform", SizeDistKind::uniform},
                                                               {"lognormal", SizeDistKind::lognormal}}));
  const NumberRange size_range = NumberRange::above_up_to(0, gib);
  const bool constant = out.kind == SizeDistKind::constant;
  const bool uniform = out.kind == SizeDistKind::uniform;
  const bool lognormal = out.kind == SizeDistKind::lognormal;
  auto need = [](bool used) { return used ? Presence::required : Presence::optional; };
  const auto bytes = size->size_bytes("bytes", size_range, need(constant));
  const auto min = size->size_bytes("min", size_range, need(uniform));
  const auto max = size->size_bytes("max", size_range, need(uniform));
  const auto mean = size->size_bytes("mean", size_range, need(lognormal));
  const auto p99 = size->size_bytes("p99", size_range, need(lognormal));
  reject_unless(*size, "bytes", constant, "unless distribution is \"constant\"");
  reject_unless(*size, "min", uniform, "unless distribution is \"uniform\"");
  reject_unless(*size, "max", uniform, "unless distribution is \"uniform\"");
  reject_unless(*size, "mean", lognormal, "unless distribution is \"lognormal\"");
  reject_unless(*size, "p99", lognormal, "unless distribution is \"lognormal\"");
  if (constant) assign(out.bytes, bytes);
  if (uniform && min && max) {
    out.min_bytes = *min;
    out.max_bytes = *max;
    if (*max < *min) {
      size->add_issue(size->path_of("max"), "a max at least the min (" + format_bytes(*min) + ")",
                      format_bytes(*max));
    }
  }
  if (lognormal && mean && p99) {
    out.mean_bytes = *mean;
    out.p99_bytes = *p99;
    const double ratio = *p99 / *mean;
    if (ratio <= 1) {
      size->add_issue(size->path_of("p99"), "a p99 greater than the mean (" + format_bytes(*mean) + ")",
                      format_bytes(*p99));
    } else if (ratio >= lognormal_max_p99_over_mean) {
      size->add_issue(size->path_of("p99"),
                      "a p99 below 14.9 x the mean (" + format_bytes(*mean) +
                          "): a lognormal's p99/mean ratio cannot exceed exp(2.326^2 / 2) = 14.96, "
                          "so no sigma gives this mean and p99",
                      format_bytes(*p99) + " (" + format_number(std::round(ratio * 10) / 10) + " x the mean)");
    }
  }
  size->report_unknown_keys();
}

void read_workload(JsonReader& root, Workload& out) {
  auto workload = root.object("workload");
  if (!workload) return;
  read_rate(*workload, out);
  read_event_size(*workload, out.event_size);
  assign(out.sources, workload->int_in("sources", 1, 10'000'000));
  if (auto keys = workload->object("keys")) {
    assign(out.key_cardinality, keys->integer("cardinality", 1, 1'000'000'000'000));
    assign(out.key_skew, keys->number("skew", NumberRange::closed(0, 5)));
    keys->report_unknown_keys();
  }
  workload->report_unknown_keys();
}

// --- requirements -------------------------------------------------------------

void read_requirements(JsonReader& root, Requirements& out) {
  auto requirements = root.object("requirements");
  if (!requirements) return;
  if (auto latency = requirements->object("latency")) {
    out.p95_s = latency->duration_s("p95", NumberRange::above_up_to(0, day_s));
    out.p99_s = latency->duration_s("p99", NumberRange::above_up_to(0, day_s));
    if (out.p95_s && out.p99_s && *out.p95_s > *out.p99_s) {
      latency->add_issue(latency->path_of("p99"),
                         "a p99 at least the p95 (" + format_duration(*out.p95_s) + ")",
                         format_duration(*out.p99_s));
    }
    latency->report_unknown_keys();
  }
  out.availability = requirements->number("availability", NumberRange::above_up_to(0, 1));
  out.delivery = requirements->choice<Delivery>(
      "delivery", {{"at-least-once", Delivery::at_least_once}, {"exactly-once", Delivery::exactly_once}});
  out.budget_usd_month = requirements->number("monthly_budget_usd", NumberRange::closed(0, 1e12));
  requirements->report_unknown_keys();
}

// --- hardware -----------------------------------------------------------------

/// Loads the catalog the scenario names; its problems become issues at
/// /hardware/catalog. Returns nullopt when it cannot be used.
std::optional<Catalog> read_catalog(std::optional<JsonReader>& hardware, JsonReader& root,
                                    const std::filesystem::path& base_dir) {
  std::optional<std::string> name;
  if (hardware) name = hardware->text("catalog", Presence::optional, true);
  if (hardware && hardware->has("catalog") && !name) return std::nullopt;  // reported
  const bool is_default = !name || *name == "default";
  std::filesystem::path path = is_default ? data_dir() / "catalog.json" : std::filesystem::path(*name);
  if (path.is_relative() && !is_default) path = base_dir / path;
  const std::string issue_path = hardware ? hardware->path_of("catalog") : root.path_of("hardware") + "/catalog";
  try {
    Catalog catalog = load_catalog_file(path);
    if (is_default) catalog.name = "default";
    return catalog;
  } catch (const ScenarioError& error) {
    for (const ValidationIssue& issue : error.issues()) {
      root.add_issue(issue_path, "a valid catalog file (" + error.file() + ")",
                     (issue.path.empty() ? "" : "at " + issue.path + " ") + "expected " + issue.expected +
                         ", found " + issue.found);
    }
    return std::nullopt;
  }
}

/// The instance type `name` of the catalog; reports it at `issue_path` when
/// the catalog lacks it (`given`: the file names it, else it is a default).
/// Without a usable catalog only the name is kept.
std::optional<InstanceType> find_instance(const Catalog* catalog, const std::string& name, bool given,
                                          const JsonReader& reporter, const std::string& issue_path) {
  if (!catalog) {
    InstanceType unchecked;
    unchecked.name = name;
    return unchecked;
  }
  const auto it = catalog->instances.find(name);
  if (it != catalog->instances.end()) return it->second;
  std::string known;
  for (const auto& [known_name, type] : catalog->instances) known += (known.empty() ? "" : ", ") + known_name;
  reporter.add_issue(issue_path, "an instance type of catalog " + catalog->name + " (" + known + ")",
                     given ? quote(name) : "nothing, and the default " + quote(name) + " is not in that catalog");
  return std::nullopt;
}

/// The instance type named under `key` of `section`, or `default_name`.
std::optional<InstanceType> read_instance(JsonReader& section, std::string_view key,
                                          const std::string& default_name, const Catalog* catalog) {
  const auto name = section.text(key, Presence::optional, true);
  if (!name && section.has(key)) return std::nullopt;  // reported
  return find_instance(catalog, name.value_or(default_name), name.has_value(), section, section.path_of(key));
}

/// The default instance type of a section the file leaves out.
std::optional<InstanceType> default_instance(const JsonReader& parent, std::string_view section_key,
                                             std::string_view key, const std::string& default_name,
                                             const Catalog* catalog) {
  return find_instance(catalog, default_name, false, parent,
                       parent.path_of(section_key) + "/" + std::string(key));
}

std::optional<Catalog> read_hardware(JsonReader& root, Hardware& out, const std::filesystem::path& base_dir) {
  auto hardware = root.object("hardware");
  std::optional<Catalog> catalog = read_catalog(hardware, root, base_dir);
  if (catalog) out.catalog = *catalog;
  const Catalog* usable = catalog ? &*catalog : nullptr;
  const std::string default_client = "m5.xlarge";
  if (!hardware) {
    assign(out.client_instance, default_instance(root, "hardware", "client_instance", default_client, usable));
    return catalog;
  }
  if (auto network = hardware->object("network")) {
    assign(out.network_latency_s, network->duration_s("latency", NumberRange::closed(0, 10)));
    network->report_unknown_keys();
  }
  assign(out.multi_az, hardware->boolean("multi_az"));
  assign(out.client_instance, read_instance(*hardware, "client_instance", default_client, usable));
  hardware->report_unknown_keys();
  return catalog;
}

// --- candidates -------------------------------------------------------------

void read_gc(JsonReader& section, PauseModel& out) {
  auto gc = section.object("gc");
  if (!gc) return;
  const auto every = gc->duration_s("every", NumberRange::above_up_to(0, 365 * day_s), Presence::required);
  const auto mean = gc->duration_s("pause_mean", NumberRange::above_up_to(0, 3600), Presence::required);
  const auto p99 = gc->duration_s("pause_p99", NumberRange::above_up_to(0, 3600), Presence::required);
  if (every && mean && p99) {
    const double ratio = *p99 / *mean;
    if (ratio <= 1.0 || ratio >= 14.9) {
      gc->add_issue(gc->path_of("pause_p99"), "a p99 above pause_mean and below 14.9 times it (a lognormal fits only then)",
                    format_duration(*p99) + " for a mean of " + format_duration(*mean));
    } else {
      out = PauseModel{*every, *mean, *p99};
    }
  }
  gc->report_unknown_keys();
}

/// A managed service broker ("kinesis", "pubsub"): nothing to size, so the
/// Kafka broker's keys do not apply. Kinesis shards are `partitions`.
void read_service_broker(JsonReader& broker, BrokerConfig& out) {
  const bool kinesis = out.kind == "kinesis";
  const std::string why = "for kind " + quote(out.kind) + " (a managed service: no brokers to size)";
  for (const char* key : {"count", "instance", "replication_factor", "min_insync_replicas", "io_threads", "cpu_per_request",
                          "cpu_per_byte", "fsync_each_batch", "volume", "gc"})
    reject_key(broker, key, why);
  reject_key(broker, "retention", why + "; the service's included retention (24 h for Kinesis) is assumed");
  if (kinesis) {
    assign(out.partitions, broker.int_in("partitions", 1, 100'000));  // shards
  } else {
    reject_key(broker, "partitions", "for kind \"pubsub\" (a subscription spreads messages over the processing tasks)");
  }
  auto& k = out.kinesis;
  assign(k.polling_interval_s, broker.duration_s("polling_interval", NumberRange::above_up_to(0, 3600)));
  assign(k.enhanced_fan_out, broker.boolean("enhanced_fan_out"));
  assign(k.consumer_applications, broker.int_in("consumer_applications", 1, 1000));
  for (const char* key : {"polling_interval", "enhanced_fan_out", "consumer_applications"})
    reject_unless(broker, key, kinesis, "unless kind is \"kinesis\"");
  if (k.enhanced_fan_out) {
    reject_unless(broker, "polling_interval", false, "with enhanced_fan_out (records are pushed, not polled)");
    reject_unless(broker, "consumer_applications", false, "with enhanced_fan_out (each consumer has its own read throughput)");
  }
  broker.report_unknown_keys();
}

void read_broker(JsonReader& candidate, BrokerConfig& out, const Catalog* catalog) {
  const std::string broker_instance = "m5.xlarge";
  auto broker = candidate.object("broker");
  if (!broker) {
    assign(out.instance, default_instance(candidate, "broker", "instance", broker_instance, catalog));
    return;
  }
  assign(out.kind, broker->choice<std::string_view>("kind", {{"kafka", "kafka"},
                                                             {"managed-kafka", "managed-kafka"},
                                                             {"kinesis", "kinesis"},
                                                             {"pubsub", "pubsub"}}));
  if (out.is_service()) {
    read_service_broker(*broker, out);
    return;
  }
  for (const char* key : {"polling_interval", "enhanced_fan_out", "consumer_applications"})
    reject_key(*broker, key, "unless kind is \"kinesis\"");
  const auto count = broker->int_in("count", 1, 1000);
  assign(out.count, count);
  assign(out.instance, read_instance(*broker, "instance", broker_instance, catalog));
  assign(out.partitions, broker->int_in("partitions", 1, 100'000));
  const auto replication = broker->int_in("replication_factor", 1, 1000);
  assign(out.replication_factor, replication);
  const auto min_insync = broker->int_in("min_insync_replicas", 1, 1000);
  assign(out.min_insync_replicas, min_insync);
  assign(out.io_threads, broker->int_in("io_threads", 1, 256));
  assign(out.cpu_per_request_s, broker->duration_s("cpu_per_request", NumberRange::closed(0, 1)));
  assign(out.cpu_per_byte_s, broker->duration_s("cpu_per_byte", NumberRange::closed(0, 1e-3)));
  assign(out.fsync_each_batch, broker->boolean("fsync_each_batch"));
  assign(out.retention_s, broker->duration_s("retention", NumberRange::above_up_to(0, 3650 * day_s)));
  if (const auto volume = broker->size_bytes("volume", NumberRange::closed(0, 1e15))) out.volume_gb = *volume / 1e9;

  const bool count_ok = count || !broker->has("count");
  const bool replication_ok = replication || !broker->has("replication_factor");
  const bool min_insync_ok = min_insync || !broker->has("min_insync_replicas");
  if (count_ok && replication_ok && out.replication_factor > out.count) {
    broker->add_issue(broker->path_of("replication_factor"),
                      "an integer from 1 to " + std::to_string(out.count) + " (the broker count)",
                      found_or_default(*broker, "replication_factor", std::to_string(out.replication_factor)));
  } else if (replication_ok && min_insync_ok && out.min_insync_replicas > out.replication_factor) {
    broker->add_issue(broker->path_of("min_insync_replicas"),
                      "an integer from 1 to " + std::to_string(out.replication_factor) +
                          " (the replication factor)",
                      found_or_default(*broker, "min_insync_replicas", std::to_string(out.min_insync_replicas)));
  }
  read_gc(*broker, out.gc);
  if (out.kind == "managed-kafka" && catalog && !catalog->managed_kafka.broker_usd_hour.count(out.instance.name)) {
    std::string priced;
    for (const auto& [name, price] : catalog->managed_kafka.broker_usd_hour) priced += (priced.empty() ? "" : ", ") + name;
    broker->add_issue(broker->path_of("instance"), "an instance type with a managed-Kafka price in the catalog (" + priced + ")",
                      quote(out.instance.name));
  }
  broker->report_unknown_keys();
}

void read_acks(JsonReader& producer, Acks& out) {
  const nlohmann::json* value = producer.accept("acks");
  if (!value) return;
  if (value->is_string()) {
    const auto& text = value->get_ref<const std::string&>();
    if (text == "0") { out = Acks::none; return; }
    if (text == "1") { out = Acks::leader; return; }
    if (text == "all" || text == "-1") { out = Acks::all; return; }
  } else if (value->is_number_integer() || value->is_number_unsigned()) {
    const int64_t number = value->get<int64_t>();
    if (number == 0) { out = Acks::none; return; }
    if (number == 1) { out = Acks::leader; return; }
    if (number == -1) { out = Acks::all; return; }
  }
  producer.add_issue(producer.path_of("acks"), "one of \"0\", \"1\", \"all\" (or the integers 0, 1, -1)",
                     describe_found(*value));
}

void read_producer(JsonReader& candidate, ProducerConfig& out, const BrokerConfig& broker) {
  auto producer = candidate.object("producer");
  if (!producer) return;
  if (broker.is_service()) {
    reject_key(*producer, "acks", "for broker kind " + quote(broker.kind) + " (the service acknowledges once it stored the records durably)");
    reject_key(*producer, "max_in_flight", "for broker kind " + quote(broker.kind));
    reject_key(*producer, "client", "for broker kind " + quote(broker.kind) + " (the service's own client library)");
    reject_key(*producer, "idempotent", "for broker kind " + quote(broker.kind));
  }
  read_acks(*producer, out.acks);
  assign(out.client, producer->choice<ProducerClient>(
                         "client", {{"java", ProducerClient::java}, {"librdkafka", ProducerClient::librdkafka}}));
  assign(out.idempotent, producer->boolean("idempotent"));
  if (out.idempotent && out.acks != Acks::all)
    producer->add_issue(producer->path_of("idempotent"), "acks \"all\" for an idempotent producer (Kafka requires it)",
                        out.acks == Acks::none ? "acks 0" : "acks 1");
  assign(out.linger_s, producer->duration_s("linger", NumberRange::closed(0, 10)));
  assign(out.batch_size_bytes, producer->size_bytes("batch_size", NumberRange::closed(1024, gib)));
  assign(out.compression_ratio, producer->number("compression_ratio", NumberRange::above_up_to(0, 1)));
  assign(out.max_in_flight, producer->int_in("max_in_flight", 1, 1000));
  producer->report_unknown_keys();
}

void read_consumer(JsonReader& candidate, ConsumerConfig& out, const std::string& broker_kind) {
  auto consumer = candidate.object("consumer");
  if (!consumer) return;
  if (broker_kind == "kinesis") {
    for (const char* key : {"fetch_wait_max", "fetch_min_bytes", "fetch_max_bytes", "max_poll_records"})
      reject_key(*consumer, key, "for broker kind \"kinesis\" (GetRecords limits come from the catalog; set broker.polling_interval)");
  } else if (broker_kind == "pubsub") {
    for (const char* key : {"fetch_wait_max", "fetch_min_bytes"})
      reject_key(*consumer, key, "for broker kind \"pubsub\" (streaming pull delivers each message as it is published)");
  }
  assign(out.fetch_wait_max_s, consumer->duration_s("fetch_wait_max", NumberRange::closed(0, 60)));
  const auto min_bytes = consumer->size_bytes("fetch_min_bytes", NumberRange::closed(0, gib));
  const auto max_bytes = consumer->size_bytes("fetch_max_bytes", NumberRange::above_up_to(0, 2 * gib));
  assign(out.fetch_min_bytes, min_bytes);
  assign(out.fetch_max_bytes, max_bytes);
  assign(out.max_poll_records, consumer->int_in("max_poll_records", 1, 1000000));
  if ((min_bytes || max_bytes) && out.fetch_min_bytes > out.fetch_max_bytes &&
      (min_bytes || !consumer->has("fetch_min_bytes")) && (max_bytes || !consumer->has("fetch_max_bytes"))) {
    consumer->add_issue(consumer->path_of(max_bytes ? "fetch_max_bytes" : "fetch_min_bytes"),
                        "fetch_min_bytes at most fetch_max_bytes",
                        format_bytes(out.fetch_min_bytes) + " > " + format_bytes(out.fetch_max_bytes));
  }
  consumer->report_unknown_keys();
}

void read_serverless(JsonReader& processing, ServerlessConfig& out, bool serverless) {
  auto section = processing.object("serverless");
  if (!section) return;
  if (!serverless) {
    processing.add_issue(processing.path_of("serverless"), "no serverless section unless engine is \"serverless\"", "a section");
    return;
  }
  assign(out.concurrency, section->int_in("concurrency", 1, 100'000));
  assign(out.batch_size, section->int_in("batch_size", 1, 10'000));
  if (const auto memory = section->size_bytes("memory", NumberRange::closed(128e6, 10240e6))) out.memory_mb = *memory / 1e6;
  out.invoke_overhead_s = section->duration_s("invoke_overhead", NumberRange::closed(0, 60));
  out.cold_start_probability = section->number("cold_start_probability", NumberRange::closed(0, 1));
  out.idle_timeout_s = section->duration_s("idle_timeout", NumberRange::above_up_to(0, day_s));
  out.cold_start_median_s = section->duration_s("cold_start_median", NumberRange::above_up_to(0, 3600));
  out.cold_start_p99_s = section->duration_s("cold_start_p99", NumberRange::above_up_to(0, 3600));
  if (out.cold_start_median_s.has_value() != out.cold_start_p99_s.has_value()) {
    const char* missing = out.cold_start_median_s ? "cold_start_p99" : "cold_start_median";
    section->add_issue(section->path_of(missing), "cold_start_median and cold_start_p99 given together", "only the other one");
  } else if (out.cold_start_median_s && *out.cold_start_p99_s <= *out.cold_start_median_s) {
    section->add_issue(section->path_of("cold_start_p99"), "a p99 above cold_start_median",
                       format_duration(*out.cold_start_p99_s) + " for a median of " + format_duration(*out.cold_start_median_s));
  }
  section->report_unknown_keys();
}

void read_processing(JsonReader& candidate, ProcessingConfig& out, const Catalog* catalog) {
  const std::string processing_instance = "c5.xlarge";
  auto processing = candidate.object("processing");
  if (!processing) {
    assign(out.instance, default_instance(candidate, "processing", "instance", processing_instance, catalog));
    return;
  }
  assign(out.engine, processing->choice<std::string_view>(
                         "engine", {{"flink", "flink"}, {"kafka-streams", "kafka-streams"}, {"spark-streaming", "spark-streaming"},
                                    {"serverless", "serverless"}}));
  const bool serverless = out.engine == "serverless";
  if (serverless) {
    for (const char* key : {"instance", "instances", "keyed_shuffle", "window", "gc", "commit_interval", "trigger_interval", "batch_overhead"})
      reject_key(*processing, key, "for engine \"serverless\" (functions have no hosts, shuffle, windows or JVM of their own to size)");
  }
  assign(out.trigger_interval_s, processing->duration_s("trigger_interval", NumberRange::above_up_to(0, day_s)));
  assign(out.batch_overhead_s, processing->duration_s("batch_overhead", NumberRange::closed(0, 3600)));
  assign(out.parallelism, processing->int_in("parallelism", 1, 10'000));
  assign(out.instance, read_instance(*processing, "instance", processing_instance, catalog));
  assign(out.instances, processing->int_in("instances", 1, 10'000));
  assign(out.cpu_per_event_s, processing->duration_s("cpu_per_event", NumberRange::closed(0, 10)));
  assign(out.cpu_cv, processing->number("cpu_cv", NumberRange::closed(0, 10)));
  assign(out.keyed_shuffle, processing->boolean("keyed_shuffle"));
  out.window_s = processing->duration_s("window", NumberRange::above_up_to(0, 30 * day_s));
  out.delivery = processing->choice<Delivery>(
      "delivery", {{"at-least-once", Delivery::at_least_once}, {"exactly-once", Delivery::exactly_once}});
  out.commit_interval_s = processing->duration_s("commit_interval", NumberRange::above_up_to(0, day_s));
  reject_unless(*processing, "commit_interval", out.engine != "spark-streaming",
                "for engine \"spark-streaming\" (a micro-batch commits when it ends: set trigger_interval)");
  assign(out.checkpoint_alignment, processing->boolean("checkpoint_alignment"));
  reject_unless(*processing, "checkpoint_alignment", out.engine == "flink", "unless engine is \"flink\" (aligned checkpoint barriers)");
  if (serverless && out.delivery == Delivery::exactly_once)
    processing->add_issue(processing->path_of("delivery"), "\"at-least-once\" for engine \"serverless\" (an event source mapping retries whole batches)",
                          "\"exactly-once\"");
  read_serverless(*processing, out.serverless, serverless);
  read_gc(*processing, out.gc);
  processing->report_unknown_keys();
}

void read_sink(JsonReader& candidate, SinkConfig& out) {
  auto sink = candidate.object("sink");
  if (!sink) return;
  assign(out.kind, sink->text("kind", Presence::optional, true));
  assign(out.write_latency_s, sink->duration_s("write_latency", NumberRange::closed(0, 60)));
  assign(out.concurrency, sink->int_in("concurrency", 1, 10'000));
  sink->report_unknown_keys();
}

void read_batch(JsonReader& candidate, BatchLayerConfig& out, const Catalog* catalog) {
  const std::string batch_instance = "r5.xlarge";
  auto batch = candidate.object("batch", Presence::required);
  if (!batch) return;
  assign(out.interval_s, batch->duration_s("interval", NumberRange::above_up_to(0, 30 * day_s)));
  assign(out.full_history, batch->choice<bool>("recompute", {{"incremental", false}, {"full-history", true}}));
  assign(out.history_s, batch->duration_s("history", NumberRange::above_up_to(0, 3660 * day_s)));
  assign(out.instances, batch->int_in("instances", 1, 10'000));
  assign(out.instance, read_instance(*batch, "instance", batch_instance, catalog));
  assign(out.read_bps_per_instance, batch->size_bytes("read_per_instance_per_s", NumberRange::above_up_to(0, 1e12)));
  assign(out.cpu_per_event_s, batch->duration_s("cpu_per_event", NumberRange::closed(0, 10)));
  assign(out.startup_s, batch->duration_s("startup", NumberRange::closed(0, day_s)));
  assign(out.publish_s, batch->duration_s("publish", NumberRange::closed(0, day_s)));
  assign(out.landing_delay_s, batch->duration_s("landing_delay", NumberRange::closed(0, day_s)));
  assign(out.transient_cluster, batch->boolean("transient_cluster"));
  assign(out.runs, batch->int_in("runs", 2, 10'000));
  batch->report_unknown_keys();
}

void read_edge(JsonReader& candidate, EdgeConfig& out) {
  auto edge = candidate.object("edge", Presence::required);
  if (!edge) return;
  assign(out.sites, edge->int_in("sites", 1, 10'000'000));
  assign(out.device_latency_s, edge->duration_s("device_latency", NumberRange::closed(0, 60)));
  if (auto gateway = edge->object("gateway")) {
    assign(out.gateway_vcpu, gateway->int_in("vcpu", 1, 1024));
    assign(out.gateway_cpu_per_event_s, gateway->duration_s("cpu_per_event", NumberRange::closed(0, 10)));
    assign(out.gateway_buffer_bytes, gateway->size_bytes("buffer", NumberRange::above_up_to(0, 1e15)));
    assign(out.gateway_capex_usd, gateway->number("capex_usd", NumberRange::closed(0, 1e7)));
    assign(out.gateway_amortisation_months, gateway->number("amortisation_months", NumberRange::above_up_to(0, 600)));
    assign(out.gateway_usd_month, gateway->number("usd_per_month", NumberRange::closed(0, 1e6)));
    gateway->report_unknown_keys();
  }
  if (auto local = edge->object("local")) {
    assign(out.forward_ratio, local->number("forward_ratio", NumberRange::closed(0, 1)));
    assign(out.aggregation_window_s, local->duration_s("aggregation_window", NumberRange::closed(0, day_s)));
    assign(out.aggregation_ratio, local->number("aggregation_ratio", NumberRange::above_up_to(0, 1)));
    out.local_decision_target_s = local->duration_s("decision_p99_target", NumberRange::above_up_to(0, day_s));
    assign(out.raw_event_bytes, local->size_bytes("record_size", NumberRange::above_up_to(0, 1e9)));
    local->report_unknown_keys();
  }
  if (auto wan = edge->object("wan")) {
    assign(out.wan_bps, wan->size_bytes("bandwidth_per_s", NumberRange::above_up_to(0, 1e12)));
    assign(out.wan_latency_s, wan->duration_s("latency", NumberRange::closed(0, 60)));
    assign(out.wan_jitter_s, wan->duration_s("jitter", NumberRange::closed(0, 60)));
    assign(out.wan_usd_per_gb, wan->number("usd_per_gb", NumberRange::closed(0, 1e6)));
    assign(out.outage_every_s, wan->duration_s("outage_every", NumberRange::above_up_to(0, 3660 * day_s)));
    assign(out.outage_duration_s, wan->duration_s("outage_duration", NumberRange::closed(0, 30 * day_s)));
    wan->report_unknown_keys();
  }
  edge->report_unknown_keys();
}

void read_failure_profile(JsonReader& failures, std::string_view key, FailureProfile& out) {
  auto profile = failures.object(key);
  if (!profile) return;
  const auto mtbf = profile->duration_s("mtbf", NumberRange::above_up_to(0, 3660 * day_s), Presence::required);
  std::optional<double> mean;
  double p99_s = 0;  // 0: every repair takes the mean
  if (auto mttr = profile->object("mttr", Presence::required)) {
    mean = mttr->duration_s("mean", NumberRange::above_up_to(0, 365 * day_s), Presence::required);
    const auto p99 = mttr->duration_s("p99", NumberRange::above_up_to(0, 3660 * day_s));
    if (mean && p99 && (*p99 <= *mean || *p99 >= lognormal_max_p99_over_mean * *mean)) {
      mttr->add_issue(mttr->path_of("p99"), "a p99 above the mean and below 14.9 times it (a lognormal fits only then)",
                      format_duration(*p99) + " for a mean of " + format_duration(*mean));
    } else if (p99) {
      p99_s = *p99;
    }
    mttr->report_unknown_keys();
  }
  profile->report_unknown_keys();
  if (mtbf && mean) out = FailureProfile{*mtbf, *mean, p99_s};
}

void read_failures(JsonReader& candidate, const Candidate& cand, FailureModel& out) {
  const std::string& kind = cand.kind;
  auto failures = candidate.object("failures");
  if (!failures) return;
  reject_unless(*failures, "brokers", !cand.broker.is_service(),
                "for broker kind " + quote(cand.broker.kind) + " (the managed service's own failures are not modelled)");
  reject_unless(*failures, "processing", cand.processing.engine != "serverless",
                "for engine \"serverless\" (a failed invocation is retried by the event source mapping; not modelled)");
  read_failure_profile(*failures, "brokers", out.brokers);
  read_failure_profile(*failures, "processing", out.processing);
  read_failure_profile(*failures, "batch_storage", out.batch_storage);
  read_failure_profile(*failures, "gateways", out.gateways);
  reject_unless(*failures, "batch_storage", kind == "lambda", "unless the candidate's kind is \"lambda\"");
  reject_unless(*failures, "gateways", kind == "edge", "unless the candidate's kind is \"edge\"");
  out.broker_failover_s = failures->duration_s("broker_failover", NumberRange::closed(0, day_s));
  out.failure_detection_s = failures->duration_s("failure_detection", NumberRange::closed(0, day_s));
  out.producer_buffer_bytes = failures->size_bytes("producer_buffer", NumberRange::closed(0, 1e12));
  out.max_block_s = failures->duration_s("max_block", NumberRange::closed(0, day_s));
  out.delivery_timeout_s = failures->duration_s("delivery_timeout", NumberRange::above_up_to(0, 30 * day_s));
  assign(out.episodes, failures->int_in("episodes", 10, 100'000));
  failures->report_unknown_keys();
}

void read_serving(JsonReader& candidate, ServingConfig& out) {
  auto serving = candidate.object("serving");
  if (!serving) return;
  assign(out.query_latency_s, serving->duration_s("query_latency", NumberRange::closed(0, 60)));
  serving->report_unknown_keys();
}

void read_team(JsonReader& candidate, TeamCost& out) {
  auto team = candidate.object("team");
  if (!team) return;
  assign(out.engineer_hours_month, team->number("engineer_hours_per_month", NumberRange::closed(0, 1e6)));
  assign(out.usd_per_hour, team->number("usd_per_hour", NumberRange::closed(0, 1e5)));
  team->report_unknown_keys();
}

/// Reads a candidate's kind; false when it is not one this version can simulate.
bool read_candidate_kind(JsonReader& reader, std::string& out) {
  const nlohmann::json* kind = reader.accept("kind");
  if (!kind) return true;
  const std::string expected = "\"kappa\", \"lambda\" or \"edge\"";
  if (!kind->is_string()) {
    reader.add_issue(reader.path_of("kind"), expected, describe_found(*kind));
    return false;
  }
  const auto& text = kind->get_ref<const std::string&>();
  if (text == "kappa" || text == "lambda" || text == "edge") {
    out = text;
    return true;
  }
  reader.add_issue(reader.path_of("kind"), expected, quote(text));
  return false;
}

void read_candidates(JsonReader& root, std::vector<Candidate>& out, const Catalog* catalog) {
  auto candidates = root.objects("candidates", 1, Presence::required);
  if (!candidates) return;
  std::map<std::string, std::string> name_paths;
  for (JsonReader& reader : *candidates) {
    Candidate candidate;
    if (auto name = reader.text("name", Presence::required, true)) {
      const auto [it, inserted] = name_paths.emplace(*name, reader.path_of("name"));
      if (!inserted) {
        reader.add_issue(reader.path_of("name"), "a name no other candidate uses",
                         quote(*name) + " (also at " + it->second + ")");
      }
      candidate.name = *name;
    }
    if (!read_candidate_kind(reader, candidate.kind)) continue;  // its other keys are not v1's to judge
    read_broker(reader, candidate.broker, catalog);
    read_producer(reader, candidate.producer, candidate.broker);
    read_consumer(reader, candidate.consumer, candidate.broker.kind);
    read_processing(reader, candidate.processing, catalog);
    // a Pub/Sub subscription has no partitions: each processing task pulls its share
    if (candidate.broker.kind == "pubsub") candidate.broker.partitions = candidate.processing.parallelism;
    read_sink(reader, candidate.sink);
    read_team(reader, candidate.team);
    read_failures(reader, candidate, candidate.failures);
    if (candidate.broker.is_service() && candidate.processing.delivery == Delivery::exactly_once)
      reader.add_issue(reader.path_of("processing") + "/delivery", "\"at-least-once\" with broker kind " + quote(candidate.broker.kind) + " (no transactions)",
                       "\"exactly-once\"");
    if (candidate.processing.engine == "serverless" && candidate.kind != "kappa")
      reader.add_issue(reader.path_of("processing") + "/engine", "an engine other than \"serverless\" unless the candidate's kind is \"kappa\"",
                       "\"serverless\" in a " + quote(candidate.kind) + " candidate");
    if (candidate.kind == "lambda") {
      read_batch(reader, candidate.batch, catalog);
      read_serving(reader, candidate.serving);
    }
    if (candidate.kind == "edge") read_edge(reader, candidate.edge);
    reader.report_unknown_keys();
    out.push_back(std::move(candidate));
  }
}

// --- simulation ---------------------------------------------------------------

void read_simulation(JsonReader& root, SimulationConfig& out) {
  auto simulation = root.object("simulation");
  if (!simulation) return;
  const auto duration = simulation->duration_s("duration", NumberRange::above_up_to(0, 30 * day_s));
  const auto warmup = simulation->duration_s("warmup", NumberRange::closed(0, 30 * day_s));
  assign(out.duration_s, duration);
  assign(out.warmup_s, warmup);
  assign(out.start_at_s, simulation->duration_s("start_at", NumberRange::closed(0, 366 * day_s)));
  const bool duration_ok = duration || !simulation->has("duration");
  const bool warmup_ok = warmup || !simulation->has("warmup");
  if (duration_ok && warmup_ok && out.warmup_s >= out.duration_s) {
    simulation->add_issue(simulation->path_of("warmup"),
                          "a warm-up shorter than the duration (" + format_duration(out.duration_s) + ")",
                          found_or_default(*simulation, "warmup", format_duration(out.warmup_s)));
  }
  assign(out.seed, simulation->unsigned_integer("seed"));
  assign(out.p99_ci_rel_width, simulation->number("p99_ci_rel_width", NumberRange::at_least_below(0, 1)));
  assign(out.batches, simulation->int_in("batches", 5, 1000));
  assign(out.histogram_relative_error, simulation->number("histogram_relative_error", NumberRange::closed(0.0005, 0.05)));
  assign(out.mode, simulation->choice<SimMode>("mode", {{"batched", SimMode::batched}, {"exact", SimMode::exact}}));
  simulation->report_unknown_keys();
}

std::string issues_text(const std::string& file, const std::vector<ValidationIssue>& issues) {
  std::string text = file + ": " + std::to_string(issues.size()) + (issues.size() == 1 ? " problem" : " problems");
  for (const ValidationIssue& issue : issues) text += "\n  " + issue.message();
  return text;
}

}  // namespace

std::string ValidationIssue::message() const {
  std::string text = path.empty() ? std::string() : path + ": ";
  return text + "expected " + expected + ", found " + found;
}

ScenarioError::ScenarioError(std::string file, std::vector<ValidationIssue> issues, std::string document)
    : std::runtime_error(issues_text(file, issues)), file_(std::move(file)), issues_(std::move(issues)),
      document_(std::move(document)) {}

std::filesystem::path data_dir() {
  if (const char* dir = std::getenv("ARCHSIM_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
#ifdef ARCHSIM_SOURCE_DATA_DIR
  return ARCHSIM_SOURCE_DATA_DIR;
#else
  return "scenarios";
#endif
}

Scenario parse_scenario(std::string_view text, const std::string& file_label,
                        const std::filesystem::path& base_dir) {
  std::vector<ValidationIssue> issues;
  const auto document = parse_json_document(text, issues);
  if (!document) throw ScenarioError(file_label, std::move(issues));
  if (!document->is_object()) {
    issues.push_back({"", "a JSON object", describe_found(*document)});
    throw ScenarioError(file_label, std::move(issues));
  }

  Scenario scenario;
  JsonReader root(*document, "", issues);
  root.text("$schema");
  assign(scenario.name, root.text("name", Presence::required, true));
  assign(scenario.description, root.text("description"));
  read_workload(root, scenario.workload);
  read_requirements(root, scenario.requirements);
  const std::optional<Catalog> catalog = read_hardware(root, scenario.hardware, base_dir);
  read_candidates(root, scenario.candidates, catalog ? &*catalog : nullptr);
  read_simulation(root, scenario.simulation);
  if (scenario.simulation.mode == SimMode::exact)
    for (const Candidate& c : scenario.candidates)
      if (c.batched_only())
        root.add_issue("/simulation/mode", "\"batched\" (candidate " + quote(c.name) + " uses broker kind " + quote(c.broker.kind) + ", engine " +
                                               quote(c.processing.engine) + " or checkpoint alignment, simulated in batched mode only)",
                       "\"exact\"");
  root.report_unknown_keys();
  if (!issues.empty()) throw ScenarioError(file_label, std::move(issues));
  return scenario;
}

Scenario load_scenario_file(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  return parse_scenario(text, path.string(), path.parent_path());
}

}  // namespace archsim
