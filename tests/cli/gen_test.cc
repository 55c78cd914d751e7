// stegvis gen: a synthetic förbund, the same for the same seed, written as one audited unit of
// work, never over an existing förbund.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "test_support.h"

namespace stegvis {
namespace {

using testing::RunStegvis;
using testing::TempDir;

std::string Report(const std::string& db, const std::string& name) {
  const auto result = RunStegvis(
      {"report", name, "--db", db, "--forbund", "syn", "--ar", "2023", "--format", "json"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

TEST(Generate, TheSameSeedGivesTheSameFörbundAndAnotherSeedAnother) {
  TempDir folder;
  const std::string first = (folder / "first.db").string();
  const std::string second = (folder / "second.db").string();
  const std::string third = (folder / "third.db").string();
  for (const auto& [db, seed] : {std::pair{first, "7"}, {second, "7"}, {third, "8"}}) {
    const auto generated =
        RunStegvis({"gen", "--db", db, "--forbund", "syn", "--deltagare", "1500", "--seed", seed});
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
    EXPECT_NE(generated.out.find("1500"), std::string::npos) << generated.out;
  }
  // One audit entry for the whole förbund, and an intact chain.
  const auto verified = RunStegvis({"audit", "verify", "--db", first});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_NE(verified.out.find(" 1 poster"), std::string::npos) << verified.out;
  // Each database has its own key, so the pseudonyms differ; the reports must not.
  for (const char* name : {"deltagare", "steg", "uppfoljning", "mal", "socioekonomi"}) {
    SCOPED_TRACE(name);
    const std::string report = Report(first, name);
    EXPECT_EQ(report, Report(second, name));
    if (std::string(name) == "deltagare") {
      EXPECT_NE(report, Report(third, name));
    }
  }
  const boost::json::value deltagare = boost::json::parse(Report(first, "deltagare"));
  EXPECT_GT(deltagare.at("summa").at("deltagare").as_int64(), 100);
}

TEST(Generate, RefusesAnExistingFörbundAndChangesNothing) {
  TempDir folder;
  const std::string db = (folder / "demo.db").string();
  ASSERT_EQ(RunStegvis({"demo", "--db", db}).exit_code, 0);
  const std::string before = testing::DumpDatabase(db);
  const auto refused =
      RunStegvis({"gen", "--db", db, "--forbund", "hoglandet", "--deltagare", "10"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("förbundet \"hoglandet\" finns redan"), std::string::npos)
      << refused.err;
  EXPECT_EQ(testing::DumpDatabase(db), before);
}

}  // namespace
}  // namespace stegvis
