// Calendar dates (no time of day, no time zone) as used in plans and registrations.
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace stegvis::util {

class Date {
 public:
  // 1970-01-01; real dates come from Parse or FromYmd.
  Date() = default;
  // Parses a strict ISO date "YYYY-MM-DD" that exists in the calendar; nullopt otherwise.
  static std::optional<Date> Parse(std::string_view text);
  static std::optional<Date> FromYmd(int year, unsigned month, unsigned day);

  int year() const { return static_cast<int>(ymd_.year()); }
  unsigned month() const { return static_cast<unsigned>(ymd_.month()); }
  unsigned day() const { return static_cast<unsigned>(ymd_.day()); }
  // Days since 1970-01-01.
  int DaysSinceEpoch() const;
  std::string ToString() const;
  // The date `days` later (earlier when negative).
  Date AddDays(int days) const;
  // The same day `months` later; the last day of the month when that month is shorter
  // (2024-01-31 plus one month is 2024-02-29).
  Date AddMonths(int months) const;

  auto operator<=>(const Date& other) const { return DaysSinceEpoch() <=> other.DaysSinceEpoch(); }
  bool operator==(const Date& other) const { return ymd_ == other.ymd_; }

 private:
  explicit Date(std::chrono::year_month_day ymd) : ymd_(ymd) {}
  std::chrono::year_month_day ymd_{std::chrono::year(1970), std::chrono::January,
                                   std::chrono::day(1)};
};

}  // namespace stegvis::util
