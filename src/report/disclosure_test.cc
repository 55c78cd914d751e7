#include "report/disclosure.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace stegvis::report {
namespace {

struct Relation {
  std::size_t total = 0;
  std::vector<std::size_t> parts;
};

// A grid that remembers the sums the test declared, so that the checker walks exactly what
// the test meant rather than what the grid stored.
struct Table {
  std::size_t Cell(std::int64_t value) { return grid.AddCell(value); }
  void Sum(std::size_t total, std::vector<std::size_t> parts) {
    sums.push_back(Relation{total, parts});
    grid.AddSum(total, std::move(parts));
  }

  SuppressionGrid grid;
  std::vector<Relation> sums;
};

// The reader of a published table, by brute force: walks every sum and fails when one of
// them lets a suppressed cell be recomputed, that is when the total is shown and exactly one
// part is suppressed (total minus the shown parts), or when the total is suppressed and every
// part is shown (the parts added up).
::testing::AssertionResult NoSumGivesAwayASuppressedCell(const SuppressionGrid& grid,
                                                         const std::vector<Relation>& sums) {
  for (std::size_t i = 0; i < sums.size(); ++i) {
    const Relation& sum = sums[i];
    const auto suppressed_parts = std::count_if(
        sum.parts.begin(), sum.parts.end(), [&](std::size_t p) { return grid.IsSuppressed(p); });
    const bool total_suppressed = grid.IsSuppressed(sum.total);
    if (!total_suppressed && suppressed_parts == 1) {
      return ::testing::AssertionFailure() << "sum " << i << " (total cell " << sum.total
                                           << ") is shown with exactly one suppressed part";
    }
    if (total_suppressed && suppressed_parts == 0) {
      return ::testing::AssertionFailure() << "sum " << i << " has a suppressed total cell "
                                           << sum.total << " and every part shown";
    }
  }
  return ::testing::AssertionSuccess();
}

// The reader who combines every sum (report::DeterminedCells): no suppressed cell may be
// worked out exactly from the shown ones by any chain of sums.
::testing::AssertionResult NoCombinationGivesAwayASuppressedCell(
    const SuppressionGrid& grid, const std::vector<Relation>& sums) {
  std::vector<LinkedSum> linked;
  for (const Relation& sum : sums) linked.push_back(LinkedSum{sum.total, sum.parts});
  std::vector<bool> hidden(grid.CellCount());
  for (std::size_t cell = 0; cell < hidden.size(); ++cell) hidden[cell] = grid.IsSuppressed(cell);
  const std::vector<std::size_t> determined = DeterminedCells(linked, hidden);
  if (determined.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << determined.size() << " suppressed cells are determined, the first cell "
         << determined.front();
}

std::vector<std::size_t> SuppressedCells(const SuppressionGrid& grid, std::size_t cell_count) {
  std::vector<std::size_t> cells;
  for (std::size_t cell = 0; cell < cell_count; ++cell) {
    if (grid.IsSuppressed(cell)) cells.push_back(cell);
  }
  return cells;
}

std::vector<std::size_t> Sorted(std::vector<std::size_t> cells) {
  std::sort(cells.begin(), cells.end());
  return cells;
}

// Rows of counts by kön (kvinna, man, annat), with a total per row, a total per column and a
// grand total that is linked both to the column totals and to the row totals.
struct TwoWayTable {
  explicit TwoWayTable(const std::vector<std::vector<std::int64_t>>& rows) {
    const std::size_t columns = rows.front().size();
    std::vector<std::int64_t> column_sums(columns, 0);
    for (const auto& row : rows) {
      std::vector<std::size_t> cells;
      for (std::size_t column = 0; column < columns; ++column) {
        cells.push_back(table.Cell(row[column]));
        column_sums[column] += row[column];
      }
      interior.push_back(cells);
    }
    std::int64_t grand = 0;
    for (const auto& row : rows) {
      std::int64_t row_sum = 0;
      for (std::int64_t value : row) row_sum += value;
      row_totals.push_back(table.Cell(row_sum));
      grand += row_sum;
    }
    for (std::int64_t value : column_sums) column_totals.push_back(table.Cell(value));
    grand_total = table.Cell(grand);

    for (std::size_t row = 0; row < rows.size(); ++row) table.Sum(row_totals[row], interior[row]);
    for (std::size_t column = 0; column < columns; ++column) {
      std::vector<std::size_t> cells;
      for (const auto& row : interior) cells.push_back(row[column]);
      table.Sum(column_totals[column], cells);
    }
    table.Sum(grand_total, column_totals);
    table.Sum(grand_total, row_totals);
  }

  std::size_t CellCount() const { return grand_total + 1; }

  Table table;
  std::vector<std::vector<std::size_t>> interior;
  std::vector<std::size_t> row_totals;
  std::vector<std::size_t> column_totals;
  std::size_t grand_total = 0;
};

TEST(SuppressionGrid, SuppressesOneToKMinusOneAndShowsZeroAndK) {
  SuppressionGrid grid;
  for (std::int64_t value : {0, 1, 2, 3, 4, 5, 6, 100}) grid.AddCell(value);
  grid.Suppress(5);
  EXPECT_EQ(SuppressedCells(grid, 8), (std::vector<std::size_t>{1, 2, 3, 4}));
  EXPECT_EQ(grid.Shown(0), 0);
  EXPECT_EQ(grid.Shown(1), std::nullopt);
  EXPECT_EQ(grid.Shown(4), std::nullopt);
  EXPECT_EQ(grid.Shown(5), 5);
  EXPECT_EQ(grid.Shown(7), 100);
}

TEST(SuppressionGrid, SuppressesNothingPrimarilyWhenKIsOne) {
  SuppressionGrid grid;
  for (std::int64_t value : {0, 1, 2}) grid.AddCell(value);
  grid.Suppress(1);
  EXPECT_TRUE(SuppressedCells(grid, 3).empty());
}

TEST(SuppressionGrid, HidesASecondPartSoASmallCellCannotBeSubtracted) {
  // kvinnor 3, man 10, annat 0, total 13: 3 = 13 - 10 - 0 unless 10 is hidden too.
  Table table;
  const std::size_t women = table.Cell(3), men = table.Cell(10), other = table.Cell(0);
  const std::size_t total = table.Cell(13);
  table.Sum(total, {women, men, other});
  table.grid.Suppress(5);
  EXPECT_EQ(SuppressedCells(table.grid, 4), (std::vector<std::size_t>{women, men}));
  EXPECT_EQ(table.grid.Shown(other), 0);
  EXPECT_EQ(table.grid.Shown(total), 13);
  EXPECT_TRUE(NoSumGivesAwayASuppressedCell(table.grid, table.sums));
}

TEST(SuppressionGrid, BreaksTiesByTheLowestCellIndexNotThePositionInTheSum) {
  Table table;
  const std::size_t women = table.Cell(2), men = table.Cell(7), other = table.Cell(7);
  const std::size_t total = table.Cell(16);
  table.Sum(total, {other, men, women});
  table.grid.Suppress(5);
  EXPECT_EQ(SuppressedCells(table.grid, 4), (std::vector<std::size_t>{women, men}));
  EXPECT_TRUE(NoSumGivesAwayASuppressedCell(table.grid, table.sums));
}

TEST(SuppressionGrid, SuppressesASmallTotalWithItsSmallParts) {
  // kvinnor 2, man 1, annat 0, total 3: three unknowns already, the 0 stays shown.
  Table table;
  const std::size_t women = table.Cell(2), men = table.Cell(1), other = table.Cell(0);
  const std::size_t total = table.Cell(3);
  table.Sum(total, {women, men, other});
  table.grid.Suppress(5);
  EXPECT_EQ(SuppressedCells(table.grid, 4), (std::vector<std::size_t>{women, men, total}));
  EXPECT_TRUE(NoSumGivesAwayASuppressedCell(table.grid, table.sums));
}

TEST(SuppressionGrid, NeedsNoSecondaryCellWhenASmallTotalHasOneSmallPart) {
  // Total 3 = 3 + 0 + 0: the part and the total are both primary, two unknowns in one sum.
  Table table;
  const std::size_t women = table.Cell(3), men = table.Cell(0), other = table.Cell(0);
  const std::size_t total = table.Cell(3);
  table.Sum(total, {women, men, other});
  table.grid.Suppress(5);
  EXPECT_EQ(SuppressedCells(table.grid, 4), (std::vector<std::size_t>{women, total}));
  EXPECT_TRUE(NoSumGivesAwayASuppressedCell(table.grid, table.sums));
}

TEST(SuppressionGrid, SuppressesAShownZeroPartWhenNoNonZeroPartIsShown) {
  // 15 = 3 + 12 forces 12 to be hidden; 12 is also a part of 12 = 12 + 0, whose only other
  // part is the 0, which must go too or 12 = 12 - 0 gives it back.
  Table table;
  const std::size_t small = table.Cell(3), twelve = table.Cell(12), fifteen = table.Cell(15);
  const std::size_t zero = table.Cell(0), other_total = table.Cell(12);
  table.Sum(fifteen, {small, twelve});
  table.Sum(other_total, {twelve, zero});
  table.grid.Suppress(5);
  EXPECT_EQ(SuppressedCells(table.grid, 5), (std::vector<std::size_t>{small, twelve, zero}));
  EXPECT_TRUE(NoSumGivesAwayASuppressedCell(table.grid, table.sums));
}

TEST(SuppressionGrid, SuppressesTheTotalWhenNoOtherPartIsShown) {
  // 12 is forced hidden by 15 = 3 + 12 and is the only part of another total, 12 = 12.
  Table table;
  const std::size_t small = table.Cell(3), twelve = table.Cell(12), fifteen = table.Cell(15);
  const std::size_t same = table.Cell(12);
  table.Sum(fifteen, {small, twelve});
  table.Sum(same, {twelve});
  table.grid.Suppress(5);
  EXPECT_EQ(SuppressedCells(table.grid, 4), (std::vector<std::size_t>{small, twelve, same}));
  EXPECT_TRUE(NoSumGivesAwayASuppressedCell(table.grid, table.sums));
}

TEST(SuppressionGrid, SuppressesAPartWhenASecondarilySuppressedTotalCouldBeRecomputed) {
  // Grand total 25 over two insatser: A has 3 (kvinnor 3, man 0), B has 22 (kvinnor 9,
  // man 13). A's 3 forces B's total 22 hidden in 25 = 3 + 22; but 22 = 9 + 13 would give it
  // back, and then 3 = 25 - 22, so B's 9 is hidden as well.
  Table table;
  const std::size_t a_women = table.Cell(3), a_men = table.Cell(0), a_total = table.Cell(3);
  const std::size_t b_women = table.Cell(9), b_men = table.Cell(13), b_total = table.Cell(22);
  const std::size_t grand = table.Cell(25);
  table.Sum(grand, {a_total, b_total});
  table.Sum(a_total, {a_women, a_men});
  table.Sum(b_total, {b_women, b_men});
  table.grid.Suppress(5);
  EXPECT_EQ(SuppressedCells(table.grid, 7),
            (std::vector<std::size_t>{a_women, a_total, b_women, b_total}));
  EXPECT_EQ(table.grid.Shown(b_men), 13);
  EXPECT_EQ(table.grid.Shown(grand), 25);
  EXPECT_TRUE(NoSumGivesAwayASuppressedCell(table.grid, table.sums));
}

TEST(SuppressionGrid, HidesExactlyTheSmallestRectangleInATwoWayTable) {
  //            kvinna man annat | total
  //   insats A      3  12     0 |    15
  //   insats B      8   9     0 |    17
  //   insats C     10  14     0 |    24
  //   total        21  35     0 |    56
  // 3 is primary. Row A needs a partner (12), column kvinna one (8, the smaller of 8 and 10),
  // column man one for 12 (9, the smaller of 9 and 14), and row B then has two: the 2 x 2
  // rectangle, which is the least a two-way table can hide around one cell.
  TwoWayTable two_way({{3, 12, 0}, {8, 9, 0}, {10, 14, 0}});
  two_way.table.grid.Suppress(5);
  const auto& cell = two_way.interior;
  EXPECT_EQ(SuppressedCells(two_way.table.grid, two_way.CellCount()),
            Sorted({cell[0][0], cell[0][1], cell[1][0], cell[1][1]}));
  EXPECT_TRUE(NoSumGivesAwayASuppressedCell(two_way.table.grid, two_way.table.sums));
}

TEST(SuppressionGrid, ProtectsSmallRowTotalsAcrossBothDimensions) {
  //            kvinna man annat | total
  //   insats A     12   3     0 |    15
  //   insats B      6   7     0 |    13
  //   insats C      1   1     0 |     2
  //   insats D     20  25     1 |    46
  TwoWayTable two_way({{12, 3, 0}, {6, 7, 0}, {1, 1, 0}, {20, 25, 1}});
  SuppressionGrid& grid = two_way.table.grid;
  grid.Suppress(5);
  const auto& cell = two_way.interior;
  for (std::size_t primary :
       {cell[0][1], cell[2][0], cell[2][1], cell[3][2], two_way.row_totals[2]}) {
    EXPECT_TRUE(grid.IsSuppressed(primary)) << "cell " << primary;
  }
  // C's small total is a part of the grand total over the rows, so another row total goes.
  const auto hidden_row_totals =
      std::count_if(two_way.row_totals.begin(), two_way.row_totals.end(),
                    [&](std::size_t total) { return grid.IsSuppressed(total); });
  EXPECT_GE(hidden_row_totals, 2);
  // D's annat 1 is alone in its column: another row's annat 0 must go, or 1 = 1 - 0 - 0 - 0.
  EXPECT_TRUE(NoSumGivesAwayASuppressedCell(grid, two_way.table.sums));
}

TEST(SuppressionGrid, LeavesAnAllZeroTableFullyShown) {
  TwoWayTable two_way({{0, 0, 0}, {0, 0, 0}});
  two_way.table.grid.Suppress(5);
  EXPECT_TRUE(SuppressedCells(two_way.table.grid, two_way.CellCount()).empty());
  EXPECT_EQ(two_way.table.grid.Shown(two_way.grand_total), 0);
}

TEST(SuppressionGrid, UsesTheGivenThresholdAndDecidesAgainOnEachCall) {
  // kvinnor 2, man 3, annat 4, total 9.
  Table table;
  const std::size_t women = table.Cell(2), men = table.Cell(3), other = table.Cell(4);
  const std::size_t total = table.Cell(9);
  table.Sum(total, {women, men, other});
  table.grid.Suppress(3);  // Only 2 is small; 3 is its partner.
  EXPECT_EQ(SuppressedCells(table.grid, 4), (std::vector<std::size_t>{women, men}));
  EXPECT_TRUE(NoSumGivesAwayASuppressedCell(table.grid, table.sums));
  table.grid.Suppress(5);  // 2, 3 and 4 are small; the total stays shown.
  EXPECT_EQ(SuppressedCells(table.grid, 4), (std::vector<std::size_t>{women, men, other}));
  table.grid.Suppress(3);  // A lower k again shows 4 again.
  EXPECT_EQ(SuppressedCells(table.grid, 4), (std::vector<std::size_t>{women, men}));
}

TEST(SuppressionGrid, NeverLeavesOneSuppressedCellInAnySumOfRandomTables) {
  std::mt19937 random(20231123);  // Fixed seed: the same tables on every run.
  std::discrete_distribution<int> size_class({6, 3, 3});
  for (int round = 0; round < 300; ++round) {
    const std::size_t rows = 1 + random() % 6;
    const std::size_t columns = 1 + random() % 4;
    std::vector<std::vector<std::int64_t>> values(rows, std::vector<std::int64_t>(columns));
    for (auto& row : values) {
      for (std::int64_t& value : row) {
        const int size = size_class(random);
        value = size == 0 ? 0 : size == 1 ? 1 + random() % 4 : 5 + random() % 30;
      }
    }
    TwoWayTable two_way(values);
    SuppressionGrid& grid = two_way.table.grid;
    const int k = 3 + round % 3;
    grid.Suppress(k);
    SCOPED_TRACE("round " + std::to_string(round) + ", k " + std::to_string(k));
    ASSERT_TRUE(NoSumGivesAwayASuppressedCell(grid, two_way.table.sums));
    ASSERT_TRUE(NoCombinationGivesAwayASuppressedCell(grid, two_way.table.sums));
    for (std::size_t row = 0; row < rows; ++row) {
      for (std::size_t column = 0; column < columns; ++column) {
        const std::size_t cell = two_way.interior[row][column];
        const std::int64_t value = values[row][column];
        if (value >= 1 && value < k) {
          EXPECT_TRUE(grid.IsSuppressed(cell));
        } else if (!grid.IsSuppressed(cell)) {
          EXPECT_EQ(grid.Shown(cell), value);
        }
      }
    }
  }
}

// Three sums, each left with two suppressed cells by the per-sum rule, share them pairwise:
// p + q, q + s and p + s are known, so p = 1 could be worked out. The grid hides one more
// cell of those sums.
TEST(SuppressionGrid, HidesMoreWhenACombinationOfSumsWouldGiveACellAway) {
  Table table;
  const std::size_t p = table.Cell(1), q = table.Cell(5), s = table.Cell(6);
  const std::size_t w1 = table.Cell(20), w2 = table.Cell(30), w3 = table.Cell(40);
  const std::size_t t1 = table.Cell(26), t2 = table.Cell(41), t3 = table.Cell(47);
  table.Sum(t1, {p, q, w1});
  table.Sum(t2, {q, s, w2});
  table.Sum(t3, {p, s, w3});
  table.grid.Suppress(3);
  EXPECT_TRUE(NoSumGivesAwayASuppressedCell(table.grid, table.sums));
  EXPECT_TRUE(NoCombinationGivesAwayASuppressedCell(table.grid, table.sums));
  // p, q and s, and the smallest shown part of a sum that holds p: w1.
  EXPECT_EQ(SuppressedCells(table.grid, table.grid.CellCount()),
            (std::vector<std::size_t>{p, q, s, w1}));
}

// Random tables linked across two reports and two half-years: every interior cell of a year
// table is the sum of the two half-year cells, as a year's flows are.
TEST(SuppressionGrid, NoCombinationOfLinkedYearAndHalfYearTablesGivesACellAway) {
  std::mt19937 random(20261202);
  for (int round = 0; round < 100; ++round) {
    const std::size_t rows = 2 + random() % 4;
    Table table;
    std::vector<std::vector<std::size_t>> halves[2];
    std::vector<std::vector<std::int64_t>> year_values(rows, std::vector<std::int64_t>(3, 0));
    for (auto& half : halves) {
      half.assign(rows, std::vector<std::size_t>(3));
      for (std::size_t row = 0; row < rows; ++row) {
        std::vector<std::size_t> parts;
        std::int64_t total = 0;
        for (std::size_t kon = 0; kon < 3; ++kon) {
          const std::int64_t value = random() % 3 == 0 ? random() % 4 : random() % 40;
          half[row][kon] = table.Cell(value);
          year_values[row][kon] += value;
          total += value;
          parts.push_back(half[row][kon]);
        }
        table.Sum(table.Cell(total), parts);
      }
    }
    for (std::size_t row = 0; row < rows; ++row) {
      std::vector<std::size_t> parts;
      std::int64_t total = 0;
      for (std::size_t kon = 0; kon < 3; ++kon) {
        const std::size_t cell = table.Cell(year_values[row][kon]);
        table.Sum(cell, {halves[0][row][kon], halves[1][row][kon]});
        parts.push_back(cell);
        total += year_values[row][kon];
      }
      table.Sum(table.Cell(total), parts);
    }
    table.grid.Suppress(5);
    SCOPED_TRACE("round " + std::to_string(round));
    ASSERT_TRUE(NoSumGivesAwayASuppressedCell(table.grid, table.sums));
    ASSERT_TRUE(NoCombinationGivesAwayASuppressedCell(table.grid, table.sums));
  }
}

TEST(SuppressionGrid, SuppressesEverythingUntilSuppressHasRunAfterTheLastChange) {
  SuppressionGrid grid;
  const std::size_t big = grid.AddCell(40);
  EXPECT_TRUE(grid.IsSuppressed(big));
  grid.Suppress(5);
  EXPECT_EQ(grid.Shown(big), 40);
  const std::size_t later = grid.AddCell(50);
  EXPECT_TRUE(grid.IsSuppressed(big));
  EXPECT_TRUE(grid.IsSuppressed(later));
  grid.Suppress(5);
  EXPECT_FALSE(grid.IsSuppressed(later));
}

}  // namespace
}  // namespace stegvis::report
