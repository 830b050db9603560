// Cost model implementation.
#include "archsim/cost_model.hpp"

#include "archsim/edge_site_model.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

namespace archsim {

namespace {

// "source, date (flag)" of a catalog figure, for a report's assumptions.
std::string cite(const Provenance& p) {
  if (p.source.empty()) return "catalog (no source recorded)";
  std::string out = p.source;
  if (!p.date.empty()) out += ", " + p.date;
  if (!p.flag.empty()) out += " (" + p.flag + ")";
  return out;
}

std::string cite(const std::map<std::string, Provenance>& provenance, const std::string& key) {
  const auto it = provenance.find(key);
  return it == provenance.end() ? "catalog (no source recorded)" : cite(it->second);
}

}  // namespace

namespace {

// A managed service's lines (no brokers, storage or replication to bill).
void service_cost(const Scenario& sc, const Candidate& c, std::vector<CostLine>& lines) {
  const auto& cat = sc.hardware.catalog;
  const double hours = cat.hours_per_month;
  const double seconds_per_month = hours * 3600.0;
  const double record_bytes = sc.workload.event_size.mean() * c.producer.compression_ratio;
  const double records_month = sc.workload.rate_eps * seconds_per_month;
  if (c.broker.kind == "kinesis") {
    const auto& k = cat.kinesis;
    const int shards = c.broker.partitions;
    lines.push_back({"kinesis shards", "compute", shards * k.shard_usd_hour.value * hours,
                     fmt::format("{} shards at {:.4g} USD/shard-hour x {:.0f} h", shards, k.shard_usd_hour.value, hours), cite(k.shard_usd_hour.provenance)});
    const double units = std::ceil(record_bytes / k.put_unit_bytes.value);
    lines.push_back({"kinesis PUT payload units", "transfer", records_month * units / 1e6 * k.put_unit_usd_million.value,
                     fmt::format("{:.4g} million records/month x {:.0f} unit(s) of {:.0f} KiB (mean record {:.0f} B) at {:.4g} USD/million", records_month / 1e6,
                                 units, k.put_unit_bytes.value / 1024, record_bytes, k.put_unit_usd_million.value),
                     cite(k.put_unit_usd_million.provenance)});
    if (c.broker.kinesis.enhanced_fan_out) {
      lines.push_back({"kinesis enhanced fan-out", "compute", shards * k.efo_consumer_shard_usd_hour.value * hours,
                       fmt::format("1 consumer x {} shards at {:.4g} USD/consumer-shard-hour x {:.0f} h", shards, k.efo_consumer_shard_usd_hour.value, hours),
                       cite(k.efo_consumer_shard_usd_hour.provenance)});
      const double gb = records_month * record_bytes / 1e9;
      lines.push_back({"kinesis enhanced fan-out data", "transfer", gb * k.efo_usd_gb.value,
                       fmt::format("{:.0f} GB/month retrieved at {:.4g} USD/GB", gb, k.efo_usd_gb.value), cite(k.efo_usd_gb.provenance)});
    }
    return;
  }
  const auto& ps = cat.pubsub;
  const double billed_bytes = std::max(record_bytes, ps.min_billable_bytes.value);
  const double tib = 2 * records_month * billed_bytes / 1099511627776.0;  // published, and delivered to one subscription
  lines.push_back({"pubsub throughput", "transfer", tib * ps.throughput_usd_tib.value,
                   fmt::format("{:.4g} million messages/month x {:.0f} B billed (mean {:.0f} B, at least {:.0f} B each) x 2 (publish and deliver) = {:.3g} TiB at {:.4g} USD/TiB "
                               "(free tier not deducted)",
                               records_month / 1e6, billed_bytes, record_bytes, ps.min_billable_bytes.value, tib, ps.throughput_usd_tib.value),
                   cite(ps.throughput_usd_tib.provenance)});
}

// Serverless functions: requests and billed GB-seconds measured in the run.
void serverless_cost(const Scenario& sc, const Candidate& c, const ProfileSummary* profile, std::vector<CostLine>& lines) {
  const auto& cat = sc.hardware.catalog;
  const auto& sv = cat.serverless;
  const double seconds_per_month = cat.hours_per_month * 3600.0;
  if (profile == nullptr || !profile->present)
    throw std::invalid_argument("candidate '" + c.name + "': a serverless engine's cost needs its simulated invocations");
  const double requests = profile->invocations_per_s * seconds_per_month;
  lines.push_back({"function requests", "compute", requests / 1e6 * sv.request_usd_million.value,
                   fmt::format("{:.4g} invocations/s (simulated) = {:.4g} million/month at {:.4g} USD/million", profile->invocations_per_s, requests / 1e6,
                               sv.request_usd_million.value),
                   cite(sv.request_usd_million.provenance)});
  const double gb_s = profile->billed_gb_s_per_s * seconds_per_month;
  lines.push_back({"function duration", "compute", gb_s * sv.gb_s_usd.value,
                   fmt::format("{:.4g} GB-s/s (simulated: duration incl. cold starts x {:.0f} MB) = {:.4g} million GB-s/month at {:.4g} USD/GB-s",
                               profile->billed_gb_s_per_s, c.processing.serverless.memory_mb, gb_s / 1e6, sv.gb_s_usd.value),
                   cite(sv.gb_s_usd.provenance)});
}

}  // namespace

std::vector<CostLine> kappa_monthly_cost(const Scenario& sc, const Candidate& c, const ProfileSummary* profile) {
  const auto& cat = sc.hardware.catalog;
  const double hours = cat.hours_per_month;
  const double seconds_per_month = hours * 3600.0;
  std::vector<CostLine> lines;
  if (c.broker.is_service()) service_cost(sc, c, lines);
  const auto& pi = c.processing.instance;
  if (c.processing.engine == "serverless") {
    serverless_cost(sc, c, profile, lines);
  } else if (c.broker.is_service()) {
    lines.push_back({"processing", "compute", c.processing.instances * pi.price_usd_hour * hours,
                     fmt::format("{} x {} at {:.4g} USD/h x {:.0f} h", c.processing.instances, pi.name, pi.price_usd_hour, hours),
                     cite(pi.provenance)});
  }
  if (c.broker.is_service()) return lines;
  const auto& bi = c.broker.instance;
  const bool managed = c.broker.kind == "managed-kafka";
  const double broker_usd_hour = managed ? cat.managed_kafka.broker_usd_hour.at(bi.name) : bi.price_usd_hour;
  lines.push_back({"brokers", "compute", c.broker.count * broker_usd_hour * hours,
                   fmt::format("{} x {}{} at {:.4g} USD/h x {:.0f} h", c.broker.count, managed ? "managed kafka." : "", bi.name,
                               broker_usd_hour, hours),
                   managed ? cite(cat.managed_kafka.broker_provenance, bi.name) : cite(bi.provenance)});
  if (c.processing.engine != "serverless")
    lines.push_back({"processing", "compute", c.processing.instances * pi.price_usd_hour * hours,
                   fmt::format("{} x {} at {:.4g} USD/h x {:.0f} h", c.processing.instances, pi.name, pi.price_usd_hour, hours),
                   cite(pi.provenance)});

  const double wire_bps = sc.workload.rate_eps * sc.workload.event_size.mean() * c.producer.compression_ratio;
  const int rf = c.broker.replication_factor;
  double volume_gb = c.broker.volume_gb;
  std::string basis;
  if (volume_gb > 0) {
    basis = fmt::format("{:.0f} GB provisioned at {:.4g} USD/GB-month", volume_gb, cat.prices.block_storage_usd_gb_month);
  } else {
    volume_gb = wire_bps * c.broker.retention_s * rf / 1e9;
    basis = fmt::format("{:.3g} MB/s x {:.3g} days retention x replication {} = {:.0f} GB at {:.4g} USD/GB-month",
                        wire_bps / 1e6, c.broker.retention_s / 86400.0, rf, volume_gb, cat.prices.block_storage_usd_gb_month);
  }
  const double storage_price = managed ? cat.managed_kafka.storage_usd_gb_month : cat.prices.block_storage_usd_gb_month;
  if (managed) basis = fmt::format("{:.0f} GB at the managed service's {:.4g} USD/GB-month", volume_gb, storage_price);
  lines.push_back({"broker storage", "storage", volume_gb * storage_price, basis,
                   managed ? cite(cat.managed_kafka.storage_provenance) : cite(cat.prices.provenance, "block_storage_usd_gb_month")});

  if (sc.hardware.multi_az) {
    // Replicas live in the other zones: every follower copy crosses a zone.
    // Producers and consumers are spread evenly: 2/3 of their traffic crosses.
    // AWS bills cross-AZ transfer on both sides (out and in): 2 x the unit price.
    const double gb_month = wire_bps * seconds_per_month / 1e9;
    // A managed service does not bill replication between its brokers.
    const double replication = managed ? 0.0 : rf - 1;
    const double crossing_gb = gb_month * (replication + 2.0 / 3.0 + 2.0 / 3.0);
    lines.push_back({"cross-zone transfer", "transfer", crossing_gb * 2 * cat.prices.cross_az_usd_gb,
                     fmt::format("{:.0f} GB/month crossing zones ({}2/3 of produce and fetch) x 2 sides x {:.4g} USD/GB", crossing_gb,
                                 managed ? "replication not billed by the managed service, " : fmt::format("replication x{}, ", rf - 1),
                                 cat.prices.cross_az_usd_gb),
                     cite(cat.prices.provenance, "cross_az_usd_gb")});
  }
  return lines;
}

std::vector<CostLine> lambda_monthly_cost(const Scenario& sc, const Candidate& c, const CandidateResult& r) {
  const auto& cat = sc.hardware.catalog;
  std::vector<CostLine> lines = kappa_monthly_cost(sc, c);
  for (auto& l : lines) l.component = "speed layer " + l.component;
  const auto& b = c.batch;
  const double busy = b.transient_cluster ? std::min(1.0, r.batch_layer.mean_run_s / b.interval_s) : 1.0;
  lines.push_back({"batch cluster", "compute", b.instances * b.instance.price_usd_hour * cat.hours_per_month * busy,
                   fmt::format("{} x {} at {:.4g} USD/h x {:.0f} h{}", b.instances, b.instance.name, b.instance.price_usd_hour,
                               cat.hours_per_month,
                               b.transient_cluster ? fmt::format(" x {:.1f}% of the time running (transient cluster)", 100 * busy) : ""),
                   cite(b.instance.provenance)});
  const double stored_gb = sc.workload.rate_eps * sc.workload.event_size.mean() * b.history_s / 1e9;
  lines.push_back({"batch storage", "storage", stored_gb * cat.prices.object_storage_usd_gb_month,
                   fmt::format("{:.0f} GB of history ({:.3g} days) at {:.4g} USD/GB-month (object storage; request charges not counted)",
                               stored_gb, b.history_s / 86400.0, cat.prices.object_storage_usd_gb_month),
                   cite(cat.prices.provenance, "object_storage_usd_gb_month")});
  return lines;
}

std::vector<CostLine> edge_monthly_cost(const Scenario& sc, const Candidate& c, const CandidateResult& r) {
  const auto& e = c.edge;
  std::vector<CostLine> lines;
  lines.push_back({"gateways", "compute", e.sites * (e.gateway_capex_usd / e.gateway_amortisation_months + e.gateway_usd_month),
                   fmt::format("{} gateways x ({:.4g} USD capex / {:.0f} months + {:.4g} USD/month running)", e.sites, e.gateway_capex_usd,
                               e.gateway_amortisation_months, e.gateway_usd_month),
                   "given in the scenario (edge.gateway), or archsim's default when absent"});
  const Scenario core = edge_core_scenario(sc, c);
  for (auto line : kappa_monthly_cost(core, c)) {
    line.component = "core " + line.component;
    lines.push_back(std::move(line));
  }
  const double gb = r.edge.wan_bytes_month / 1e9;
  lines.push_back({"WAN transfer", "transfer", gb * e.wan_usd_per_gb,
                   fmt::format("{:.0f} GB/month forwarded x {:.4g} USD/GB (raw events would be {:.0f} GB)", gb, e.wan_usd_per_gb,
                               r.edge.raw_bytes_month / 1e9),
                   "given in the scenario (edge.wan.usd_per_gb), or archsim's default when absent"});
  return lines;
}

}  // namespace archsim
