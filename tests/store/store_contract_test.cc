// The storage contract, written once and run against every backend: plans, the list of
// förbund, the database's settings and whether it holds anything. The other parts of the
// contract are in store_contract_*_test.cc.
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "store/store_contract.h"

namespace stegvis::store {
namespace {

TEST_P(StoreContract, ReturnsExactlyThePlanItStored) {
  const core::Plan plan = DemoPlan("hoglandet.json");
  auto store = Open();
  ASSERT_TRUE(store->ReplacePlan(plan));
  auto loaded = store->LoadPlan("hoglandet");
  ASSERT_TRUE(loaded) << loaded.error().Render();
  EXPECT_EQ(*loaded, plan);
}

TEST_P(StoreContract, ReturnsTheLadderOwnMeasuresAndSocioeconomicModel) {
  core::Plan plan = DemoPlan("hoglandet.json");
  plan.ladder = {{1, "Långt från arbete"}, {2, "På väg"}, {3, "I arbete"}};
  plan.measures = {{"praktik", "Praktik", 0, 1}, {"bip_1", "BIP 1", 1, 5}};
  plan.socioeconomic.avoided_support = util::Money::FromKronor(9000);
  plan.socioeconomic.months = 6;
  auto store = Open();
  ASSERT_TRUE(store->ReplacePlan(plan));
  auto loaded = store->LoadPlan("hoglandet");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(*loaded, plan);
}

TEST_P(StoreContract, KeepsThePlanAcrossReopening) {
  const core::Plan plan = DemoPlan("hoglandet.json");
  ASSERT_TRUE(Open()->ReplacePlan(plan));
  auto loaded = Open()->LoadPlan("hoglandet");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(*loaded, plan);
}

TEST_P(StoreContract, ReplacingAPlanLeavesNothingOfTheOldOne) {
  core::Plan plan = DemoPlan("hoglandet.json");
  auto store = Open();
  ASSERT_TRUE(store->ReplacePlan(plan));
  plan.insatser.erase(plan.insatser.begin() + 4);  // Psykiatriveckan.
  for (core::BudgetYear& year : plan.budget) {
    std::erase_if(year.costs, [](const core::CostLine& line) {
      return line.insats_id == std::optional<std::string>("psykiatriveckan");
    });
  }
  plan.outcome.clear();
  plan.members.pop_back();
  for (core::BudgetYear& year : plan.budget) year.income.pop_back();
  for (core::Insats& insats : plan.insatser) {
    std::erase_if(insats.staffing, [](const core::Staffing& s) { return s.member_id == "staten"; });
  }
  ASSERT_TRUE(store->ReplacePlan(plan));
  auto loaded = store->LoadPlan("hoglandet");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(*loaded, plan);
}

TEST_P(StoreContract, AFailedReplaceKeepsThePreviousPlan) {
  const core::Plan plan = DemoPlan("hoglandet.json");
  auto store = Open();
  ASSERT_TRUE(store->ReplacePlan(plan));
  // A plan that skipped validation: its cost line names an intervention that does not exist,
  // which the store's own constraints refuse half-way through the write.
  core::Plan broken = plan;
  broken.budget[1].costs[0].insats_id = "finns-inte";
  EXPECT_FALSE(store->ReplacePlan(broken));
  auto loaded = store->LoadPlan("hoglandet");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(*loaded, plan);
}

TEST_P(StoreContract, KeepsForbundApart) {
  core::Plan first = DemoPlan("hoglandet.json");
  core::Plan second = first;
  second.forbund.id = "annat";
  second.forbund.name = "Annat förbund";
  second.budget.resize(1);
  auto store = Open();
  ASSERT_TRUE(store->ReplacePlan(first));
  ASSERT_TRUE(store->ReplacePlan(second));
  auto list = store->ListForbund();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, "annat");
  EXPECT_EQ((*list)[1].id, "hoglandet");
  EXPECT_EQ(*store->LoadPlan("hoglandet"), first);
  EXPECT_EQ(*store->LoadPlan("annat"), second);
}

TEST_P(StoreContract, ReportsAnUnknownForbundAsNotFound) {
  auto loaded = Open()->LoadPlan("finns-inte");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, util::Code::kNotFound);
}

TEST_P(StoreContract, ReportsAMissingSettingAsNothing) {
  auto setting = Open()->Setting("nyckelns-fingeravtryck");
  ASSERT_TRUE(setting) << setting.error().Render();
  EXPECT_EQ(*setting, std::nullopt);
}

TEST_P(StoreContract, KeepsTheLastValueOfASettingAcrossReopening) {
  auto store = Open();
  ASSERT_TRUE(store->PutSetting("nyckelns-fingeravtryck", "abc"));
  ASSERT_TRUE(store->PutSetting("annan", "1"));
  EXPECT_EQ(*store->Setting("nyckelns-fingeravtryck"), std::optional<std::string>("abc"));
  ASSERT_TRUE(store->PutSetting("nyckelns-fingeravtryck", "def"));
  auto reopened = Open();
  EXPECT_EQ(*reopened->Setting("nyckelns-fingeravtryck"), std::optional<std::string>("def"));
  EXPECT_EQ(*reopened->Setting("annan"), std::optional<std::string>("1"));
}

TEST_P(StoreContract, HasNoDataWhenNewOrHoldingOnlySettings) {
  auto store = Open();
  auto empty = store->HasData();
  ASSERT_TRUE(empty) << empty.error().Render();
  EXPECT_FALSE(*empty);
  // The program's own settings (e.g. the key fingerprint) are not data a user put there.
  ASSERT_TRUE(store->PutSetting("nyckelns-fingeravtryck", "abc"));
  EXPECT_FALSE(*store->HasData());
}

TEST_P(StoreContract, HasDataOnceItHoldsAForbundAnAccountOrAnAuditEntry) {
  const std::vector<std::pair<std::string, std::function<util::Status(Store&)>>> writes = {
      {"förbund", [](Store& store) { return store.ReplacePlan(DemoPlan("hoglandet.json")); }},
      {"account",
       [](Store& store) -> util::Status {
         core::Account account{0, "admin", core::Role::kSystemadministrator, {}, {}, "hash", 1};
         STEGVIS_TRY(store.AddAccount(account));
         return util::Ok();
       }},
      {"audit entry", [](Store& store) -> util::Status {
         core::AuditEntry entry{0, "2026-01-01T00:00:00Z", "admin", "loggade in", "", "", "", ""};
         STEGVIS_TRY(store.AppendAudit({entry}, [](const core::AuditEntry&) { return "h"; }));
         return util::Ok();
       }}};
  for (const auto& [what, write] : writes) {
    testing::TempDir folder;
    auto store = GetParam().open(folder);
    ASSERT_FALSE(*store->HasData()) << what;
    ASSERT_TRUE(write(*store)) << what;
    EXPECT_TRUE(*store->HasData()) << what;
    EXPECT_TRUE(*GetParam().open(folder)->HasData()) << what << " after reopening";
  }
}

TEST_P(StoreContract, ReturnsEveryGoalTargetExactlyAsStored) {
  core::Plan plan = DemoPlan("hoglandet.json");
  ASSERT_GE(plan.insatser.size(), 2u);
  // Reals with no short decimal form, and the extremes of a double.
  plan.insatser[0].goals = {
      {core::GoalMeasure::kShareExitsToWorkOrStudies, 0.1 + 0.2, "a"},
      {core::GoalMeasure::kShareExitsToWorkOrStudies, 1.0 / 3.0, "b"},
      {core::GoalMeasure::kShareExitsToWorkOrStudies, 1e-300, "c"},
      {core::GoalMeasure::kShareExitsToWorkOrStudies, 1.7976931348623157e308, "d"}};
  plan.insatser[1].goals = {{core::GoalMeasure::kShareExitsToWorkOrStudies, -2.5e-7, "e"}};
  ASSERT_TRUE(Open()->ReplacePlan(plan));
  auto loaded = Open()->LoadPlan("hoglandet");
  ASSERT_TRUE(loaded) << loaded.error().Render();
  EXPECT_EQ(loaded->insatser[0].goals, plan.insatser[0].goals);
  EXPECT_EQ(loaded->insatser[1].goals, plan.insatser[1].goals);
}

TEST_P(StoreContract, ConnectionsOpeningANewDatabaseAtOnceEachGetItWhole) {
  // Several servers may start at once on a new database: each migrates it or waits for the
  // one that does, and none sees it half made.
  testing::TempDir folder;
  auto open = [&]() -> std::string {
    try {
      auto store = GetParam().open(folder);
      auto columns = store->SchemaColumns();
      if (!columns) return columns.error().Render();
      auto stored = store->PutSetting("öppnad", "1");
      if (!stored) return stored.error().Render();
      return std::to_string(columns->size()) + " columns";
    } catch (const std::exception& error) {
      return error.what();
    }
  };
  std::vector<std::future<std::string>> openers;
  for (int i = 0; i < 4; ++i) openers.push_back(std::async(std::launch::async, open));
  const std::string first = openers[0].get();
  EXPECT_NE(first.find(" columns"), std::string::npos) << first;
  for (std::size_t i = 1; i < openers.size(); ++i) EXPECT_EQ(openers[i].get(), first);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace stegvis::store
