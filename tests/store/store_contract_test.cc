// The storage contract, written once and run against every backend.
#include <functional>
#include <memory>

#include <gtest/gtest.h>

#include "formats/plan_json.h"
#include "store/sqlite/sqlite_store.h"
#include "test_support.h"

namespace stegvis::store {
namespace {

using testing::TempDir;

struct Backend {
  std::string name;
  // Opens (or reopens) the backend's store inside `folder`.
  std::function<std::unique_ptr<Store>(const TempDir& folder)> open;
};

std::vector<Backend> Backends() {
  return {{"sqlite", [](const TempDir& folder) -> std::unique_ptr<Store> {
             auto store = sqlite::SqliteStore::Open(
                 (folder / "store.db").string(), sqlite::SqliteStore::OpenMode::kCreateIfMissing);
             if (!store) throw std::runtime_error(store.error().Render());
             return std::move(*store);
           }}};
}

core::Plan DemoPlan(const std::string& file) {
  auto plan = formats::ParsePlanJson(testing::ReadFile(testing::SourcePath("demo/" + file)));
  if (!plan) throw std::runtime_error(plan.error().Render());
  return *plan;
}

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  std::unique_ptr<Store> Open() { return GetParam().open(folder_); }
  TempDir folder_;
};

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

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::ValuesIn(Backends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace stegvis::store
