// CSV files as förbund staff produce them: UTF-8 with or without BOM, separated by ';'
// (Swedish Excel) or ',', quoted fields with "" for a quote, CRLF or LF line ends. Header
// names are matched case-insensitively with å/ä/ö folded to a/a/o.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace stegvis::formats {

struct CsvRow {
  std::size_t line = 0;  // 1-based line where the row starts.
  std::vector<std::string> fields;
};

class CsvTable {
 public:
  // Parses `text`; the first non-empty line is the header. Fails with kInvalidArgument
  // naming the line of an unterminated quote, a row with the wrong number of fields, an
  // unknown or repeated column, or a missing required column.
  static util::Result<CsvTable> Parse(std::string_view text,
                                      std::initializer_list<std::string_view> required,
                                      std::initializer_list<std::string_view> optional);

  const std::vector<CsvRow>& rows() const { return rows_; }
  char separator() const { return separator_; }
  bool HasColumn(std::string_view name) const { return columns_.count(std::string(name)) > 0; }
  // The trimmed field of `row` in column `name`; empty when the column is absent.
  std::string_view Field(const CsvRow& row, std::string_view name) const;

 private:
  std::map<std::string, std::size_t, std::less<>> columns_;
  std::vector<CsvRow> rows_;
  char separator_ = ';';
};

// "Startdatum " -> "startdatum", "Försörjning_start" -> "forsorjning_start".
std::string NormalizeHeader(std::string_view name);

}  // namespace stegvis::formats
