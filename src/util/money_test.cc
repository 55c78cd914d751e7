#include "util/money.h"

#include "util/error.h"

#include <gtest/gtest.h>

namespace stegvis::util {
namespace {

TEST(Money, ConvertsKronorWithTwoDecimalsExactly) {
  EXPECT_EQ(Money::FromKronorDecimal(120810.0)->ore(), 12081000);
  EXPECT_EQ(Money::FromKronorDecimal(0.1)->ore(), 10);
  EXPECT_EQ(Money::FromKronorDecimal(4027000.55)->ore(), 402700055);
  EXPECT_EQ(Money::FromKronorDecimal(-248500.5)->ore(), -24850050);
}

TEST(Money, RejectsMoreThanTwoDecimalsAndNonFiniteValues) {
  EXPECT_FALSE(Money::FromKronorDecimal(1.005).has_value());
  EXPECT_FALSE(Money::FromKronorDecimal(0.001).has_value());
  EXPECT_FALSE(Money::FromKronorDecimal(1e14).has_value());
  // Large amounts get no tolerance: a third decimal is always refused.
  EXPECT_FALSE(Money::FromKronorDecimal(3800000.125).has_value());
  EXPECT_FALSE(Money::FromKronorDecimal(1000.001).has_value());
  EXPECT_EQ(Money::FromKronorDecimal(99999999999.99)->ore(), 9999999999999);
  EXPECT_FALSE(Money::FromKronorDecimal(std::numeric_limits<double>::infinity()).has_value());
}

TEST(Money, FormatsWithSwedishGroupingAndDecimalComma) {
  EXPECT_EQ(Money::FromKronor(8054000).ToSwedishText(), "8 054 000");
  EXPECT_EQ(Money::FromKronor(-248500).ToSwedishText(), "-248 500");
  EXPECT_EQ(Money::FromOre(12345).ToSwedishText(), "123,45");
  EXPECT_EQ(Money::FromOre(-5).ToSwedishText(), "-0,05");
  EXPECT_EQ(Money::FromKronor(0).ToSwedishText(), "0");
  EXPECT_EQ(Money::FromOre(100050).ToPlainText(), "1000.50");
}

TEST(Money, PerMilleRoundsHalfAwayFromZero) {
  // Höglandet 2022: individ 4 950 000 of 8 302 500 is 59.62 %.
  EXPECT_EQ(PerMille(Money::FromKronor(4950000), Money::FromKronor(8302500)), 596);
  EXPECT_EQ(PerMille(1, 2000), 1);    // 0.05 % rounds up to 0.1 %.
  EXPECT_EQ(PerMille(-1, 2000), -1);  // and down, symmetrically, below zero.
  EXPECT_EQ(PerMille(1, 3), 333);
  EXPECT_EQ(PerMille(2, 3), 667);
  EXPECT_FALSE(PerMille(5, 0).has_value());
}

TEST(RedactIdentifiers, HidesAnythingShapedLikeAPersonnummer) {
  EXPECT_EQ(RedactIdentifiers("kolumn startdatum: fick \"19900101-2385\""),
            "kolumn startdatum: fick \"[dolt]\"");
  EXPECT_EQ(RedactIdentifiers("9001012385 och 900101+2385"), "[dolt] och [dolt]");
  EXPECT_EQ(RedactIdentifiers("x19900101-2385y"), "x[dolt]y");
  // Dates, years, amounts, row numbers and longer digit runs stay.
  EXPECT_EQ(RedactIdentifiers("rad 12: 2023-01-05 före 2023-02-01, 8 054 000 kr"),
            "rad 12: 2023-01-05 före 2023-02-01, 8 054 000 kr");
  EXPECT_EQ(RedactIdentifiers("rapport-2023-12-31-001.csv 12345678901"),
            "rapport-2023-12-31-001.csv 12345678901");
  Error error{Code::kInvalidArgument,
              "f.csv: rad 2, kolumn 199001012385",
              {"okänd kolumn \"199001012385\"", "unknown column \"199001012385\""}};
  EXPECT_EQ(error.Render().find("2385"), std::string::npos);
  EXPECT_EQ(error.Render(Language::kEnglish).find("2385"), std::string::npos);
}

}  // namespace
}  // namespace stegvis::util
