#include "util/date.h"

#include <gtest/gtest.h>

namespace stegvis::util {
namespace {

TEST(Date, ParsesStrictIsoDatesThatExist) {
  ASSERT_TRUE(Date::Parse("2011-04-01").has_value());
  EXPECT_EQ(Date::Parse("2024-02-29")->ToString(), "2024-02-29");
  EXPECT_EQ(Date::Parse("2023-12-31")->day(), 31u);
}

TEST(Date, RejectsImpossibleOrMalformedDates) {
  for (const char* text : {"2022-02-30", "2023-02-29", "2022-13-01", "2022-1-01", "22-01-01",
                           "2022/01/01", "2022-01-01T00:00", "", "abcd-ef-gh"}) {
    EXPECT_FALSE(Date::Parse(text).has_value()) << text;
  }
}

TEST(Date, OrdersByCalendar) {
  EXPECT_LT(*Date::Parse("2022-12-31"), *Date::Parse("2023-01-01"));
  EXPECT_EQ(
      Date::Parse("2023-01-01")->DaysSinceEpoch() - Date::Parse("2022-12-31")->DaysSinceEpoch(), 1);
}

TEST(Date, AddsDaysAcrossMonthsAndYears) {
  EXPECT_EQ(Date::Parse("2023-12-31")->AddDays(1).ToString(), "2024-01-01");
  EXPECT_EQ(Date::Parse("2024-03-01")->AddDays(-1).ToString(), "2024-02-29");
  EXPECT_EQ(Date::Parse("2024-01-15")->AddDays(-14).ToString(), "2024-01-01");
}

TEST(Date, AddsMonthsKeepingTheDayOrTheMonthsLastDay) {
  EXPECT_EQ(Date::Parse("2023-06-15")->AddMonths(6).ToString(), "2023-12-15");
  EXPECT_EQ(Date::Parse("2023-08-31")->AddMonths(6).ToString(), "2024-02-29");
  EXPECT_EQ(Date::Parse("2023-01-31")->AddMonths(1).ToString(), "2023-02-28");
  EXPECT_EQ(Date::Parse("2023-11-30")->AddMonths(12).ToString(), "2024-11-30");
  EXPECT_EQ(Date::Parse("2024-03-31")->AddMonths(-1).ToString(), "2024-02-29");
}

}  // namespace
}  // namespace stegvis::util
