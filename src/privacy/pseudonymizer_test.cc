#include "privacy/pseudonymizer.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "test_support.h"

namespace stegvis::privacy {
namespace {

Key KeyOf(std::uint8_t fill) {
  Key key{};
  key.fill(fill);
  return key;
}

TEST(Pseudonymizer, GivesTheSamePersonTheSameKeyWhateverTheNotation) {
  const Pseudonymizer pseudonyms = Pseudonymizer::FromKey(KeyOf(1));
  auto twelve = pseudonyms.Identify("191212121212", 2026);
  auto dashed = pseudonyms.Identify("19121212-1212", 2026);
  auto ten_plus = pseudonyms.Identify("121212+1212", 2026);
  ASSERT_TRUE(twelve && dashed && ten_plus);
  EXPECT_EQ(twelve->key, dashed->key);
  EXPECT_EQ(twelve->key, ten_plus->key);
  EXPECT_EQ(twelve->key.size(), 64u);
  EXPECT_EQ(twelve->birth_year, 1912);
  EXPECT_EQ(twelve->key.find("1212"), std::string::npos);
}

TEST(Pseudonymizer, ReadsANumberPastedWithASpaceOrADashFromAWordProcessor) {
  const Pseudonymizer pseudonyms = Pseudonymizer::FromKey(KeyOf(1));
  // A separator other than '+' reads as '-': ten digits then mean under 100 years old.
  for (const auto& [typed, plain] :
       std::vector<std::pair<std::string, std::string>>{{"19121212 1212", "19121212-1212"},
                                                        {"121212 1212", "121212-1212"},
                                                        {"19121212\u20131212", "19121212-1212"},
                                                        {"121212\u22121212", "121212-1212"}}) {
    auto identity = pseudonyms.Identify(typed, 2026);
    auto expected = pseudonyms.Identify(plain, 2026);
    ASSERT_TRUE(identity && expected) << typed;
    EXPECT_EQ(identity->key, expected->key) << typed;
  }
  // A wrong check digit in such a notation is refused, not taken for a local code.
  EXPECT_FALSE(pseudonyms.Identify("121212\u20131213", 2026));
}

TEST(RedactIdentifiers, HidesEveryNotationOfANumber) {
  for (const char* text :
       {"191212121212", "1212121212", "19121212-1212", "121212+1212", "121212 1212",
        "19121212 1212", "121212\u20131212", "121212\u22121212"}) {
    EXPECT_EQ(util::RedactIdentifiers(std::string("fick ") + text + "."), "fick [dolt].") << text;
  }
  EXPECT_EQ(util::RedactIdentifiers("rad 12, 2023-01-05, 4 500 kr"),
            "rad 12, 2023-01-05, 4 500 kr");
}

TEST(Pseudonymizer, DependsOnTheKey) {
  auto first = Pseudonymizer::FromKey(KeyOf(1)).Identify("191212121212", 2026);
  auto second = Pseudonymizer::FromKey(KeyOf(2)).Identify("191212121212", 2026);
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->key, second->key);
}

TEST(Pseudonymizer, AcceptsLocalCodesWithALetterAndKeepsThemApartFromNumbers) {
  const Pseudonymizer pseudonyms = Pseudonymizer::FromKey(KeyOf(1));
  auto code = pseudonyms.Identify("SE-0042", 2026);
  ASSERT_TRUE(code);
  EXPECT_FALSE(code->birth_year.has_value());
  EXPECT_NE(code->key, pseudonyms.Identify("SE-0043", 2026)->key);
  EXPECT_FALSE(pseudonyms.Identify("12345", 2026));  // No letter: neither code nor number.
  EXPECT_FALSE(pseudonyms.Identify("", 2026));
}

TEST(Pseudonymizer, TreatsAnythingShapedLikeAPersonnummerAsOne) {
  auto wrong = Pseudonymizer::FromKey(KeyOf(1)).Identify("191212121213", 2026);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().Render().find("121212"), std::string::npos);
}

TEST(KeyFile, IsCreatedOnceWithOwnerOnlyPermissions) {
  testing::TempDir folder;
  const std::string path = (folder / "db.key").string();
  ASSERT_TRUE(CreateKeyFileIfMissing(path));
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(info.st_size, 32);
  const std::string before = testing::ReadFile(path);
  ASSERT_TRUE(CreateKeyFileIfMissing(path));
  EXPECT_EQ(testing::ReadFile(path), before);  // An existing key is never replaced.

  auto first = Pseudonymizer::FromKeyFile(path);
  auto second = Pseudonymizer::FromKeyFile(path);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->Identify("SE-1", 2026)->key, second->Identify("SE-1", 2026)->key);
}

TEST(KeyFile, RefusesAMissingOrOpenKeyFile) {
  testing::TempDir folder;
  const std::string path = (folder / "db.key").string();
  auto missing = Pseudonymizer::FromKeyFile(path);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, util::Code::kFailedPrecondition);
  ASSERT_TRUE(CreateKeyFileIfMissing(path));
  ::chmod(path.c_str(), 0644);
  EXPECT_FALSE(Pseudonymizer::FromKeyFile(path));
}

}  // namespace
}  // namespace stegvis::privacy
