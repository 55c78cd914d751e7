#include <gtest/gtest.h>

#include "report/participants.h"

namespace stegvis::report {
namespace {

util::Date Day(int year, unsigned month, unsigned day) {
  return *util::Date::FromYmd(year, month, day);
}

TEST(PublishedPeriod, IsACalendarYearOrOneOfItsHalves) {
  EXPECT_TRUE(IsPublishedPeriod(Period::Year(2023)));
  EXPECT_TRUE(IsPublishedPeriod(Period{Day(2023, 1, 1), Day(2023, 6, 30)}));
  EXPECT_TRUE(IsPublishedPeriod(Period{Day(2024, 7, 1), Day(2024, 12, 31)}));
}

// The periods whose differences gave a day's exits away, and others like them.
TEST(PublishedPeriod, IsNoOtherSpanOfDays) {
  EXPECT_FALSE(IsPublishedPeriod(Period{Day(2023, 1, 1), Day(2023, 4, 24)}));
  EXPECT_FALSE(IsPublishedPeriod(Period{Day(2023, 1, 1), Day(2023, 4, 23)}));
  EXPECT_FALSE(IsPublishedPeriod(Period{Day(2023, 4, 24), Day(2023, 4, 24)}));
  EXPECT_FALSE(IsPublishedPeriod(Period{Day(2023, 1, 1), Day(2024, 12, 31)}));
  EXPECT_FALSE(IsPublishedPeriod(Period{Day(2023, 7, 1), Day(2024, 6, 30)}));
  EXPECT_FALSE(IsPublishedPeriod(Period{Day(2023, 1, 2), Day(2023, 12, 31)}));
}

}  // namespace
}  // namespace stegvis::report
