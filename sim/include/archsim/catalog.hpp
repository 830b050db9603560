// Catalog: instance types, disks and prices the models and the cost model
// use. Loaded from JSON (scenarios/catalog.json by default); every figure
// carries its public source and date so reports can cite them.
#pragma once

#include <map>
#include <string>

namespace archsim {

/// Where a catalog figure comes from.
struct Provenance {
  std::string source;  ///< public source, e.g. "infracost eks_node_group_test"
  std::string date;    ///< as-of date, e.g. "2025-07"
  std::string flag;    ///< "verified" | "unverified" | "inferred" | "assumption"
};

/// A compute instance type (a VM or an appliance).
struct InstanceType {
  std::string name;
  int vcpu = 1;
  double memory_gib = 1;
  double network_bps = 1e9;        ///< sustained (baseline) NIC bandwidth, bytes/s
  double disk_write_bps = 125e6;   ///< attached log disk write bandwidth, bytes/s
  double fsync_s = 1e-3;           ///< cost of one fsync on that disk, seconds
  double core_speed_flops = 1e9;   ///< one core's speed; CPU costs in scenarios are seconds on this core
  double price_usd_hour = 0;       ///< on-demand price, USD per hour
  Provenance provenance;           ///< of the price
  Provenance specs_provenance;     ///< of vcpu, memory_gib and network_bps
  Provenance disk_provenance;      ///< of disk_write_bps and fsync_s (often an assumption)
};

/// Unit prices for storage and transfer.
struct Prices {
  double block_storage_usd_gb_month = 0.08;  ///< EBS gp3
  double object_storage_usd_gb_month = 0.023;
  double cross_az_usd_gb = 0.01;             ///< per GB, per direction
  double internet_egress_usd_gb = 0.09;
  std::map<std::string, Provenance> provenance;  ///< key: field name above
};

/// A managed Kafka service's prices (MSK-like): per broker-hour by instance
/// type, and storage per GB-month.
struct ManagedKafkaPrices {
  std::map<std::string, double> broker_usd_hour;        ///< by instance type name
  std::map<std::string, Provenance> broker_provenance;
  double storage_usd_gb_month = 0.10;
  Provenance storage_provenance;
};

/// A documented default of a technology (a Kafka or Flink setting, an OS
/// default) that the failure and delivery models use when a scenario does
/// not set it. Seconds or bytes, as the field name says.
struct TechnologyDefault {
  double value = 0;
  Provenance provenance;
};

/// Recovery and delivery defaults (catalog section "technology_defaults").
/// The values here are used only when the catalog has no such section; the
/// shipped catalog states each one's source.
struct TechnologyDefaults {
  TechnologyDefault broker_failover_s{10, {"built-in: Kafka broker.session.timeout.ms 9 s (KRaft) plus election and client metadata refresh", "undated", "assumption"}};
  TechnologyDefault consumer_session_timeout_s{45, {"built-in: Kafka consumer session.timeout.ms default since 3.0", "undated", "assumption"}};
  TechnologyDefault flink_heartbeat_timeout_s{50, {"built-in: Flink heartbeat.timeout default", "undated", "assumption"}};
  TechnologyDefault spark_network_timeout_s{120, {"built-in: Spark spark.network.timeout default", "undated", "assumption"}};
  TechnologyDefault producer_delivery_timeout_s{120, {"built-in: Kafka producer delivery.timeout.ms default", "undated", "assumption"}};
  TechnologyDefault producer_buffer_bytes{33554432, {"built-in: Kafka producer buffer.memory default", "undated", "assumption"}};
  TechnologyDefault producer_max_block_s{60, {"built-in: Kafka producer max.block.ms default", "undated", "assumption"}};
  TechnologyDefault page_cache_expire_s{30, {"built-in: Linux vm.dirty_expire_centisecs default", "undated", "assumption"}};
  TechnologyDefault kafka_streams_commit_interval_s{30, {"built-in: Kafka Streams commit.interval.ms default (at-least-once)", "undated", "assumption"}};
  TechnologyDefault kafka_streams_eos_commit_interval_s{0.1, {"built-in: Kafka Streams commit.interval.ms default under exactly-once", "undated", "assumption"}};
  TechnologyDefault flink_checkpoint_interval_s{60, {"built-in: Flink checkpoint interval (user-set; no default)", "undated", "assumption"}};
};

/// A Kinesis-like shard service (catalog section "kinesis"): per-shard
/// limits and prices. The values here are used only when the catalog has no
/// such section; the shipped catalog states each one's source.
struct KinesisProfile {
  TechnologyDefault write_bps_per_shard{1e6, {"built-in: Kinesis shard write limit 1 MB/s", "undated", "assumption"}};
  TechnologyDefault write_records_per_shard{1000, {"built-in: Kinesis shard write limit 1,000 records/s", "undated", "assumption"}};
  TechnologyDefault read_bps_per_shard{2e6, {"built-in: Kinesis shard read limit 2 MB/s shared by polling consumers", "undated", "assumption"}};
  TechnologyDefault get_records_per_s{5, {"built-in: Kinesis GetRecords 5 calls/s per shard", "undated", "assumption"}};
  TechnologyDefault get_records_max_records{10000, {"built-in: Kinesis GetRecords 10,000 records per call", "undated", "assumption"}};
  TechnologyDefault get_records_max_bytes{10e6, {"built-in: Kinesis GetRecords 10 MB per call", "undated", "assumption"}};
  TechnologyDefault put_latency_s{0.02, {"built-in: PutRecords response time", "undated", "assumption"}};
  TechnologyDefault get_records_latency_s{0.02, {"built-in: GetRecords response time", "undated", "assumption"}};
  TechnologyDefault efo_latency_s{0.07, {"built-in: enhanced fan-out propagation about 70 ms", "undated", "assumption"}};
  TechnologyDefault efo_bps_per_shard{2e6, {"built-in: enhanced fan-out 2 MB/s per consumer per shard", "undated", "assumption"}};
  TechnologyDefault shard_usd_hour{0.015, {"built-in: Kinesis shard-hour", "undated", "assumption"}};
  TechnologyDefault put_unit_usd_million{0.014, {"built-in: Kinesis PUT payload units per million", "undated", "assumption"}};
  TechnologyDefault put_unit_bytes{25600, {"built-in: Kinesis PUT payload unit 25 KB", "undated", "assumption"}};
  TechnologyDefault efo_consumer_shard_usd_hour{0.015, {"built-in: enhanced fan-out consumer-shard-hour", "undated", "assumption"}};
  TechnologyDefault efo_usd_gb{0.013, {"built-in: enhanced fan-out data retrieval per GB", "undated", "assumption"}};
};

/// A Pub/Sub-like service (catalog section "pubsub"): priced per volume,
/// publish -> deliver latency lognormal.
struct PubSubProfile {
  TechnologyDefault throughput_usd_tib{40, {"built-in: Pub/Sub throughput per TiB", "undated", "assumption"}};
  TechnologyDefault min_billable_bytes{1000, {"built-in: Pub/Sub minimum billable size", "undated", "assumption"}};
  TechnologyDefault latency_median_s{0.03, {"built-in: publish -> deliver median", "undated", "assumption"}};
  TechnologyDefault latency_p99_s{0.15, {"built-in: publish -> deliver p99", "undated", "assumption"}};
};

/// Serverless functions (catalog section "serverless"): prices and the
/// defaults of the cold-start model.
struct ServerlessProfile {
  TechnologyDefault request_usd_million{0.2, {"built-in: Lambda requests per million", "undated", "assumption"}};
  TechnologyDefault gb_s_usd{0.0000166667, {"built-in: Lambda GB-second (x86)", "undated", "assumption"}};
  TechnologyDefault mb_per_vcpu{1769, {"built-in: Lambda one vCPU at 1,769 MB", "undated", "assumption"}};
  TechnologyDefault invoke_overhead_s{0.005, {"built-in: invocation overhead", "undated", "assumption"}};
  TechnologyDefault cold_start_probability{0.005, {"built-in: cold starts at steady traffic", "undated", "assumption"}};
  TechnologyDefault idle_timeout_s{600, {"built-in: idle execution environment reclaimed", "undated", "assumption"}};
  TechnologyDefault cold_start_median_s{0.25, {"built-in: cold start median", "undated", "assumption"}};
  TechnologyDefault cold_start_p99_s{1.0, {"built-in: cold start p99", "undated", "assumption"}};
};

struct Catalog {
  std::string name;     ///< "default" or the file it came from
  std::string as_of;    ///< date the prices were checked
  std::map<std::string, InstanceType> instances;
  Prices prices;
  ManagedKafkaPrices managed_kafka;
  TechnologyDefaults technology;
  KinesisProfile kinesis;
  PubSubProfile pubsub;
  ServerlessProfile serverless;
  double hours_per_month = 730;
};

}  // namespace archsim
