// The reports a long-running server keeps per förbund revision: after changes of every kind
// (a new enrolment, an exit, a measurement, a withdrawn consent, a new plan) the kept reports
// must equal those of a process that reads the förbund afresh.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "export/json_text.h"
#include "export/report_charts.h"
#include "privacy/database_key.h"
#include "test_support.h"

namespace stegvis::service {
namespace {

constexpr const char* kReports[] = {"deltagare", "steg", "uppfoljning", "mal", "socioekonomi"};

class ReportCache : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(testing::RunStegvis({"demo", "--db", db_.string()}).exit_code, 0);
    services_ = Open();
  }

  std::unique_ptr<Services> Open() {
    const Configuration config{db_.string(), ""};
    return testing::OpenServices(db_,
                                 {[] { return std::int64_t{1'800'000'000}; },
                                  [] { return *util::Date::FromYmd(2026, 11, 23); }},
                                 *privacy::ReadKeyFile(config.KeyFile()), config.AuditHeadFile());
  }

  // Every report of Höglandet for 2023 and 2024, in both audiences, as JSON text.
  static std::string AllReports(Services& services) {
    std::string all;
    for (int year : {2023, 2024}) {
      for (report::Audience audience :
           {report::Audience::kRecordAccess, report::Audience::kPublic}) {
        for (const char* name : kReports) {
          auto built = services.reports.Build(
              Actor::LocalOperator(), name,
              ReportRequest{"hoglandet", report::Period::Year(year), audience, std::nullopt});
          EXPECT_TRUE(built) << name << ": " << built.error().Render();
          if (!built) continue;
          all += exporting::ToJsonText(
              exporting::RenderReport(*built, {"hoglandet", "Höglandet", util::Language::kSwedish})
                  .json);
        }
      }
    }
    return all;
  }

  testing::TempDir folder_;
  std::filesystem::path db_ = folder_ / "cache.db";
  std::unique_ptr<Services> services_;
};

TEST_F(ReportCache, KeptReportsFollowEveryKindOfChange) {
  const Actor op = Actor::LocalOperator();
  const std::string at_start = AllReports(*services_);  // Now kept.
  const testing::TestPersonnummer person(1995, 3, 14, 123);
  auto registered = services_->participants.RegisterEnrolment(op, "hoglandet",
                                                              {{"deltagare", person.Twelve()},
                                                               {"insats", "se-hoglandet"},
                                                               {"kon", "kvinna"},
                                                               {"samtycke", "ja"},
                                                               {"startdatum", "2024-03-01"},
                                                               {"steg_start", "2"}});
  ASSERT_TRUE(registered) << registered.error().Render();
  ASSERT_TRUE(services_->participants.AddMeasurement(
      op, "hoglandet", *registered, {{"datum", "2024-06-01"}, {"matt", "steg"}, {"varde", "4"}}));
  ASSERT_TRUE(services_->participants.RegisterExit(
      op, "hoglandet", *registered, {{"slutdatum", "2024-09-30"}, {"avslutsorsak", "arbete"}}));
  const std::string after_forms = AllReports(*services_);
  EXPECT_NE(after_forms, at_start) << "the new participant must count";
  EXPECT_EQ(after_forms, AllReports(*Open())) << "kept reports differ from fresh ones";

  ASSERT_TRUE(services_->participants.WithdrawConsent(op, "hoglandet", person.Twelve()));
  const std::string after_withdrawal = AllReports(*services_);
  EXPECT_EQ(after_withdrawal, AllReports(*Open()));

  // A plan change (the suppression threshold) without any enrolment change.
  std::string plan = testing::ReadFile(testing::SourcePath("demo/hoglandet.json"));
  const std::size_t at = plan.find("\"minsta_antal\"");
  ASSERT_NE(at, std::string::npos);
  plan.replace(at, plan.find('\n', at) - at, "\"minsta_antal\": 3");
  ASSERT_TRUE(services_->plans.ImportPlan(op, "hoglandet.json", plan));
  const std::string after_plan = AllReports(*services_);
  EXPECT_NE(after_plan, after_withdrawal) << "a new threshold changes the published reports";
  EXPECT_EQ(after_plan, AllReports(*Open()));
}

}  // namespace
}  // namespace stegvis::service
