// Economy report semantics pinned as data: each file in tests/data/economy/ holds a plan, a
// year and the expected report (a subset of the JSON output: every key given must match;
// lists must match in length, element by element). Each case runs on every store backend:
// the plan is stored and read back before the report is built, so that a backend that loses
// or changes anything a report reads fails here.
#include <filesystem>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "export/economy_export.h"
#include "export/json_text.h"
#include "formats/plan_json.h"
#include "report/economy.h"
#include "store/store_contract.h"
#include "test_support.h"

namespace stegvis::report {
namespace {

namespace json = boost::json;

class EconomyCase
    : public ::testing::TestWithParam<std::tuple<store::Backend, std::filesystem::path>> {};

TEST_P(EconomyCase, ProducesTheExpectedReport) {
  const auto& [backend, file] = GetParam();
  const json::value test_case = json::parse(testing::ReadFile(file));
  const json::object& object = test_case.as_object();
  auto parsed = formats::ParsePlanJson(json::serialize(object.at("plan")));
  ASSERT_TRUE(parsed) << parsed.error().Render();
  testing::TempDir folder;
  ASSERT_TRUE(backend.open(folder)->ReplacePlan(*parsed));
  auto plan = backend.open(folder)->LoadPlan(parsed->forbund.id);
  ASSERT_TRUE(plan) << plan.error().Render();
  auto report = BuildEconomyReport(*plan, static_cast<int>(object.at("ar").as_int64()));
  ASSERT_TRUE(report) << report.error().Render();
  const json::value actual = exporting::EconomyToJson(*report);
  std::vector<std::string> mismatches;
  testing::CompareJsonSubset(object.at("forvantat"), actual, "$", mismatches);
  for (const std::string& mismatch : mismatches) ADD_FAILURE() << mismatch;
  if (!mismatches.empty()) std::cerr << exporting::ToJsonText(actual);
}

INSTANTIATE_TEST_SUITE_P(
    Data, EconomyCase,
    ::testing::Combine(::testing::ValuesIn(store::Backends()),
                       ::testing::ValuesIn(testing::CaseFiles("tests/data/economy"))),
    [](const auto& param_info) {
      std::string name = std::get<1>(param_info.param).stem().string();
      std::replace(name.begin(), name.end(), '-', '_');
      return name + "_" + std::get<0>(param_info.param).name;
    });

}  // namespace
}  // namespace stegvis::report
