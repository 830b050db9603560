// CsvReporter: one row per candidate, for notebooks and spreadsheets
// (RFC 4180: comma separated, CRLF line ends, fields with a comma, quote or
// line break quoted, quotes doubled). Stable column names, in this order:
//   scenario, candidate, kind, source, p50_s, p95_s, p99_s, p99_lo_s,
//   p99_hi_s, p999_s, max_s, achieved_eps, offered_eps,
//   max_consumer_lag_events, cost_usd_month, overloaded, meets_all,
//   compute_usd_month, storage_usd_month, transfer_usd_month, delivery,
//   availability_delivering, availability_within_target, lost_events_month,
//   duplicated_events_month (those four empty without a failure model),
//   status ("ok" | "not simulated"), error ("STAGE failed: REASON" for a
//   candidate that failed to simulate; then every number field is empty and
//   meets_all is false)
// Numbers are written in their shortest round-trip form, booleans as
// true/false, a missing (non-finite) number as an empty field.
#pragma once

#include <string>
#include <string_view>

#include "archsim/comparison.hpp"
#include "archsim/reporter.hpp"

namespace archsim {

class CsvReporter : public Reporter {
 public:
  void report(const Result& result, std::ostream& out) override;
  /// Every candidate of every source, `scenario` being its source's scenario name.
  void report(const Comparison& comparison, std::ostream& out);
};

/// `field` as one RFC 4180 field: quoted (quotes doubled) when it contains
/// a comma, a quote, CR or LF, or starts or ends with a space.
std::string csv_field(std::string_view field);

}  // namespace archsim
