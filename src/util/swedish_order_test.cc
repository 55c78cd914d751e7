#include "util/swedish_order.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace stegvis::util {
namespace {

std::vector<std::string> Sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return CompareSwedish(a, b) < 0; });
  return names;
}

TEST(SwedishOrder, PutsAaAeOeAfterZInThatOrder) {
  EXPECT_EQ(Sorted({"östen", "åsa", "zlatan", "ärla", "anna", "örjan", "ulla"}),
            (std::vector<std::string>{"anna", "ulla", "zlatan", "åsa", "ärla", "örjan", "östen"}));
}

TEST(SwedishOrder, IgnoresCaseAndAccentsExceptToBreakTies) {
  EXPECT_EQ(Sorted({"Bertil", "adam", "Åke", "åke", "Émile", "erik", "eva"}),
            (std::vector<std::string>{"adam", "Bertil", "Émile", "erik", "eva", "åke", "Åke"}));
  EXPECT_LT(CompareSwedish("ella", "Ella"), 0);
  EXPECT_LT(CompareSwedish("elsa", "élsa"), 0);
  EXPECT_EQ(CompareSwedish("kansli.hoglandet", "kansli.hoglandet"), 0);
}

TEST(SwedishOrder, SortsNordicNeighboursAsTheirSwedishLetters) {
  EXPECT_EQ(Sorted({"ørjan", "ärla", "æsa", "yvonne", "über", "zelda"}),
            (std::vector<std::string>{"über", "yvonne", "zelda", "ärla", "æsa", "ørjan"}));
}

TEST(SwedishOrder, PutsDigitsAndPunctuationBeforeLettersAndShorterBeforeLonger) {
  EXPECT_EQ(Sorted({"anna2", "anna", "anna.b", "2anna", "annab"}),
            (std::vector<std::string>{"2anna", "anna", "anna.b", "anna2", "annab"}));
}

// As ICU's root order has them (checked against PostgreSQL's "sv-x-icu"): space, then
// punctuation in the order _ - , ; : ! ? . ' " ( ) [ ] { } @ * / \ & # % ` ^ + < = > | ~ $,
// then digits, then letters.
TEST(SwedishOrder, PutsPunctuationInTheUnicodeRootOrder) {
  EXPECT_EQ(Sorted({"a9b", "a$b", "a.b", "a b", "a0b", "a-b", "aab", "a_b", "a@b", "a,b"}),
            (std::vector<std::string>{"a b", "a_b", "a-b", "a,b", "a.b", "a@b", "a$b", "a0b", "a9b",
                                      "aab"}));
}

TEST(SwedishOrder, SortsInvalidUtf8ByItsBytesWithoutFailing) {
  const std::string broken = "a\xC3";
  EXPECT_LT(CompareSwedish("a", broken), 0);
  EXPECT_GT(CompareSwedish(broken, "a"), 0);
}

}  // namespace
}  // namespace stegvis::util
