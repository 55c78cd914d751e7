// The förbund's organisation and plan: members, interventions (insatser), the multi-year
// budget, outcome (utfall) and opening equity. Plain values; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/participant.h"
#include "util/date.h"
#include "util/money.h"

namespace stegvis::core {

using util::Date;
using util::Money;

enum class MemberType { kKommun, kRegion, kFk, kAf, kStat };

struct Member {
  std::string id;
  std::string name;
  MemberType type = MemberType::kKommun;

  bool operator==(const Member&) const = default;
};

enum class InsatsKind { kIndivid, kStruktur };
enum class FundingForm { kLiv, kProjekt };

// Who an individual intervention is for. Every field is optional: absent means no rule.
struct TargetGroup {
  std::optional<int> age_min;
  std::optional<int> age_max;
  std::optional<int> priority_age_min;
  std::optional<int> priority_age_max;
  bool needs_two_members = false;
  std::optional<int> max_enrolment_months;
  std::optional<int> min_work_ability_percent;
  std::vector<std::string> exclusions;

  bool operator==(const TargetGroup&) const = default;
};

// What a goal measures. The value is computed by the goal report from participant data.
enum class GoalMeasure {
  kShareExitsToWorkOrStudies,  // "andel_arbete_studier": % of exits to work or studies
  kShareCloserOnLadder,        // "andel_narmare": % closer on the ladder, latest vs first
  kShareInPraktik,             // "andel_praktik": % of participants in work placement
  kShareGreatUse,              // "andel_stor_nytta": % answering the support was of great use
  kParticipants,               // "antal_deltagare": number of participants in the period
  kVisitors,                   // "antal_besokare": number of visitors (structural events)
};

struct Goal {
  GoalMeasure measure = GoalMeasure::kShareExitsToWorkOrStudies;
  // The target: a percentage for shares, a count for numbers. Met when value >= target.
  double target = 0;
  std::string description;

  bool operator==(const Goal&) const = default;
};

struct Staffing {
  std::string member_id;
  int percent = 0;  // Share of a full-time post, e.g. 150 for one and a half.

  bool operator==(const Staffing&) const = default;
};

struct Insats {
  std::string id;
  std::string name;
  InsatsKind kind = InsatsKind::kIndivid;
  FundingForm form = FundingForm::kProjekt;
  Date start = *Date::FromYmd(2000, 1, 1);
  std::optional<Date> end;
  TargetGroup target_group;
  std::vector<Goal> goals;
  std::vector<Staffing> staffing;

  bool operator==(const Insats&) const = default;
};

enum class CostCategory { kIndivid, kStruktur, kAdministration, kNy };
inline constexpr CostCategory kAllCostCategories[] = {
    CostCategory::kIndivid, CostCategory::kStruktur, CostCategory::kAdministration,
    CostCategory::kNy};

// An income line: a member's contribution, or other income (member_id empty).
struct IncomeLine {
  std::optional<std::string> member_id;
  std::string label;
  Money amount;

  bool operator==(const IncomeLine&) const = default;
};

struct CostLine {
  std::string label;
  std::optional<std::string> insats_id;
  CostCategory category = CostCategory::kAdministration;
  Money amount;

  bool operator==(const CostLine&) const = default;
};

enum class YearType { kBudget, kPrognos };

struct BudgetYear {
  int year = 0;
  YearType type = YearType::kBudget;
  std::vector<IncomeLine> income;
  std::vector<CostLine> costs;

  bool operator==(const BudgetYear&) const = default;
};

struct OutcomeYear {
  int year = 0;
  std::vector<IncomeLine> income;
  std::vector<CostLine> costs;

  bool operator==(const OutcomeYear&) const = default;
};

// Accumulated equity (eget kapital) at the end of `year`.
struct OpeningEquity {
  int year = 0;
  Money amount;

  bool operator==(const OpeningEquity&) const = default;
};

struct Forbund {
  std::string id;
  std::string name;
  std::optional<Date> formed;
  // Smallest count shown in published aggregates; counts 1..k-1 are suppressed.
  int suppression_k = 5;

  bool operator==(const Forbund&) const = default;
};

// The simple socioeconomic model: what one person in work is worth per month to the public
// purse, counted for a number of months (defaults from Samordningsförbundet Göteborg Centrum).
struct SocioeconomicModel {
  Money avoided_support = Money::FromKronor(10000);
  Money avoided_administration = Money::FromKronor(500);
  Money tax_income = Money::FromKronor(5700);
  int months = 12;

  Money MonthlyValue() const { return avoided_support + avoided_administration + tax_income; }
  bool operator==(const SocioeconomicModel&) const = default;
};

struct Plan {
  Forbund forbund;
  std::vector<Member> members;
  std::vector<Insats> insatser;
  std::optional<OpeningEquity> equity;
  std::vector<BudgetYear> budget;
  std::vector<OutcomeYear> outcome;
  // The förbund's own ladder; empty means the default ladder (DefaultLadder()).
  std::vector<LadderStep> ladder;
  // Measures the förbund defines besides steg, halsa and livskvalitet.
  std::vector<MeasureDefinition> measures;
  SocioeconomicModel socioeconomic;

  // The ladder in force: the förbund's own or the default.
  std::vector<LadderStep> Ladder() const { return ladder.empty() ? DefaultLadder() : ladder; }
  // The allowed range of a measure, or nullopt for an unknown measure.
  std::optional<std::pair<int, int>> MeasureRange(std::string_view measure) const;

  const Member* FindMember(std::string_view id) const;
  const Insats* FindInsats(std::string_view id) const;
  Insats* FindInsats(std::string_view id);
  const BudgetYear* FindBudget(int year) const;
  BudgetYear* FindBudget(int year);
  const OutcomeYear* FindOutcome(int year) const;
  OutcomeYear* FindOutcome(int year);

  bool operator==(const Plan&) const = default;
};

inline constexpr int kFirstPlanYear = 2000;
inline constexpr int kLastPlanYear = 2099;

// Codes used in files, the database and the API. Parse* return nullopt for unknown codes.
std::string_view MemberTypeCode(MemberType type);
std::optional<MemberType> ParseMemberType(std::string_view code);
std::string_view InsatsKindCode(InsatsKind kind);
std::optional<InsatsKind> ParseInsatsKind(std::string_view code);
std::string_view FundingFormCode(FundingForm form);
std::optional<FundingForm> ParseFundingForm(std::string_view code);
std::string_view CostCategoryCode(CostCategory category);
std::optional<CostCategory> ParseCostCategory(std::string_view code);
std::string_view YearTypeCode(YearType type);
std::optional<YearType> ParseYearType(std::string_view code);
std::string_view GoalMeasureCode(GoalMeasure measure);
std::optional<GoalMeasure> ParseGoalMeasure(std::string_view code);
// True for measures that are percentages (0..100).
bool IsShareMeasure(GoalMeasure measure);

}  // namespace stegvis::core
