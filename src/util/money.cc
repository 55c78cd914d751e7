#include "util/money.h"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace stegvis::util {

std::optional<Money> Money::FromKronorDecimal(double kronor) {
  if (!std::isfinite(kronor) || std::fabs(kronor) > 1e13) return std::nullopt;
  // The shortest text that reads back as the same double is what the user wrote (up to
  // trailing zeros), so counting its decimals is exact where a tolerance would not be.
  const std::string text = fmt::format("{}", kronor);
  if (text.find_first_of("eE") != std::string::npos) {
    if (kronor == 0) return Money();
    return std::nullopt;  // Only tiny fractions print with an exponent below 1e13.
  }
  const std::size_t point = text.find('.');
  const std::string whole = text.substr(0, point);
  std::string fraction = point == std::string::npos ? "" : text.substr(point + 1);
  if (fraction.size() > 2) return std::nullopt;
  fraction.resize(2, '0');
  const bool negative = !whole.empty() && whole[0] == '-';
  std::int64_t ore = 0;
  for (char c : whole.substr(negative ? 1 : 0) + fraction) ore = ore * 10 + (c - '0');
  return Money::FromOre(negative ? -ore : ore);
}

namespace {

std::string GroupThousands(std::uint64_t value, char separator) {
  std::string digits = std::to_string(value);
  std::string out;
  const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out.append(digits, 0, first);
  for (std::size_t i = first; i < digits.size(); i += 3) {
    if (separator != '\0') out.push_back(separator);
    out.append(digits, i, 3);
  }
  return out;
}

std::string Format(std::int64_t ore, char group_separator, char decimal_separator) {
  const bool negative = ore < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(ore + 1)) + 1 : static_cast<std::uint64_t>(ore);
  std::string out = negative ? "-" : "";
  out += GroupThousands(magnitude / 100, group_separator);
  const std::uint64_t cents = magnitude % 100;
  if (cents != 0) {
    out.push_back(decimal_separator);
    out.push_back(static_cast<char>('0' + cents / 10));
    out.push_back(static_cast<char>('0' + cents % 10));
  }
  return out;
}

}  // namespace

std::string Money::ToSwedishText() const { return Format(ore_, ' ', ','); }
std::string Money::ToPlainText() const { return Format(ore_, '\0', '.'); }

std::optional<std::int64_t> PerMille(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  // Exact integer rounding half away from zero; amounts stay far below overflow.
  const __int128 numerator = static_cast<__int128>(part) * 1000 * 2;
  const __int128 denominator = static_cast<__int128>(whole) * 2;
  const bool negative = (numerator < 0) != (denominator < 0);
  const __int128 abs_num = numerator < 0 ? -numerator : numerator;
  const __int128 abs_den = denominator < 0 ? -denominator : denominator;
  const __int128 rounded = (abs_num + abs_den / 2) / abs_den;
  return static_cast<std::int64_t>(negative ? -rounded : rounded);
}

std::optional<std::int64_t> PerMille(Money part, Money whole) {
  return PerMille(part.ore(), whole.ore());
}

}  // namespace stegvis::util
