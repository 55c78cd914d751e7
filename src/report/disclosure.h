// Statistical disclosure control for published counts: small-cell suppression with
// secondary suppression over linked tables. Pure; the reports decide which counts are cells
// and which cells add up to which.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace stegvis::report {

// Count cells and the sums that link them. A reader of the published table knows every
// shown cell and every sum relation; suppression makes sure no suppressed cell can be
// recomputed from one relation. Callers must also suppress any share or mean built on a
// suppressed count.
class SuppressionGrid {
 public:
  // Adds a cell with a count ≥ 0 and returns its index.
  std::size_t AddCell(std::int64_t value);

  // Declares that cell `total` is the sum of cells `parts` (e.g. a row total and its kön
  // cells, a column total and the rows). A cell may appear in many sums.
  void AddSum(std::size_t total, std::vector<std::size_t> parts);

  // Primary suppression: every cell with 1 ≤ value ≤ k−1 is suppressed; 0 and values ≥ k are
  // shown. Secondary suppression, repeated until nothing changes: a sum relation with exactly
  // one suppressed cell (its total or one part) would give that cell away, so one more cell
  // of it is suppressed: the shown part with the smallest non-zero value (the lowest index on
  // a tie), else a shown zero part, else the total. Always terminates: each round only adds.
  void Suppress(int k);

  bool IsSuppressed(std::size_t cell) const { return suppressed_[cell]; }
  // The value, or nullopt when suppressed.
  std::optional<std::int64_t> Shown(std::size_t cell) const;
  std::size_t size() const { return values_.size(); }

 private:
  struct Sum {
    std::size_t total;
    std::vector<std::size_t> parts;
  };
  // Suppresses one more cell of `sum`; false when every cell of it is suppressed already.
  bool SuppressAnother(const Sum& sum);

  std::vector<std::int64_t> values_;
  std::vector<bool> suppressed_;
  std::vector<Sum> sums_;
};

}  // namespace stegvis::report
