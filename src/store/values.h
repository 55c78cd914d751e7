// Conversions between domain values and the text and integers the stores' tables hold,
// shared by every backend so that both write and read exactly the same column values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "util/date.h"
#include "util/error.h"

namespace stegvis::store {

inline std::optional<std::string> DateText(const std::optional<util::Date>& date) {
  return date ? std::optional<std::string>(date->ToString()) : std::nullopt;
}

inline std::optional<std::int64_t> Widen(const std::optional<int>& value) {
  return value ? std::optional<std::int64_t>(*value) : std::nullopt;
}

inline std::optional<int> Narrow(const std::optional<std::int64_t>& value) {
  return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

inline std::string JoinExclusions(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) joined += (joined.empty() ? "" : "|") + item;
  return joined;
}

inline std::vector<std::string> SplitExclusions(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('|', start);
    if (end == std::string::npos) end = text.size();
    items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

template <typename Enum>
std::string JoinCodes(const std::vector<Enum>& values, std::string_view (*code)(Enum)) {
  std::string joined;
  for (Enum value : values) joined += (joined.empty() ? "" : "|") + std::string(code(value));
  return joined;
}

template <typename Enum>
std::optional<std::vector<Enum>> SplitCodes(const std::string& text,
                                            std::optional<Enum> (*parse)(std::string_view)) {
  std::vector<Enum> values;
  for (const std::string& part : SplitExclusions(text)) {
    std::optional<Enum> value = parse(part);
    if (!value) return std::nullopt;
    values.push_back(*value);
  }
  return values;
}

// A value the store wrote itself but cannot read back: the database was changed outside
// stegvis. `backend` ("sqlite", "postgresql") is the error's location.
inline util::Error CorruptIn(std::string_view backend, std::string_view what) {
  return util::Error{util::Code::kInternal, std::string(backend),
                     util::Text{fmt::format("ogiltigt värde i databasen: {}", what),
                                fmt::format("invalid value in the database: {}", what)}};
}

template <typename T>
util::Result<T> DecodeIn(std::string_view backend, std::optional<T> value, std::string_view what) {
  if (!value) return util::Fail(CorruptIn(backend, what));
  return *value;
}

}  // namespace stegvis::store
