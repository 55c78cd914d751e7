#include "robustness/robustness_support.h"

#include "service/audit_log.h"

#include <sodium.h>

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace stegvis::testing {

std::filesystem::path MakeDemoDatabase(const TempDir& folder, const std::string& name) {
  const std::filesystem::path database = folder / name;
  const CommandResult demo = RunStegvis({"--lang", "sv", "demo", "--db", database.string()});
  if (demo.exit_code != 0) {
    throw std::runtime_error(fmt::format("stegvis demo exited {}: {}", demo.exit_code, demo.err));
  }
  return database;
}

void CopyDatabase(const std::filesystem::path& from, const std::filesystem::path& to) {
  namespace fs = std::filesystem;
  const auto owner_only = fs::perms::owner_read | fs::perms::owner_write;
  // The backup set: the database, its key and the audit head noted beside the key.
  for (const char* suffix : {"", ".key", ".key.granskning"}) {
    const fs::path source = from.string() + suffix;
    const fs::path target = to.string() + suffix;
    fs::copy_file(source, target, fs::copy_options::overwrite_existing);
    fs::permissions(target, owner_only, fs::perm_options::replace);
  }
}

void AddCoach(const std::filesystem::path& database, const std::string& name) {
  const CommandResult added = RunStegvis(
      {"--lang", "sv", "user", "add", "--db", database.string(), "--namn", name, "--roll",
       "deltagaransvarig", "--forbund", kForbund, "--insats", kInsats, "--losenord-stdin"},
      std::string(kTestPassword) + "\n");
  if (added.exit_code != 0) {
    throw std::runtime_error(
        fmt::format("stegvis user add exited {}: {}{}", added.exit_code, added.out, added.err));
  }
}

SqliteFile::SqliteFile(const std::filesystem::path& path) {
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot open " + path.string() + ": " + message);
  }
  // The program may be writing at the same moment; wait for its lock rather than fail.
  sqlite3_busy_timeout(db_, 10000);
}

SqliteFile::~SqliteFile() { sqlite3_close(db_); }

std::vector<std::vector<std::string>> SqliteFile::Rows(const std::string& sql,
                                                       const std::vector<std::string>& parameters) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
  }
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    sqlite3_bind_text(statement, static_cast<int>(i + 1), parameters[i].c_str(), -1,
                      SQLITE_TRANSIENT);
  }
  std::vector<std::vector<std::string>> rows;
  while (true) {
    const int stepped = sqlite3_step(statement);
    if (stepped == SQLITE_DONE) break;
    if (stepped != SQLITE_ROW) {
      const std::string message = sqlite3_errmsg(db_);
      sqlite3_finalize(statement);
      throw std::runtime_error(sql + ": " + message);
    }
    std::vector<std::string> row;
    for (int column = 0; column < sqlite3_column_count(statement); ++column) {
      const unsigned char* text = sqlite3_column_text(statement, column);
      row.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "NULL");
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(statement);
  return rows;
}

std::int64_t SqliteFile::Int(const std::string& sql, const std::vector<std::string>& parameters) {
  const auto rows = Rows(sql, parameters);
  if (rows.empty() || rows.front().empty()) throw std::runtime_error(sql + ": no rows");
  return std::stoll(rows.front().front());
}

void SqliteFile::Execute(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message != nullptr ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw std::runtime_error(sql + ": " + text);
  }
}

std::string AuditTable(const std::filesystem::path& database) {
  SqliteFile file(database);
  const auto rows = file.Rows(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'audit%' ORDER BY name");
  if (rows.empty()) throw std::runtime_error("no audit table in " + database.string());
  return rows.front().front();
}

std::int64_t CountEnrolments(const std::filesystem::path& database, const std::string& forbund) {
  SqliteFile file(database);
  return file.Int("SELECT count(*) FROM enrolment WHERE forbund_id = ?", {forbund});
}

std::int64_t CountAudit(const std::filesystem::path& database, const std::string& action) {
  const std::string table = AuditTable(database);
  SqliteFile file(database);
  return file.Int("SELECT count(*) FROM \"" + table + "\" WHERE action = ?", {action});
}

std::string GeneratedDeltagareCsv(const std::string& prefix, int rows, Ending ending) {
  std::string text = "deltagare;insats;kon;fodelsear;samtycke;startdatum;slutdatum;avslutsorsak\n";
  text.reserve(static_cast<std::size_t>(rows) * 80);
  for (int row = 0; row < rows; ++row) {
    text += fmt::format("{}-{:06};{};{};1990;ja;2024-02-01;{}\n", prefix, row, kInsats,
                        row % 2 == 0 ? "kvinna" : "man",
                        ending == Ending::kEnded ? "2024-09-30;arbete" : ";");
  }
  return text;
}

namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

bool HasRawSql(const std::string& text) {
  // An HTML page has <select> fields of its own: look at its text, not its tags.
  std::string visible;
  bool in_tag = false;
  for (const char c : text) {
    if (c == '<') in_tag = true;
    if (!in_tag) visible.push_back(c);
    if (c == '>') in_tag = false;
  }
  const std::string lower = Lower(visible);
  constexpr std::array<const char*, 12> kFragments = {
      "unique constraint",  "constraint failed", "insert into", "delete from",
      "update enrolment",   "select ",           "sqlite",      "begin immediate",
      "database is locked", "no such table",     "foreign key", " where "};
  return std::any_of(kFragments.begin(), kFragments.end(), [&lower](const char* fragment) {
    return lower.find(fragment) != std::string::npos;
  });
}

void ExpectCleanSwedishFailure(const CommandResult& result, const std::string& what) {
  if (result.exit_code == 0) {
    ADD_FAILURE() << what << " should have failed but exited 0:\n" << result.out << result.err;
    return;
  }
  EXPECT_LT(result.exit_code, 128) << what << " ended by a signal:\n" << result.err;
  const bool swedish =
      result.err.find("fel") != std::string::npos || result.err.find("å") != std::string::npos ||
      result.err.find("ä") != std::string::npos || result.err.find("ö") != std::string::npos;
  EXPECT_TRUE(swedish) << what << " failed without a Swedish message on standard error:\n"
                       << result.err;
  EXPECT_FALSE(HasRawSql(result.err)) << what << " shows SQL to the user:\n" << result.err;
  EXPECT_FALSE(HasRawSql(result.out)) << what << " shows SQL to the user:\n" << result.out;
}

std::string UnkeyedHash(const std::string& previous_hash, const std::string& seq,
                        const std::string& at, const std::string& actor, const std::string& action,
                        const std::string& target, const std::string& address) {
  return service::AuditLog::UnkeyedHashOf(
      core::AuditEntry{std::stoll(seq), at, actor, action, target, address, previous_hash, ""});
}

}  // namespace stegvis::testing
