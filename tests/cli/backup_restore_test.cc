// `stegvis backup` and `stegvis restore` driven through the real binary: the restore drill
// (every report of the restored database equals the original's), a backup taken while other
// processes write, the refusals that leave everything as it was, a backup whose key is
// missing, foreign or whose file is damaged, and the files' modes.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "robustness/robustness_support.h"
#include "robustness/server_process.h"
#include "test_support.h"

namespace stegvis::testing {
namespace {

namespace fs = std::filesystem;

CommandResult Backup(const fs::path& database, const fs::path& to) {
  return RunStegvis({"--lang", "sv", "backup", "--db", database.string(), "--to", to.string()});
}

CommandResult Restore(const fs::path& from, const fs::path& database) {
  return RunStegvis(
      {"--lang", "sv", "restore", "--from", from.string(), "--db", database.string()});
}

CommandResult Verify(const fs::path& database) {
  return RunStegvis({"--lang", "sv", "audit", "verify", "--db", database.string()});
}

std::vector<std::string> EveryReport(const fs::path& database) {
  return testing::EveryDemoReport(database.string());
}

// The names of the files in `folder` that start with `prefix`.
std::vector<std::string> FilesStartingWith(const fs::path& folder, const std::string& prefix) {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix)) names.push_back(name);
  }
  return names;
}

unsigned ModeOf(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return info.st_mode & 07777;
}

class BackupRestore : public ::testing::Test {
 protected:
  void SetUp() override { database_ = MakeDemoDatabase(folder_); }

  fs::path Path(const std::string& name) const { return folder_ / name; }

  TempDir folder_;
  fs::path database_;
};

TEST_F(BackupRestore, TheRestoredDatabaseGivesEveryReportTheOriginalGave) {
  const fs::path backup = Path("kopia.db");
  const CommandResult backed_up = Backup(database_, backup);
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
  EXPECT_NE(backed_up.out.find("Säkerhetskopian är klar"), std::string::npos) << backed_up.out;

  // The backup set is self-contained: verify and serve work on it where it lies.
  const CommandResult verified_backup = Verify(backup);
  EXPECT_EQ(verified_backup.exit_code, 0) << verified_backup.err;
  { ServerProcess server(backup); }

  const fs::path restored = Path("aterstalld.db");
  const CommandResult restore = Restore(backup, restored);
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  EXPECT_NE(restore.out.find("Granskningsloggen är hel"), std::string::npos) << restore.out;
  const CommandResult verified = Verify(restored);
  EXPECT_EQ(verified.exit_code, 0) << verified.err;

  // Row for row the same, the audit log included, before any report reads (and audits) it.
  ExpectSameContent(DumpDatabase(database_), DumpDatabase(restored), "restored against original");

  const std::vector<std::string> original = EveryReport(database_);
  const std::vector<std::string> copy = EveryReport(restored);
  ASSERT_EQ(original.size(), copy.size());
  int succeeded = 0;
  for (std::size_t i = 0; i < original.size(); ++i) {
    EXPECT_EQ(original[i], copy[i]);
    if (original[i].find("-> 0\n") != std::string::npos) ++succeeded;
  }
  // Most of them are real reports, not the same refusal twice.
  EXPECT_GT(succeeded, static_cast<int>(original.size()) / 2);

  // Both still verify after the reports appended their reads.
  EXPECT_EQ(Verify(database_).exit_code, 0);
  EXPECT_EQ(Verify(restored).exit_code, 0);
}

TEST_F(BackupRestore, ABackupTakenWhileOthersWriteVerifiesAndOpens) {
  // A server holds its connections open, and import processes commit one after another.
  ServerProcess server(database_);
  const std::int64_t enrolments_before = CountEnrolments(database_);
  std::atomic<bool> stop = false;
  std::atomic<int> imports = 0;
  std::atomic<int> failed_imports = 0;
  std::thread writer([&] {
    for (int round = 0; !stop; ++round) {
      const fs::path csv = Path(fmt::format("skriv-{}.csv", round));
      WriteFile(csv, GeneratedDeltagareCsv(fmt::format("W{}", round), 300, Ending::kOpen));
      const CommandResult imported =
          RunStegvis({"--lang", "sv", "import", "deltagare", "--db", database_.string(),
                      "--forbund", kForbund, csv.string()});
      (imported.exit_code == 0 ? imports : failed_imports)++;
    }
  });
  while (imports == 0 && failed_imports == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const int imports_before_backups = imports;
  std::vector<fs::path> backups;
  for (int i = 0; i < 5; ++i) {
    backups.push_back(Path(fmt::format("under-skrivning-{}.db", i)));
    const CommandResult backed_up = Backup(database_, backups.back());
    EXPECT_EQ(backed_up.exit_code, 0) << backed_up.err;
  }
  const int imports_during = imports;
  stop = true;
  writer.join();
  EXPECT_EQ(failed_imports, 0);
  EXPECT_GT(imports_during, imports_before_backups)
      << "the writer should have committed while the backups ran";
  const std::int64_t enrolments_after = CountEnrolments(database_);

  for (const fs::path& backup : backups) {
    SCOPED_TRACE(backup.string());
    const CommandResult verified = Verify(backup);
    EXPECT_EQ(verified.exit_code, 0) << verified.err;
    // A snapshot: whole imports only, between what was there before and after.
    const std::int64_t enrolments = CountEnrolments(backup);
    EXPECT_GE(enrolments, enrolments_before);
    EXPECT_LE(enrolments, enrolments_after);
    EXPECT_EQ((enrolments - enrolments_before) % 300, 0);
  }
  const fs::path restored = Path("aterstalld.db");
  const CommandResult restore = Restore(backups.back(), restored);
  EXPECT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  { ServerProcess restored_server(restored); }
  EXPECT_EQ(Verify(database_).exit_code, 0);
}

TEST_F(BackupRestore, EveryFileOfTheSetsIsTheOwnersOnly) {
  const fs::path backup = Path("kopia.db");
  ASSERT_EQ(Backup(database_, backup).exit_code, 0);
  const fs::path restored = Path("aterstalld.db");
  ASSERT_EQ(Restore(backup, restored).exit_code, 0);
  for (const fs::path& base : {backup, restored}) {
    for (const char* suffix : {"", ".key", ".key.granskning"}) {
      const fs::path file = base.string() + suffix;
      EXPECT_EQ(ModeOf(file), 0600u) << file;
    }
  }
  // The backup is a single file: no -wal or -shm belongs to it.
  EXPECT_EQ(FilesStartingWith(folder_.path(), "kopia.db").size(), 3u);
}

TEST_F(BackupRestore, ABackupOntoAnExistingFileChangesNothing) {
  const std::string before = DumpDatabase(database_);
  const fs::path taken = Path("upptagen.db");
  WriteFile(taken, "en annan fil");
  const CommandResult refused = Backup(database_, taken);
  ExpectCleanSwedishFailure(refused, "backup onto an existing file");
  EXPECT_NE(refused.err.find("finns redan"), std::string::npos) << refused.err;
  EXPECT_EQ(ReadFile(taken), "en annan fil");
  EXPECT_EQ(FilesStartingWith(folder_.path(), "upptagen.db"),
            std::vector<std::string>{"upptagen.db"});

  // Only the key's place taken: the database is not written either.
  const fs::path key_taken = Path("nyckel-upptagen.db");
  WriteFile(key_taken.string() + ".key", "en annan nyckel");
  ExpectCleanSwedishFailure(Backup(database_, key_taken), "backup onto an existing key");
  EXPECT_FALSE(fs::exists(key_taken));
  EXPECT_EQ(ReadFile(key_taken.string() + ".key"), "en annan nyckel");
  ExpectSameContent(before, DumpDatabase(database_), "the database backed up");
}

TEST_F(BackupRestore, ARestoreOntoAnExistingDatabaseChangesNothing) {
  const fs::path backup = Path("kopia.db");
  ASSERT_EQ(Backup(database_, backup).exit_code, 0);
  const std::string before = DumpDatabase(database_);
  const std::string key = ReadFile(database_.string() + ".key");
  const std::string head = ReadFile(database_.string() + ".key.granskning");
  const CommandResult refused = Restore(backup, database_);
  ExpectCleanSwedishFailure(refused, "restore onto an existing database");
  EXPECT_NE(refused.err.find("finns redan"), std::string::npos) << refused.err;
  ExpectSameContent(before, DumpDatabase(database_), "the existing database");
  EXPECT_EQ(ReadFile(database_.string() + ".key"), key);
  EXPECT_EQ(ReadFile(database_.string() + ".key.granskning"), head);

  // Only a key where the new database's key would go: no database appears.
  const fs::path fresh = Path("ny.db");
  WriteFile(fresh.string() + ".key", "en annan nyckel");
  ExpectCleanSwedishFailure(Restore(backup, fresh), "restore onto an existing key");
  EXPECT_FALSE(fs::exists(fresh));
  EXPECT_EQ(ReadFile(fresh.string() + ".key"), "en annan nyckel");
}

TEST_F(BackupRestore, ARestoreWithoutTheBackupsKeyFailsAndLeavesNothing) {
  const fs::path backup = Path("kopia.db");
  ASSERT_EQ(Backup(database_, backup).exit_code, 0);
  fs::rename(backup.string() + ".key", Path("undanlagd.key"));
  const CommandResult missing = Restore(backup, Path("aterstalld.db"));
  ExpectCleanSwedishFailure(missing, "restore without a key");
  EXPECT_NE(missing.err.find("nyckelfil saknas"), std::string::npos) << missing.err;
  EXPECT_TRUE(FilesStartingWith(folder_.path(), "aterstalld").empty());
}

TEST_F(BackupRestore, ARestoreWithAnotherDatabasesKeyFailsAndLeavesNothing) {
  const fs::path backup = Path("kopia.db");
  ASSERT_EQ(Backup(database_, backup).exit_code, 0);
  const fs::path other = MakeDemoDatabase(folder_, "annan.db");
  fs::copy_file(other.string() + ".key", backup.string() + ".key",
                fs::copy_options::overwrite_existing);
  const CommandResult foreign = Restore(backup, Path("aterstalld.db"));
  ExpectCleanSwedishFailure(foreign, "restore with a foreign key");
  EXPECT_NE(foreign.err.find("hör inte till den här databasen"), std::string::npos) << foreign.err;
  EXPECT_TRUE(FilesStartingWith(folder_.path(), "aterstalld").empty());
}

TEST_F(BackupRestore, ARestoreFromADamagedOrMissingBackupFailsAndLeavesNothing) {
  const fs::path backup = Path("kopia.db");
  ASSERT_EQ(Backup(database_, backup).exit_code, 0);
  const std::string whole = ReadFile(backup);

  const CommandResult absent = Restore(Path("finns-inte.db"), Path("aterstalld.db"));
  ExpectCleanSwedishFailure(absent, "restore from a missing backup");
  EXPECT_TRUE(FilesStartingWith(folder_.path(), "aterstalld").empty());

  for (const std::string& damaged :
       {whole.substr(0, whole.size() / 2), std::string(whole.size(), 'x'),
        std::string("inte en databas\n")}) {
    WriteFile(backup, damaged);
    const CommandResult result = Restore(backup, Path("aterstalld.db"));
    ExpectCleanSwedishFailure(result, "restore from a damaged backup");
    EXPECT_NE(result.err.find("ingen hel databasfil"), std::string::npos) << result.err;
    EXPECT_TRUE(FilesStartingWith(folder_.path(), "aterstalld").empty());
  }
}

TEST_F(BackupRestore, ABackupWithAForeignKeyIsRefusedBeforeAnythingIsWritten) {
  const fs::path other = MakeDemoDatabase(folder_, "annan.db");
  const CommandResult refused =
      RunStegvis({"--lang", "sv", "backup", "--db", database_.string(), "--key",
                  other.string() + ".key", "--to", Path("kopia.db").string()});
  ExpectCleanSwedishFailure(refused, "backup with a foreign key");
  EXPECT_TRUE(FilesStartingWith(folder_.path(), "kopia").empty());
}

}  // namespace
}  // namespace stegvis::testing
