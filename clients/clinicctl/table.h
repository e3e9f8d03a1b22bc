#pragma once

// Aligned text for a terminal: tables with a header line, and label/value
// blocks. Widths count what a terminal shows (UTF-8 aware: "Müller" is six
// columns, a combining accent none, a CJK character two), and control
// characters from the server's data are shown as '?' so that no stored text
// can move the cursor or recolour the terminal.

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace clinicd::clinicctl {

// The columns `text` takes on a terminal, after Printable().
size_t DisplayWidth(absl::string_view text);

// `text` with control characters (and invalid UTF-8) replaced by '?' and
// line breaks and tabs by spaces.
std::string Printable(absl::string_view text);

// Rows under a header, each column as wide as its widest cell, two spaces
// between columns, no trailing spaces.
class Table final {
 public:
  explicit Table(std::vector<std::string> headers);

  // Right-aligns `column` (for numbers).
  Table& AlignRight(size_t column);

  // Adds a row; missing cells are empty, extra cells are dropped.
  void AddRow(std::vector<std::string> cells);

  // True when no row was added.
  bool empty() const { return rows_.empty(); }

  // The header line and one line per row, each ending in '\n'.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

// "Label:  value" lines with the values aligned; an empty value is skipped.
std::string RenderFields(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace clinicd::clinicctl
