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

struct Catalog {
  std::string name;     ///< "default" or the file it came from
  std::string as_of;    ///< date the prices were checked
  std::map<std::string, InstanceType> instances;
  Prices prices;
  ManagedKafkaPrices managed_kafka;
  double hours_per_month = 730;
};

}  // namespace archsim
