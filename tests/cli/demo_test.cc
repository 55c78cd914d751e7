// The demo must show what the seeds show: Södra Vätterbygden's 2023 participant table
// (seed 004) from the synthetic participants, and Höglandet's 2022 economy (seed 001).
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "test_support.h"

namespace stegvis {
namespace {

using testing::RunStegvis;
using testing::TempDir;

TEST(Demo, ReproducesTheSeedsParticipantTableFor2023) {
  TempDir folder;
  const std::string db = (folder / "demo.db").string();
  ASSERT_EQ(RunStegvis({"demo", "--db", db}).exit_code, 0);
  const auto result = RunStegvis({"report", "deltagare", "--db", db, "--forbund",
                                  "sodra-vatterbygden", "--ar", "2023", "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const boost::json::value report = boost::json::parse(result.out);
  // Seed 004: Deltagare 2023 | Kvinnor | Män | Varav nya | Avslutade | Arbete | Studier |
  // Arb.rehab | Sjukdom | Annat skäl.
  struct Row {
    const char* insats;
    int women, men, new_ones, exits, work, studies, rehab, illness, other;
  };
  const Row expected[] = {{"enter", 24, 38, 19, 20, 4, 5, 3, 7, 1},
                          {"nova", 27, 17, 27, 40, 2, 1, 19, 9, 9},
                          {"fia", 23, 13, 19, 14, 2, 1, 3, 8, 0}};
  for (const Row& want : expected) {
    SCOPED_TRACE(want.insats);
    const boost::json::object* row = nullptr;
    for (const auto& item : report.at("rader").as_array()) {
      if (item.at("insats").as_string() == want.insats) row = &item.as_object();
    }
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->at("kvinnor").as_int64(), want.women);
    EXPECT_EQ(row->at("man").as_int64(), want.men);
    EXPECT_EQ(row->at("nya").at("totalt").as_int64(), want.new_ones);
    EXPECT_EQ(row->at("avslutade").at("totalt").as_int64(), want.exits);
    EXPECT_EQ(row->at("arbete").at("totalt").as_int64(), want.work);
    EXPECT_EQ(row->at("studier").at("totalt").as_int64(), want.studies);
    EXPECT_EQ(row->at("arbetsinriktad").at("totalt").as_int64(), want.rehab);
    EXPECT_EQ(row->at("sjukdom").at("totalt").as_int64(), want.illness);
    EXPECT_EQ(row->at("annat_skal").at("totalt").as_int64(), want.other);
  }
  EXPECT_EQ(report.at("summa").at("kvinnor").as_int64(), 109);
  EXPECT_EQ(report.at("summa").at("man").as_int64(), 99);
  EXPECT_EQ(report.at("summa").at("nya").at("totalt").as_int64(), 108);
}

TEST(Demo, EveryParticipantReportRunsOnTheDemoInBothViews) {
  TempDir folder;
  const std::string db = (folder / "demo.db").string();
  ASSERT_EQ(RunStegvis({"demo", "--db", db}).exit_code, 0);
  for (const char* forbund : {"hoglandet", "sodra-vatterbygden", "finnveden"}) {
    for (const char* name : {"deltagare", "steg", "uppfoljning", "mal", "socioekonomi"}) {
      for (const char* format : {"text", "json", "csv"}) {
        for (bool publik : {false, true}) {
          std::vector<std::string> arguments = {"report", name,   "--db", db,         "--forbund",
                                                forbund,  "--ar", "2023", "--format", format};
          if (publik) arguments.push_back("--publik");
          const auto result = RunStegvis(arguments);
          EXPECT_EQ(result.exit_code, 0) << forbund << " " << name << " " << format << result.err;
          EXPECT_FALSE(result.out.empty());
        }
      }
    }
  }
  // The ladder report has real movement to show for SE-Höglandet.
  const auto steg = RunStegvis({"report", "steg", "--db", db, "--forbund", "hoglandet", "--ar",
                                "2023", "--insats", "se-hoglandet", "--format", "json"});
  const boost::json::value report = boost::json::parse(steg.out);
  EXPECT_GT(report.at("summa").at("totalt").at("narmare").as_int64(), 50);
  EXPECT_GT(report.at("summa").at("totalt").at("langre_bort").as_int64(), 0);
}

}  // namespace
}  // namespace stegvis
