// Report formats and the reporter behind each (see report_format.hpp).
#include "archsim/report_format.hpp"

#include <algorithm>
#include <cctype>

#include "archsim/csv_reporter.hpp"
#include "archsim/html_reporter.hpp"
#include "archsim/json_reporter.hpp"
#include "archsim/markdown_reporter.hpp"

namespace archsim {

std::optional<ReportFormat> parse_report_format(std::string_view name) {
  if (name == "html") return ReportFormat::html;
  if (name == "md" || name == "markdown") return ReportFormat::markdown;
  if (name == "csv") return ReportFormat::csv;
  if (name == "json") return ReportFormat::json;
  return std::nullopt;
}

std::optional<ReportFormat> report_format_for_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".htm") return ReportFormat::html;
  if (ext.empty()) return std::nullopt;
  return parse_report_format(std::string_view(ext).substr(1));
}

std::string report_format_names() { return "html, md, csv, json"; }

void write_report(ReportFormat format, const Comparison& comparison, std::ostream& out) {
  switch (format) {
    case ReportFormat::html: HtmlReporter().report(comparison, out); return;
    case ReportFormat::markdown: MarkdownReporter().report(comparison, out); return;
    case ReportFormat::csv: CsvReporter().report(comparison, out); return;
    case ReportFormat::json: JsonReporter().report(merged_result(comparison), out); return;
  }
}

}  // namespace archsim
