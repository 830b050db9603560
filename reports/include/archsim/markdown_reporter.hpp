// MarkdownReporter: the comparison as an Architecture Decision Record, ready
// to commit and to render on GitHub: Title, Status (proposed), Context (the
// workload and targets as far as the Result tells), Options considered (one
// per candidate with its key figures), Decision (the recommendation and
// why) and Consequences (cost, headroom, risks, modelling notes), with
// GitHub-flavoured tables. Text from the Result is escaped for Markdown.
#pragma once

#include <string>
#include <string_view>

#include "archsim/comparison.hpp"
#include "archsim/reporter.hpp"

namespace archsim {

class MarkdownReporter : public Reporter {
 public:
  void report(const Result& result, std::ostream& out) override;
  void report(const Comparison& comparison, std::ostream& out);
};

/// `text` safe inside a Markdown paragraph or table cell: Markdown
/// punctuation and "|" backslash-escaped, "<", ">" and "&" as entities,
/// line breaks as spaces.
std::string escape_markdown(std::string_view text);

}  // namespace archsim
