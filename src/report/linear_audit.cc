#include "report/linear_audit.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <utility>

namespace stegvis::report {

namespace {

using Residue = std::uint64_t;
constexpr Residue kPrime = (Residue{1} << 61) - 1;

Residue Add(Residue a, Residue b) { return (a + b) % kPrime; }
Residue Negate(Residue a) { return a == 0 ? 0 : kPrime - a; }
Residue Multiply(Residue a, Residue b) {
  return static_cast<Residue>((static_cast<unsigned __int128>(a) * b) % kPrime);
}
Residue Inverse(Residue a) {
  // Fermat: a^(p-2).
  Residue result = 1;
  Residue base = a;
  for (Residue exponent = kPrime - 2; exponent > 0; exponent >>= 1) {
    if (exponent & 1) result = Multiply(result, base);
    base = Multiply(base, base);
  }
  return result;
}

}  // namespace

std::vector<std::size_t> DeterminedCells(const std::vector<LinkedSum>& sums,
                                         const std::vector<bool>& hidden) {
  // The hidden cells are the unknowns, numbered in cell order.
  std::unordered_map<std::size_t, std::size_t> column_of;
  std::vector<std::size_t> cell_of;
  for (std::size_t cell = 0; cell < hidden.size(); ++cell) {
    if (hidden[cell]) {
      column_of.emplace(cell, cell_of.size());
      cell_of.push_back(cell);
    }
  }
  const std::size_t columns = cell_of.size();
  // One equation per sum that has a hidden cell: +total - parts, shown cells left out.
  std::vector<std::vector<Residue>> rows;
  for (const LinkedSum& sum : sums) {
    std::vector<Residue> row(columns, 0);
    bool any = false;
    auto put = [&](std::size_t cell, Residue coefficient) {
      if (const auto found = column_of.find(cell); found != column_of.end()) {
        row[found->second] = Add(row[found->second], coefficient);
        any = true;
      }
    };
    put(sum.total, 1);
    for (std::size_t part : sum.parts) put(part, Negate(1));
    if (any) rows.push_back(std::move(row));
  }

  // Reduced row echelon form.
  std::vector<std::size_t> pivot_column_of_row;
  std::size_t rank = 0;
  for (std::size_t column = 0; column < columns && rank < rows.size(); ++column) {
    std::size_t pivot = rank;
    while (pivot < rows.size() && rows[pivot][column] == 0) ++pivot;
    if (pivot == rows.size()) continue;
    std::swap(rows[rank], rows[pivot]);
    const Residue inverse = Inverse(rows[rank][column]);
    for (Residue& value : rows[rank]) value = Multiply(value, inverse);
    for (std::size_t other = 0; other < rows.size(); ++other) {
      if (other == rank || rows[other][column] == 0) continue;
      const Residue factor = rows[other][column];
      for (std::size_t k = column; k < columns; ++k) {
        if (rows[rank][k] != 0) {
          rows[other][k] = Add(rows[other][k], Negate(Multiply(factor, rows[rank][k])));
        }
      }
    }
    pivot_column_of_row.push_back(column);
    ++rank;
  }

  // A unit vector lies in the row space exactly when its column is a pivot column whose row
  // is zero everywhere else.
  std::vector<std::size_t> determined;
  for (std::size_t row = 0; row < rank; ++row) {
    std::size_t non_zero = 0;
    for (Residue value : rows[row]) non_zero += value != 0 ? 1 : 0;
    if (non_zero == 1) determined.push_back(cell_of[pivot_column_of_row[row]]);
  }
  std::sort(determined.begin(), determined.end());
  return determined;
}

}  // namespace stegvis::report
