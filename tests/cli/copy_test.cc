// stegvis copy through the real binary, SQLite to SQLite: the copy of the demo database
// answers every report exactly as the source does, its audit log verifies with the copied
// key and head, and its accounts and sessions work. A target that is not empty, a foreign
// key at --to-key and a copy that fails half-way all leave the target as it was.
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "privacy/database_key.h"
#include "service/account_service.h"
#include "test_support.h"

namespace stegvis {
namespace {

using testing::CommandResult;
using testing::RunStegvis;
using testing::TempDir;

void Execute(const std::filesystem::path& database, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(database.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int status = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(status, SQLITE_OK) << message;
}

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class Copy : public ::testing::Test {
 protected:
  // One demo database for every test: it is only read from (and reports append to its
  // audit log, which changes nothing a test compares).
  static void SetUpTestSuite() {
    folder_ = new TempDir();
    const CommandResult demo = RunStegvis({"demo", "--db", Source()});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }
  static std::string Source() { return (*folder_ / "demo.db").string(); }
  std::string Target(const std::string& name = "kopia.db") { return (target_ / name).string(); }

  static TempDir* folder_;
  TempDir target_;
};

TempDir* Copy::folder_ = nullptr;

TEST_F(Copy, CopiesTheDemoSoThatEveryReportAndTheAuditLogAreTheSame) {
  const CommandResult copied = RunStegvis({"copy", "--from", Source(), "--to", Target()});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_NE(copied.out.find("Kopierade"), std::string::npos) << copied.out;
  EXPECT_NE(copied.out.find("enrolment"), std::string::npos) << copied.out;
  // The database, the key and the audit head beside it, all for the owner only.
  for (const std::string& file : {Target(), Target() + ".key", Target() + ".key.granskning"}) {
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0) << file;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << file;
  }
  EXPECT_EQ(testing::ReadFile(Target() + ".key"), testing::ReadFile(Source() + ".key"));

  const CommandResult verified = RunStegvis({"audit", "verify", "--db", Target()});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_NE(verified.out.find("Granskningsloggen är hel"), std::string::npos) << verified.out;

  // Every report for every förbund and year, as JSON, in both views.
  const std::vector<std::string> source = testing::EveryDemoReport(Source());
  const std::vector<std::string> target = testing::EveryDemoReport(Target());
  ASSERT_EQ(target.size(), source.size());
  for (std::size_t i = 0; i < source.size(); ++i) EXPECT_EQ(target[i], source[i]);
}

TEST_F(Copy, ACopiedAccountSignsInAndACopiedSessionResumes) {
  // A session on the source, opened with the source's own key and audit head.
  auto key = privacy::ReadKeyFile(Source() + ".key");
  ASSERT_TRUE(key) << key.error().Render();
  const service::Clocks clocks{&Now, [] { return *util::Date::FromYmd(2026, 3, 1); }};
  std::string token;
  {
    auto source = testing::OpenServices(Source(), clocks, *key, Source() + ".key.granskning");
    auto signed_in = source->accounts.SignIn("coach.se", "stegvis-demo-2026", "127.0.0.1");
    ASSERT_TRUE(signed_in) << signed_in.error().Render();
    token = signed_in->session_token;
  }
  const CommandResult copied = RunStegvis({"copy", "--from", Source(), "--to", Target()});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;

  auto target = testing::OpenServices(Target(), clocks, *key, Target() + ".key.granskning");
  auto resumed = target->accounts.Resume(token);
  ASSERT_TRUE(resumed) << resumed.error().Render();
  EXPECT_EQ(resumed->account.name, "coach.se");
  auto signed_in = target->accounts.SignIn("kansli.hoglandet", "stegvis-demo-2026", "127.0.0.1");
  ASSERT_TRUE(signed_in) << signed_in.error().Render();
  EXPECT_FALSE(target->accounts.SignIn("kansli.hoglandet", "fel lösenord", "127.0.0.1"));
  // What the copy appended since verifies under the copied key and head.
  const CommandResult verified = RunStegvis({"audit", "verify", "--db", Target()});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
}

TEST_F(Copy, RefusesATargetThatIsNotEmptyAndLeavesIt) {
  // A target made by init: bound to its own key, with nothing else in it.
  ASSERT_EQ(RunStegvis({"init", "--db", Target()}).exit_code, 0);
  const std::string target = Target();
  const std::string before = testing::DumpDatabase(target);
  const std::string key_before = testing::ReadFile(target + ".key");
  // Its own key is another key: refused up front.
  const CommandResult foreign_key = RunStegvis({"copy", "--from", Source(), "--to", target});
  EXPECT_EQ(foreign_key.exit_code, 1);
  EXPECT_NE(foreign_key.err.find("annan nyckel"), std::string::npos) << foreign_key.err;
  // With a key path of its own, the target is still not empty: the files the command put
  // beside that key are removed again.
  const CommandResult not_empty =
      RunStegvis({"copy", "--from", Source(), "--to", target, "--to-key", Target("ny.key")});
  EXPECT_EQ(not_empty.exit_code, 1);
  EXPECT_NE(not_empty.err.find("måldatabasen är inte tom"), std::string::npos) << not_empty.err;
  EXPECT_EQ(testing::DumpDatabase(target), before);
  EXPECT_EQ(testing::ReadFile(target + ".key"), key_before);
  EXPECT_FALSE(std::filesystem::exists(Target("ny.key")));
  EXPECT_FALSE(std::filesystem::exists(Target("ny.key.granskning")));
  // A target with data, in English.
  const std::string other = Target("annan.db");
  ASSERT_EQ(RunStegvis({"init", "--db", other}).exit_code, 0);
  ASSERT_EQ(RunStegvis({"import", "plan", "--db", other,
                        testing::SourcePath("demo/finnveden.json").string()})
                .exit_code,
            0);
  const std::string other_before = testing::DumpDatabase(other);
  const CommandResult refused = RunStegvis(
      {"copy", "--from", Source(), "--to", other, "--to-key", Target("ny.key"), "--lang", "en"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("the target database is not empty"), std::string::npos) << refused.err;
  EXPECT_EQ(testing::DumpDatabase(other), other_before);
}

TEST_F(Copy, RefusesAForeignKeyAtToKeyAndAWrongSourceKeyBeforeCreatingAnything) {
  ASSERT_EQ(RunStegvis({"init", "--db", Target("annan.db")}).exit_code, 0);
  const std::string foreign_key = Target("annan.db") + ".key";
  const CommandResult wrong_target_key =
      RunStegvis({"copy", "--from", Source(), "--to", Target(), "--to-key", foreign_key});
  EXPECT_EQ(wrong_target_key.exit_code, 1);
  EXPECT_NE(wrong_target_key.err.find("annan nyckel"), std::string::npos) << wrong_target_key.err;
  EXPECT_FALSE(std::filesystem::exists(Target()));

  const CommandResult wrong_source_key =
      RunStegvis({"copy", "--from", Source(), "--to", Target(), "--key", foreign_key});
  EXPECT_EQ(wrong_source_key.exit_code, 1);
  EXPECT_NE(wrong_source_key.err.find("fingeravtryck"), std::string::npos) << wrong_source_key.err;
  EXPECT_FALSE(std::filesystem::exists(Target()));
  EXPECT_FALSE(std::filesystem::exists(Target() + ".key"));

  const CommandResult itself = RunStegvis({"copy", "--from", Source(), "--to", Source()});
  EXPECT_EQ(itself.exit_code, 1);
}

TEST_F(Copy, AFailedCopyRemovesTheTargetItCreated) {
  // A source whose rows the target refuses: a measurement of no enrolment, written past
  // stegvis with foreign keys off.
  const std::string source = Target("trasig.db");
  ASSERT_EQ(RunStegvis({"init", "--db", source}).exit_code, 0);
  ASSERT_EQ(RunStegvis({"import", "plan", "--db", source,
                        testing::SourcePath("demo/hoglandet.json").string()})
                .exit_code,
            0);
  Execute(source,
          "PRAGMA foreign_keys = OFF; INSERT INTO measurement (enrolment_id, position, date, "
          "measure, value) VALUES (999, 0, '2023-01-01', 'steg', 1)");
  const CommandResult failed = RunStegvis({"copy", "--from", source, "--to", Target()});
  EXPECT_NE(failed.exit_code, 0);
  EXPECT_NE(failed.err.find("measurement"), std::string::npos) << failed.err;
  for (const std::string& file :
       {Target(), Target() + "-wal", Target() + ".key", Target() + ".key.granskning"}) {
    EXPECT_FALSE(std::filesystem::exists(file)) << file;
  }
}

}  // namespace
}  // namespace stegvis
