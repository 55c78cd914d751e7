#include "formats/csv.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace stegvis::formats {

namespace {

using util::Code;
using util::Fail;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Splits `text` into rows of fields. Quotes may span lines.
util::Result<std::vector<CsvRow>> SplitRows(std::string_view text, char separator) {
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  bool quoted = false;
  bool field_was_quoted = false;
  std::size_t line = 1;
  row.line = 1;
  std::size_t quote_line = 0;
  auto end_field = [&] {
    row.fields.push_back(field_was_quoted ? field : std::string(Trim(field)));
    field.clear();
    field_was_quoted = false;
  };
  auto end_row = [&] {
    end_field();
    const bool empty = row.fields.size() == 1 && row.fields[0].empty();
    if (!empty) rows.push_back(std::move(row));
    row = CsvRow{};
    row.line = line;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && Trim(field).empty()) {
      quoted = true;
      field_was_quoted = true;
      field.clear();
      quote_line = line;
    } else if (c == separator) {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      end_row();
    } else {
      field.push_back(c);
    }
  }
  if (quoted) {
    return Fail(Code::kInvalidArgument, fmt::format("rad {}", quote_line),
                "citattecknet avslutas aldrig", "the quote is never closed");
  }
  end_row();
  return rows;
}

char DetectSeparator(std::string_view text) {
  const std::string_view first_line = text.substr(0, text.find('\n'));
  const auto semicolons = std::count(first_line.begin(), first_line.end(), ';');
  const auto commas = std::count(first_line.begin(), first_line.end(), ',');
  return commas > semicolons ? ',' : ';';
}

}  // namespace

std::string NormalizeHeader(std::string_view name) {
  name = Trim(name);
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c == 0xC3 && i + 1 < name.size()) {
      // UTF-8 for å ä ö Å Ä Ö.
      const auto next = static_cast<unsigned char>(name[i + 1]);
      if (next == 0xA5 || next == 0xA4 || next == 0x85 || next == 0x84) {
        out.push_back('a');
        ++i;
        continue;
      }
      if (next == 0xB6 || next == 0x96) {
        out.push_back('o');
        ++i;
        continue;
      }
    }
    if (c == ' ' || c == '-') {
      out.push_back('_');
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

util::Result<CsvTable> CsvTable::Parse(std::string_view text,
                                       std::initializer_list<std::string_view> required,
                                       std::initializer_list<std::string_view> optional) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvTable table;
  table.separator_ = DetectSeparator(text);
  STEGVIS_ASSIGN_OR_RETURN(std::vector<CsvRow> rows, SplitRows(text, table.separator_));
  if (rows.empty()) {
    return Fail(Code::kInvalidArgument, "rad 1", "filen är tom; förväntade en rubrikrad",
                "the file is empty; expected a header line");
  }
  const CsvRow header = rows.front();
  std::string known;
  for (auto list : {required, optional}) {
    for (std::string_view name : list) known += (known.empty() ? "" : ", ") + std::string(name);
  }
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = NormalizeHeader(header.fields[i]);
    const bool is_known = std::find(required.begin(), required.end(), name) != required.end() ||
                          std::find(optional.begin(), optional.end(), name) != optional.end();
    if (!is_known) {
      return Fail(
          Code::kInvalidArgument, fmt::format("rad {}, kolumn {}", header.line, i + 1),
          fmt::format("okänd kolumn \"{}\"; kända kolumner är {}", header.fields[i], known),
          fmt::format("unknown column \"{}\"; known columns are {}", header.fields[i], known));
    }
    if (!table.columns_.emplace(name, i).second) {
      return Fail(Code::kInvalidArgument, fmt::format("rad {}, kolumn {}", header.line, i + 1),
                  fmt::format("kolumnen {} förekommer två gånger", name),
                  fmt::format("column {} appears twice", name));
    }
  }
  for (std::string_view name : required) {
    if (!table.HasColumn(name)) {
      return Fail(Code::kInvalidArgument, fmt::format("rad {}", header.line),
                  fmt::format("kolumnen {} saknas i rubrikraden", name),
                  fmt::format("the header has no column {}", name));
    }
  }
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].fields.size() != header.fields.size()) {
      return Fail(Code::kInvalidArgument, fmt::format("rad {}", rows[r].line),
                  fmt::format("raden har {} fält men rubrikraden {}; avgränsare '{}'",
                              rows[r].fields.size(), header.fields.size(), table.separator_),
                  fmt::format("the row has {} fields but the header {}; separator '{}'",
                              rows[r].fields.size(), header.fields.size(), table.separator_));
    }
    table.rows_.push_back(std::move(rows[r]));
  }
  return table;
}

std::string_view CsvTable::Field(const CsvRow& row, std::string_view name) const {
  auto it = columns_.find(name);
  if (it == columns_.end() || it->second >= row.fields.size()) return {};
  return Trim(row.fields[it->second]);
}

}  // namespace stegvis::formats
