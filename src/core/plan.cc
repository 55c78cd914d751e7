#include "core/plan.h"

#include <algorithm>

#include "core/code_table.h"

namespace stegvis::core {

namespace {

constexpr CodeTable<MemberType, 5> kMemberTypes{{
    {MemberType::kKommun, "kommun"},
    {MemberType::kRegion, "region"},
    {MemberType::kFk, "fk"},
    {MemberType::kAf, "af"},
    {MemberType::kStat, "stat"},
}};
constexpr CodeTable<InsatsKind, 2> kInsatsKinds{{
    {InsatsKind::kIndivid, "individ"},
    {InsatsKind::kStruktur, "struktur"},
}};
constexpr CodeTable<FundingForm, 2> kFundingForms{{
    {FundingForm::kLiv, "LIV"},
    {FundingForm::kProjekt, "projekt"},
}};
constexpr CodeTable<CostCategory, 4> kCostCategories{{
    {CostCategory::kIndivid, "individ"},
    {CostCategory::kStruktur, "struktur"},
    {CostCategory::kAdministration, "administration"},
    {CostCategory::kNy, "ny"},
}};
constexpr CodeTable<YearType, 2> kYearTypes{{
    {YearType::kBudget, "budget"},
    {YearType::kPrognos, "prognos"},
}};
constexpr CodeTable<GoalMeasure, 6> kGoalMeasures{{
    {GoalMeasure::kShareExitsToWorkOrStudies, "andel_arbete_studier"},
    {GoalMeasure::kShareCloserOnLadder, "andel_narmare"},
    {GoalMeasure::kShareInPraktik, "andel_praktik"},
    {GoalMeasure::kShareGreatUse, "andel_stor_nytta"},
    {GoalMeasure::kParticipants, "antal_deltagare"},
    {GoalMeasure::kVisitors, "antal_besokare"},
}};

template <typename Vector>
auto FindById(Vector& items, std::string_view id) -> decltype(&items.front()) {
  auto it =
      std::find_if(items.begin(), items.end(), [&](const auto& item) { return item.id == id; });
  return it == items.end() ? nullptr : &*it;
}

template <typename Vector>
auto FindByYear(Vector& items, int year) -> decltype(&items.front()) {
  auto it =
      std::find_if(items.begin(), items.end(), [&](const auto& item) { return item.year == year; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const Member* Plan::FindMember(std::string_view id) const { return FindById(members, id); }
const Insats* Plan::FindInsats(std::string_view id) const { return FindById(insatser, id); }
Insats* Plan::FindInsats(std::string_view id) { return FindById(insatser, id); }
const BudgetYear* Plan::FindBudget(int year) const { return FindByYear(budget, year); }
BudgetYear* Plan::FindBudget(int year) { return FindByYear(budget, year); }
const OutcomeYear* Plan::FindOutcome(int year) const { return FindByYear(outcome, year); }
OutcomeYear* Plan::FindOutcome(int year) { return FindByYear(outcome, year); }

std::optional<std::pair<int, int>> Plan::MeasureRange(std::string_view measure) const {
  if (measure == kMeasureSteg) return std::pair{1, static_cast<int>(Ladder().size())};
  if (measure == kMeasureHalsa) return std::pair{0, 100};
  if (measure == kMeasureLivskvalitet) return std::pair{1, 10};
  for (const MeasureDefinition& definition : measures) {
    if (definition.id == measure) return std::pair{definition.min, definition.max};
  }
  return std::nullopt;
}

std::string_view MemberTypeCode(MemberType type) { return CodeOf(kMemberTypes, type); }
std::optional<MemberType> ParseMemberType(std::string_view code) {
  return EnumOf(kMemberTypes, code);
}
std::string_view InsatsKindCode(InsatsKind kind) { return CodeOf(kInsatsKinds, kind); }
std::optional<InsatsKind> ParseInsatsKind(std::string_view code) {
  return EnumOf(kInsatsKinds, code);
}
std::string_view FundingFormCode(FundingForm form) { return CodeOf(kFundingForms, form); }
std::optional<FundingForm> ParseFundingForm(std::string_view code) {
  return EnumOf(kFundingForms, code);
}
std::string_view CostCategoryCode(CostCategory category) {
  return CodeOf(kCostCategories, category);
}
std::optional<CostCategory> ParseCostCategory(std::string_view code) {
  return EnumOf(kCostCategories, code);
}
std::string_view YearTypeCode(YearType type) { return CodeOf(kYearTypes, type); }
std::optional<YearType> ParseYearType(std::string_view code) { return EnumOf(kYearTypes, code); }
std::string_view GoalMeasureCode(GoalMeasure measure) { return CodeOf(kGoalMeasures, measure); }
std::optional<GoalMeasure> ParseGoalMeasure(std::string_view code) {
  return EnumOf(kGoalMeasures, code);
}
bool IsShareMeasure(GoalMeasure measure) {
  return measure != GoalMeasure::kParticipants && measure != GoalMeasure::kVisitors;
}

}  // namespace stegvis::core
