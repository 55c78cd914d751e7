// The pg_dump runner without a PostgreSQL server: a stand-in `pg_dump` script on PATH shows
// what the runner hands it (arguments, password, output file) and how a failure comes back.
#include "store/postgres/pg_dump.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "test_support.h"

namespace stegvis::store::postgres {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

// Puts `script` as an executable `pg_dump` first on PATH for the life of the object.
class StandInPgDump {
 public:
  explicit StandInPgDump(const std::string& script) {
    WriteFile(folder_ / "pg_dump", "#!/bin/sh\n" + script);
    fs::permissions(folder_ / "pg_dump", fs::perms::owner_all);
    const char* path = std::getenv("PATH");
    saved_path_ = path == nullptr ? "" : path;
    ::setenv("PATH", (folder_.path().string() + ":" + saved_path_).c_str(), 1);
  }
  ~StandInPgDump() { ::setenv("PATH", saved_path_.c_str(), 1); }
  StandInPgDump(const StandInPgDump&) = delete;
  StandInPgDump& operator=(const StandInPgDump&) = delete;

 private:
  TempDir folder_;
  std::string saved_path_;
};

TEST(PgDump, KnowsAPostgresUrlFromAFile) {
  EXPECT_TRUE(IsPostgresUrl("postgresql://stegvis@db/stegvis"));
  EXPECT_TRUE(IsPostgresUrl("postgres://db/stegvis"));
  EXPECT_FALSE(IsPostgresUrl("forbund.db"));
  EXPECT_FALSE(IsPostgresUrl("/var/lib/stegvis/postgresql.db"));
}

TEST(PgDump, HandsTheUrlWithoutItsPasswordAndWritesTheDumpOwnerOnly) {
  StandInPgDump pg_dump("printf '%s|' \"$@\"; printf 'PGPASSWORD=%s' \"$PGPASSWORD\"\n");
  TempDir folder;
  const fs::path dump = folder / "forbund.dump";
  ASSERT_TRUE(
      DumpTo("postgresql://stegvis:hemligt%21@db:5432/stegvis?sslmode=require", dump.string()));
  EXPECT_EQ(ReadFile(dump),
            "--format=custom|--dbname=postgresql://stegvis@db:5432/"
            "stegvis?sslmode=require|PGPASSWORD=hemligt!");
  struct stat info {};
  ASSERT_EQ(::stat(dump.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(PgDump, HandsAPasswordParameterOnlyThroughTheEnvironment) {
  StandInPgDump pg_dump("printf '%s|' \"$@\"; printf 'PGPASSWORD=%s' \"$PGPASSWORD\"\n");
  TempDir folder;
  const fs::path dump = folder / "forbund.dump";
  ASSERT_TRUE(
      DumpTo("postgresql://stegvis@db/stegvis?password=TopSecret1&sslmode=require", dump.string()));
  EXPECT_EQ(ReadFile(dump),
            "--format=custom|--dbname=postgresql://stegvis@db/stegvis?sslmode=require|"
            "PGPASSWORD=TopSecret1");
}

TEST(PgDump, AFailureComesBackWithPgDumpsLastLineAndLeavesNoFile) {
  StandInPgDump pg_dump(
      "echo 'partial output'\necho 'pg_dump: error: connection to server failed' >&2\nexit 1\n");
  TempDir folder;
  const fs::path dump = folder / "forbund.dump";
  const util::Status dumped = DumpTo("postgresql://db/stegvis", dump.string());
  ASSERT_FALSE(dumped);
  EXPECT_EQ(dumped.error().code, util::Code::kUnavailable);
  EXPECT_NE(dumped.error().Render().find("connection to server failed"), std::string::npos);
  EXPECT_FALSE(fs::exists(dump));
}

TEST(PgDump, SaysWhatToInstallWhenPgDumpIsMissing) {
  TempDir empty;
  const char* path = std::getenv("PATH");
  const std::string saved = path == nullptr ? "" : path;
  ::setenv("PATH", empty.path().c_str(), 1);
  TempDir folder;
  const util::Status dumped = DumpTo("postgresql://db/stegvis", (folder / "x.dump").string());
  ::setenv("PATH", saved.c_str(), 1);
  ASSERT_FALSE(dumped);
  EXPECT_NE(dumped.error().Render().find("postgresql-client"), std::string::npos);
  EXPECT_FALSE(fs::exists(folder / "x.dump"));
}

TEST(PgDump, RefusesAnExistingFileAndLeavesItAsItWas) {
  StandInPgDump pg_dump("echo dump\n");
  TempDir folder;
  const fs::path dump = folder / "forbund.dump";
  WriteFile(dump, "en tidigare kopia");
  const util::Status dumped = DumpTo("postgresql://db/stegvis", dump.string());
  ASSERT_FALSE(dumped);
  EXPECT_EQ(dumped.error().code, util::Code::kAlreadyExists);
  EXPECT_EQ(ReadFile(dump), "en tidigare kopia");
}

}  // namespace
}  // namespace stegvis::store::postgres
