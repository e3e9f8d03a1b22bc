#include "clients/clinicctl/table.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>

namespace clinicd::clinicctl {
namespace {

// Columns one printable code point takes.
size_t CodePointWidth(UChar32 c) {
  const int8_t type = u_charType(c);
  if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR) return 0;
  const int width = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  return width == U_EA_WIDE || width == U_EA_FULLWIDTH ? 2 : 1;
}

// `text` padded with spaces to `width` columns, on the left when `right`.
std::string Pad(const std::string& text, size_t width, bool right) {
  const size_t shown = DisplayWidth(text);
  const std::string spaces(width > shown ? width - shown : 0, ' ');
  return right ? spaces + text : text + spaces;
}

void TrimTrailingSpaces(std::string& line) { line.erase(line.find_last_not_of(' ') + 1); }

}  // namespace

std::string Printable(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(text.size());
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    if (c < 0) {
      out += '?';  // Invalid UTF-8.
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (u_iscntrl(c)) {
      out += '?';
    } else {
      out.append(text.data() + start, static_cast<size_t>(i - start));
    }
  }
  return out;
}

size_t DisplayWidth(absl::string_view text) {
  const std::string shown = Printable(text);
  size_t width = 0;
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(shown.size());
  while (i < length) {
    UChar32 c;
    U8_NEXT(shown.data(), i, length, c);
    width += CodePointWidth(c);
  }
  return width;
}

Table::Table(std::vector<std::string> headers)
    : headers_(std::move(headers)), right_(headers_.size(), false) {}

Table& Table::AlignRight(size_t column) {
  if (column < right_.size()) right_[column] = true;
  return *this;
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (std::string& cell : cells) cell = Printable(cell);
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  std::vector<size_t> widths(headers_.size());
  for (size_t c = 0; c < headers_.size(); ++c) {
    widths[c] = DisplayWidth(headers_[c]);
    for (const std::vector<std::string>& row : rows_) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  std::string out;
  auto add_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) line += "  ";
      line += Pad(cells[c], widths[c], right_[c]);
    }
    TrimTrailingSpaces(line);
    out += line + "\n";
  };
  add_line(headers_);
  for (const std::vector<std::string>& row : rows_) add_line(row);
  return out;
}

std::string RenderFields(const std::vector<std::pair<std::string, std::string>>& fields) {
  size_t width = 0;
  for (const auto& [label, value] : fields) {
    if (!value.empty()) width = std::max(width, DisplayWidth(label) + 1);
  }
  std::string out;
  for (const auto& [label, value] : fields) {
    if (value.empty()) continue;
    std::string line = Pad(label + ":", width, false) + "  " + Printable(value);
    TrimTrailingSpaces(line);
    out += line + "\n";
  }
  return out;
}

}  // namespace clinicd::clinicctl
