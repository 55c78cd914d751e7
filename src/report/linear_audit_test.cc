#include "report/linear_audit.h"

#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace stegvis::report {
namespace {

std::vector<bool> Hidden(std::size_t cells, const std::vector<std::size_t>& hidden) {
  std::vector<bool> result(cells, false);
  for (std::size_t cell : hidden) result[cell] = true;
  return result;
}

TEST(DeterminedCells, FindsTheOneHiddenCellOfASum) {
  // 0 = 1 + 2 + 3, only 2 hidden: total minus the shown parts.
  EXPECT_EQ(DeterminedCells({{0, {1, 2, 3}}}, Hidden(4, {2})), std::vector<std::size_t>{2});
  EXPECT_EQ(DeterminedCells({{0, {1, 2, 3}}}, Hidden(4, {0})), std::vector<std::size_t>{0});
}

TEST(DeterminedCells, FindsNothingWhenTwoCellsOfEverySumAreHidden) {
  EXPECT_TRUE(DeterminedCells({{0, {1, 2, 3}}}, Hidden(4, {1, 2})).empty());
}

// Three sums each with two hidden cells, pairwise shared: p + q, q + s and p + s are known,
// so p = ((p + q) - (q + s) + (p + s)) / 2. No single sum shows it.
TEST(DeterminedCells, FindsACellThatOnlyACombinationOfSumsGivesAway) {
  // Cells: 0 p, 1 q, 2 s, 3..5 shown parts, 6..8 totals.
  const std::vector<LinkedSum> sums = {{6, {0, 1, 3}}, {7, {1, 2, 4}}, {8, {0, 2, 5}}};
  EXPECT_EQ(DeterminedCells(sums, Hidden(9, {0, 1, 2})), (std::vector<std::size_t>{0, 1, 2}));
}

// A hidden rectangle in a two-way table with its margins: every cell can move by +t, -t
// around it, so none is determined; a hidden L-shape is not closed and gives cells away.
TEST(DeterminedCells, FindsNothingInAHiddenRectangleButFindsAnOpenShape) {
  // A 2 x 3 table: cells r*3 + c (0..5), row totals 6, 7, column totals 8, 9, 10, grand 11.
  const std::vector<LinkedSum> sums = {{6, {0, 1, 2}}, {7, {3, 4, 5}}, {8, {0, 3}},     {9, {1, 4}},
                                       {10, {2, 5}},   {11, {6, 7}},   {11, {8, 9, 10}}};
  EXPECT_TRUE(DeterminedCells(sums, Hidden(12, {0, 1, 3, 4})).empty());
  EXPECT_FALSE(DeterminedCells(sums, Hidden(12, {0, 1, 3})).empty());
}

// The same question answered with floating-point elimination on small random systems.
std::vector<std::size_t> DeterminedByDoubles(const std::vector<LinkedSum>& sums,
                                             const std::vector<bool>& hidden) {
  std::vector<std::size_t> cell_of;
  std::vector<int> column_of(hidden.size(), -1);
  for (std::size_t cell = 0; cell < hidden.size(); ++cell) {
    if (hidden[cell]) {
      column_of[cell] = static_cast<int>(cell_of.size());
      cell_of.push_back(cell);
    }
  }
  std::vector<std::vector<double>> rows;
  for (const LinkedSum& sum : sums) {
    std::vector<double> row(cell_of.size(), 0);
    if (column_of[sum.total] >= 0) row[column_of[sum.total]] += 1;
    for (std::size_t part : sum.parts) {
      if (column_of[part] >= 0) row[column_of[part]] -= 1;
    }
    rows.push_back(row);
  }
  std::size_t rank = 0;
  std::vector<std::size_t> pivots;
  for (std::size_t column = 0; column < cell_of.size() && rank < rows.size(); ++column) {
    std::size_t best = rank;
    for (std::size_t r = rank; r < rows.size(); ++r) {
      if (std::abs(rows[r][column]) > std::abs(rows[best][column])) best = r;
    }
    if (std::abs(rows[best][column]) < 1e-9) continue;
    std::swap(rows[rank], rows[best]);
    const double pivot = rows[rank][column];
    for (double& value : rows[rank]) value /= pivot;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (r == rank) continue;
      const double factor = rows[r][column];
      for (std::size_t k = 0; k < cell_of.size(); ++k) rows[r][k] -= factor * rows[rank][k];
    }
    pivots.push_back(column);
    ++rank;
  }
  std::vector<std::size_t> determined;
  for (std::size_t r = 0; r < rank; ++r) {
    std::size_t non_zero = 0;
    for (double value : rows[r]) non_zero += std::abs(value) > 1e-9 ? 1 : 0;
    if (non_zero == 1) determined.push_back(cell_of[pivots[r]]);
  }
  std::sort(determined.begin(), determined.end());
  return determined;
}

TEST(DeterminedCells, AgreesWithPlainEliminationOnRandomLinkedTables) {
  std::mt19937 random(20261202);
  for (int round = 0; round < 300; ++round) {
    const std::size_t cells = 6 + random() % 10;
    std::vector<LinkedSum> sums;
    const std::size_t sum_count = 1 + random() % 6;
    for (std::size_t s = 0; s < sum_count; ++s) {
      LinkedSum sum{random() % cells, {}};
      for (std::size_t cell = 0; cell < cells; ++cell) {
        if (cell != sum.total && random() % 3 == 0) sum.parts.push_back(cell);
      }
      if (!sum.parts.empty()) sums.push_back(sum);
    }
    std::vector<bool> hidden(cells);
    for (std::size_t cell = 0; cell < cells; ++cell) hidden[cell] = random() % 2 == 0;
    EXPECT_EQ(DeterminedCells(sums, hidden), DeterminedByDoubles(sums, hidden))
        << "round " << round;
  }
}

}  // namespace
}  // namespace stegvis::report
