// Participant report semantics pinned as data. Each file in tests/data/reports/ holds a small
// plan, enrolments as rows, the report to build (name, period, audience) and the expected
// report: a subset of its JSON output, compared like the economy cases.
//
// Enrolment rows: {"person": "p1" (omitted for anonymous), "insats", "kon", "fodelsear",
// "start", "slut", "orsak", "steg": [["2023-01-10", 2], ...], "matningar": [[date, matt,
// value]], "uppfoljningar": [["2024-06-01", 6, "arbete"]], "anonym": true}.
//
// Each case runs on every store backend: the plan and the enrolments are stored and read
// back before the report is built, so that a backend that loses or changes anything a
// report reads fails here.
#include <filesystem>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "export/json_text.h"
#include "export/participants_export.h"
#include "formats/plan_json.h"
#include "report/participants.h"
#include "store/store_contract.h"
#include "test_support.h"

namespace stegvis::report {
namespace {

namespace json = boost::json;

util::Date DateOf(const json::value& value) {
  auto date = util::Date::Parse(value.as_string());
  if (!date) throw std::runtime_error("bad date in test case: " + json::serialize(value));
  return *date;
}

core::Enrolment EnrolmentOf(const json::object& row) {
  core::Enrolment enrolment;
  enrolment.insats_id = row.at("insats").as_string();
  enrolment.kon = *core::ParseKon(row.at("kon").as_string());
  enrolment.start = DateOf(row.at("start"));
  enrolment.anonymous = row.contains("anonym") && row.at("anonym").as_bool();
  if (const auto* person = row.if_contains("person")) enrolment.person_key = person->as_string();
  if (const auto* year = row.if_contains("fodelsear")) {
    enrolment.birth_year = static_cast<int>(year->as_int64());
  }
  if (const auto* end = row.if_contains("slut")) {
    enrolment.exit =
        core::Exit{DateOf(*end), *core::ParseExitReason(row.at("orsak").as_string()), {}};
  }
  if (const auto* steps = row.if_contains("steg")) {
    for (const auto& step : steps->as_array()) {
      enrolment.measurements.push_back(core::Measurement{
          DateOf(step.as_array()[0]), "steg", static_cast<int>(step.as_array()[1].as_int64())});
    }
  }
  if (const auto* measurements = row.if_contains("matningar")) {
    for (const auto& item : measurements->as_array()) {
      enrolment.measurements.push_back(
          core::Measurement{DateOf(item.as_array()[0]), std::string(item.as_array()[1].as_string()),
                            static_cast<int>(item.as_array()[2].as_int64())});
    }
  }
  if (const auto* follow_ups = row.if_contains("uppfoljningar")) {
    for (const auto& item : follow_ups->as_array()) {
      enrolment.follow_ups.push_back(core::FollowUp{
          DateOf(item.as_array()[0]), static_cast<int>(item.as_array()[1].as_int64()),
          *core::ParseSysselsattning(item.as_array()[2].as_string())});
    }
  }
  return enrolment;
}

class ParticipantReportCase
    : public ::testing::TestWithParam<std::tuple<store::Backend, std::filesystem::path>> {};

TEST_P(ParticipantReportCase, ProducesTheExpectedReport) {
  const auto& [backend, file] = GetParam();
  const json::value test_case = json::parse(testing::ReadFile(file));
  const json::object& object = test_case.as_object();
  auto parsed = formats::ParsePlanJson(json::serialize(object.at("plan")));
  ASSERT_TRUE(parsed) << parsed.error().Render();
  std::vector<core::Enrolment> rows;
  for (const auto& row : object.at("inskrivningar").as_array()) {
    rows.push_back(EnrolmentOf(row.as_object()));
  }
  testing::TempDir folder;
  {
    auto store = backend.open(folder);
    ASSERT_TRUE(store->ReplacePlan(*parsed));
    auto saved = store->SaveEnrolments(parsed->forbund.id, rows);
    ASSERT_TRUE(saved) << saved.error().Render();
  }
  auto store = backend.open(folder);
  auto plan = store->LoadPlan(parsed->forbund.id);
  ASSERT_TRUE(plan) << plan.error().Render();
  auto enrolments = store->LoadEnrolments(parsed->forbund.id);
  ASSERT_TRUE(enrolments) << enrolments.error().Render();
  ASSERT_EQ(enrolments->size(), rows.size());
  const Period period = object.contains("ar")
                            ? Period::Year(static_cast<int>(object.at("ar").as_int64()))
                            : Period{DateOf(object.at("fran")), DateOf(object.at("till"))};
  const Audience audience = object.contains("publik") && object.at("publik").as_bool()
                                ? Audience::kPublic
                                : Audience::kRecordAccess;
  std::optional<std::string> insats;
  if (const auto* filter = object.if_contains("insats")) insats = std::string(filter->as_string());
  const exporting::ReportContext context{plan->forbund.id, plan->forbund.name,
                                         util::Language::kSwedish};
  const std::string name(object.at("rapport").as_string());
  json::value actual;
  if (name == "deltagare") {
    actual = exporting::DeltagareToJson(
        BuildDeltagareReport(*plan, *enrolments, period, audience, insats), context);
  } else if (name == "steg") {
    actual = exporting::StegToJson(BuildStegReport(*plan, *enrolments, period, audience, insats),
                                   context);
  } else if (name == "uppfoljning") {
    actual = exporting::UppfoljningToJson(
        BuildUppfoljningReport(*plan, *enrolments, period, audience, insats), context);
  } else if (name == "mal") {
    actual =
        exporting::MalToJson(BuildMalReport(*plan, *enrolments, period, audience, insats), context);
  } else if (name == "socioekonomi") {
    actual = exporting::SocioeconomicToJson(
        BuildSocioeconomicReport(*plan, *enrolments, period, audience, insats), context);
  } else {
    FAIL() << "unknown report " << name;
  }
  std::vector<std::string> mismatches;
  testing::CompareJsonSubset(object.at("forvantat"), actual, "$", mismatches);
  for (const std::string& mismatch : mismatches) ADD_FAILURE() << mismatch;
  if (!mismatches.empty()) std::cerr << exporting::ToJsonText(actual);
}

INSTANTIATE_TEST_SUITE_P(
    Data, ParticipantReportCase,
    ::testing::Combine(::testing::ValuesIn(store::Backends()),
                       ::testing::ValuesIn(testing::CaseFiles("tests/data/reports"))),
    [](const auto& param_info) {
      std::string name = std::get<1>(param_info.param).stem().string();
      std::replace(name.begin(), name.end(), '-', '_');
      return name + "_" + std::get<0>(param_info.param).name;
    });

}  // namespace
}  // namespace stegvis::report
