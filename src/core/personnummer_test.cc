#include "core/personnummer.h"

#include <gtest/gtest.h>

namespace stegvis::core {
namespace {

// Skatteverket's published example number ("Tolvan Tolvansson") and numbers generated here
// with a computed check digit: no real person's number appears in tests.
constexpr const char* kTolvan = "191212121212";

TEST(Personnummer, AcceptsTenAndTwelveDigitsWithOrWithoutSeparator) {
  for (const char* text : {"191212121212", "19121212-1212", "121212+1212"}) {
    auto parsed = ParsePersonnummer(text, 2026);
    ASSERT_TRUE(parsed) << text << ": " << parsed.error().Render();
    EXPECT_EQ(parsed->digits, kTolvan);
    EXPECT_EQ(parsed->birth_year, 1912);
    EXPECT_FALSE(parsed->samordningsnummer);
  }
}

TEST(Personnummer, TenDigitsTakeTheLatestCenturyNotInTheFuture) {
  // Generated: 1990-01-01, serial 238, check digit 5.
  auto parsed = ParsePersonnummer("9001012385", 2026);
  ASSERT_TRUE(parsed) << parsed.error().Render();
  EXPECT_EQ(parsed->digits, "199001012385");
  EXPECT_EQ(parsed->birth_year, 1990);
  // Without '+', 12-12-12 is read as 2012, which is valid too.
  auto young = ParsePersonnummer("121212-1212", 2026);
  ASSERT_TRUE(young);
  EXPECT_EQ(young->birth_year, 2012);
}

TEST(Personnummer, AcceptsSamordningsnummerWithDayPlusSixty) {
  // Generated: 1912-12-72 is day 12 + 60, check digit 9.
  auto parsed = ParsePersonnummer("191212721219", 2026);
  ASSERT_TRUE(parsed) << parsed.error().Render();
  EXPECT_TRUE(parsed->samordningsnummer);
}

TEST(Personnummer, RejectsWrongCheckDigitWithoutRepeatingTheNumber) {
  auto parsed = ParsePersonnummer("191212121213", 2026);
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().text.swedish.find("kontrollsiffra"), std::string::npos);
  EXPECT_EQ(parsed.error().Render().find("1213"), std::string::npos);
  EXPECT_EQ(parsed.error().Render().find("121212"), std::string::npos);
}

TEST(Personnummer, RejectsImpossibleDates) {
  EXPECT_FALSE(ParsePersonnummer("199002302389", 2026));  // 30 February (Luhn-valid).
  EXPECT_FALSE(ParsePersonnummer("199013012381", 2026));  // Month 13 (Luhn-valid).
  EXPECT_FALSE(ParsePersonnummer("203001012385", 2026));  // Born in the future.
}

TEST(Personnummer, RecognisesTheShapeOnly) {
  EXPECT_TRUE(LooksLikePersonnummer("191212121212"));
  EXPECT_TRUE(LooksLikePersonnummer("121212-1212"));
  EXPECT_FALSE(LooksLikePersonnummer("SE-0042"));
  EXPECT_FALSE(LooksLikePersonnummer("12345"));
  EXPECT_FALSE(LooksLikePersonnummer("1212-121212"));
  EXPECT_FALSE(LooksLikePersonnummer("19121212--1212"));
}

TEST(Personnummer, LuhnCheck) {
  EXPECT_TRUE(LuhnValid("1212121212"));
  EXPECT_FALSE(LuhnValid("1212121213"));
  EXPECT_FALSE(LuhnValid(""));
}

}  // namespace
}  // namespace stegvis::core
