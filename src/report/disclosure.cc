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
  bool changed = true;
  while (changed) {
    changed = false;
    for (const Sum& sum : sums_) {
      if (ProtectSum(sum)) changed = true;
    }
  }
  decided_ = true;
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
