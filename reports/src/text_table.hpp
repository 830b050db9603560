// TextTable: a plain-text table with aligned columns for terminal reports.
// Widths are counted in characters (UTF-8 aware); colour, when asked for, is
// applied after padding so it never disturbs the alignment.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace archsim {

enum class Align { left, right };

/// How a cell is highlighted on a colour terminal.
enum class Tone { plain, good, bad, warn };

struct TextCell {
  std::string text;
  Tone tone = Tone::plain;
  TextCell(std::string t, Tone tn = Tone::plain) : text(std::move(t)), tone(tn) {}  // NOLINT: implicit from text
  TextCell(const char* t) : text(t) {}                                                // NOLINT
};

class TextTable {
 public:
  struct Column {
    std::string title;
    Align align = Align::left;
  };

  explicit TextTable(std::vector<Column> columns);

  /// Adds a row; missing trailing cells are empty, extra cells are an error.
  void add_row(std::vector<TextCell> cells);
  bool empty() const { return rows_.empty(); }

  /// Prints the header and the rows, each line starting with `indent`;
  /// columns are separated by two spaces, lines carry no trailing blanks.
  void print(std::ostream& out, bool colour, std::string_view indent = "") const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<TextCell>> rows_;
};

/// Number of characters (code points) of UTF-8 text.
size_t display_width(std::string_view text);

/// `text` wrapped in the ANSI colour of `tone` (unchanged for Tone::plain).
std::string colourise(const std::string& text, Tone tone);

}  // namespace archsim
