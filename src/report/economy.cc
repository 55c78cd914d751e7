#include "report/economy.h"

#include <algorithm>

#include <fmt/format.h>

namespace stegvis::report {

namespace {

using core::CostLine;
using core::IncomeLine;
using core::MemberType;
using util::Money;

std::string Kronor(Money money) { return money.ToSwedishText() + " kr"; }

std::string Percent(std::int64_t permille) {
  return fmt::format("{}{},{}", permille < 0 ? "-" : "", std::abs(permille) / 10,
                     std::abs(permille) % 10);
}

std::string IncomeKey(const IncomeLine& line) {
  return line.member_id ? "medlem:" + *line.member_id : "post:" + line.label;
}

std::string IncomeLabel(const core::Plan& plan, const IncomeLine& line) {
  if (!line.member_id) return line.label;
  if (!line.label.empty()) return line.label;
  const core::Member* member = plan.FindMember(*line.member_id);
  return member != nullptr ? member->name : *line.member_id;
}

// Merges budget and outcome lines into rows, budget order first.
template <typename Line, typename KeyFn, typename MakeRowFn>
std::vector<EconomyRow> MergeRows(const std::vector<Line>* budget, const std::vector<Line>* outcome,
                                  KeyFn key, MakeRowFn make_row) {
  std::vector<EconomyRow> rows;
  std::vector<std::string> keys;
  auto add = [&](const Line& line, bool is_outcome) {
    const std::string line_key = key(line);
    auto it = std::find(keys.begin(), keys.end(), line_key);
    if (it == keys.end()) {
      keys.push_back(line_key);
      rows.push_back(make_row(line));
      it = keys.end() - 1;
    }
    EconomyRow& row = rows[static_cast<std::size_t>(it - keys.begin())];
    (is_outcome ? row.outcome : row.budget) = line.amount;
    if (is_outcome) {
      // The outcome says where the money went: its category and intervention count.
      const EconomyRow outcome_row = make_row(line);
      row.category = outcome_row.category;
      row.insats_id = outcome_row.insats_id;
    }
  };
  if (budget != nullptr) {
    for (const Line& line : *budget) add(line, false);
  }
  if (outcome != nullptr) {
    for (const Line& line : *outcome) add(line, true);
  }
  for (EconomyRow& row : rows) {
    row.amount = outcome != nullptr ? row.outcome.value_or(Money()) : row.budget.value_or(Money());
  }
  return rows;
}

// The year's result on its own basis, or nullopt when the plan has no figures for it.
std::optional<Money> YearResult(const core::Plan& plan, int year) {
  auto sum = [](const auto& lines) {
    Money total;
    for (const auto& line : lines) total += line.amount;
    return total;
  };
  if (const core::OutcomeYear* outcome = plan.FindOutcome(year)) {
    return sum(outcome->income) - sum(outcome->costs);
  }
  if (const core::BudgetYear* budget = plan.FindBudget(year)) {
    return sum(budget->income) - sum(budget->costs);
  }
  return std::nullopt;
}

void AddEquity(const core::Plan& plan, EconomyReport& report) {
  if (!plan.equity) {
    report.warnings.push_back({"eget_kapital_saknas",
                               {"Planen anger inget eget kapital; eget kapital kan inte räknas.",
                                "The plan gives no equity; equity cannot be computed."}});
    return;
  }
  if (report.year <= plan.equity->year) {
    report.warnings.push_back(
        {"eget_kapital_saknas",
         {fmt::format("Eget kapital är känt från utgången av {}; år {} ligger inte efter.",
                      plan.equity->year, report.year),
          fmt::format("Equity is known from the end of {}; year {} does not come after it.",
                      plan.equity->year, report.year)}});
    return;
  }
  Money equity = plan.equity->amount;
  for (int year = plan.equity->year + 1; year < report.year; ++year) {
    std::optional<Money> result = YearResult(plan, year);
    if (!result) {
      report.warnings.push_back(
          {"eget_kapital_saknas",
           {fmt::format("År {} saknar både budget och utfall; eget kapital kan inte räknas.", year),
            fmt::format("Year {} has neither budget nor outcome; equity cannot be computed.",
                        year)}});
      return;
    }
    equity += *result;
  }
  report.equity_in = equity;
  report.equity_out = equity + report.result;
}

void AddMemberShares(const core::Plan& plan, const std::vector<IncomeLine>& income,
                     EconomyReport& report) {
  Money state, region, kommuner;
  for (const IncomeLine& line : income) {
    if (!line.member_id) continue;
    const core::Member* member = plan.FindMember(*line.member_id);
    if (member == nullptr) continue;
    switch (member->type) {
      case MemberType::kStat:
      case MemberType::kFk:
      case MemberType::kAf:
        state += line.amount;
        break;
      case MemberType::kRegion:
        region += line.amount;
        break;
      case MemberType::kKommun:
        kommuner += line.amount;
        break;
    }
  }
  const Money total = state + region + kommuner;
  report.state_permille = util::PerMille(state, total);
  report.region_permille = util::PerMille(region, total);
  report.kommuner_permille = util::PerMille(kommuner, total);
  if (!report.state_permille) return;
  const bool off =
      std::abs(*report.state_permille - kStateTargetPermille) > kShareTolerancePermille ||
      std::abs(*report.region_permille - kRegionTargetPermille) > kShareTolerancePermille ||
      std::abs(*report.kommuner_permille - kKommunerTargetPermille) > kShareTolerancePermille;
  if (off) {
    report.warnings.push_back(
        {"medlemsandelar",
         {fmt::format("Medlemmarnas andelar av intäkterna är stat {} %, region {} %, kommuner "
                      "{} %; lagen anger 50/25/25.",
                      Percent(*report.state_permille), Percent(*report.region_permille),
                      Percent(*report.kommuner_permille)),
          fmt::format("The members' shares of income are state {} %, region {} %, "
                      "municipalities {} %; the law says 50/25/25.",
                      Percent(*report.state_permille), Percent(*report.region_permille),
                      Percent(*report.kommuner_permille))}});
  }
}

void AddOutcomeWarnings(EconomyReport& report) {
  for (const EconomyRow& row : report.rows) {
    if (row.kind != RowKind::kCost || !row.outcome) continue;
    if (!row.budget) {
      report.warnings.push_back(
          {"utfall_utan_budget",
           {fmt::format("{}: utfall {} utan budget.", row.label, Kronor(*row.outcome)),
            fmt::format("{}: outcome {} without a budget.", row.label, Kronor(*row.outcome))}});
    } else if (*row.outcome > *row.budget) {
      const Money over = *row.outcome - *row.budget;
      report.warnings.push_back(
          {"budget_overskriden",
           {fmt::format("{}: utfall {} överskrider budget {} med {}.", row.label,
                        Kronor(*row.outcome), Kronor(*row.budget), Kronor(over)),
            fmt::format("{}: outcome {} exceeds budget {} by {}.", row.label, Kronor(*row.outcome),
                        Kronor(*row.budget), Kronor(over))}});
    }
  }
}

}  // namespace

std::string_view BasisCode(Basis basis) {
  switch (basis) {
    case Basis::kBudget:
      return "budget";
    case Basis::kPrognos:
      return "prognos";
    case Basis::kUtfall:
      return "utfall";
  }
  return "budget";
}

util::Result<EconomyReport> BuildEconomyReport(const core::Plan& plan, int year) {
  const core::BudgetYear* budget = plan.FindBudget(year);
  const core::OutcomeYear* outcome = plan.FindOutcome(year);
  if (budget == nullptr && outcome == nullptr) {
    return util::Fail(
        util::Code::kNotFound, fmt::format("--ar {}", year),
        fmt::format("förbundet {} har varken budget eller utfall för år {}", plan.forbund.id, year),
        fmt::format("förbund {} has neither budget nor outcome for year {}", plan.forbund.id,
                    year));
  }

  EconomyReport report;
  report.forbund_id = plan.forbund.id;
  report.forbund_name = plan.forbund.name;
  report.year = year;
  report.basis = outcome != nullptr                         ? Basis::kUtfall
                 : budget->type == core::YearType::kPrognos ? Basis::kPrognos
                                                            : Basis::kBudget;

  std::vector<EconomyRow> income_rows = MergeRows(
      budget ? &budget->income : nullptr, outcome ? &outcome->income : nullptr, IncomeKey,
      [&](const IncomeLine& line) {
        return EconomyRow{
            RowKind::kIncome, IncomeLabel(plan, line), line.member_id, {}, {}, {}, {}, {}};
      });
  std::vector<EconomyRow> cost_rows = MergeRows(
      budget ? &budget->costs : nullptr, outcome ? &outcome->costs : nullptr,
      [](const CostLine& line) { return line.label; },
      [](const CostLine& line) {
        return EconomyRow{RowKind::kCost, line.label, {}, line.insats_id,
                          line.category,  {},         {}, {}};
      });

  std::array<Money, 4> by_category{};
  Money liv_costs;
  for (const EconomyRow& row : income_rows) report.income += row.amount;
  for (const EconomyRow& row : cost_rows) {
    report.costs += row.amount;
    by_category[static_cast<std::size_t>(*row.category)] += row.amount;
    if (row.insats_id) {
      const core::Insats* insats = plan.FindInsats(*row.insats_id);
      if (insats != nullptr && insats->form == core::FundingForm::kLiv) liv_costs += row.amount;
    }
  }
  report.result = report.income - report.costs;
  for (std::size_t i = 0; i < by_category.size(); ++i) {
    report.distribution_permille[i] = util::PerMille(by_category[i], report.costs);
  }
  report.liv_permille = util::PerMille(liv_costs, report.costs);

  report.rows = std::move(income_rows);
  report.rows.insert(report.rows.end(), cost_rows.begin(), cost_rows.end());

  AddEquity(plan, report);
  if (report.result < Money()) {
    const Money deficit = -report.result;
    if (!report.equity_in || deficit > *report.equity_in) {
      report.warnings.push_back(
          {"balanskrav",
           {fmt::format("Underskottet {} är inte täckt av eget kapital ({}); balanskravet är "
                        "inte uppfyllt.",
                        Kronor(deficit), report.equity_in ? Kronor(*report.equity_in) : "okänt"),
            fmt::format("The deficit {} is not covered by equity ({}); the balance requirement "
                        "is not met.",
                        Kronor(deficit),
                        report.equity_in ? Kronor(*report.equity_in) : "unknown")}});
    }
  }
  AddMemberShares(plan, outcome != nullptr ? outcome->income : budget->income, report);
  if (outcome != nullptr && budget != nullptr) AddOutcomeWarnings(report);
  return report;
}

}  // namespace stegvis::report
