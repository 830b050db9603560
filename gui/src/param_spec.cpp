// The GUI's editable parameters (see param_spec.hpp). Every range below is
// checked against the loader's: the slider range is a practical part of
// what sim/src/scenario_loader.cpp accepts for that key.
#include "archsim/gui/param_spec.hpp"

#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "archsim/units.hpp"

namespace archsim::gui {

namespace {

using Typed = std::function<std::optional<double>(const Scenario&)>;

bool has_pointer(const nlohmann::ordered_json& doc, const std::string& pointer) {
  try {
    return doc.contains(nlohmann::ordered_json::json_pointer(pointer));
  } catch (const nlohmann::ordered_json::exception&) {
    return false;
  }
}

const nlohmann::ordered_json* at_pointer(const nlohmann::ordered_json& doc, const std::string& pointer) {
  try {
    const nlohmann::ordered_json::json_pointer ptr(pointer);
    if (!doc.contains(ptr)) return nullptr;
    return &doc.at(ptr);
  } catch (const nlohmann::ordered_json::exception&) {
    return nullptr;
  }
}

std::string text_at(const nlohmann::ordered_json& doc, const std::string& pointer, const std::string& fallback) {
  const nlohmann::ordered_json* v = at_pointer(doc, pointer);
  return v != nullptr && v->is_string() ? v->get<std::string>() : fallback;
}

ParamSpec spec(std::string group, std::string label, std::string pointer, ParamKind kind, double lo, double hi,
               bool log_scale, std::string help, Typed typed) {
  ParamSpec s;
  s.group = std::move(group);
  s.label = std::move(label);
  s.pointer = std::move(pointer);
  s.kind = kind;
  s.min = lo;
  s.max = hi;
  s.log_scale = log_scale;
  s.help = std::move(help);
  s.typed = std::move(typed);
  return s;
}

/// A typed accessor of candidate `i` (none when the Scenario has fewer candidates).
Typed of_candidate(size_t i, std::function<double(const Candidate&)> get) {
  return [i, get = std::move(get)](const Scenario& s) -> std::optional<double> {
    if (i >= s.candidates.size()) return std::nullopt;
    return get(s.candidates[i]);
  };
}

void add_workload(const nlohmann::ordered_json& doc, std::vector<ParamSpec>& out) {
  const std::string g = "Workload";
  out.push_back(spec(g, "rate (events/s)", "/workload/rate/mean_eps", ParamKind::number, 10, 1e7, true,
                     "Mean events per second, all sources together. Loader: above 0, at most 1e9.",
                     [](const Scenario& s) { return s.workload.rate_eps; }));
  ParamSpec pattern = spec(g, "rate pattern", "/workload/rate/pattern", ParamKind::choice, 0, 1, false,
                           "constant, or diurnal (a daily cosine with a peak factor).",
                           [](const Scenario& s) { return s.workload.pattern.kind == RatePatternKind::diurnal ? 1.0 : 0.0; });
  pattern.choices = {"constant", "diurnal"};
  pattern.drop_on_change = {"peak_factor", "period", "peak_at"};
  out.push_back(pattern);
  if (text_at(doc, "/workload/rate/pattern", "constant") == "diurnal")
    out.push_back(spec(g, "peak factor", "/workload/rate/peak_factor", ParamKind::number, 1, 2, false,
                       "Peak rate / mean rate of the diurnal pattern. Loader: 1 to 2.",
                       [](const Scenario& s) { return s.workload.pattern.peak_factor; }));
  const std::string dist = text_at(doc, "/workload/event_size/distribution", "constant");
  const std::string size_help = " Loader: above 0, at most 1 GiB.";
  if (dist == "constant") {
    out.push_back(spec(g, "event size", "/workload/event_size/bytes", ParamKind::size, 16, 1e6, true,
                       "Bytes per event." + size_help, [](const Scenario& s) { return s.workload.event_size.bytes; }));
  } else if (dist == "uniform") {
    out.push_back(spec(g, "event size min", "/workload/event_size/min", ParamKind::size, 16, 1e6, true,
                       "Smallest event, bytes; at most the max." + size_help,
                       [](const Scenario& s) { return s.workload.event_size.min_bytes; }));
    out.push_back(spec(g, "event size max", "/workload/event_size/max", ParamKind::size, 16, 1e6, true,
                       "Largest event, bytes; at least the min." + size_help,
                       [](const Scenario& s) { return s.workload.event_size.max_bytes; }));
  } else if (dist == "lognormal") {
    out.push_back(spec(g, "event size mean", "/workload/event_size/mean", ParamKind::size, 16, 1e6, true,
                       "Mean event size, bytes." + size_help,
                       [](const Scenario& s) { return s.workload.event_size.mean_bytes; }));
    out.push_back(spec(g, "event size p99", "/workload/event_size/p99", ParamKind::size, 16, 1e7, true,
                       "99th percentile event size: above the mean and below 14.9 x the mean." + size_help,
                       [](const Scenario& s) { return s.workload.event_size.p99_bytes; }));
  }
  out.push_back(spec(g, "sources", "/workload/sources", ParamKind::integer, 1, 10000, true,
                     "Producing clients. Loader: 1 to 10,000,000.",
                     [](const Scenario& s) { return double(s.workload.sources); }));
}

void add_targets(const nlohmann::ordered_json& doc, std::vector<ParamSpec>& out) {
  const std::string g = "Targets";
  // Only targets the scenario states: adding one would add a requirement.
  if (has_pointer(doc, "/requirements/latency/p95"))
    out.push_back(spec(g, "p95 target", "/requirements/latency/p95", ParamKind::duration, 1e-3, 60, true,
                       "p95 end-to-end latency target; at most the p99 target. Loader: above 0, at most 1 day.",
                       [](const Scenario& s) { return s.requirements.p95_s; }));
  if (has_pointer(doc, "/requirements/latency/p99"))
    out.push_back(spec(g, "p99 target", "/requirements/latency/p99", ParamKind::duration, 1e-3, 60, true,
                       "p99 end-to-end latency target; at least the p95 target. Loader: above 0, at most 1 day.",
                       [](const Scenario& s) { return s.requirements.p99_s; }));
  if (has_pointer(doc, "/requirements/monthly_budget_usd"))
    out.push_back(spec(g, "budget (USD/month)", "/requirements/monthly_budget_usd", ParamKind::number, 100, 1e6, true,
                       "Monthly budget. Loader: 0 to 1e12.",
                       [](const Scenario& s) { return s.requirements.budget_usd_month; }));
  if (has_pointer(doc, "/requirements/availability"))
    out.push_back(spec(g, "availability", "/requirements/availability", ParamKind::number, 0.9, 0.99999, false,
                       "Availability target, a fraction. Loader: above 0, at most 1.",
                       [](const Scenario& s) { return s.requirements.availability; }));
}

void add_candidate(const nlohmann::ordered_json& cand, size_t i, std::vector<ParamSpec>& out) {
  const std::string g = cand.contains("name") && cand["name"].is_string() ? cand["name"].get<std::string>()
                                                                        : fmt::format("candidate {}", i);
  const std::string kind = cand.contains("kind") && cand["kind"].is_string() ? cand["kind"].get<std::string>() : "kappa";
  const std::string p = fmt::format("/candidates/{}", i);
  auto c = [i](auto get) { return of_candidate(i, get); };
  // technology profiles: a managed service has no brokers, replication or acks; functions have no hosts
  auto text_at = [&cand](const char* section, const char* key, const char* fallback) {
    if (cand.contains(section) && cand[section].is_object() && cand[section].contains(key) && cand[section][key].is_string())
      return cand[section][key].get<std::string>();
    return std::string(fallback);
  };
  const std::string broker_kind = text_at("broker", "kind", "kafka");
  const bool service = broker_kind == "kinesis" || broker_kind == "pubsub";
  const bool serverless = text_at("processing", "engine", "flink") == "serverless";
  if (!service)
  out.push_back(spec(g, "brokers", p + "/broker/count", ParamKind::integer, 1, 30, false,
                     "Broker count; at least the replication factor. Loader: 1 to 1000.",
                     c([](const Candidate& x) { return double(x.broker.count); })));
  if (broker_kind != "pubsub")
  out.push_back(spec(g, "partitions", p + "/broker/partitions", ParamKind::integer, 1, 1000, true,
                     "Topic partitions. Loader: 1 to 100,000.",
                     c([](const Candidate& x) { return double(x.broker.partitions); })));
  if (!service)
  out.push_back(spec(g, "replication factor", p + "/broker/replication_factor", ParamKind::integer, 1, 5, false,
                     "Copies of each partition; at most the broker count, at least min_insync_replicas. Loader: 1 to 1000.",
                     c([](const Candidate& x) { return double(x.broker.replication_factor); })));
  ParamSpec acks = spec(g, "producer acks", p + "/producer/acks", ParamKind::choice, 0, 2, false,
                        "acks=0 (no wait), 1 (leader), all (in-sync replicas).",
                        c([](const Candidate& x) { return x.producer.acks == Acks::none ? 0.0 : x.producer.acks == Acks::leader ? 1.0 : 2.0; }));
  acks.choices = {"0", "1", "all"};
  if (!service) out.push_back(acks);
  out.push_back(spec(g, "linger", p + "/producer/linger", ParamKind::duration, 0, 1, true,
                     "Producer linger.ms: how long a batch waits to fill. Loader: 0 to 10 s.",
                     c([](const Candidate& x) { return x.producer.linger_s; })));
  out.push_back(spec(g, "batch size", p + "/producer/batch_size", ParamKind::size, 1024, 64.0 * 1048576, true,
                     "Producer batch.size. Loader: 1 KiB to 1 GiB.",
                     c([](const Candidate& x) { return x.producer.batch_size_bytes; })));
  if (!service)
  out.push_back(spec(g, "fetch wait max", p + "/consumer/fetch_wait_max", ParamKind::duration, 0, 5, true,
                     "Consumer fetch.wait.max.ms. Loader: 0 to 60 s.",
                     c([](const Candidate& x) { return x.consumer.fetch_wait_max_s; })));
  out.push_back(spec(g, "parallelism", p + "/processing/parallelism", ParamKind::integer, 1, 256, true,
                     "Processing tasks. Loader: 1 to 10,000.",
                     c([](const Candidate& x) { return double(x.processing.parallelism); })));
  if (!serverless)
  out.push_back(spec(g, "processing hosts", p + "/processing/instances", ParamKind::integer, 1, 64, false,
                     "Hosts the tasks run on. Loader: 1 to 10,000.",
                     c([](const Candidate& x) { return double(x.processing.instances); })));
  out.push_back(spec(g, "CPU per event", p + "/processing/cpu_per_event", ParamKind::duration, 1e-7, 1e-2, true,
                     "Seconds of one core per event. Loader: 0 to 10 s.",
                     c([](const Candidate& x) { return x.processing.cpu_per_event_s; })));
  out.push_back(spec(g, "sink concurrency", p + "/sink/concurrency", ParamKind::integer, 1, 64, false,
                     "Parallel sink writes. Loader: 1 to 10,000.",
                     c([](const Candidate& x) { return double(x.sink.concurrency); })));
  if (kind == "lambda") {
    out.push_back(spec(g, "batch interval", p + "/batch/interval", ParamKind::duration, 60, 86400, true,
                       "A batch run every interval. Loader: above 0, at most 30 days.",
                       c([](const Candidate& x) { return x.batch.interval_s; })));
    out.push_back(spec(g, "batch instances", p + "/batch/instances", ParamKind::integer, 1, 64, false,
                       "Batch cluster size. Loader: 1 to 10,000.",
                       c([](const Candidate& x) { return double(x.batch.instances); })));
  }
  if (kind == "edge") {
    out.push_back(spec(g, "edge sites", p + "/edge/sites", ParamKind::integer, 1, 100000, true,
                       "Identical sites. Loader: 1 to 10,000,000.",
                       c([](const Candidate& x) { return double(x.edge.sites); })));
    out.push_back(spec(g, "forward ratio", p + "/edge/local/forward_ratio", ParamKind::number, 0, 1, false,
                       "Fraction of events the gateway forwards. Loader: 0 to 1.",
                       c([](const Candidate& x) { return x.edge.forward_ratio; })));
  }
}

/// "20ms", "1.5s", "10us": a duration string parse_duration_s reads back.
std::string duration_text(double s) {
  if (s == 0) return "0s";
  if (s >= 1) return fmt::format("{:.6g}s", s);
  if (s >= 1e-3) return fmt::format("{:.6g}ms", s * 1e3);
  return fmt::format("{:.6g}us", s * 1e6);
}

}  // namespace

std::vector<ParamSpec> editable_params(const nlohmann::ordered_json& document) {
  std::vector<ParamSpec> out;
  if (!document.is_object()) return out;
  add_workload(document, out);
  add_targets(document, out);
  if (document.contains("candidates") && document["candidates"].is_array()) {
    const auto& candidates = document["candidates"];
    for (size_t i = 0; i < candidates.size(); ++i)
      if (candidates[i].is_object()) add_candidate(candidates[i], i, out);
  }
  return out;
}

nlohmann::ordered_json json_value_for(const ParamSpec& spec, double value) {
  switch (spec.kind) {
    case ParamKind::integer: return static_cast<int64_t>(std::llround(value));
    case ParamKind::duration: return duration_text(value);
    case ParamKind::size: return fmt::format("{}B", std::llround(value));
    case ParamKind::choice: {
      const size_t i = static_cast<size_t>(std::clamp<long long>(std::llround(value), 0, spec.choices.size() - 1));
      return spec.choices.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(spec.choices[i]);
    }
    case ParamKind::number: break;
  }
  return value;
}

std::optional<double> read_number(const nlohmann::ordered_json& document, const ParamSpec& spec) {
  const nlohmann::ordered_json* v = at_pointer(document, spec.pointer);
  if (v == nullptr) return std::nullopt;
  if (spec.kind == ParamKind::choice) {
    std::string text;
    if (v->is_string()) text = v->get<std::string>();
    else if (v->is_number_integer()) text = v->get<int64_t>() == -1 ? "all" : std::to_string(v->get<int64_t>());
    if (text == "-1") text = "all";
    for (size_t i = 0; i < spec.choices.size(); ++i)
      if (spec.choices[i] == text) return double(i);
    return std::nullopt;
  }
  if (v->is_number()) return v->get<double>();
  if (!v->is_string()) return std::nullopt;
  const std::string text = v->get<std::string>();
  if (spec.kind == ParamKind::duration) return parse_duration_s(text);
  if (spec.kind == ParamKind::size) return parse_size_bytes(text);
  return std::nullopt;
}

std::optional<size_t> find_param(const std::vector<ParamSpec>& specs, const std::string& pointer) {
  for (size_t i = 0; i < specs.size(); ++i)
    if (specs[i].pointer == pointer) return i;
  return std::nullopt;
}

}  // namespace archsim::gui
