#include "report/disclosure.h"

#include <gtest/gtest.h>

namespace stegvis::report {
namespace {

// What a reader could do: for every relation with a shown total or shown parts, solve for a
// single unknown. Returns the relations (by index) that leave exactly one cell suppressed.
std::vector<std::size_t> Recoverable(
    const SuppressionGrid& grid,
    const std::vector<std::pair<std::size_t, std::vector<std::size_t>>>& sums) {
  std::vector<std::size_t> leaks;
  for (std::size_t i = 0; i < sums.size(); ++i) {
    std::size_t unknowns = grid.IsSuppressed(sums[i].first) ? 1 : 0;
    for (std::size_t part : sums[i].second) unknowns += grid.IsSuppressed(part) ? 1 : 0;
    if (unknowns == 1) leaks.push_back(i);
  }
  return leaks;
}

TEST(SuppressionGrid, SuppressesOneToKMinusOneAndShowsZero) {
  SuppressionGrid grid;
  for (std::int64_t value : {0, 1, 4, 5, 100}) grid.AddCell(value);
  grid.Suppress(5);
  EXPECT_EQ(grid.Shown(0), 0);
  EXPECT_FALSE(grid.Shown(1).has_value());
  EXPECT_FALSE(grid.Shown(2).has_value());
  EXPECT_EQ(grid.Shown(3), 5);
  EXPECT_EQ(grid.Shown(4), 100);
}

TEST(SuppressionGrid, HidesASecondPartSoASmallCellCannotBeSubtracted) {
  // kvinnor 3, man 10, annat 0, total 13: 3 = 13 − 10 − 0 unless 10 is hidden too.
  SuppressionGrid grid;
  const std::size_t women = grid.AddCell(3), men = grid.AddCell(10), other = grid.AddCell(0);
  const std::size_t total = grid.AddCell(13);
  grid.AddSum(total, {women, men, other});
  grid.Suppress(5);
  EXPECT_TRUE(grid.IsSuppressed(women));
  EXPECT_TRUE(grid.IsSuppressed(men));
  EXPECT_FALSE(grid.IsSuppressed(other));
  EXPECT_EQ(grid.Shown(total), 13);
  EXPECT_TRUE(Recoverable(grid, {{total, {women, men, other}}}).empty());
}

TEST(SuppressionGrid, PrefersASuppressedZeroToALargeCountWhenNoOtherPartIsNonZero) {
  SuppressionGrid grid;
  const std::size_t small = grid.AddCell(2), zero = grid.AddCell(0), total = grid.AddCell(2);
  grid.AddSum(total, {small, zero});
  grid.Suppress(5);
  // The total itself is small and suppressed: two unknowns, nothing more to hide.
  EXPECT_TRUE(grid.IsSuppressed(small));
  EXPECT_TRUE(grid.IsSuppressed(total));
  EXPECT_FALSE(grid.IsSuppressed(zero));
}

TEST(SuppressionGrid, HidesAPartWhenOnlyTheSmallTotalIsSuppressed) {
  // Parts 2 + 2 are small themselves; parts 6 + 0 are not, but their total 6 is shown, so
  // use parts 3 + 1 with a large k to make only the total primary... instead: total 4 of
  // parts 0 + 4 with k = 5: all of 4 and 4 suppressed, 0 shown.
  SuppressionGrid grid;
  const std::size_t a = grid.AddCell(0), b = grid.AddCell(7), total = grid.AddCell(7);
  grid.AddSum(total, {a, b});
  grid.Suppress(8);  // 7 is small when k = 8: total and b are both primary.
  EXPECT_TRUE(grid.IsSuppressed(b));
  EXPECT_TRUE(grid.IsSuppressed(total));
  EXPECT_TRUE(Recoverable(grid, {{total, {a, b}}}).empty());
}

TEST(SuppressionGrid, ProtectsLinkedRowsAndColumnsOfATwoWayTable) {
  // Rows: two interventions; columns: kvinnor, man, annat; with row, column and grand totals.
  //            K    M   A | total
  //   A       12    3   0 |  15
  //   B        6    6   0 |  12
  //   total   18    9   0 |  27
  SuppressionGrid grid;
  const std::size_t ak = grid.AddCell(12), am = grid.AddCell(3), aa = grid.AddCell(0);
  const std::size_t bk = grid.AddCell(6), bm = grid.AddCell(6), ba = grid.AddCell(0);
  const std::size_t at = grid.AddCell(15), bt = grid.AddCell(12);
  const std::size_t tk = grid.AddCell(18), tm = grid.AddCell(9), ta = grid.AddCell(0);
  const std::size_t tt = grid.AddCell(27);
  const std::vector<std::pair<std::size_t, std::vector<std::size_t>>> sums = {
      {at, {ak, am, aa}}, {bt, {bk, bm, ba}}, {tt, {tk, tm, ta}}, {tk, {ak, bk}},
      {tm, {am, bm}},     {ta, {aa, ba}},     {tt, {at, bt}}};
  for (const auto& [total, parts] : sums) grid.AddSum(total, parts);
  grid.Suppress(5);
  EXPECT_TRUE(Recoverable(grid, sums).empty());
  // The exact set: 3 (primary), 12 (row A), 6 in B's women (column K), 6 in B's men (row B).
  const std::vector<std::size_t> expected = {ak, am, bk, bm};
  for (std::size_t cell = 0; cell < grid.size(); ++cell) {
    const bool want = std::find(expected.begin(), expected.end(), cell) != expected.end();
    EXPECT_EQ(grid.IsSuppressed(cell), want) << "cell " << cell;
  }
}

TEST(SuppressionGrid, LeavesAnAllZeroTableShown) {
  SuppressionGrid grid;
  const std::size_t a = grid.AddCell(0), b = grid.AddCell(0), total = grid.AddCell(0);
  grid.AddSum(total, {a, b});
  grid.Suppress(5);
  EXPECT_FALSE(grid.IsSuppressed(a) || grid.IsSuppressed(b) || grid.IsSuppressed(total));
}

TEST(SuppressionGrid, UsesTheGivenThreshold) {
  SuppressionGrid grid;
  const std::size_t two = grid.AddCell(2), three = grid.AddCell(3);
  grid.Suppress(3);
  EXPECT_TRUE(grid.IsSuppressed(two));
  EXPECT_FALSE(grid.IsSuppressed(three));
}

}  // namespace
}  // namespace stegvis::report
