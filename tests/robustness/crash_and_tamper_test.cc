// What survives a crash and what betrays a tamperer, seen only from outside the program:
// `stegvis import deltagare` killed with SIGKILL at random moments must leave all of its
// rows or none, each with its audit entry, and an intact audit chain; someone who has the
// database file but not the key must not be able to delete, change, reorder or re-chain
// audit entries without `stegvis audit verify` noticing; the key file belongs to its
// database and is never silently replaced; and the database files are the owner's only.
#include <sodium.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "robustness/robustness_support.h"
#include "robustness/server_process.h"
#include "test_support.h"

namespace stegvis::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr char kImported[] = "importerade deltagare";

CommandResult Stegvis(const std::vector<std::string>& arguments, const std::string& input = "") {
  std::vector<std::string> all = {"--lang", "sv"};
  all.insert(all.end(), arguments.begin(), arguments.end());
  return RunStegvis(all, input);
}

CommandResult VerifyAudit(const fs::path& database) {
  return Stegvis({"audit", "verify", "--db", database.string()});
}

bool WalHasBeenWritten(const fs::path& database) {
  struct stat info {};
  return ::stat((database.string() + "-wal").c_str(), &info) == 0 && info.st_size > 0;
}

// ---- Killed imports ----

// What one run of the import left behind, as differences from the untouched demo.
struct Outcome {
  std::int64_t enrolments = 0;
  std::int64_t audit_entries = 0;
};

TEST(KilledImport, LeavesAllOrNothingWithOneAuditEntryPerEnrolmentAndAnIntactChain) {
  TempDir folder;
  const fs::path pristine = MakeDemoDatabase(folder, "pristine.db");
  constexpr int kRows = 6000;
  const fs::path csv = folder / "deltagare.csv";
  WriteFile(csv, GeneratedDeltagareCsv("KILL", kRows, Ending::kOpen));
  const std::int64_t enrolments_before = CountEnrolments(pristine);
  const std::int64_t audit_before = CountAudit(pristine, kImported);

  auto import_into = [&](const fs::path& database) {
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{"--lang", "sv", "import", "deltagare", "--db", database.string(),
                                 "--forbund", kForbund, csv.string()});
  };
  auto outcome_of = [&](const fs::path& database) {
    return Outcome{CountEnrolments(database) - enrolments_before,
                   CountAudit(database, kImported) - audit_before};
  };

  // An import that runs to its end: how long it takes, when it starts writing (its first
  // write to the WAL) and when its first enrolments can be read, so that most kills below can
  // aim at the moments it stores and commits.
  const fs::path whole = folder / "whole.db";
  CopyDatabase(pristine, whole);
  const auto started = Clock::now();
  auto calibration = import_into(whole);
  std::optional<Clock::duration> writing_from;
  std::optional<Clock::duration> visible_from;
  {
    SqliteFile reader(whole);
    while (calibration->Running() && Clock::now() - started < seconds(30)) {
      if (!writing_from && WalHasBeenWritten(whole)) writing_from = Clock::now() - started;
      if (writing_from && !visible_from &&
          reader.Int("SELECT count(*) FROM enrolment WHERE forbund_id = ?", {kForbund}) !=
              enrolments_before) {
        visible_from = Clock::now() - started;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  }
  const std::optional<int> whole_exit = calibration->Wait(milliseconds(0));
  const Clock::duration whole_time = Clock::now() - started;
  ASSERT_TRUE(whole_exit.has_value()) << "the import did not end within 30 s";
  ASSERT_EQ(*whole_exit, 0) << calibration->Err();
  const Outcome complete = outcome_of(whole);
  ASSERT_EQ(complete.enrolments, kRows);
  ASSERT_EQ(complete.audit_entries, kRows);
  const Clock::duration write_start = writing_from.value_or(Clock::duration::zero());
  const Clock::duration visible = visible_from.value_or(whole_time);
  // From the first visible enrolment to the exit, at least a tenth of the writing.
  const Clock::duration tail =
      std::max<Clock::duration>(whole_time - visible, (whole_time - write_start) / 10);

  // Kills at random moments, each in its own slice of time so that together they cover the
  // run: two anywhere in it; two while it writes before anything is visible (counted from its
  // first write to the WAL); four in the moments after its first enrolments become visible to
  // a reader (watched in that very run), up to a little past the calibrated end.
  std::mt19937 random(std::random_device{}());
  auto fraction = [&random] { return std::uniform_real_distribution<double>(0.0, 1.0)(random); };
  auto scaled = [](Clock::duration span, double factor) {
    return std::chrono::duration_cast<Clock::duration>(span * factor);
  };
  constexpr int kKills = 8;
  int killed = 0;
  for (int round = 0; round < kKills; ++round) {
    const fs::path database = folder / fmt::format("kill-{}.db", round);
    CopyDatabase(pristine, database);
    SqliteFile reader(database);
    auto import = import_into(database);
    const auto spawned = Clock::now();
    // Waits until `happened` or the import has ended; returns the time since the start.
    auto wait_for = [&](auto happened) {
      while (import->Running() && !happened() && Clock::now() - spawned < seconds(30)) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      return Clock::now() - spawned;
    };
    Clock::duration delay;
    if (round < 2) {
      delay = scaled(whole_time, (round + fraction()) / 2);
    } else if (round < 4) {
      const Clock::duration writing = wait_for([&] { return WalHasBeenWritten(database); });
      delay = writing + scaled(std::max(visible - write_start, Clock::duration{}),
                               (round - 2 + fraction()) / 2);
    } else {
      const Clock::duration seen = wait_for([&] {
        return reader.Int("SELECT count(*) FROM enrolment WHERE forbund_id = ?", {kForbund}) !=
               enrolments_before;
      });
      delay = seen + scaled(tail, 1.2 * (round - 4 + fraction()) / 4);
    }
    std::this_thread::sleep_until(spawned + delay);
    import->Signal(SIGKILL);
    const std::optional<int> exit = import->Wait(seconds(10));
    ASSERT_TRUE(exit.has_value());
    if (*exit == 128 + SIGKILL) ++killed;
    const std::string when = fmt::format(
        "round {}: killed {} ms after the start (calibrated: writing from {} ms, enrolments "
        "visible from {} ms, end at {} ms)",
        round, std::chrono::duration_cast<milliseconds>(delay).count(),
        std::chrono::duration_cast<milliseconds>(write_start).count(),
        std::chrono::duration_cast<milliseconds>(visible).count(),
        std::chrono::duration_cast<milliseconds>(whole_time).count());
    SCOPED_TRACE(when);

    const CommandResult verified = VerifyAudit(database);
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    const Outcome outcome = outcome_of(database);
    EXPECT_TRUE(outcome.enrolments == 0 || outcome.enrolments == kRows)
        << "the killed import left " << outcome.enrolments << " of its " << kRows << " enrolments";
    EXPECT_EQ(outcome.audit_entries, outcome.enrolments)
        << "audit entries \"" << kImported << "\" do not match the enrolments stored";
  }
  EXPECT_GT(killed, 0) << "every import ended before its kill; the test proved nothing";
}

// ---- Tampering with the audit log ----

// How the tamperer, who has the database file but not the key, changes the audit log.
enum class Tamper {
  kNone,
  kDeleteNewest,
  kDeleteNewestThree,
  kChangeAction,
  kDeleteMiddleAndRechain,
  kSwapTwo,
};

std::string NameOf(Tamper tamper) {
  switch (tamper) {
    case Tamper::kNone:
      return "Untouched";
    case Tamper::kDeleteNewest:
      return "DeleteNewest";
    case Tamper::kDeleteNewestThree:
      return "DeleteNewestThree";
    case Tamper::kChangeAction:
      return "ChangeAction";
    case Tamper::kDeleteMiddleAndRechain:
      return "DeleteMiddleAndRechain";
    case Tamper::kSwapTwo:
      return "SwapTwo";
  }
  return "";
}

void PrintTo(Tamper tamper, std::ostream* out) { *out << NameOf(tamper); }

class AuditTamper : public ::testing::TestWithParam<Tamper> {
 protected:
  // One demo database for every case of the suite; each case works on its own copy.
  static void SetUpTestSuite() {
    ASSERT_GE(sodium_init(), 0);
    folder_ = new TempDir();
    pristine_ = new fs::path(MakeDemoDatabase(*folder_, "pristine.db"));
  }
  static void TearDownTestSuite() {
    delete pristine_;
    delete folder_;
  }

  // Applies `tamper` to `database` with plain SQLite, after dropping every trigger that
  // would stop it.
  static void Apply(Tamper tamper, const fs::path& database) {
    const std::string table = AuditTable(database);
    const std::string quoted = "\"" + table + "\"";
    SqliteFile file(database);
    for (const auto& row : file.Rows("SELECT name FROM sqlite_schema WHERE type = 'trigger'")) {
      file.Execute("DROP TRIGGER \"" + row.front() + "\"");
    }
    const std::int64_t newest = file.Int("SELECT max(seq) FROM " + quoted);
    const std::int64_t middle = newest / 2;
    ASSERT_GT(newest, 100) << "the demo should have a long audit log";
    switch (tamper) {
      case Tamper::kNone:
        break;
      case Tamper::kDeleteNewest:
        file.Execute(fmt::format("DELETE FROM {} WHERE seq = {}", quoted, newest));
        break;
      case Tamper::kDeleteNewestThree:
        file.Execute(fmt::format("DELETE FROM {} WHERE seq > {}", quoted, newest - 3));
        break;
      case Tamper::kChangeAction: {
        const std::string action =
            file.Rows(fmt::format("SELECT action FROM {} WHERE seq = {}", quoted, middle))[0][0];
        const std::string cover =
            action == "lade till konto" ? "importerade plan" : "lade till konto";
        file.Rows(fmt::format("UPDATE {} SET action = ? WHERE seq = {}", quoted, middle), {cover});
        break;
      }
      case Tamper::kDeleteMiddleAndRechain: {
        const auto later = file.Rows(fmt::format(
            "SELECT seq, at, actor, action, target, address FROM {} WHERE seq > {} ORDER BY seq",
            quoted, middle));
        std::string previous =
            file.Rows(fmt::format("SELECT hash FROM {} WHERE seq = {}", quoted, middle - 1))[0][0];
        file.Execute("BEGIN");
        file.Execute(fmt::format("DELETE FROM {} WHERE seq = {}", quoted, middle));
        for (const auto& row : later) {
          const std::string seq = std::to_string(std::stoll(row[0]) - 1);
          const std::string hash =
              UnkeyedHash(previous, seq, row[1], row[2], row[3], row[4], row[5]);
          file.Rows(fmt::format("UPDATE {} SET seq = ?, previous_hash = ?, hash = ? WHERE seq = ?",
                                quoted),
                    {seq, previous, hash, row[0]});
          previous = hash;
        }
        file.Execute("COMMIT");
        break;
      }
      case Tamper::kSwapTwo: {
        // Every column but seq changes places between an early and a middle entry.
        std::vector<std::string> columns;
        for (const auto& row : file.Rows("SELECT name FROM pragma_table_info(?)", {table})) {
          if (row.front() != "seq") columns.push_back(row.front());
        }
        const auto read = [&](std::int64_t seq) {
          std::string list;
          for (const std::string& column : columns) list += (list.empty() ? "" : ", ") + column;
          return file.Rows(fmt::format("SELECT {} FROM {} WHERE seq = {}", list, quoted, seq))[0];
        };
        const std::vector<std::string> early = read(2);
        const std::vector<std::string> late = read(middle);
        ASSERT_NE(early, late);
        const auto write = [&](std::int64_t seq, const std::vector<std::string>& values) {
          std::string assignments;
          for (const std::string& column : columns) {
            assignments += (assignments.empty() ? "" : ", ") + column + " = ?";
          }
          file.Rows(fmt::format("UPDATE {} SET {} WHERE seq = {}", quoted, assignments, seq),
                    values);
        };
        file.Execute("BEGIN");
        write(2, late);
        write(middle, early);
        file.Execute("COMMIT");
        break;
      }
    }
  }

  static TempDir* folder_;
  static fs::path* pristine_;
};

TempDir* AuditTamper::folder_ = nullptr;
fs::path* AuditTamper::pristine_ = nullptr;

TEST_P(AuditTamper, IsDetectedByAuditVerify) {
  TempDir folder;
  const fs::path database = folder / "forbund.db";
  CopyDatabase(*pristine_, database);
  if (GetParam() != Tamper::kNone) Apply(GetParam(), database);
  const CommandResult verified = VerifyAudit(database);
  if (GetParam() == Tamper::kNone) {
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    return;
  }
  EXPECT_EQ(verified.exit_code, 1) << "audit verify accepted the tampered log:\n"
                                   << verified.out << verified.err;
  EXPECT_NE(verified.err.find("bruten"), std::string::npos)
      << "audit verify should say the chain is broken (\"bruten\"):\n"
      << verified.out << verified.err;
}

INSTANTIATE_TEST_SUITE_P(AuditLog, AuditTamper,
                         ::testing::Values(Tamper::kNone, Tamper::kDeleteNewest,
                                           Tamper::kDeleteNewestThree, Tamper::kChangeAction,
                                           Tamper::kDeleteMiddleAndRechain, Tamper::kSwapTwo),
                         [](const ::testing::TestParamInfo<Tamper>& case_info) {
                           return NameOf(case_info.param);
                         });

// ---- The key belongs to its database ----

std::string SmallDeltagareFile(const TempDir& folder) {
  const fs::path csv = folder / "deltagare.csv";
  WriteFile(csv, GeneratedDeltagareCsv("NYCKEL", 3, Ending::kOpen));
  return csv.string();
}

// The commands that need the key (or must refuse a database without its key), each of which
// must fail, name the key and leave the database as it was.
void ExpectEveryCommandRefusesForTheKey(const fs::path& database, const std::string& csv) {
  const std::vector<std::vector<std::string>> commands = {
      {"import", "deltagare", "--db", database.string(), "--forbund", kForbund, csv},
      {"report", "deltagare", "--db", database.string(), "--forbund", kForbund, "--ar", "2023"},
      {"audit", "verify", "--db", database.string()},
  };
  for (const std::vector<std::string>& command : commands) {
    const std::string what = "stegvis " + command[0] + " " + command[1];
    SCOPED_TRACE(what);
    const std::string before = DumpDatabase(database);
    const CommandResult result = Stegvis(command);
    ExpectCleanSwedishFailure(result, what);
    if (result.exit_code != 0) {
      EXPECT_NE(result.err.find("nyckel"), std::string::npos)
          << what << ": the message should mention the key (\"nyckel\"):\n"
          << result.err;
    }
    ExpectSameContent(before, DumpDatabase(database), what);
  }
}

TEST(KeyBelongsToItsDatabase, AnotherKeyIsRefusedByEveryCommandAndChangesNothing) {
  TempDir folder;
  const fs::path database = MakeDemoDatabase(folder);
  const fs::path key = database.string() + ".key";
  const std::string original = ReadFile(key);
  ASSERT_EQ(original.size(), 32u);
  std::string other(32, '\0');
  std::random_device random;
  do {
    for (char& byte : other) byte = static_cast<char>(random() & 0xff);
  } while (other == original);
  fs::remove(key);
  WriteFile(key, other);
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  ExpectEveryCommandRefusesForTheKey(database, SmallDeltagareFile(folder));
  EXPECT_EQ(ReadFile(key), other) << "the key file was replaced";
}

TEST(KeyBelongsToItsDatabase, InitDoesNotMakeANewKeyForADatabaseThatLostItsKey) {
  TempDir folder;
  const fs::path database = MakeDemoDatabase(folder);
  const fs::path key = database.string() + ".key";
  fs::remove(key);
  const std::string before = DumpDatabase(database);
  const CommandResult init = Stegvis({"init", "--db", database.string()});
  EXPECT_FALSE(fs::exists(key)) << "init made a new key for an existing database (exit "
                                << init.exit_code << "):\n"
                                << init.out << init.err;
  ExpectSameContent(before, DumpDatabase(database), "stegvis init");
  fs::remove(key);  // Whatever init did, the commands below meet a database without its key.
  ExpectEveryCommandRefusesForTheKey(database, SmallDeltagareFile(folder));
  EXPECT_FALSE(fs::exists(key)) << "a command made a new key";
}

TEST(KeyBelongsToItsDatabase, InitOnADatabaseWithItsKeyChangesNothing) {
  TempDir folder;
  const fs::path database = MakeDemoDatabase(folder);
  const fs::path key = database.string() + ".key";
  const std::string key_before = ReadFile(key);
  const std::string before = DumpDatabase(database);
  const CommandResult init = Stegvis({"init", "--db", database.string()});
  ExpectSameContent(before, DumpDatabase(database), "stegvis init:\n" + init.out + init.err);
  EXPECT_EQ(ReadFile(key), key_before) << "init changed the key";
  EXPECT_EQ(fs::status(key).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  const CommandResult verified = VerifyAudit(database);
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
}

// ---- File modes ----

// The permission bits of `path`, or nullopt when it does not exist.
std::optional<unsigned> ModeOf(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  return static_cast<unsigned>(info.st_mode & 0777);
}

// The database and its key file must exist; its -wal and -shm files are checked when they do.
void ExpectOwnerOnly(const fs::path& database) {
  for (const char* suffix : {"", ".key", "-wal", "-shm"}) {
    const fs::path path = database.string() + suffix;
    const std::optional<unsigned> mode = ModeOf(path);
    if (!mode) {
      EXPECT_TRUE(std::string_view(suffix).starts_with("-")) << path << " is missing";
      continue;
    }
    EXPECT_EQ(*mode, 0600u) << path << " has mode " << fmt::format("{:04o}", *mode);
  }
}

// Sets the process umask for a scope (the children inherit it) and restores it.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : previous_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(previous_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t previous_;
};

TEST(DatabaseFiles, AreReadableAndWritableByTheOwnerOnly) {
  // With the common umask 022 a file is created 0644 unless the program asks for less.
  const ScopedUmask scoped_umask(022);
  TempDir folder;
  const fs::path initialised = folder / "init.db";
  const CommandResult init = Stegvis({"init", "--db", initialised.string()});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  {
    SCOPED_TRACE("after stegvis init");
    ExpectOwnerOnly(initialised);
  }
  const fs::path demo = MakeDemoDatabase(folder, "demo.db");
  {
    SCOPED_TRACE("after stegvis demo");
    ExpectOwnerOnly(demo);
  }
  {
    // A running server keeps the database open, so its -wal and -shm files exist (with
    // SQLite's WAL journal).
    AddCoach(demo, "robust.coach");
    ServerProcess server(demo);
    SignIn(server.port(), "robust.coach", kTestPassword);
    SCOPED_TRACE("while stegvis serve has the database open");
    ExpectOwnerOnly(demo);
  }
}

}  // namespace
}  // namespace stegvis::testing
