// Statistical disclosure control for published counts: small-cell suppression.
//
// A förbund is a public authority, so anyone may request its reports; a count of 1 to k-1
// participants in a small municipality can point at a person. A report therefore puts the
// counts of its tables into a SuppressionGrid together with the sums that link them (a row
// total and its kön cells, a column total and the rows above it, the grand total), asks the
// grid which cells it may show, and prints a mark instead of every suppressed cell.
//
// Primary suppression hides every count from 1 to k-1. Secondary suppression then hides
// further cells until no suppressed count can be recomputed: first so that no sum has exactly
// one suppressed cell among its total and its parts (how a reader of one printed table
// subtracts), then, checked with report::DeterminedCells, so that no combination of the sums
// (chains across rows, columns, tables, reports and periods linked in the same grid)
// determines a suppressed cell exactly.
//
// Limits a caller must know:
// - The guarantee covers the sums declared in the grid: a relation a reader knows but the
//   grid was not told about is not protected. It is exact, not interval, protection: a
//   determined attacker using that counts are whole and non-negative may still narrow a
//   suppressed cell to a range (linear programming). When the only other part is a 0,
//   suppressing it hides which cell holds the count but not that the pair is small.
// - Derived figures are the caller's duty: a share, mean or rate built on a suppressed
//   count must be suppressed too, and so must one whose shown numerator and denominator
//   would let a reader recompute a suppressed count (25 % of a shown 12 is 3).
//
// Pure logic: no I/O. Everything is deterministic, so the same data always gives the same
// published pattern (a pattern that changed between two requests would leak by difference).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "report/linear_audit.h"

namespace stegvis::report {

class SuppressionGrid {
 public:
  // Adds a count and returns its cell index (0, 1, 2, ... in the order of the calls).
  // Requires `value >= 0`; a count is computed, never typed in, so a negative one is a bug
  // and is asserted. The new cell counts as suppressed until the next Suppress().
  std::size_t AddCell(std::int64_t value);

  // Declares that cell `total` equals the sum of the cells `parts`. A cell may be the total
  // or a part of any number of sums, which is how linked tables are described. Requires
  // indices returned by AddCell, at least one part, distinct parts, `total` not among them,
  // and that the values add up; each is asserted. Every cell counts as suppressed until the
  // next Suppress().
  void AddSum(std::size_t total, std::vector<std::size_t> parts);

  // Decides, from scratch, which cells are suppressed for the threshold `k`, the smallest
  // count that may be shown. Call it after the last AddCell and AddSum.
  //
  // Primary: every cell with 1 <= value <= k-1 is suppressed; 0 and values >= k are shown
  // (k <= 1 suppresses nothing primarily).
  //
  // Secondary, repeated over all sums in the order they were added until a whole pass
  // changes nothing: a sum with exactly one suppressed cell lets a reader recompute that
  // cell, so one more of its cells is suppressed:
  // - the shown part with the smallest non-zero value (ties: the lowest cell index);
  // - else the shown 0 part with the lowest cell index: it tells nothing new by itself but
  //   stops the subtraction;
  // - else, when every part is suppressed or there is only the one, the total.
  // The suppressed cell may be the total while all parts are shown (a total suppressed to
  // protect another sum); suppressing the total alone is then useless, as adding the parts
  // gives it back, so the same rule suppresses the part of smallest non-zero value as well.
  //
  // Then the combination check: while some suppressed cell is determined by a combination
  // of sums, the shown cell of least value (non-zero first, then the lowest index) among the
  // sums that hold the first such cell is suppressed too, and the passes above run again.
  //
  // Each pass adds at least one suppressed cell or ends the loop, so Suppress ends after at
  // most as many passes as there are cells.
  void Suppress(int k);

  // Whether `cell` must not be published. True for every cell until Suppress() has run
  // after the last AddCell or AddSum, so that forgetting Suppress() shows nothing rather
  // than everything. Requires a cell index returned by AddCell (asserted).
  bool IsSuppressed(std::size_t cell) const;

  // The value of `cell` to publish, or nullopt when it is suppressed.
  std::optional<std::int64_t> Shown(std::size_t cell) const;

  std::size_t CellCount() const { return values_.size(); }

 private:
  using Sum = LinkedSum;

  // Applies the secondary rule to one sum; returns whether it suppressed a cell.
  bool ProtectSum(const Sum& sum);
  // Suppresses one more cell of a sum that holds `cell`: the shown cell that costs least;
  // false when those sums show nothing.
  bool ProtectCell(std::size_t cell);

  std::vector<std::int64_t> values_;
  std::vector<bool> suppressed_;
  std::vector<Sum> sums_;
  // False from any change until the next Suppress(); while false every cell is suppressed.
  bool decided_ = false;
};

}  // namespace stegvis::report
