// The published view from the command line: it covers calendar years and half-years only (a
// reader who could ask for 1 January to day D and to day D-1 would learn the exits of day D
// from the difference; readers with record access keep free periods), and its CSV marks a
// hidden count "·" and says what "·" means.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "test_support.h"

namespace stegvis {
namespace {

using testing::CommandResult;
using testing::RunStegvis;

class PublishedReportPeriod : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new testing::TempDir();
    ASSERT_EQ(RunStegvis({"demo", "--db", Database()}).exit_code, 0);
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }
  static std::string Database() { return (*folder_ / "demo.db").string(); }
  static CommandResult Report(const std::string& from, const std::string& to, bool publik) {
    std::vector<std::string> arguments = {"report",    "deltagare", "--db",     Database(),
                                          "--forbund", "hoglandet", "--fran",   from,
                                          "--till",    to,          "--format", "json"};
    if (publik) arguments.push_back("--publik");
    return RunStegvis(arguments);
  }
  static testing::TempDir* folder_;
};

testing::TempDir* PublishedReportPeriod::folder_ = nullptr;

TEST_F(PublishedReportPeriod, IsRefusedForAnyOtherSpanOfDaysAndNamesWhatIsOffered) {
  for (const auto& [from, to] :
       {std::pair{"2023-01-01", "2023-04-24"}, std::pair{"2023-01-01", "2023-04-23"},
        std::pair{"2023-04-24", "2023-04-24"}}) {
    const CommandResult refused = Report(from, to, true);
    EXPECT_EQ(refused.exit_code, 1) << from << " " << to;
    EXPECT_NE(refused.err.find("kalenderår och halvår"), std::string::npos) << refused.err;
    EXPECT_TRUE(refused.out.empty()) << refused.out;
  }
}

TEST_F(PublishedReportPeriod, IsGivenForAYearAndForEachHalfAndAnySpanWithRecordAccess) {
  for (const auto& [from, to] :
       {std::pair{"2023-01-01", "2023-12-31"}, std::pair{"2023-01-01", "2023-06-30"},
        std::pair{"2023-07-01", "2023-12-31"}}) {
    const CommandResult shown = Report(from, to, true);
    EXPECT_EQ(shown.exit_code, 0) << from << " " << to << shown.err;
  }
  const CommandResult office = Report("2023-01-01", "2023-04-24", false);
  EXPECT_EQ(office.exit_code, 0) << office.err;
  // --halvar names the same half-year.
  const CommandResult second_half =
      RunStegvis({"report", "deltagare", "--db", Database(), "--forbund", "hoglandet", "--ar",
                  "2023", "--halvar", "2", "--format", "json", "--publik"});
  EXPECT_EQ(second_half.exit_code, 0) << second_half.err;
  EXPECT_EQ(second_half.out, Report("2023-07-01", "2023-12-31", true).out);
}

TEST_F(PublishedReportPeriod, MarksHiddenCountsInCsvAndSaysWhatTheMarkMeans) {
  std::vector<std::string> arguments = {"report",    "deltagare", "--db",    Database(),
                                        "--forbund", "hoglandet", "--ar",    "2023",
                                        "--format",  "csv",       "--publik"};
  const CommandResult published = RunStegvis(arguments);
  ASSERT_EQ(published.exit_code, 0) << published.err;
  EXPECT_NE(published.out.find(";·;"), std::string::npos) << published.out;
  EXPECT_NE(published.out.find("· = färre än 5, eller dolt"), std::string::npos) << published.out;
  EXPECT_EQ(published.out.find(";;"), std::string::npos) << "an empty cell reads as missing";
  arguments.pop_back();
  const CommandResult office = RunStegvis(arguments);
  ASSERT_EQ(office.exit_code, 0) << office.err;
  EXPECT_EQ(office.out.find("·"), std::string::npos) << office.out;
}

// The leaks across reports that a reader found: published mal showed the n of exits and the
// share to work or studies where published deltagare hid them, and socioekonomi the persons
// to work. Every published period of every demo förbund, read as a reader reads them.
TEST_F(PublishedReportPeriod, NoReportShowsACountThatAnotherHides) {
  namespace json = boost::json;
  auto published = [&](const std::string& name, const std::string& forbund, int year, int half) {
    std::vector<std::string> arguments = {"report",    name,    "--db",    Database(),
                                          "--forbund", forbund, "--ar",    std::to_string(year),
                                          "--format",  "json",  "--publik"};
    if (half != 0) arguments.insert(arguments.end(), {"--halvar", std::to_string(half)});
    const CommandResult result = RunStegvis(arguments);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
  };
  std::size_t compared = 0;
  for (const char* forbund : {"hoglandet", "sodra-vatterbygden", "finnveden"}) {
    for (int year = 2021; year <= 2024; ++year) {
      for (int half : {0, 1, 2}) {
        SCOPED_TRACE(std::string(forbund) + " " + std::to_string(year) + " halvår " +
                     std::to_string(half));
        const json::value deltagare = published("deltagare", forbund, year, half);
        const json::value mal = published("mal", forbund, year, half);
        const json::value socio = published("socioekonomi", forbund, year, half);
        std::map<std::string, const json::value*> rows;
        for (const json::value& row : deltagare.at("rader").as_array()) {
          rows[std::string(row.at("insats").as_string())] = &row;
        }
        for (const json::value& goal : mal.at("mal").as_array()) {
          if (goal.at("matt") != "andel_arbete_studier") continue;
          const json::value& row = *rows.at(std::string(goal.at("insats").as_string()));
          if (!goal.at("n").is_null()) {
            EXPECT_FALSE(row.at("avslutade").at("totalt").is_null()) << goal;
            EXPECT_EQ(goal.at("n"), row.at("avslutade").at("totalt"));
          }
          if (!goal.at("varde").is_null()) {
            EXPECT_FALSE(row.at("arbete").at("totalt").is_null()) << goal;
            EXPECT_FALSE(row.at("studier").at("totalt").is_null()) << goal;
          }
          ++compared;
        }
        for (const json::value& line : socio.at("rader").as_array()) {
          const json::value& row = *rows.at(std::string(line.at("insats").as_string()));
          EXPECT_EQ(line.at("personer_till_arbete"), row.at("arbete").at("totalt")) << line;
          ++compared;
        }
        EXPECT_EQ(socio.at("summa").at("personer_till_arbete"),
                  deltagare.at("summa").at("arbete").at("totalt"));
      }
    }
  }
  EXPECT_GT(compared, 50u);
}

}  // namespace
}  // namespace stegvis
