// Which hidden cells of published tables a reader can work out exactly. A reader knows every
// shown count and every sum that links counts (a row total and its kön cells, a column total
// and the rows above it, a year and its half-years, the same count in two reports) and may
// combine the sums in any way: add them, subtract them, chain them across tables. A hidden
// cell is exactly determined when some combination of the sums leaves it alone on one side
// and only shown counts on the other.
//
// Over the hidden cells, every sum is a linear equation (its shown cells move to the
// constant side). A hidden cell is determined exactly when its unit vector lies in the row
// space of those equations; DeterminedCells finds them by Gaussian elimination to reduced
// row echelon form. The arithmetic is modulo the prime 2^61 - 1: the coefficients are 0, 1
// and -1, so a rank differs from the rational one only if the prime divides a minor of the
// matrix, which for tables of this size does not happen in practice (the tests compare with
// exact rational elimination on small tables).
//
// This is the attacker model of docs/reports.md: what it does not cover is narrowing a
// hidden cell to an interval with the knowledge that counts are whole and non-negative.
#pragma once

#include <cstddef>
#include <vector>

namespace stegvis::report {

// `total` equals the sum of `parts` (cell indices).
struct LinkedSum {
  std::size_t total = 0;
  std::vector<std::size_t> parts;
};

// The hidden cells (hidden[cell] true) that the sums determine exactly, in increasing order.
std::vector<std::size_t> DeterminedCells(const std::vector<LinkedSum>& sums,
                                         const std::vector<bool>& hidden);

}  // namespace stegvis::report
