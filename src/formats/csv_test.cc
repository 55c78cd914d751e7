#include "formats/csv.h"

#include <gtest/gtest.h>

namespace stegvis::formats {
namespace {

TEST(Csv, ReadsSemicolonFilesFromSwedishExcelWithBomAndCrlf) {
  auto table = CsvTable::Parse(
      "\xEF\xBB\xBF"
      "Deltagare;Insats;Kön\r\nA1;enter;K\r\n\r\nB2;enter;M\r\n",
      {"deltagare", "insats", "kon"}, {});
  ASSERT_TRUE(table) << table.error().Render();
  EXPECT_EQ(table->separator(), ';');
  ASSERT_EQ(table->rows().size(), 2u);
  EXPECT_EQ(table->Field(table->rows()[0], "kon"), "K");
  EXPECT_EQ(table->rows()[1].line, 4u);
}

TEST(Csv, ReadsCommaFilesWithQuotedFieldsSpanningLines) {
  auto table = CsvTable::Parse("a,b\n\"x, \"\"y\"\"\",\"two\nlines\"\nz,w\n", {"a", "b"}, {});
  ASSERT_TRUE(table) << table.error().Render();
  EXPECT_EQ(table->separator(), ',');
  EXPECT_EQ(table->Field(table->rows()[0], "a"), "x, \"y\"");
  EXPECT_EQ(table->Field(table->rows()[0], "b"), "two\nlines");
  EXPECT_EQ(table->rows()[1].line, 4u);
}

TEST(Csv, FoldsCaseAndSwedishLettersInHeaders) {
  EXPECT_EQ(NormalizeHeader(" Försörjning_start "), "forsorjning_start");
  EXPECT_EQ(NormalizeHeader("SYSSELSÄTTNING"), "sysselsattning");
  EXPECT_EQ(NormalizeHeader("Månader"), "manader");
}

TEST(Csv, NamesTheLineOfEveryStructuralError) {
  auto unknown = CsvTable::Parse("a;typo\n1;2\n", {"a"}, {"b"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().location, "rad 1, kolumn 2");

  auto missing = CsvTable::Parse("a\n1\n", {"a", "b"}, {});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().text.swedish.find("kolumnen b saknas"), std::string::npos);

  auto ragged = CsvTable::Parse("a;b\n1;2\n3\n", {"a", "b"}, {});
  ASSERT_FALSE(ragged);
  EXPECT_EQ(ragged.error().location, "rad 3");

  auto open_quote = CsvTable::Parse("a;b\n1;\"2\n", {"a", "b"}, {});
  ASSERT_FALSE(open_quote);
  EXPECT_EQ(open_quote.error().location, "rad 2");

  EXPECT_FALSE(CsvTable::Parse("", {"a"}, {}));
  EXPECT_FALSE(CsvTable::Parse("a;A\n1;2\n", {"a"}, {}));  // The same column twice.
}

}  // namespace
}  // namespace stegvis::formats
