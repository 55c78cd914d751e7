#include "report/disclosure.h"

#include <algorithm>
#include <cassert>
#include <tuple>
#include <utility>

namespace stegvis::report {

namespace {

[[maybe_unused]] bool AreDistinct(std::vector<std::size_t> cells) {
  std::sort(cells.begin(), cells.end());
  return std::adjacent_find(cells.begin(), cells.end()) == cells.end();
}

}  // namespace

std::size_t SuppressionGrid::AddCell(std::int64_t value) {
  assert(value >= 0);
  values_.push_back(value);
  decided_ = false;
  return values_.size() - 1;
}

void SuppressionGrid::AddSum(std::size_t total, std::vector<std::size_t> parts) {
  assert(total < values_.size());
  assert(!parts.empty());
  assert(AreDistinct(parts));
  assert(std::find(parts.begin(), parts.end(), total) == parts.end());
#ifndef NDEBUG
  std::int64_t sum = 0;
  for (std::size_t part : parts) {
    assert(part < values_.size());
    sum += values_[part];
  }
  assert(sum == values_[total]);
#endif
  sums_.push_back(Sum{total, std::move(parts)});
  decided_ = false;
}

void SuppressionGrid::Suppress(int k) {
  suppressed_.assign(values_.size(), false);
  for (std::size_t cell = 0; cell < values_.size(); ++cell) {
    suppressed_[cell] = values_[cell] >= 1 && values_[cell] < k;
  }
  while (true) {
    bool changed = true;
    while (changed) {
      changed = false;
      for (const Sum& sum : sums_) {
        if (ProtectSum(sum)) changed = true;
      }
    }
    // No sum alone gives a hidden cell away any more; a combination of sums still may (a
    // chain through several tables, a difference of two totals). Each round hides one more
    // cell, so this ends.
    // (A cell determined only by sums with nothing shown, i.e. a sum of hidden cells known
    // to be 0 from other hidden cells, cannot be protected further; it ends the loop.)
    const std::vector<std::size_t> determined = DeterminedCells(sums_, suppressed_);
    if (std::none_of(determined.begin(), determined.end(),
                     [this](std::size_t cell) { return ProtectCell(cell); })) {
      break;
    }
  }
  decided_ = true;
}

bool SuppressionGrid::ProtectCell(std::size_t cell) {
  // The shown cell of the sums that hold `cell` that costs least to hide, ranked as in
  // ProtectSum.
  std::optional<std::size_t> choice;
  auto rank = [this](std::size_t candidate) {
    return std::tuple(values_[candidate] == 0, values_[candidate], candidate);
  };
  auto consider = [&](std::size_t candidate) {
    if (!suppressed_[candidate] && (!choice || rank(candidate) < rank(*choice))) {
      choice = candidate;
    }
  };
  for (const Sum& sum : sums_) {
    if (sum.total != cell &&
        std::find(sum.parts.begin(), sum.parts.end(), cell) == sum.parts.end()) {
      continue;
    }
    consider(sum.total);
    for (std::size_t part : sum.parts) consider(part);
  }
  if (!choice) {
    // Every other cell of its sums is hidden already: the cell is given away further along
    // a chain. The cheapest shown cell of any sum with a hidden cell whose hiding leaves the
    // cell undetermined, else the cheapest such cell at all (each call hides one more cell,
    // so the caller's loop still ends).
    std::vector<std::size_t> candidates;
    for (const Sum& sum : sums_) {
      bool touches = suppressed_[sum.total];
      for (std::size_t part : sum.parts) touches = touches || suppressed_[part];
      if (!touches) continue;
      if (!suppressed_[sum.total]) candidates.push_back(sum.total);
      for (std::size_t part : sum.parts) {
        if (!suppressed_[part]) candidates.push_back(part);
      }
    }
    std::sort(candidates.begin(), candidates.end(),
              [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    if (candidates.empty()) return false;
    choice = candidates.front();
    for (std::size_t candidate : candidates) {
      suppressed_[candidate] = true;
      const std::vector<std::size_t> determined = DeterminedCells(sums_, suppressed_);
      suppressed_[candidate] = false;
      if (!std::binary_search(determined.begin(), determined.end(), cell)) {
        choice = candidate;
        break;
      }
    }
  }
  suppressed_[*choice] = true;
  return true;
}

bool SuppressionGrid::ProtectSum(const Sum& sum) {
  std::size_t suppressed_cells = suppressed_[sum.total] ? 1 : 0;
  for (std::size_t part : sum.parts) {
    if (suppressed_[part]) ++suppressed_cells;
  }
  if (suppressed_cells != 1) return false;

  // The shown part that costs least to hide: non-zero before zero, then the smaller value,
  // then the lower cell index.
  std::optional<std::size_t> choice;
  auto rank = [this](std::size_t cell) {
    return std::tuple(values_[cell] == 0, values_[cell], cell);
  };
  for (std::size_t part : sum.parts) {
    if (suppressed_[part]) continue;
    if (!choice || rank(part) < rank(*choice)) choice = part;
  }
  // Without a shown part the one suppressed cell is a part and the total is shown.
  suppressed_[choice.value_or(sum.total)] = true;
  return true;
}

bool SuppressionGrid::IsSuppressed(std::size_t cell) const {
  assert(cell < values_.size());
  return !decided_ || suppressed_[cell];
}

std::optional<std::int64_t> SuppressionGrid::Shown(std::size_t cell) const {
  if (IsSuppressed(cell)) return std::nullopt;
  return values_[cell];
}

}  // namespace stegvis::report
