// TextTable: aligned plain-text columns (see text_table.hpp).
#include "text_table.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/color.h>
#include <fmt/format.h>

namespace archsim {

size_t display_width(std::string_view text) {
  // Count every byte that does not continue a UTF-8 sequence.
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
  }));
}

std::string colourise(const std::string& text, Tone tone) {
  switch (tone) {
    case Tone::good: return fmt::format(fmt::fg(fmt::terminal_color::green) | fmt::emphasis::bold, "{}", text);
    case Tone::bad: return fmt::format(fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold, "{}", text);
    case Tone::warn: return fmt::format(fmt::fg(fmt::terminal_color::yellow) | fmt::emphasis::bold, "{}", text);
    case Tone::plain: break;
  }
  return text;
}

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

void TextTable::add_row(std::vector<TextCell> cells) {
  if (cells.size() > columns_.size())
    throw std::logic_error(fmt::format("TextTable: row of {} cells for {} columns", cells.size(), columns_.size()));
  cells.resize(columns_.size(), TextCell(""));
  rows_.push_back(std::move(cells));
}

void TextTable::print(std::ostream& out, bool colour, std::string_view indent) const {
  std::vector<size_t> widths(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    widths[c] = display_width(columns_[c].title);
    for (const auto& row : rows_) widths[c] = std::max(widths[c], display_width(row[c].text));
  }

  auto print_line = [&](const std::vector<TextCell>& cells) {
    std::string line(indent);
    for (size_t c = 0; c < cells.size(); ++c) {
      const bool last = c + 1 == cells.size();
      const size_t pad = widths[c] - display_width(cells[c].text);
      const std::string text = colour ? colourise(cells[c].text, cells[c].tone) : cells[c].text;
      if (columns_[c].align == Align::right) {
        line.append(pad, ' ').append(text);
      } else {
        line.append(text);
        if (!last) line.append(pad, ' ');
      }
      if (!last) line.append("  ");
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  };

  std::vector<TextCell> header;
  for (const auto& column : columns_) header.emplace_back(column.title);
  print_line(header);
  for (const auto& row : rows_) print_line(row);
}

}  // namespace archsim
