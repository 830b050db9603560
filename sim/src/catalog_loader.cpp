// Catalog loader: catalog JSON (format v1, documented in the "$comment" of
// scenarios/catalog.json) -> typed Catalog, every problem reported at once
// with its JSON pointer path inside the catalog file.
#include <optional>
#include <string>
#include <vector>

#include "archsim/scenario_loader.hpp"
#include "json_reader.hpp"

namespace archsim {
namespace {

/// The broker log disk of an instance type.
struct DiskProfile {
  double write_bps = 0;
  double fsync_s = 0;
  Provenance provenance;
};

std::optional<Provenance> read_provenance(JsonReader& parent, std::string_view key, Presence presence) {
  auto reader = parent.object(key, presence);
  if (!reader) return std::nullopt;
  Provenance provenance;
  const auto source = reader->text("source", Presence::required, true);
  const auto date = reader->text("date", Presence::required, true);
  const auto flag = reader->choice<std::string_view>(
      "flag", {{"verified", "verified"}, {"unverified", "unverified"},
               {"inferred", "inferred"}, {"assumption", "assumption"}},
      Presence::required);
  reader->report_unknown_keys();
  if (!source || !date || !flag) return std::nullopt;
  return Provenance{*source, *date, std::string(*flag)};
}

std::map<std::string, DiskProfile> read_disks(JsonReader& root) {
  std::map<std::string, DiskProfile> disks;
  auto disks_reader = root.object("disks", Presence::required);
  if (!disks_reader) return disks;
  for (const std::string& name : disks_reader->keys()) {
    if (name == "$comment") continue;
    auto reader = disks_reader->object(name);
    if (!reader) continue;
    const auto write_mb_s = reader->number("write_mb_s", NumberRange::above_up_to(0, 1e6), Presence::required);
    const auto fsync_s = reader->duration_s("fsync", NumberRange::closed(0, 1), Presence::required);
    const auto provenance = read_provenance(*reader, "provenance", Presence::required);
    reader->report_unknown_keys();
    if (write_mb_s && fsync_s && provenance) disks[name] = DiskProfile{*write_mb_s * 1e6, *fsync_s, *provenance};
  }
  disks_reader->report_unknown_keys();
  return disks;
}

void read_instances(JsonReader& root, Catalog& catalog, const std::map<std::string, DiskProfile>& disks,
                    const std::optional<Provenance>& specs_default, double core_speed_flops) {
  auto instances = root.object("instances", Presence::required);
  if (!instances) return;
  bool any = false;
  for (const std::string& name : instances->keys()) {
    if (name == "$comment") continue;
    any = true;
    auto reader = instances->object(name);
    if (!reader) continue;
    InstanceType type;
    type.name = name;
    type.core_speed_flops = core_speed_flops;
    bool ok = true;
    auto take = [&ok](auto value, auto& field) {
      if (value) field = *value; else ok = false;
    };
    take(reader->int_in("vcpu", 1, 1024, Presence::required), type.vcpu);
    take(reader->number("memory_gib", NumberRange::above_up_to(0, 1e5), Presence::required), type.memory_gib);
    if (const auto gbit = reader->number("network_baseline_gbit_s", NumberRange::above_up_to(0, 1e4),
                                         Presence::required)) {
      type.network_bps = *gbit * 1e9 / 8;  // gigabits per second -> bytes per second
    } else {
      ok = false;
    }
    take(reader->number("price_usd_hour", NumberRange::closed(0, 1e4), Presence::required), type.price_usd_hour);
    if (const auto speed = reader->number("core_speed_flops", NumberRange::above_up_to(0, 1e13))) {
      type.core_speed_flops = *speed;
    } else if (reader->has("core_speed_flops")) {
      ok = false;
    }
    if (const auto disk = reader->text("disk", Presence::required)) {
      const auto it = disks.find(*disk);
      if (it == disks.end()) {
        std::string known;
        for (const auto& [disk_name, profile] : disks) known += (known.empty() ? "" : ", ") + disk_name;
        reader->add_issue(reader->path_of("disk"), "a disk profile defined under /disks (" + known + ")",
                          "\"" + *disk + "\"");
        ok = false;
      } else {
        type.disk_write_bps = it->second.write_bps;
        type.fsync_s = it->second.fsync_s;
        type.disk_provenance = it->second.provenance;
      }
    } else {
      ok = false;
    }
    take(read_provenance(*reader, "provenance", Presence::required), type.provenance);
    if (auto specs = read_provenance(*reader, "specs_provenance", Presence::optional)) {
      type.specs_provenance = *specs;
    } else if (specs_default && !reader->has("specs_provenance")) {
      type.specs_provenance = *specs_default;
    } else if (!reader->has("specs_provenance")) {
      reader->add_issue(reader->path_of("specs_provenance"),
                        "a specs provenance here or at /specs_provenance", "nothing");
    }
    reader->report_unknown_keys();
    if (ok) catalog.instances[name] = type;
  }
  if (!any) instances->add_issue(instances->path(), "at least one instance type", "an empty object");
}

void read_managed_kafka(JsonReader& root, ManagedKafkaPrices& out) {
  auto reader = root.object("managed_kafka");
  if (!reader) return;
  if (auto storage = reader->object("storage_usd_gb_month", Presence::required)) {
    if (const auto value = storage->number("value", NumberRange::closed(0, 1e3), Presence::required)) out.storage_usd_gb_month = *value;
    if (const auto provenance = read_provenance(*storage, "provenance", Presence::required)) out.storage_provenance = *provenance;
    storage->report_unknown_keys();
  }
  if (auto brokers = reader->object("broker_usd_hour", Presence::required)) {
    for (const std::string& name : brokers->keys()) {
      auto price = brokers->object(name);
      if (!price) continue;
      const auto value = price->number("value", NumberRange::closed(0, 1e4), Presence::required);
      const auto provenance = read_provenance(*price, "provenance", Presence::required);
      price->report_unknown_keys();
      if (value && provenance) {
        out.broker_usd_hour[name] = *value;
        out.broker_provenance[name] = *provenance;
      }
    }
  }
  reader->report_unknown_keys();
}

void read_prices(JsonReader& root, Prices& prices) {
  auto reader = root.object("prices", Presence::required);
  if (!reader) return;
  struct Entry {
    std::string_view key;
    double* field;
  };
  const Entry entries[] = {
      {"block_storage_usd_gb_month", &prices.block_storage_usd_gb_month},
      {"object_storage_usd_gb_month", &prices.object_storage_usd_gb_month},
      {"cross_az_usd_gb", &prices.cross_az_usd_gb},
      {"internet_egress_usd_gb", &prices.internet_egress_usd_gb},
  };
  for (const Entry& entry : entries) {
    auto price = reader->object(entry.key, Presence::required);
    if (!price) continue;
    const auto value = price->number("value", NumberRange::closed(0, 1e3), Presence::required);
    const auto provenance = read_provenance(*price, "provenance", Presence::required);
    price->report_unknown_keys();
    if (value) *entry.field = *value;
    if (provenance) prices.provenance[std::string(entry.key)] = *provenance;
  }
  reader->report_unknown_keys();
}

void read_technology_defaults(JsonReader& root, TechnologyDefaults& out) {
  auto reader = root.object("technology_defaults");
  if (!reader) return;
  enum class Kind { duration, size };
  struct Entry {
    std::string_view key;
    TechnologyDefault* field;
    Kind kind;
  };
  const Entry entries[] = {
      {"broker_failover", &out.broker_failover_s, Kind::duration},
      {"consumer_session_timeout", &out.consumer_session_timeout_s, Kind::duration},
      {"flink_heartbeat_timeout", &out.flink_heartbeat_timeout_s, Kind::duration},
      {"spark_network_timeout", &out.spark_network_timeout_s, Kind::duration},
      {"producer_delivery_timeout", &out.producer_delivery_timeout_s, Kind::duration},
      {"producer_buffer", &out.producer_buffer_bytes, Kind::size},
      {"producer_max_block", &out.producer_max_block_s, Kind::duration},
      {"page_cache_expire", &out.page_cache_expire_s, Kind::duration},
      {"kafka_streams_commit_interval", &out.kafka_streams_commit_interval_s, Kind::duration},
      {"kafka_streams_eos_commit_interval", &out.kafka_streams_eos_commit_interval_s, Kind::duration},
      {"flink_checkpoint_interval", &out.flink_checkpoint_interval_s, Kind::duration},
  };
  for (const Entry& entry : entries) {
    auto item = reader->object(entry.key, Presence::required);
    if (!item) continue;
    const auto value = entry.kind == Kind::duration
                           ? item->duration_s("value", NumberRange::above_up_to(0, 86400), Presence::required)
                           : item->size_bytes("value", NumberRange::above_up_to(0, 1e12), Presence::required);
    const auto provenance = read_provenance(*item, "provenance", Presence::required);
    item->report_unknown_keys();
    if (value) entry.field->value = *value;
    if (provenance) entry.field->provenance = *provenance;
  }
  reader->report_unknown_keys();
}

/// A section of {value, provenance} figures (the technology profiles);
/// every key listed is required when the section is present.
struct ProfileEntry {
  std::string_view key;
  TechnologyDefault* field;
  NumberRange range;
  bool duration = false;
};

void read_profile_section(JsonReader& root, std::string_view section, std::initializer_list<ProfileEntry> entries) {
  auto reader = root.object(section);
  if (!reader) return;
  reader->text("$comment");
  for (const ProfileEntry& entry : entries) {
    auto item = reader->object(entry.key, Presence::required);
    if (!item) continue;
    const auto value = entry.duration ? item->duration_s("value", entry.range, Presence::required)
                                      : item->number("value", entry.range, Presence::required);
    const auto provenance = read_provenance(*item, "provenance", Presence::required);
    item->report_unknown_keys();
    if (value) entry.field->value = *value;
    if (provenance) entry.field->provenance = *provenance;
  }
  reader->report_unknown_keys();
}

void read_profiles(JsonReader& root, Catalog& c) {
  const auto positive = NumberRange::above_up_to(0, 1e12);
  const auto price = NumberRange::closed(0, 1e6);
  const auto latency = NumberRange::closed(0, 3600);
  auto& k = c.kinesis;
  read_profile_section(root, "kinesis",
                       {{"write_bytes_per_s_per_shard", &k.write_bps_per_shard, positive},
                        {"write_records_per_s_per_shard", &k.write_records_per_shard, positive},
                        {"read_bytes_per_s_per_shard", &k.read_bps_per_shard, positive},
                        {"get_records_calls_per_s_per_shard", &k.get_records_per_s, positive},
                        {"get_records_max_records", &k.get_records_max_records, positive},
                        {"get_records_max_bytes", &k.get_records_max_bytes, positive},
                        {"put_latency", &k.put_latency_s, latency, true},
                        {"get_records_latency", &k.get_records_latency_s, latency, true},
                        {"enhanced_fan_out_latency", &k.efo_latency_s, latency, true},
                        {"enhanced_fan_out_bytes_per_s_per_shard", &k.efo_bps_per_shard, positive},
                        {"shard_usd_hour", &k.shard_usd_hour, price},
                        {"put_payload_unit_usd_million", &k.put_unit_usd_million, price},
                        {"put_payload_unit_bytes", &k.put_unit_bytes, positive},
                        {"enhanced_fan_out_consumer_shard_usd_hour", &k.efo_consumer_shard_usd_hour, price},
                        {"enhanced_fan_out_usd_gb", &k.efo_usd_gb, price}});
  auto& p = c.pubsub;
  read_profile_section(root, "pubsub",
                       {{"throughput_usd_tib", &p.throughput_usd_tib, price},
                        {"min_billable_bytes_per_message", &p.min_billable_bytes, NumberRange::closed(0, 1e9)},
                        {"publish_to_deliver_median", &p.latency_median_s, NumberRange::above_up_to(0, 3600), true},
                        {"publish_to_deliver_p99", &p.latency_p99_s, NumberRange::above_up_to(0, 3600), true}});
  if (p.latency_p99_s.value <= p.latency_median_s.value)
    root.add_issue("/pubsub/publish_to_deliver_p99", "a p99 above the median", std::to_string(p.latency_p99_s.value) + " s");
  auto& s = c.serverless;
  read_profile_section(root, "serverless",
                       {{"request_usd_million", &s.request_usd_million, price},
                        {"gb_second_usd", &s.gb_s_usd, price},
                        {"mb_per_vcpu", &s.mb_per_vcpu, positive},
                        {"invoke_overhead", &s.invoke_overhead_s, latency, true},
                        {"cold_start_probability", &s.cold_start_probability, NumberRange::closed(0, 1)},
                        {"idle_timeout", &s.idle_timeout_s, NumberRange::above_up_to(0, 86400), true},
                        {"cold_start_median", &s.cold_start_median_s, NumberRange::above_up_to(0, 3600), true},
                        {"cold_start_p99", &s.cold_start_p99_s, NumberRange::above_up_to(0, 3600), true}});
  if (s.cold_start_p99_s.value <= s.cold_start_median_s.value)
    root.add_issue("/serverless/cold_start_p99", "a p99 above the median", std::to_string(s.cold_start_p99_s.value) + " s");
}

}  // namespace

Catalog load_catalog_file(const std::filesystem::path& path) {
  const std::string label = path.string();
  const std::string text = read_text_file(path);
  std::vector<ValidationIssue> issues;
  const auto document = parse_json_document(text, issues);
  if (!document) throw ScenarioError(label, std::move(issues), "catalog");
  if (!document->is_object()) {
    issues.push_back({"", "a JSON object", describe_found(*document)});
    throw ScenarioError(label, std::move(issues), "catalog");
  }

  Catalog catalog;
  catalog.name = label;
  JsonReader root(*document, "", issues);
  root.text("$schema");
  if (auto as_of = root.text("as_of", Presence::required, true)) catalog.as_of = *as_of;
  if (auto hours = root.number("hours_per_month", NumberRange::above_up_to(0, 744), Presence::required)) {
    catalog.hours_per_month = *hours;
  }
  const double core_speed_flops =
      root.number("core_speed_flops", NumberRange::above_up_to(0, 1e13)).value_or(1e9);
  const auto specs_default = read_provenance(root, "specs_provenance", Presence::optional);
  const auto disks = read_disks(root);
  read_instances(root, catalog, disks, specs_default, core_speed_flops);
  read_prices(root, catalog.prices);
  read_managed_kafka(root, catalog.managed_kafka);
  read_technology_defaults(root, catalog.technology);
  read_profiles(root, catalog);
  root.report_unknown_keys();
  if (!issues.empty()) throw ScenarioError(label, std::move(issues), "catalog");
  return catalog;
}

}  // namespace archsim
