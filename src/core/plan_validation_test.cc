#include "core/plan_validation.h"

#include <gtest/gtest.h>

namespace stegvis::core {
namespace {

Plan SmallPlan() {
  Plan plan;
  plan.forbund = Forbund{"test", "Testförbundet", std::nullopt, 5};
  plan.members = {Member{"kommunen", "Kommunen", MemberType::kKommun},
                  Member{"regionen", "Regionen", MemberType::kRegion},
                  Member{"staten", "Staten", MemberType::kStat}};
  Insats insats;
  insats.id = "enter";
  insats.name = "Enter";
  insats.start = *Date::Parse("2022-01-01");
  plan.insatser = {insats};
  BudgetYear year;
  year.year = 2023;
  year.income = {IncomeLine{"kommunen", "", Money::FromKronor(100)}};
  year.costs = {CostLine{"Enter", "enter", CostCategory::kIndivid, Money::FromKronor(90)}};
  plan.budget = {year};
  return plan;
}

std::string LocationOf(const Plan& plan) {
  util::Status status = ValidatePlan(plan);
  return status ? "ok" : status.error().location;
}

TEST(PlanValidation, AcceptsAConsistentPlan) { EXPECT_EQ(LocationOf(SmallPlan()), "ok"); }

TEST(PlanValidation, NamesThePlaceOfEachBrokenRule) {
  Plan plan = SmallPlan();
  plan.members.push_back(plan.members[0]);
  EXPECT_EQ(LocationOf(plan), "$.medlemmar[3].id");

  plan = SmallPlan();
  plan.budget[0].income[0].member_id = "okand";
  EXPECT_EQ(LocationOf(plan), "$.budget[0].intakter[0].medlem");

  plan = SmallPlan();
  plan.budget[0].costs[0].insats_id = "okand";
  EXPECT_EQ(LocationOf(plan), "$.budget[0].kostnader[0].insats");

  plan = SmallPlan();
  plan.budget[0].costs[0].amount = Money::FromKronor(-1);
  EXPECT_EQ(LocationOf(plan), "$.budget[0].kostnader[0].belopp");

  plan = SmallPlan();
  plan.budget[0].year = 2100;
  EXPECT_EQ(LocationOf(plan), "$.budget[0].ar");

  plan = SmallPlan();
  plan.budget.push_back(plan.budget[0]);
  EXPECT_EQ(LocationOf(plan), "$.budget[1].ar");

  plan = SmallPlan();
  plan.insatser[0].end = *Date::Parse("2021-12-31");
  EXPECT_EQ(LocationOf(plan), "$.insatser[0].slut");

  plan = SmallPlan();
  plan.members.push_back(Member{"fk", "Försäkringskassan", MemberType::kFk});
  EXPECT_EQ(LocationOf(plan), "$.medlemmar[3].typ");

  plan = SmallPlan();
  plan.budget[0].costs.push_back(plan.budget[0].costs[0]);
  EXPECT_EQ(LocationOf(plan), "$.budget[0].kostnader[1].post");

  plan = SmallPlan();
  plan.budget[0].income.push_back(IncomeLine{std::nullopt, "Räntor", Money::FromKronor(1)});
  plan.budget[0].income.push_back(IncomeLine{std::nullopt, "Räntor", Money::FromKronor(2)});
  EXPECT_EQ(LocationOf(plan), "$.budget[0].intakter[2].post");

  plan = SmallPlan();
  plan.insatser[0].target_group.age_min = 30;
  plan.insatser[0].target_group.age_max = 20;
  EXPECT_EQ(LocationOf(plan), "$.insatser[0].malgrupp.alder_min");
}

TEST(PlanValidation, AcceptsOnlyLowerCaseSlugIds) {
  EXPECT_TRUE(IsValidId("se-hoglandet"));
  EXPECT_TRUE(IsValidId("a1_b"));
  EXPECT_FALSE(IsValidId(""));
  EXPECT_FALSE(IsValidId("Höglandet"));
  EXPECT_FALSE(IsValidId("-leading"));
  EXPECT_FALSE(IsValidId("has space"));
  EXPECT_FALSE(IsValidId(std::string(65, 'a')));
}

}  // namespace
}  // namespace stegvis::core
