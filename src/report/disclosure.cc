#include "report/disclosure.h"

namespace stegvis::report {

std::size_t SuppressionGrid::AddCell(std::int64_t value) {
  values_.push_back(value);
  suppressed_.push_back(false);
  return values_.size() - 1;
}

void SuppressionGrid::AddSum(std::size_t total, std::vector<std::size_t> parts) {
  sums_.push_back(Sum{total, std::move(parts)});
}

std::optional<std::int64_t> SuppressionGrid::Shown(std::size_t cell) const {
  if (suppressed_[cell]) return std::nullopt;
  return values_[cell];
}

bool SuppressionGrid::SuppressAnother(const Sum& sum) {
  std::optional<std::size_t> smallest_nonzero;
  std::optional<std::size_t> first_zero;
  for (std::size_t part : sum.parts) {
    if (suppressed_[part]) continue;
    if (values_[part] == 0) {
      if (!first_zero || part < *first_zero) first_zero = part;
    } else if (!smallest_nonzero || values_[part] < values_[*smallest_nonzero] ||
               (values_[part] == values_[*smallest_nonzero] && part < *smallest_nonzero)) {
      smallest_nonzero = part;
    }
  }
  if (smallest_nonzero) {
    suppressed_[*smallest_nonzero] = true;
  } else if (first_zero) {
    suppressed_[*first_zero] = true;
  } else if (!suppressed_[sum.total]) {
    suppressed_[sum.total] = true;
  } else {
    return false;
  }
  return true;
}

void SuppressionGrid::Suppress(int k) {
  for (std::size_t cell = 0; cell < values_.size(); ++cell) {
    suppressed_[cell] = values_[cell] >= 1 && values_[cell] <= k - 1;
  }
  bool changed = true;
  while (changed) {
    changed = false;
    for (const Sum& sum : sums_) {
      // The relation total = Σ parts has as many unknowns as suppressed cells; exactly one
      // unknown can be solved for.
      std::size_t unknowns = suppressed_[sum.total] ? 1 : 0;
      for (std::size_t part : sum.parts) unknowns += suppressed_[part] ? 1 : 0;
      if (unknowns == 1 && SuppressAnother(sum)) changed = true;
    }
  }
}

}  // namespace stegvis::report
