// SweepReporter: CSV, JSON and console summary of a sweep.
#include "archsim/sweep_reporter.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/csv_reporter.hpp"
#include "archsim/svg_plot.hpp"
#include "html_extra_charts.hpp"
#include "html_parts.hpp"
#include "number_format.hpp"

namespace archsim {

namespace {

constexpr size_t kMarkersWithTooltips = 1000;  ///< above this many points, only the front gets tooltips (page size)

std::string number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); }

std::string value_text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void write_row(const std::vector<std::string>& fields, std::ostream& out) {
  for (size_t i = 0; i < fields.size(); ++i) out << (i == 0 ? "" : ",") << csv_field(fields[i]);
  out << "\r\n";
}

std::string failed_requirements(const nlohmann::json& c) {
  std::string text;
  if (c["overloaded"].get<bool>()) text = "overloaded";
  for (const auto& v : c["verdicts"])
    if (!v["pass"].get<bool>()) text += (text.empty() ? "" : "; ") + v["requirement"].get<std::string>();
  return text;
}

const nlohmann::json* find_record(const SweepOutcome& sweep, size_t id) {
  const auto it = std::lower_bound(sweep.records.begin(), sweep.records.end(), id,
                                   [](const nlohmann::json& r, size_t x) { return r["point"].get<size_t>() < x; });
  return it != sweep.records.end() && (*it)["point"].get<size_t>() == id ? &*it : nullptr;
}

/// "#12 (/a=4 /b=1000): $1,234/month, p99 120 ms"
std::string describe_point(const SweepOutcome& sweep, size_t id, const std::string& candidate) {
  const nlohmann::json* record = find_record(sweep, id);
  if (!record) return fmt::format("#{}", id);
  const nlohmann::json* c = record_candidate(*record, candidate);
  std::string text = fmt::format("#{} ({})", id, (*record)["key"].get<std::string>());
  if (c)
    text += fmt::format(": {}/month, p99 {}", format_usd((*c)["cost_usd_month"].get<double>()),
                        format_latency((*c)["p99_s"].get<double>()));
  return text;
}

}  // namespace

bool is_sweep_json(const nlohmann::json& j) {
  return j.is_object() && j.contains("format") && j["format"] == "archsim-sweep";
}

namespace {

[[noreturn]] void bad_sweep(const std::string& path, const std::string& expected) {
  throw std::invalid_argument(fmt::format("{}: expected {}", path.empty() ? "/" : path, expected));
}

const nlohmann::json& member(const nlohmann::json& object, const std::string& path, const char* key,
                             nlohmann::json::value_t type) {
  const std::string where = path + "/" + key;
  if (!object.contains(key)) bad_sweep(where, "a value (missing)");
  const nlohmann::json& v = object[key];
  const bool number = type == nlohmann::json::value_t::number_float;
  const bool unsigned_int = type == nlohmann::json::value_t::number_unsigned;
  const bool ok = number         ? v.is_number()
                  : unsigned_int ? v.is_number_integer() && (v.is_number_unsigned() || v.get<int64_t>() >= 0)
                                 : v.type() == type;
  if (!ok)
    bad_sweep(where, number         ? "a number"
                     : unsigned_int ? "a whole number >= 0"
                     : type == nlohmann::json::value_t::string  ? "a string"
                     : type == nlohmann::json::value_t::boolean ? "true or false"
                     : type == nlohmann::json::value_t::array   ? "an array"
                                                                : "an object");
  return v;
}

}  // namespace

SweepOutcome sweep_from_json(const nlohmann::json& j) {
  using T = nlohmann::json::value_t;
  if (!is_sweep_json(j)) bad_sweep("/format", "\"archsim-sweep\"");
  if (member(j, "", "version", T::number_unsigned).get<int>() != 1) bad_sweep("/version", "1");
  SweepOutcome sweep;
  sweep.scenario_name = member(j, "", "scenario_name", T::string).get<std::string>();
  sweep.candidate = member(j, "", "candidate", T::string).get<std::string>();
  const nlohmann::json& dims = member(j, "", "dims", T::array);
  for (size_t i = 0; i < dims.size(); ++i) {
    const std::string at = fmt::format("/dims/{}", i);
    if (!dims[i].is_object()) bad_sweep(at, "an object");
    SweepDim d;
    d.path = member(dims[i], at, "path", T::string).get<std::string>();
    d.spec = member(dims[i], at, "spec", T::string).get<std::string>();
    for (const auto& v : member(dims[i], at, "values", T::array)) d.values.push_back(v);
    if (d.values.empty()) bad_sweep(at + "/values", "at least one value");
    sweep.dims.push_back(std::move(d));
  }
  const nlohmann::json& points = member(j, "", "points", T::array);
  size_t previous = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    const std::string at = fmt::format("/points/{}", i);
    const nlohmann::json& r = points[i];
    if (!r.is_object()) bad_sweep(at, "an object");
    const size_t id = member(r, at, "point", T::number_unsigned).get<size_t>();
    if (i > 0 && id <= previous) bad_sweep(at + "/point", fmt::format("a point id above {} (ordered by id)", previous));
    previous = id;
    member(r, at, "key", T::string);
    const nlohmann::json& overrides = member(r, at, "overrides", T::object);
    for (const SweepDim& d : sweep.dims)
      if (!overrides.contains(d.path)) bad_sweep(at + "/overrides", "a value for " + d.path);
    if (member(r, at, "status", T::string).get<std::string>() != "ok") continue;
    const nlohmann::json& candidates = member(r, at, "candidates", T::array);
    for (size_t k = 0; k < candidates.size(); ++k) {
      const std::string cat = fmt::format("{}/candidates/{}", at, k);
      const nlohmann::json& c = candidates[k];
      if (!c.is_object()) bad_sweep(cat, "an object");
      for (const char* key : {"name", "kind"}) member(c, cat, key, T::string);
      for (const char* key : {"cost_usd_month", "p50_s", "p95_s", "p99_s", "p99_lo_s", "p99_hi_s", "achieved_eps",
                              "offered_eps"})
        member(c, cat, key, T::number_float);
      member(c, cat, "latency_count", T::number_unsigned);
      for (const char* key : {"overloaded", "meets_all"}) member(c, cat, key, T::boolean);
      const nlohmann::json& verdicts = member(c, cat, "verdicts", T::array);
      for (size_t v = 0; v < verdicts.size(); ++v) {
        const std::string vat = fmt::format("{}/verdicts/{}", cat, v);
        if (!verdicts[v].is_object()) bad_sweep(vat, "an object");
        member(verdicts[v], vat, "requirement", T::string);
        member(verdicts[v], vat, "pass", T::boolean);
      }
    }
  }
  sweep.records.assign(points.begin(), points.end());
  sweep.summaries = summarise_sweep(sweep.records);
  return sweep;
}

void SweepReporter::write_csv(const SweepOutcome& sweep, std::ostream& out) const {
  std::vector<std::string> head = {"point", "key"};
  for (const SweepDim& d : sweep.dims) head.push_back(d.path);
  for (const char* c : {"status", "error", "candidate", "kind", "cost_usd_month", "p50_s", "p95_s", "p99_s", "p99_lo_s",
                        "p99_hi_s", "achieved_eps", "offered_eps", "overloaded", "meets_all", "pareto",
                        "failed_requirements"})
    head.push_back(c);
  write_row(head, out);
  std::map<std::string, std::vector<size_t>> fronts;
  for (const CandidateSweepSummary& s : sweep.summaries) fronts[s.name] = s.pareto;
  for (const nlohmann::json& record : sweep.records) {
    std::vector<std::string> lead = {std::to_string(record["point"].get<size_t>()), record["key"].get<std::string>()};
    for (const SweepDim& d : sweep.dims) lead.push_back(value_text(record["overrides"][d.path]));
    const std::string status = record["status"].get<std::string>();
    if (status != "ok") {
      std::vector<std::string> row = lead;
      row.push_back(status);
      row.push_back(record.value("error", ""));
      row.resize(head.size());
      write_row(row, out);
      continue;
    }
    for (const nlohmann::json& c : record["candidates"]) {
      const std::string name = c["name"].get<std::string>();
      const auto& front = fronts[name];
      const bool on_front = std::find(front.begin(), front.end(), record["point"].get<size_t>()) != front.end();
      const bool measured = c["latency_count"].get<uint64_t>() > 0;
      auto latency = [&](const char* key) { return measured ? number(c[key].get<double>()) : std::string(); };
      std::vector<std::string> row = lead;
      for (const std::string& f :
           {status, std::string(), name, c["kind"].get<std::string>(), number(c["cost_usd_month"].get<double>()),
            latency("p50_s"), latency("p95_s"), latency("p99_s"), latency("p99_lo_s"), latency("p99_hi_s"),
            number(c["achieved_eps"].get<double>()), number(c["offered_eps"].get<double>()),
            std::string(c["overloaded"].get<bool>() ? "true" : "false"), std::string(c["meets_all"].get<bool>() ? "true" : "false"),
            std::string(on_front ? "true" : "false"), failed_requirements(c)})
        row.push_back(f);
      write_row(row, out);
    }
  }
}

nlohmann::json SweepReporter::to_json(const SweepOutcome& sweep) const {
  nlohmann::json dims = nlohmann::json::array();
  for (const SweepDim& d : sweep.dims) dims.push_back({{"path", d.path}, {"spec", d.spec}, {"values", d.values}});
  nlohmann::json summary = nlohmann::json::array();
  for (const CandidateSweepSummary& s : sweep.summaries)
    summary.push_back({{"name", s.name},
                       {"simulated", s.simulated},
                       {"pareto", s.pareto},
                       {"feasible", s.feasible},
                       {"cheapest_feasible", s.cheapest_feasible ? nlohmann::json(*s.cheapest_feasible) : nlohmann::json()}});
  return {{"format", "archsim-sweep"},  {"version", 1},           {"scenario_name", sweep.scenario_name},
          {"dims", dims},               {"candidate", sweep.candidate}, {"points", sweep.records},
          {"summary", summary}};
}

void SweepReporter::write_html(const SweepOutcome& sweep, std::ostream& out) const {
  using html::h;
  struct Dot {
    size_t id;
    double cost;
    double p99;
    bool feasible;
    std::string key;
  };
  std::vector<std::vector<Dot>> dots(sweep.summaries.size());
  double cost_lo = 1e300, cost_hi = 0, p99_lo = 1e300, p99_hi = 0;
  for (size_t k = 0; k < sweep.summaries.size(); ++k) {
    for (const nlohmann::json& r : sweep.records) {
      if (r["status"].get<std::string>() != "ok") continue;
      const nlohmann::json* c = record_candidate(r, sweep.summaries[k].name);
      if (!c || (*c)["overloaded"].get<bool>() || (*c)["latency_count"].get<uint64_t>() == 0) continue;
      const Dot d{r["point"].get<size_t>(), (*c)["cost_usd_month"].get<double>(), (*c)["p99_s"].get<double>(),
                  (*c)["meets_all"].get<bool>(), r["key"].get<std::string>()};
      if (!(d.p99 > 0)) continue;
      cost_lo = std::min(cost_lo, d.cost);
      cost_hi = std::max(cost_hi, d.cost);
      p99_lo = std::min(p99_lo, d.p99);
      p99_hi = std::max(p99_hi, d.p99);
      dots[k].push_back(d);
    }
  }
  out << "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
      << "<title>Sweep of " << h(sweep.scenario_name) << "</title>"
      << "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}"
         "svg{max-width:100%;height:auto}table{border-collapse:collapse}td,th{padding:.2rem .6rem;"
         "border-bottom:1px solid #ddd;text-align:left}"
         ".block{margin:1.5rem 0}.scroll{overflow-x:auto}.note,figcaption{color:#5f6368;font-size:.9rem}"
         "svg.chart{width:100%;height:auto;display:block;font:12px system-ui,sans-serif}svg.chart text{fill:#333}"
         "svg.chart text.on-dark{fill:#fff}svg.chart .grid{stroke:#e5e7eb}svg.chart .axis-title{font-weight:600}"
         "svg.chart .rule{font-weight:600}table.grid td,table.grid th{padding:.1rem .3rem;font-size:.8rem;white-space:nowrap}"
         "summary{cursor:pointer;color:#0b57d0}"
         "@media print{body{max-width:none}.scroll{overflow:visible}figure{break-inside:avoid}h2{break-after:avoid}"
         "details::details-content{content-visibility:visible;display:contents}summary{color:#000}"
         "tr{break-inside:avoid}thead{display:table-header-group}}"
         "</style></head><body>\n";
  out << "<h1>Sweep of " << h(sweep.scenario_name) << "</h1>\n<p>" << sweep.records.size() << " points over ";
  for (size_t i = 0; i < sweep.dims.size(); ++i) out << (i ? ", " : "") << "<code>" << h(sweep.dims[i].path) << "</code>";
  out << ". Overloaded, invalid and failed points are not plotted; filled markers meet every requirement; "
         "the line joins each candidate's Pareto front (no other point is both cheaper and faster).";
  if (sweep.records.size() > kMarkersWithTooltips)
    out << " With this many points, points off the front are drawn without tooltips (squares meet every "
           "requirement, grey dots do not); sweep.csv has every point.";
  out << "</p>\n";
  if (cost_hi > 0) {
    const double pad = cost_hi > cost_lo ? (cost_hi - cost_lo) * 0.05 : std::max(1.0, cost_hi * 0.05);
    PlotAxis x{"monthly cost (USD)", std::max(0.0, cost_lo - pad), cost_hi + pad, false, {}, {}};
    const bool log_y = p99_hi > 3 * p99_lo;
    PlotAxis y{"p99 latency (ms)", log_y ? p99_lo * 1e3 / 1.3 : 0, p99_hi * 1e3 * 1.1, log_y, {}, {}};
    SvgPlot plot("p99 latency against monthly cost", "Each simulated point of the sweep, per candidate", x, y);
    for (size_t k = 0; k < dots.size(); ++k) {
      const std::string colour = html::series_colour(k);
      std::vector<std::pair<double, double>> front;
      for (size_t id : sweep.summaries[k].pareto)
        for (const Dot& d : dots[k])
          if (d.id == id) front.emplace_back(d.cost, d.p99 * 1e3);
      if (front.size() > 1) plot.polyline(front, Stroke{colour, 1.5, html::series_dash(k)}, sweep.summaries[k].name + " Pareto front");
      std::stable_partition(dots[k].begin(), dots[k].end(), [](const Dot& d) { return !d.feasible; });  // feasible on top
      const auto& pareto = sweep.summaries[k].pareto;
      std::string bulk_plain, bulk_feasible;  // large sweeps: points off the front as dots without tooltips
      for (const Dot& d : dots[k]) {
        const bool on_front = std::find(pareto.begin(), pareto.end(), d.id) != pareto.end();
        if (dots[k].size() > kMarkersWithTooltips && !on_front) {
          (d.feasible ? bulk_feasible : bulk_plain) +=
              fmt::format("M{:.1f} {:.1f}h0", plot.x_px(d.cost), plot.y_px(d.p99 * 1e3));
          continue;
        }
        plot.marker(d.cost, d.p99 * 1e3, d.feasible ? html::series_marker(k) : MarkerShape::circle,
                    d.feasible ? colour : "#bbb",
                    fmt::format("{} #{} ({}): {}/month, p99 {}{}", sweep.summaries[k].name, d.id, d.key, format_usd(d.cost),
                                format_latency(d.p99), d.feasible ? ", meets every requirement" : ""));
      }
      if (!bulk_plain.empty())
        plot.raw_svg(fmt::format("<path stroke=\"#bbb\" stroke-width=\"4\" stroke-linecap=\"round\" d=\"{}\"/>\n", bulk_plain));
      if (!bulk_feasible.empty())
        plot.raw_svg(fmt::format("<path stroke=\"{}\" stroke-width=\"5\" stroke-linecap=\"square\" d=\"{}\"/>\n", colour,
                                 bulk_feasible));
      plot.add_legend(sweep.summaries[k].name, Stroke{colour, 2, html::series_dash(k)});
    }
    out << "<section class=\"block\" id=\"tradeoff\">\n<h2>p99 against monthly cost</h2>\n<div class=\"scroll\">"
        << plot.render() << "</div>\n</section>\n";
  }
  out << html::sweep_heatmaps(sweep);
  for (const CandidateSweepSummary& s : sweep.summaries) {
    out << "<h2>" << h(s.name) << "</h2>\n<p>Simulated at " << s.simulated << " points; meets every requirement at "
        << s.feasible.size() << ". Cheapest feasible: "
        << h(s.cheapest_feasible ? describe_point(sweep, *s.cheapest_feasible, s.name) : "none") << ".</p>\n";
    std::vector<std::vector<std::string>> rows;
    for (size_t id : s.pareto) rows.push_back({h(describe_point(sweep, id, s.name))});
    out << html::table({"Pareto front, by cost"}, rows) << "\n";
  }
  out << "</body></html>\n";
}

void SweepReporter::write_summary(const SweepOutcome& sweep, std::ostream& out) const {
  size_t ok = 0, invalid = 0, failed = 0;
  for (const nlohmann::json& r : sweep.records) {
    const std::string status = r["status"].get<std::string>();
    (status == "ok" ? ok : status == "invalid" ? invalid : failed)++;
  }
  out << fmt::format("Sweep of {}: {} points ({} simulated, {} invalid, {} failed)\n", sweep.scenario_name,
                     sweep.records.size(), ok, invalid, failed);
  size_t shown = 0;
  for (const nlohmann::json& r : sweep.records) {
    if (r["status"].get<std::string>() == "ok") continue;
    if (++shown > 5) {
      out << fmt::format("  ... and {} more (see sweep.csv)\n", invalid + failed - 5);
      break;
    }
    out << fmt::format("  {} point #{} ({}): {}\n", r["status"].get<std::string>(), r["point"].get<size_t>(),
                       r["key"].get<std::string>(), r.value("error", ""));
  }
  for (const CandidateSweepSummary& s : sweep.summaries) {
    out << fmt::format("\n{}: simulated at {} points, meets every requirement at {}\n", s.name, s.simulated,
                       s.feasible.size());
    out << fmt::format("  cheapest feasible: {}\n",
                       s.cheapest_feasible ? describe_point(sweep, *s.cheapest_feasible, s.name) : "none");
    if (!s.feasible.empty() && !sweep.dims.empty()) {
      // the feasible region, dimension by dimension: the values where some point meets every requirement
      out << "  feasible region (values of each --vary at the points meeting every requirement):\n";
      for (const SweepDim& d : sweep.dims) {
        std::vector<std::string> seen;
        for (const nlohmann::json& v : d.values)
          for (size_t id : s.feasible)
            if (const nlohmann::json* r = find_record(sweep, id); r && (*r)["overrides"][d.path] == v) {
              seen.push_back(value_text(v));
              break;
            }
        out << fmt::format("    {}: {} of {} values: {}\n", d.path, seen.size(), d.values.size(), fmt::join(seen, ", "));
      }
    }
    if (s.feasible.size() < s.simulated) {
      // where it fails, and on what (the first few points)
      out << fmt::format("  fails at {} point{}:\n", s.simulated - s.feasible.size(), s.simulated - s.feasible.size() == 1 ? "" : "s");
      size_t listed = 0;
      for (const nlohmann::json& r : sweep.records) {
        const nlohmann::json* c = r["status"].get<std::string>() == "ok" ? record_candidate(r, s.name) : nullptr;
        if (!c || (*c)["meets_all"].get<bool>()) continue;
        if (++listed > 5) {
          out << "    ... (see the failed_requirements column of sweep.csv)\n";
          break;
        }
        out << fmt::format("    #{} ({}): {}\n", r["point"].get<size_t>(), r["key"].get<std::string>(), failed_requirements(*c));
      }
    }
    out << "  Pareto front (monthly cost vs p99, overloaded points excluded), by cost:\n";
    if (s.pareto.empty()) out << "    none\n";
    for (size_t id : s.pareto) {
      const bool feasible = std::find(s.feasible.begin(), s.feasible.end(), id) != s.feasible.end();
      out << fmt::format("    {}{}\n", describe_point(sweep, id, s.name), feasible ? "  [meets all]" : "");
    }
  }
}

}  // namespace archsim
