// Shared pieces of the robustness tests: a demo database made by the real binary, direct
// reads (and, for the tamper tests, writes) of its SQLite file, generated participant files
// and the checks every failing command must pass.
#pragma once

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "test_support.h"

struct sqlite3;

namespace stegvis::testing {

// The password of the accounts the tests add; long enough for the account policy.
inline constexpr char kTestPassword[] = "robusthet-test-2026";
// The förbund and the coach's intervention of the demo data.
inline constexpr char kForbund[] = "hoglandet";
inline constexpr char kInsats[] = "se-hoglandet";

// Runs `stegvis demo --db folder/name` and returns the database path; throws when it fails.
std::filesystem::path MakeDemoDatabase(const TempDir& folder,
                                       const std::string& name = "forbund.db");

// Copies a closed database and its key file (DB.key, mode 0600) to `to` and `to`.key.
void CopyDatabase(const std::filesystem::path& from, const std::filesystem::path& to);

// Adds a deltagaransvarig for hoglandet/se-hoglandet with kTestPassword through
// `stegvis user add ... --losenord-stdin`; throws when it fails.
void AddCoach(const std::filesystem::path& database, const std::string& name);

// A connection to a SQLite file for counting and, in the tamper tests, changing rows behind
// the program's back. Throws std::runtime_error on any SQLite error.
class SqliteFile {
 public:
  explicit SqliteFile(const std::filesystem::path& path);
  ~SqliteFile();
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;

  // The rows of `sql`, each column as text ("NULL" for SQL NULL); `?` parameters are bound
  // as text, in order.
  std::vector<std::vector<std::string>> Rows(const std::string& sql,
                                             const std::vector<std::string>& parameters = {});
  // The first column of the first row as a number.
  std::int64_t Int(const std::string& sql, const std::vector<std::string>& parameters = {});
  // Runs `sql` (several statements allowed, no parameters).
  void Execute(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
};

// The name of the audit log's table (the first table whose name starts with "audit").
std::string AuditTable(const std::filesystem::path& database);

// Enrolments stored for the förbund.
std::int64_t CountEnrolments(const std::filesystem::path& database,
                             const std::string& forbund = kForbund);

// Audit entries with exactly this action.
std::int64_t CountAudit(const std::filesystem::path& database, const std::string& action);

enum class Ending { kOpen, kEnded };

// For gtest's names of parameterised cases.
inline void PrintTo(Ending ending, std::ostream* out) {
  *out << (ending == Ending::kOpen ? "open enrolments" : "ended enrolments");
}

// A deltagare.csv of `rows` generated people "PREFIX-000000", "PREFIX-000001", … in
// se-hoglandet, with consent, born 1990, starting 2024-02-01; kEnded adds an exit on
// 2024-09-30 to work.
std::string GeneratedDeltagareCsv(const std::string& prefix, int rows, Ending ending);

// True when `text` holds what only the database layer writes: SQL or SQLite's own messages.
bool HasRawSql(const std::string& text);

// Expects a command to have failed the way the CLI promises: a non-zero exit of its own (not
// a crash by signal), and on standard error a Swedish message ("fel", or å/ä/ö) that shows
// no SQL.
void ExpectCleanSwedishFailure(const CommandResult& result, const std::string& what);

// The hash of an audit entry as the chain had it before it was keyed: SHA-256 without a key
// over the length-prefixed fields, hex. Anyone can compute it.
std::string UnkeyedHash(const std::string& previous_hash, const std::string& seq,
                        const std::string& at, const std::string& actor, const std::string& action,
                        const std::string& target, const std::string& address);

}  // namespace stegvis::testing
