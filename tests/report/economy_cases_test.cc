// Economy report semantics pinned as data: each file in tests/data/economy/ holds a plan, a
// year and the expected report (a subset of the JSON output: every key given must match;
// lists must match in length, element by element).
#include <filesystem>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "export/economy_export.h"
#include "export/json_text.h"
#include "formats/plan_json.h"
#include "report/economy.h"
#include "test_support.h"

namespace stegvis::report {
namespace {

namespace json = boost::json;

class EconomyCase : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(EconomyCase, ProducesTheExpectedReport) {
  const json::value test_case = json::parse(testing::ReadFile(GetParam()));
  const json::object& object = test_case.as_object();
  auto plan = formats::ParsePlanJson(json::serialize(object.at("plan")));
  ASSERT_TRUE(plan) << plan.error().Render();
  auto report = BuildEconomyReport(*plan, static_cast<int>(object.at("ar").as_int64()));
  ASSERT_TRUE(report) << report.error().Render();
  const json::value actual = exporting::EconomyToJson(*report);
  std::vector<std::string> mismatches;
  testing::CompareJsonSubset(object.at("forvantat"), actual, "$", mismatches);
  for (const std::string& mismatch : mismatches) ADD_FAILURE() << mismatch;
  if (!mismatches.empty()) std::cerr << exporting::ToJsonText(actual);
}

INSTANTIATE_TEST_SUITE_P(Data, EconomyCase,
                         ::testing::ValuesIn(testing::CaseFiles("tests/data/economy")),
                         [](const auto& param_info) {
                           std::string name = param_info.param.stem().string();
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace stegvis::report
