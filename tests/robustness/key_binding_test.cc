// The key and the audit head against someone who has the database file but not the key:
// removing the fingerprint, passing a tampered database off as one from before keys were
// bound, forging the head file, or giving a new database another database's key.
#include <sodium.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "robustness/robustness_support.h"
#include "test_support.h"

namespace stegvis::testing {
namespace {

namespace fs = std::filesystem;

CommandResult Verify(const fs::path& database) {
  return RunStegvis({"--lang", "sv", "audit", "verify", "--db", database.string()});
}

// Drops the audit log's guards, as anyone with the file can.
void DropTriggers(SqliteFile& file) {
  for (const auto& row : file.Rows("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND "
                                   "name LIKE 'audit_log%'")) {
    file.Execute("DROP TRIGGER \"" + row.front() + "\"");
  }
}

// Makes `database` look like one from before keys were bound: no fingerprint, the chain
// marked as unkeyed and hashed with plain SHA-256, and no head noted beside the key.
void MakeItLookOld(const fs::path& database) {
  SqliteFile file(database);
  DropTriggers(file);
  file.Execute("BEGIN");
  file.Execute("DELETE FROM setting WHERE name = 'nyckelns_fingeravtryck'");
  file.Execute(
      "INSERT OR REPLACE INTO setting (name, value) VALUES ('granskningskedja', 'sha256')");
  std::string previous(64, '0');
  for (const auto& row : file.Rows("SELECT seq, at, actor, action, target, address FROM "
                                   "audit_log ORDER BY seq")) {
    const std::string hash = UnkeyedHash(previous, row[0], row[1], row[2], row[3], row[4], row[5]);
    file.Rows("UPDATE audit_log SET previous_hash = ?, hash = ? WHERE seq = ?",
              {previous, hash, row[0]});
    previous = hash;
  }
  file.Execute("COMMIT");
  fs::remove(database.string() + ".key.granskning");
}

class KeyBinding : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    database_ = MakeDemoDatabase(folder_);
  }
  TempDir folder_;
  fs::path database_;
};

TEST_F(KeyBinding, ADatabaseWhoseFingerprintWasRemovedIsRefusedNotReHashed) {
  {
    SqliteFile file(database_);
    DropTriggers(file);
    file.Execute("DELETE FROM setting WHERE name = 'nyckelns_fingeravtryck'");
    file.Execute("DELETE FROM audit_log WHERE seq BETWEEN 100 AND 110");
  }
  const std::string before = DumpDatabase(database_);
  for (int round = 0; round < 2; ++round) {
    const CommandResult verified = Verify(database_);
    EXPECT_EQ(verified.exit_code, 1) << verified.out << verified.err;
    EXPECT_NE(verified.err.find("saknar nyckelns fingeravtryck"), std::string::npos)
        << verified.err;
  }
  EXPECT_EQ(DumpDatabase(database_), before) << "a refused database is left as it was";
}

TEST_F(KeyBinding, ADatabaseFromBeforeKeysIsBoundOnceItsOldChainHolds) {
  MakeItLookOld(database_);
  const CommandResult first = Verify(database_);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(fs::exists(database_.string() + ".key.granskning")) << "the head is noted";
  SqliteFile file(database_);
  EXPECT_EQ(file.Rows("SELECT value FROM setting WHERE name = 'granskningskedja'")[0][0],
            "hmac-sha256");
  // Bound now: pretending again to be old is tampering.
  file.Execute("DELETE FROM setting WHERE name = 'nyckelns_fingeravtryck'");
  file.Execute("UPDATE setting SET value = 'sha256' WHERE name = 'granskningskedja'");
  const CommandResult again = Verify(database_);
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_NE(again.err.find("saknar nyckelns fingeravtryck"), std::string::npos) << again.err;
}

TEST_F(KeyBinding, AnOldDatabaseWhoseOldChainIsBrokenIsNotBound) {
  MakeItLookOld(database_);
  {
    SqliteFile file(database_);
    file.Execute("UPDATE audit_log SET action = 'ingenting' WHERE seq = 40");
  }
  const std::string before = DumpDatabase(database_);
  const CommandResult verified = Verify(database_);
  EXPECT_EQ(verified.exit_code, 1) << verified.out;
  EXPECT_NE(verified.err.find("bruten vid post 40 redan före uppgraderingen"), std::string::npos)
      << verified.err;
  EXPECT_EQ(DumpDatabase(database_), before);
}

TEST_F(KeyBinding, AHeadFileWrittenWithoutTheKeyIsDetected) {
  // Cut the newest entries and write a head that matches the shortened chain.
  std::string line;
  {
    SqliteFile file(database_);
    DropTriggers(file);
    const std::int64_t newest = file.Int("SELECT max(seq) FROM audit_log");
    file.Execute(fmt::format("DELETE FROM audit_log WHERE seq > {}", newest - 5));
    const auto head = file.Rows("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")[0];
    line = head[0] + " " + head[1];
  }
  for (const std::string& forged : {line + "\n", line + " " + std::string(64, 'a') + "\n"}) {
    std::ofstream(database_.string() + ".key.granskning") << forged;
    const CommandResult verified = Verify(database_);
    EXPECT_EQ(verified.exit_code, 1) << verified.out;
    EXPECT_NE(verified.err.find("MAC"), std::string::npos) << verified.err;
  }
}

TEST_F(KeyBinding, ANewDatabaseCannotTakeAKeyThatVouchesForAnotherAuditLog) {
  const fs::path other = folder_ / "ny.db";
  const CommandResult created = RunStegvis(
      {"--lang", "sv", "init", "--db", other.string(), "--key", database_.string() + ".key"});
  EXPECT_EQ(created.exit_code, 1) << created.out;
  EXPECT_NE(created.err.find("hör redan till en annan databas"), std::string::npos) << created.err;
  EXPECT_FALSE(fs::exists(other));
}

}  // namespace
}  // namespace stegvis::testing
