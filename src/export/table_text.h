// Plain-text and CSV rendering of simple tables: the shared way a report becomes text for a
// terminal or a spreadsheet.
#pragma once

#include <string>
#include <vector>

namespace stegvis::exporting {

enum class Align { kLeft, kRight };

struct TextTable {
  std::vector<std::string> header;
  std::vector<Align> align;  // One per column; missing columns align left.
  std::vector<std::vector<std::string>> rows;
};

// Columns padded to their widest cell (counted in characters, not bytes), two spaces apart.
std::string RenderText(const TextTable& table);

// RFC 4180 CSV with the given separator (';' for Swedish spreadsheets), CRLF line ends,
// fields quoted when they hold the separator, a quote or a line break.
std::string RenderCsv(const std::vector<std::vector<std::string>>& rows, char separator = ';');

// Number of Unicode code points in UTF-8 text.
std::size_t DisplayWidth(const std::string& text);

}  // namespace stegvis::exporting
