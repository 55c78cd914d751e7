// Tables mapping enums to the stable codes used in files, the database and the API.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace stegvis::core {

template <typename Enum, std::size_t N>
using CodeTable = std::array<std::pair<Enum, std::string_view>, N>;

template <typename Enum, std::size_t N>
std::string_view CodeOf(const CodeTable<Enum, N>& table, Enum value) {
  for (const auto& [candidate, code] : table) {
    if (candidate == value) return code;
  }
  return {};
}

template <typename Enum, std::size_t N>
std::optional<Enum> EnumOf(const CodeTable<Enum, N>& table, std::string_view code) {
  for (const auto& [candidate, candidate_code] : table) {
    if (candidate_code == code) return candidate;
  }
  return std::nullopt;
}

// "a, b, c": the codes for an error message.
template <typename Enum, std::size_t N>
std::string CodeList(const CodeTable<Enum, N>& table) {
  std::string list;
  for (const auto& entry : table) list += (list.empty() ? "" : ", ") + std::string(entry.second);
  return list;
}

}  // namespace stegvis::core
