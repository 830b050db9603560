// The JSON codec of Result, schema_version 4 (2 added "delivery" and
// "availability" to each candidate; 3 added each candidate's "timeline" and
// each failure episode's representative "trace"; 4 added a failed
// candidate's "error" and moved a measured candidate's per-second latency
// from "latency_over_time" into its "timeline"). Versions 2 and 3 are still
// read: version 2 timelines and traces are empty, and a version 3 measured
// candidate's "latency_over_time" is read into its timeline. Key names are snake_case with
// units in them (`p99_s`, `usd_month`); an Estimate is {"value","lo","hi"}.
// nlohmann::json keeps object keys sorted and prints doubles in their
// shortest round-trip form, so identical Results give byte-identical text.
// Non-finite doubles are written as null and read back as NaN.
// Reading is strict: every key written here is required (unknown keys are
// ignored), and the first problem throws std::runtime_error naming its JSON
// pointer path, what was expected and what was found. The exceptions: a
// measured candidate's "faults" and "delivery_counts" are written only for
// source "measured", and "error" only for a candidate that failed; they may
// be absent, reading as empty.
#include "archsim/result_json.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace archsim {

namespace {

using nlohmann::json;

constexpr int kSchemaVersion = 4;
constexpr int kOldestReadable = 2;

// ---------------------------------------------------------------- writing

json to_json(const Estimate& e) { return json{{"value", e.value}, {"lo", e.lo}, {"hi", e.hi}}; }

json to_json(const LatencySummary& l) {
  json cdf = json::array();
  for (const auto& [latency_s, fraction] : l.cdf) cdf.push_back(json::array({latency_s, fraction}));
  return json{{"count", l.count},           {"mean_s", l.mean_s},          {"p50_s", to_json(l.p50_s)},
              {"p95_s", to_json(l.p95_s)},  {"p99_s", to_json(l.p99_s)},   {"p999_s", to_json(l.p999_s)},
              {"max_s", l.max_s},           {"cdf", std::move(cdf)}};
}

json to_json(const StageLatency& s) {
  return json{{"stage", s.stage}, {"description", s.description}, {"latency", to_json(s.latency)}};
}

json to_json(const Utilisation& u) {
  return json{{"resource", u.resource}, {"mean", u.mean}, {"peak", u.peak}};
}

json to_json(const CostLine& c) {
  return json{{"component", c.component},
              {"category", c.category},
              {"usd_month", c.usd_month},
              {"basis", c.basis},
              {"price_source", c.price_source}};
}

json to_json(const Verdict& v) {
  return json{{"requirement", v.requirement}, {"target", v.target}, {"value", v.value},
              {"unit", v.unit},               {"pass", v.pass},     {"headroom", v.headroom},
              {"text", v.text}};
}

json pairs_to_json(const std::vector<std::pair<double, double>>& points) {
  json out = json::array();
  for (const auto& [a, b] : points) out.push_back(json::array({a, b}));
  return out;
}

json to_json(const FailureEpisodeSummary& e) {
  return json{{"failure", e.failure},       {"per_month", e.per_month}, {"share", e.share},
              {"mean_repair_s", e.mean_repair_s}, {"down_s", e.down_s}, {"late_s", e.late_s},
              {"lost_events", e.lost_events}, {"duplicated_events", e.duplicated_events}, {"description", e.description},
              {"trace", pairs_to_json(e.trace)}, {"trace_down_s", e.trace_down_s}, {"trace_late_s", e.trace_late_s},
              {"timeline_at_s", e.timeline_at_s}};
}

json to_json(const TimelinePoint& p) {
  return json{{"t_s", p.t_s},     {"count", p.count}, {"p50_s", p.p50_s},
              {"p99_s", p.p99_s}, {"max_s", p.max_s}, {"delivered_eps", p.delivered_eps}};
}

json to_json(const FaultEvent& f) {
  return json{{"fault", f.fault}, {"target", f.target}, {"start_s", f.start_s},
              {"end_s", f.end_s}, {"lifted", f.lifted}, {"detail", f.detail}};
}

json to_json(const MeasuredDelivery& d) {
  return json{{"sent", d.sent},           {"acked", d.acked},       {"failed", d.failed},
              {"unknown", d.unknown},     {"received", d.received}, {"lost", d.lost},
              {"duplicated", d.duplicated}, {"redelivered", d.redelivered}, {"appended_twice", d.appended_twice},
              {"explanation", d.explanation}};
}

template <typename T>
json array_of(const std::vector<T>& items) {
  json out = json::array();
  for (const T& item : items) out.push_back(to_json(item));
  return out;
}

json to_json(const LatencyTimeline& t) {
  return json{{"source", t.source}, {"basis", t.basis}, {"window_s", t.window_s}, {"points", array_of(t.points)}};
}

// ---------------------------------------------------------------- reading

/// Describes a JSON value briefly for an error message.
std::string describe(const json& j) {
  std::string text = j.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return std::string(j.type_name()) + " " + text;
}

[[noreturn]] void fail(const std::string& path, const std::string& expected, const json& found) {
  throw std::runtime_error("result JSON " + (path.empty() ? std::string("/") : path) + ": expected " +
                           expected + ", found " + describe(found));
}

[[noreturn]] void fail_missing(const std::string& path) {
  throw std::runtime_error("result JSON " + path + ": expected a value, found nothing (missing key)");
}

/// A JSON object being read, with its pointer path for error messages.
class ObjectReader {
 public:
  ObjectReader(const json& j, std::string path) : j_(j), path_(std::move(path)) {
    if (!j_.is_object()) fail(path_, "an object", j_);
  }

  const json& at(const char* key) const {
    auto it = j_.find(key);
    if (it == j_.end()) fail_missing(child(key));
    return *it;
  }
  std::string child(const char* key) const { return path_ + "/" + key; }
  bool has(const char* key) const { return j_.contains(key); }

  std::string string(const char* key) const {
    const json& v = at(key);
    if (!v.is_string()) fail(child(key), "a string", v);
    return v.get<std::string>();
  }
  double number(const char* key) const { return number_at(at(key), child(key)); }
  bool boolean(const char* key) const {
    const json& v = at(key);
    if (!v.is_boolean()) fail(child(key), "true or false", v);
    return v.get<bool>();
  }
  uint64_t unsigned_integer(const char* key) const {
    const json& v = at(key);
    if (!v.is_number_unsigned()) fail(child(key), "a non-negative integer", v);
    return v.get<uint64_t>();
  }
  int integer(const char* key) const {
    const json& v = at(key);
    if (!v.is_number_integer() || v.get<int64_t>() < std::numeric_limits<int>::min() ||
        v.get<int64_t>() > std::numeric_limits<int>::max())
      fail(child(key), "an integer", v);
    return v.get<int>();
  }
  /// Reads an array, calling read(element, element_path) for each element.
  template <typename T, typename F>
  std::vector<T> array(const char* key, F read) const {
    const json& v = at(key);
    if (!v.is_array()) fail(child(key), "an array", v);
    std::vector<T> out;
    out.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) out.push_back(read(v[i], child(key) + "/" + std::to_string(i)));
    return out;
  }

  static double number_at(const json& v, const std::string& path) {
    if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();  // non-finite on write
    if (!v.is_number()) fail(path, "a number", v);
    return v.get<double>();
  }

 private:
  const json& j_;
  std::string path_;
};

std::vector<std::pair<double, double>> pairs_from_json(const ObjectReader& r, const char* key, const char* what) {
  return r.array<std::pair<double, double>>(key, [what](const json& point, const std::string& p) {
    if (!point.is_array() || point.size() != 2) fail(p, what, point);
    return std::pair{ObjectReader::number_at(point[0], p + "/0"), ObjectReader::number_at(point[1], p + "/1")};
  });
}

Estimate estimate_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  return Estimate{r.number("value"), r.number("lo"), r.number("hi")};
}

LatencySummary latency_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  LatencySummary l;
  l.count = r.unsigned_integer("count");
  l.mean_s = r.number("mean_s");
  l.p50_s = estimate_from_json(r.at("p50_s"), r.child("p50_s"));
  l.p95_s = estimate_from_json(r.at("p95_s"), r.child("p95_s"));
  l.p99_s = estimate_from_json(r.at("p99_s"), r.child("p99_s"));
  l.p999_s = estimate_from_json(r.at("p999_s"), r.child("p999_s"));
  l.max_s = r.number("max_s");
  l.cdf = pairs_from_json(r, "cdf", "a [latency_s, fraction] pair");
  return l;
}

TimelinePoint timeline_point_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  TimelinePoint p;
  p.t_s = r.number("t_s");
  p.count = r.unsigned_integer("count");
  p.p50_s = r.number("p50_s");
  p.p99_s = r.number("p99_s");
  p.max_s = r.number("max_s");
  p.delivered_eps = r.number("delivered_eps");
  return p;
}

LatencyTimeline timeline_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  LatencyTimeline t;
  t.source = r.string("source");
  t.basis = r.string("basis");
  t.window_s = r.number("window_s");
  t.points = r.array<TimelinePoint>("points", timeline_point_from_json);
  return t;
}

StageLatency stage_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  return StageLatency{r.string("stage"), r.string("description"),
                      latency_from_json(r.at("latency"), r.child("latency"))};
}

Utilisation utilisation_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  return Utilisation{r.string("resource"), r.number("mean"), r.number("peak")};
}

CostLine cost_line_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  // price_source: written since archsim 0.x schema 3; older Results lack it
  return CostLine{r.string("component"), r.string("category"), r.number("usd_month"), r.string("basis"),
                  r.has("price_source") ? r.string("price_source") : std::string()};
}

Verdict verdict_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  return Verdict{r.string("requirement"), r.number("target"), r.number("value"), r.string("unit"),
                 r.boolean("pass"),       r.number("headroom"), r.string("text")};
}

BatchLayerSummary batch_layer_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  BatchLayerSummary b;
  b.runs = r.unsigned_integer("runs");
  b.interval_s = r.number("interval_s");
  b.mean_run_s = r.number("mean_run_s");
  b.max_run_s = r.number("max_run_s");
  b.max_start_delay_s = r.number("max_start_delay_s");
  b.keeps_up = r.boolean("keeps_up");
  return b;
}

EdgeSummary edge_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  EdgeSummary e;
  e.sites = r.integer("sites");
  e.wan_bytes_month = r.number("wan_bytes_month");
  e.raw_bytes_month = r.number("raw_bytes_month");
  e.wan_saving = r.number("wan_saving");
  e.buffer_bytes = r.number("buffer_bytes");
  e.peak_buffer_bytes = r.number("peak_buffer_bytes");
  e.outage_s = r.number("outage_s");
  e.drain_s = r.number("drain_s");
  e.outages_per_month = r.number("outages_per_month");
  e.lost_per_outage = r.number("lost_per_outage");
  e.lost_events_month = r.number("lost_events_month");
  return e;
}

/// `version`: the file's schema version; keys added after it are not required.
FailureEpisodeSummary episode_from_json(const json& j, const std::string& path, int version) {
  ObjectReader r(j, path);
  FailureEpisodeSummary e;
  e.failure = r.string("failure");
  e.per_month = r.number("per_month");
  e.share = r.number("share");
  e.mean_repair_s = r.number("mean_repair_s");
  e.down_s = r.number("down_s");
  e.late_s = r.number("late_s");
  e.lost_events = r.number("lost_events");
  e.duplicated_events = r.number("duplicated_events");
  e.description = r.string("description");
  if (version >= 3) {
    e.trace = pairs_from_json(r, "trace", "a [t_s, latency_s] pair");
    e.trace_down_s = r.number("trace_down_s");
    e.trace_late_s = r.number("trace_late_s");
    e.timeline_at_s = r.number("timeline_at_s");
  }
  return e;
}

AvailabilitySummary availability_from_json(const json& j, const std::string& path, int version) {
  ObjectReader r(j, path);
  AvailabilitySummary a;
  a.estimated = r.boolean("estimated");
  a.delivering = estimate_from_json(r.at("delivering"), r.child("delivering"));
  a.within_target = estimate_from_json(r.at("within_target"), r.child("within_target"));
  a.down_s_month = r.number("down_s_month");
  a.late_s_month = r.number("late_s_month");
  a.lost_events_month = r.number("lost_events_month");
  a.duplicated_events_month = r.number("duplicated_events_month");
  a.method = r.string("method");
  a.episodes = r.array<FailureEpisodeSummary>("episodes", [version](const json& e, const std::string& p) { return episode_from_json(e, p, version); });
  return a;
}

FaultEvent fault_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  FaultEvent f;
  f.fault = r.string("fault");
  f.target = r.string("target");
  f.start_s = r.number("start_s");
  f.end_s = r.number("end_s");
  f.lifted = r.boolean("lifted");
  f.detail = r.string("detail");
  return f;
}

/// One second of a schema 3 measured candidate's "latency_over_time", read
/// as a 1 s window of its timeline (events by intended send time).
TimelinePoint latency_second_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  TimelinePoint p;
  p.t_s = r.integer("second");
  p.count = r.unsigned_integer("events");
  p.p50_s = r.number("p50_s");
  p.p99_s = r.number("p99_s");
  p.max_s = r.number("max_s");
  p.delivered_eps = static_cast<double>(p.count);
  return p;
}

CandidateError error_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  return CandidateError{r.string("stage"), r.string("message")};
}

MeasuredDelivery measured_delivery_from_json(const json& j, const std::string& path) {
  ObjectReader r(j, path);
  MeasuredDelivery d;
  d.sent = r.unsigned_integer("sent");
  d.acked = r.unsigned_integer("acked");
  d.failed = r.unsigned_integer("failed");
  d.unknown = r.unsigned_integer("unknown");
  d.received = r.unsigned_integer("received");
  d.lost = r.unsigned_integer("lost");
  d.duplicated = r.unsigned_integer("duplicated");
  d.redelivered = r.unsigned_integer("redelivered");
  if (r.has("appended_twice")) d.appended_twice = r.unsigned_integer("appended_twice");  // absent before 0.2
  d.explanation = r.string("explanation");
  return d;
}

CandidateResult candidate_at(const json& j, const std::string& path, int version) {
  ObjectReader r(j, path);
  CandidateResult c;
  c.name = r.string("name");
  c.kind = r.string("kind");
  c.source = r.string("source");
  c.end_to_end = latency_from_json(r.at("end_to_end"), r.child("end_to_end"));
  if (version >= 3) c.timeline = timeline_from_json(r.at("timeline"), r.child("timeline"));
  c.stages = r.array<StageLatency>("stages", stage_from_json);
  c.produce_ack = latency_from_json(r.at("produce_ack"), r.child("produce_ack"));
  c.accuracy_latency = latency_from_json(r.at("accuracy_latency"), r.child("accuracy_latency"));
  c.batch_layer = batch_layer_from_json(r.at("batch_layer"), r.child("batch_layer"));
  c.local_decision = latency_from_json(r.at("local_decision"), r.child("local_decision"));
  c.edge = edge_from_json(r.at("edge"), r.child("edge"));
  c.delivery = r.string("delivery");
  c.availability = availability_from_json(r.at("availability"), r.child("availability"), version);
  c.offered_eps = r.number("offered_eps");
  c.achieved_eps = r.number("achieved_eps");
  c.max_consumer_lag_events = r.number("max_consumer_lag_events");
  c.utilisation = r.array<Utilisation>("utilisation", utilisation_from_json);
  if (r.has("profile")) {  // optional: only candidates with a Kinesis broker, serverless engine or checkpoint alignment
    ObjectReader p(r.at("profile"), r.child("profile"));
    ProfileSummary& s = c.profile;
    s.present = true;
    s.throttled_fraction = p.number("throttled_fraction");
    s.invocations_per_s = p.number("invocations_per_s");
    s.billed_gb_s_per_s = p.number("billed_gb_s_per_s");
    s.cold_start_fraction = p.number("cold_start_fraction");
    s.events_per_invocation = p.number("events_per_invocation");
    s.mean_concurrency = p.number("mean_concurrency");
    s.checkpoints = p.unsigned_integer("checkpoints");
    s.alignment_stall_mean_s = p.number("alignment_stall_mean_s");
    s.alignment_stall_max_s = p.number("alignment_stall_max_s");
  }
  c.cost = r.array<CostLine>("cost", cost_line_from_json);
  c.cost_usd_month = r.number("cost_usd_month");
  c.overloaded = r.boolean("overloaded");
  c.overload_reason = r.string("overload_reason");
  c.verdicts = r.array<Verdict>("verdicts", verdict_from_json);
  c.meets_all = r.boolean("meets_all");
  c.simulated_s = r.number("simulated_s");
  c.warmup_s = r.number("warmup_s");
  c.stopped_early = r.boolean("stopped_early");
  c.notes = r.array<std::string>("notes", [](const json& note, const std::string& p) {
    if (!note.is_string()) fail(p, "a string", note);
    return note.get<std::string>();
  });
  if (r.has("faults")) c.faults = r.array<FaultEvent>("faults", fault_from_json);
  if (version <= 3 && r.has("latency_over_time") && c.timeline.points.empty()) {
    c.timeline.source = "measured";
    c.timeline.basis = "measured run, by intended send time, from the first intended send";
    c.timeline.window_s = 1;
    c.timeline.points = r.array<TimelinePoint>("latency_over_time", latency_second_from_json);
  }
  if (r.has("error")) c.error = error_from_json(r.at("error"), r.child("error"));
  if (r.has("delivery_counts"))
    c.measured_delivery = measured_delivery_from_json(r.at("delivery_counts"), r.child("delivery_counts"));
  return c;
}

}  // namespace

nlohmann::json to_json(const CandidateResult& c) {
  json j = json{{"name", c.name},
              {"kind", c.kind},
              {"source", c.source},
              {"end_to_end", to_json(c.end_to_end)},
              {"timeline", to_json(c.timeline)},
              {"stages", array_of(c.stages)},
              {"produce_ack", to_json(c.produce_ack)},
              {"accuracy_latency", to_json(c.accuracy_latency)},
              {"batch_layer", json{{"runs", c.batch_layer.runs},
                                   {"interval_s", c.batch_layer.interval_s},
                                   {"mean_run_s", c.batch_layer.mean_run_s},
                                   {"max_run_s", c.batch_layer.max_run_s},
                                   {"max_start_delay_s", c.batch_layer.max_start_delay_s},
                                   {"keeps_up", c.batch_layer.keeps_up}}},
              {"local_decision", to_json(c.local_decision)},
              {"edge", json{{"sites", c.edge.sites},
                            {"wan_bytes_month", c.edge.wan_bytes_month},
                            {"raw_bytes_month", c.edge.raw_bytes_month},
                            {"wan_saving", c.edge.wan_saving},
                            {"buffer_bytes", c.edge.buffer_bytes},
                            {"peak_buffer_bytes", c.edge.peak_buffer_bytes},
                            {"outage_s", c.edge.outage_s},
                            {"drain_s", c.edge.drain_s},
                            {"outages_per_month", c.edge.outages_per_month},
                            {"lost_per_outage", c.edge.lost_per_outage},
                            {"lost_events_month", c.edge.lost_events_month}}},
              {"delivery", c.delivery},
              {"availability", json{{"estimated", c.availability.estimated},
                                    {"delivering", to_json(c.availability.delivering)},
                                    {"within_target", to_json(c.availability.within_target)},
                                    {"down_s_month", c.availability.down_s_month},
                                    {"late_s_month", c.availability.late_s_month},
                                    {"lost_events_month", c.availability.lost_events_month},
                                    {"duplicated_events_month", c.availability.duplicated_events_month},
                                    {"method", c.availability.method},
                                    {"episodes", array_of(c.availability.episodes)}}},
              {"offered_eps", c.offered_eps},
              {"achieved_eps", c.achieved_eps},
              {"max_consumer_lag_events", c.max_consumer_lag_events},
              {"utilisation", array_of(c.utilisation)},
              {"cost", array_of(c.cost)},
              {"cost_usd_month", c.cost_usd_month},
              {"overloaded", c.overloaded},
              {"overload_reason", c.overload_reason},
              {"verdicts", array_of(c.verdicts)},
              {"meets_all", c.meets_all},
              {"simulated_s", c.simulated_s},
              {"warmup_s", c.warmup_s},
              {"stopped_early", c.stopped_early},
              {"notes", c.notes}};
  if (c.profile.present) {
    const ProfileSummary& p = c.profile;
    j["profile"] = json{{"throttled_fraction", p.throttled_fraction},
                        {"invocations_per_s", p.invocations_per_s},
                        {"billed_gb_s_per_s", p.billed_gb_s_per_s},
                        {"cold_start_fraction", p.cold_start_fraction},
                        {"events_per_invocation", p.events_per_invocation},
                        {"mean_concurrency", p.mean_concurrency},
                        {"checkpoints", p.checkpoints},
                        {"alignment_stall_mean_s", p.alignment_stall_mean_s},
                        {"alignment_stall_max_s", p.alignment_stall_max_s}};
  }
  if (c.source == "measured") {
    j["faults"] = array_of(c.faults);
    j["delivery_counts"] = to_json(c.measured_delivery);
  }
  if (c.error) j["error"] = json{{"stage", c.error->stage}, {"message", c.error->message}};
  return j;
}

nlohmann::json to_json(const Result& r) {
  json candidates = json::array();
  for (const CandidateResult& c : r.candidates) candidates.push_back(to_json(c));
  return json{{"schema_version", r.schema_version},
              {"archsim_version", r.archsim_version},
              {"scenario_name", r.scenario_name},
              {"scenario_file", r.scenario_file},
              {"seed", r.seed},
              {"mode", r.mode},
              {"candidates", std::move(candidates)},
              {"recommended", r.recommended},
              {"recommendation_reason", r.recommendation_reason}};
}

CandidateResult candidate_from_json(const nlohmann::json& j) { return candidate_at(j, "", kSchemaVersion); }

Result result_from_json(const nlohmann::json& j) {
  ObjectReader r(j, "");
  Result result;
  result.schema_version = r.integer("schema_version");
  if (result.schema_version < kOldestReadable || result.schema_version > kSchemaVersion)
    fail(r.child("schema_version"), "schema version " + std::to_string(kOldestReadable) + " to " + std::to_string(kSchemaVersion),
         r.at("schema_version"));
  const int version = result.schema_version;
  result.archsim_version = r.string("archsim_version");
  result.scenario_name = r.string("scenario_name");
  result.scenario_file = r.string("scenario_file");
  result.seed = r.unsigned_integer("seed");
  result.mode = r.string("mode");
  result.candidates = r.array<CandidateResult>("candidates", [version](const json& c, const std::string& p) { return candidate_at(c, p, version); });
  result.schema_version = kSchemaVersion;  // read into the current shape (older files: empty timelines)
  result.recommended = r.string("recommended");
  result.recommendation_reason = r.string("recommendation_reason");
  return result;
}

}  // namespace archsim
