// A stegvis database on PostgreSQL, through the real binary and a real server: the demo
// database moves SQLite -> PostgreSQL -> SQLite with every report identical and its audit
// log intact, and a PostgreSQL database backed up with `stegvis backup` (pg_dump) and
// restored with pg_restore beside its key files verifies and reports exactly as before.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "postgres_server.h"
#include "test_support.h"

namespace stegvis {
namespace {

using testing::CommandResult;
using testing::RunStegvis;
using testing::TempDir;

void ExpectSameReports(const std::vector<std::string>& expected,
                       const std::vector<std::string>& actual, const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  std::size_t with_data = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(actual[i], expected[i]) << what;
    if (expected[i].find("-> 0\n") != std::string::npos) ++with_data;
  }
  EXPECT_GT(with_data, expected.size() / 2) << "most reports must be real reports, not refusals";
}

TEST(PostgresDatabase, TheDemoMovesToPostgresAndBackWithEveryReportAndItsAuditLogIntact) {
  TempDir folder;
  const std::string demo = (folder / "demo.db").string();
  ASSERT_EQ(RunStegvis({"demo", "--db", demo}).exit_code, 0);
  const std::string url = testing::NewPostgresDatabaseUrl();
  const std::string key = (folder / "server.key").string();
  const std::string back = (folder / "tillbaka.db").string();

  const CommandResult there = RunStegvis({"copy", "--from", demo, "--to", url, "--to-key", key});
  ASSERT_EQ(there.exit_code, 0) << there.err;
  const CommandResult verified = RunStegvis({"audit", "verify", "--db", url, "--key", key});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const CommandResult home = RunStegvis({"copy", "--from", url, "--key", key, "--to", back});
  ASSERT_EQ(home.exit_code, 0) << home.err;
  const CommandResult verified_back = RunStegvis({"audit", "verify", "--db", back});
  EXPECT_EQ(verified_back.exit_code, 0) << verified_back.out << verified_back.err;

  // The copy back is the same database, row for row (the revision counters and change log
  // aside, which each database keeps for itself), before reports add their audit entries.
  testing::ExpectSameContent(testing::DumpDatabase(demo), testing::DumpDatabase(back),
                             "SQLite -> PostgreSQL -> SQLite");
  const std::vector<std::string> original = testing::EveryDemoReport(demo);
  ExpectSameReports(original, testing::EveryDemoReport(url, {"--key", key}), "on PostgreSQL");
  ExpectSameReports(original, testing::EveryDemoReport(back), "back on SQLite");
}

TEST(PostgresDatabase, NeverPrintsThePasswordOfADatabaseUrl) {
  TempDir folder;
  std::string url = testing::NewPostgresDatabaseUrl();
  url.replace(url.find("stegvis@"), 8, "stegvis:hemligt-ord@");  // Trust: it is not checked.
  const std::string key = (folder / "server.key").string();
  const CommandResult init =
      RunStegvis({"init", "--db", url + "?password=annat-ord", "--key", key});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string demo = (folder / "demo.db").string();
  ASSERT_EQ(RunStegvis({"demo", "--db", demo}).exit_code, 0);
  const std::string target = testing::NewPostgresDatabaseUrl();
  const std::string secret_target =
      target.substr(0, target.find('@')) + ":hemligt-ord" + target.substr(target.find('@'));
  const CommandResult copied = RunStegvis(
      {"copy", "--from", demo, "--to", secret_target, "--to-key", (folder / "k2.key").string()});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  for (const CommandResult* result : {&init, &copied}) {
    EXPECT_EQ(result->out.find("hemligt-ord"), std::string::npos) << result->out;
    EXPECT_EQ(result->out.find("annat-ord"), std::string::npos) << result->out;
    EXPECT_NE(result->out.find("postgresql://stegvis@127.0.0.1"), std::string::npos) << result->out;
  }
  // Nor when it refuses: a missing key file, or an address libpq cannot parse (its own
  // message would quote the address, password and all).
  const std::vector<std::vector<std::string>> refusals = {
      {"serve", "--db", "postgresql://stegvis:hemligt-ord@127.0.0.1:1/x"},
      {"audit", "verify", "--db", "postgresql://u:hemligt-ord@[::1/db", "--key", key},
      {"audit", "verify", "--db", "postgresql://u:hemligt-ord%zz@h/d", "--key", key},
      {"audit", "verify", "--db", "postgresql://u@127.0.0.1:1/d?password=hemligt-ord", "--key",
       key}};
  for (const std::vector<std::string>& arguments : refusals) {
    const CommandResult refused = RunStegvis(arguments);
    EXPECT_NE(refused.exit_code, 0) << arguments[3];
    EXPECT_EQ(refused.err.find("hemligt-ord"), std::string::npos) << refused.err;
    EXPECT_EQ(refused.out.find("hemligt-ord"), std::string::npos) << refused.out;
  }
}

TEST(PostgresDatabase, RefusesADatabaseOnAServerWithoutANamedKeyFile) {
  const CommandResult refused =
      RunStegvis({"audit", "verify", "--db", "postgresql://stegvis@127.0.0.1:1/stegvis"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--key"), std::string::npos) << refused.err;
}

TEST(PostgresDatabase, ABackupRestoredWithPgRestoreVerifiesAndReportsAsBefore) {
  TempDir folder;
  const std::string url = testing::NewPostgresDatabaseUrl();
  const std::string key = (folder / "server.key").string();
  const CommandResult demo = RunStegvis({"demo", "--db", url, "--key", key});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;

  const std::string dump = (folder / "stegvis.dump").string();
  const CommandResult backup = RunStegvis({"backup", "--db", url, "--key", key, "--to", dump});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  for (const std::string& file : {dump, dump + ".key", dump + ".key.granskning"}) {
    EXPECT_TRUE(std::filesystem::exists(file)) << file;
  }

  // The operator's restore (docs/operations.md): pg_restore into a new, empty database, the
  // key and the audit head from the backup beside it, then audit verify.
  const std::string restored = testing::NewPostgresDatabaseUrl();
  const CommandResult pg_restore = testing::RunProgram(
      "pg_restore", {"--no-owner", "--exit-on-error", "--dbname=" + restored, dump});
  ASSERT_EQ(pg_restore.exit_code, 0) << pg_restore.err;
  const std::string restored_key = dump + ".key";
  const CommandResult verified =
      RunStegvis({"audit", "verify", "--db", restored, "--key", restored_key});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("Granskningsloggen är hel"), std::string::npos) << verified.out;

  ExpectSameReports(testing::EveryDemoReport(url, {"--key", key}),
                    testing::EveryDemoReport(restored, {"--key", restored_key}),
                    "restored with pg_restore");
  // The restored database takes new work: an account added there signs nothing else.
  const CommandResult added = RunStegvis({"user", "add", "--db", restored, "--key", restored_key,
                                          "--namn", "ny.admin", "--roll", "systemadministrator"});
  EXPECT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(RunStegvis({"audit", "verify", "--db", restored, "--key", restored_key}).exit_code, 0);
}

}  // namespace
}  // namespace stegvis
