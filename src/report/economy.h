// The economy report the board reads: for one förbund and year, income per member, cost
// per line, result, equity in and out, cost distribution by category, LIV share, the
// members' shares of income, and warnings (balance requirement, member shares, outcome
// against budget).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/plan.h"
#include "util/error.h"

namespace stegvis::report {

// Which figures a year's report stands on: outcome where it exists, otherwise the budget
// (which the plan may mark as a forecast).
enum class Basis { kBudget, kPrognos, kUtfall };
std::string_view BasisCode(Basis basis);

enum class RowKind { kIncome, kCost };

struct EconomyRow {
  RowKind kind = RowKind::kCost;
  std::string label;
  std::optional<std::string> member_id;
  std::optional<std::string> insats_id;
  std::optional<core::CostCategory> category;  // Cost rows only.
  util::Money amount;                          // The figure on the report's basis.
  std::optional<util::Money> budget;           // Set when the year has a budget line.
  std::optional<util::Money> outcome;          // Set when the year has an outcome line.
};

struct Warning {
  std::string code;  // Stable machine code, e.g. "balanskrav".
  util::Text text;
};

struct EconomyReport {
  std::string forbund_id;
  std::string forbund_name;
  int year = 0;
  Basis basis = Basis::kBudget;
  util::Money income;
  util::Money costs;
  util::Money result;
  std::optional<util::Money> equity_in;
  std::optional<util::Money> equity_out;
  // Share of costs per category in tenths of a percent, indexed like kAllCostCategories.
  std::array<std::optional<std::int64_t>, 4> distribution_permille;
  std::optional<std::int64_t> liv_permille;
  // Members' shares of member income in tenths of a percent.
  std::optional<std::int64_t> state_permille;
  std::optional<std::int64_t> region_permille;
  std::optional<std::int64_t> kommuner_permille;
  std::vector<EconomyRow> rows;
  std::vector<Warning> warnings;
};

// Builds the report for `year`. Fails with kNotFound when the plan has neither budget nor
// outcome for that year.
util::Result<EconomyReport> BuildEconomyReport(const core::Plan& plan, int year);

// The members' target shares in tenths of a percent, and how far off a share may be
// before the report warns.
inline constexpr std::int64_t kStateTargetPermille = 500;
inline constexpr std::int64_t kRegionTargetPermille = 250;
inline constexpr std::int64_t kKommunerTargetPermille = 250;
inline constexpr std::int64_t kShareTolerancePermille = 5;

}  // namespace stegvis::report
