// Report formats: the names `archsim report --format` accepts, the format a
// file name's extension implies (`simulate --report FILE`), and writing a
// Comparison in a format through its reporter.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "archsim/comparison.hpp"

namespace archsim {

enum class ReportFormat { html, markdown, csv, json };

/// "html", "md" (or "markdown"), "csv", "json"; std::nullopt for anything else.
std::optional<ReportFormat> parse_report_format(std::string_view name);

/// The format of a report file by its extension (.html/.htm, .md, .csv,
/// .json; case-insensitive); std::nullopt for any other extension.
std::optional<ReportFormat> report_format_for_path(const std::filesystem::path& path);

/// The accepted format names, for help and error messages: "html, md, csv, json".
std::string report_format_names();

/// Writes `comparison` in `format` to `out` (JSON: merged_result(comparison)).
void write_report(ReportFormat format, const Comparison& comparison, std::ostream& out);

}  // namespace archsim
