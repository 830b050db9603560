// CsvReporter: one RFC 4180 row per candidate (see csv_reporter.hpp).
#include "archsim/csv_reporter.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "decision_summary.hpp"

namespace archsim {

namespace {

/// Shortest round-trip text of a number; "" when not finite.
std::string number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); }

std::string boolean(bool b) { return b ? "true" : "false"; }

/// The stable column names, in order (documented in csv_reporter.hpp and the README).
constexpr std::array<std::string_view, 27> kHeader = {
    "scenario", "candidate", "kind", "source", "p50_s", "p95_s", "p99_s", "p99_lo_s", "p99_hi_s", "p999_s",
    "max_s", "achieved_eps", "offered_eps", "max_consumer_lag_events", "cost_usd_month", "overloaded",
    "meets_all", "compute_usd_month", "storage_usd_month", "transfer_usd_month", "delivery",
    "availability_delivering", "availability_within_target", "lost_events_month", "duplicated_events_month",
    "status", "error"};

void write_row(const std::vector<std::string>& fields, std::ostream& out) {
  for (size_t i = 0; i < fields.size(); ++i) out << (i == 0 ? "" : ",") << csv_field(fields[i]);
  out << "\r\n";
}

}  // namespace

std::string csv_field(std::string_view field) {
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

void CsvReporter::report(const Result& result, std::ostream& out) { report(make_comparison({result}), out); }

void CsvReporter::report(const Comparison& comparison, std::ostream& out) {
  write_row(std::vector<std::string>(kHeader.begin(), kHeader.end()), out);
  for (const ComparedCandidate& cc : comparison.candidates) {
    const CandidateResult& c = cc.result;
    if (c.failed()) {  // no figures: empty fields, never zeros
      std::vector<std::string> row(kHeader.size());
      auto set = [&](std::string_view column, std::string value) {
        row[static_cast<size_t>(std::find(kHeader.begin(), kHeader.end(), column) - kHeader.begin())] = std::move(value);
      };
      set("scenario", cc.scenario), set("candidate", c.name), set("kind", c.kind), set("source", c.source);
      set("meets_all", boolean(false)), set("status", "not simulated"), set("error", failure_reason(c));
      write_row(row, out);
      continue;
    }
    const LatencySummary& l = c.end_to_end;
    const bool measured = l.count > 0;
    auto latency = [&](double v) { return measured ? number(v) : std::string(); };
    const AvailabilitySummary& a = c.availability;
    auto estimated = [&](double v) { return a.estimated ? number(v) : std::string(); };
    write_row({cc.scenario, c.name, c.kind, c.source, latency(l.p50_s.value), latency(l.p95_s.value),
               latency(l.p99_s.value), latency(l.p99_s.lo), latency(l.p99_s.hi), latency(l.p999_s.value),
               latency(l.max_s), number(c.achieved_eps), number(c.offered_eps), number(c.max_consumer_lag_events),
               number(c.cost_usd_month), boolean(c.overloaded), boolean(c.meets_all),
               number(category_usd_month(c, "compute")), number(category_usd_month(c, "storage")),
               number(category_usd_month(c, "transfer")), c.delivery, estimated(a.delivering.value),
               estimated(a.within_target.value), estimated(a.lost_events_month), estimated(a.duplicated_events_month),
               "ok", ""},
              out);
  }
}

}  // namespace archsim
