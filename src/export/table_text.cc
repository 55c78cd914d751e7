#include "export/table_text.h"

#include <algorithm>

namespace stegvis::exporting {

std::size_t DisplayWidth(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string RenderText(const TextTable& table) {
  std::size_t columns = table.header.size();
  for (const auto& row : table.rows) columns = std::max(columns, row.size());
  std::vector<std::size_t> widths(columns, 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  };
  measure(table.header);
  for (const auto& row : table.rows) measure(row);

  std::string out;
  auto emit = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t i = 0; i < columns; ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      const std::size_t pad = widths[i] - DisplayWidth(cell);
      const Align align = i < table.align.size() ? table.align[i] : Align::kLeft;
      if (i > 0) line += "  ";
      if (align == Align::kRight) line.append(pad, ' ');
      line += cell;
      if (align == Align::kLeft) line.append(pad, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out.push_back('\n');
  };
  if (!table.header.empty()) emit(table.header);
  for (const auto& row : table.rows) emit(row);
  return out;
}

std::string RenderCsv(const std::vector<std::vector<std::string>>& rows, char separator) {
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out.push_back(separator);
      const std::string& field = row[i];
      const bool quote =
          field.find_first_of(std::string{separator, '"', '\n', '\r'}) != std::string::npos;
      if (!quote) {
        out += field;
        continue;
      }
      out.push_back('"');
      for (char c : field) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
      }
      out.push_back('"');
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace stegvis::exporting
