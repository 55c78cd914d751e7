// Money kept exact as integer öre. Never a floating-point amount in the domain.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace stegvis::util {

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money FromOre(std::int64_t ore) { return Money(ore); }
  static constexpr Money FromKronor(std::int64_t kronor) { return Money(kronor * 100); }
  // Converts a decimal number of kronor with at most two decimals exactly; returns nullopt
  // when it has more decimals or is outside ±10^13 kronor.
  static std::optional<Money> FromKronorDecimal(double kronor);

  constexpr std::int64_t ore() const { return ore_; }
  // Whole kronor when there are no öre, otherwise kronor with two decimals, for JSON.
  double KronorAsDouble() const { return static_cast<double>(ore_) / 100.0; }
  bool HasOre() const { return ore_ % 100 != 0; }

  // Swedish grouping: "8 054 000" or "-248 500,50" (with a no-break-free plain space).
  std::string ToSwedishText() const;
  // Plain machine form: "8054000" or "-248500.50".
  std::string ToPlainText() const;

  constexpr Money operator+(Money other) const { return Money(ore_ + other.ore_); }
  constexpr Money operator-(Money other) const { return Money(ore_ - other.ore_); }
  constexpr Money operator-() const { return Money(-ore_); }
  Money& operator+=(Money other) {
    ore_ += other.ore_;
    return *this;
  }
  Money& operator-=(Money other) {
    ore_ -= other.ore_;
    return *this;
  }
  constexpr auto operator<=>(const Money&) const = default;

 private:
  constexpr explicit Money(std::int64_t ore) : ore_(ore) {}
  std::int64_t ore_ = 0;
};

// `part` as a share of `whole` in tenths of a percent, rounded half away from zero
// (596 means 59.6 %). Returns nullopt when `whole` is zero.
std::optional<std::int64_t> PerMille(Money part, Money whole);
std::optional<std::int64_t> PerMille(std::int64_t part, std::int64_t whole);

}  // namespace stegvis::util
