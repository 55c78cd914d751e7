#include "util/date.h"

#include <charconv>

#include <fmt/format.h>

namespace stegvis::util {

namespace {

std::optional<unsigned> ParseDigits(std::string_view text) {
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

}  // namespace

std::optional<Date> Date::Parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto year = ParseDigits(text.substr(0, 4));
  auto month = ParseDigits(text.substr(5, 2));
  auto day = ParseDigits(text.substr(8, 2));
  if (!year || !month || !day) return std::nullopt;
  return FromYmd(static_cast<int>(*year), *month, *day);
}

std::optional<Date> Date::FromYmd(int year, unsigned month, unsigned day) {
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                  std::chrono::day(day)};
  if (!ymd.ok()) return std::nullopt;
  return Date(ymd);
}

int Date::DaysSinceEpoch() const {
  return static_cast<int>(std::chrono::sys_days(ymd_).time_since_epoch().count());
}

Date Date::AddDays(int days) const {
  return Date(std::chrono::year_month_day(std::chrono::sys_days(ymd_) + std::chrono::days(days)));
}

Date Date::AddMonths(int months) const {
  std::chrono::year_month_day moved = ymd_ + std::chrono::months(months);
  if (!moved.ok()) moved = moved.year() / moved.month() / std::chrono::last;
  return Date(moved);
}

std::string Date::ToString() const {
  return fmt::format("{:04}-{:02}-{:02}", year(), month(), day());
}

}  // namespace stegvis::util
