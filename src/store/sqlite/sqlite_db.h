// Thin RAII wrappers over the sqlite3 C API: a connection and prepared statements.
// Every SQL error becomes a util::Error; no exception leaves this file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/tables.h"
#include "util/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace stegvis::store::sqlite {

class Statement;

// Prepared statements kept for reuse, keyed by their SQL text: a statement is compiled once
// per connection, not once per call.
struct StatementCache {
  std::unordered_multimap<std::string, sqlite3_stmt*> idle;
  ~StatementCache();
};

class Connection {
 public:
  enum class OpenMode { kCreateIfMissing, kMustExist };

  // Opens the file with foreign keys on, WAL journaling and a busy timeout of
  // kBusyTimeoutMs. A new file is created readable by its owner only (0600); SQLite gives
  // the -wal and -shm files the same mode.
  static util::Result<Connection> Open(const std::string& path, OpenMode mode);

  // How long a writer waits for another writer (e.g. a long import) before giving up: well
  // above the longest write phase, so that a form post waits instead of failing.
  static constexpr int kBusyTimeoutMs = 60'000;
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements without parameters.
  util::Status Execute(std::string_view sql);
  util::Result<Statement> Prepare(std::string_view sql);
  sqlite3* handle() const { return db_; }
  util::Error LastError(std::string_view what) const;

 private:
  explicit Connection(sqlite3* db) : db_(db), cache_(std::make_unique<StatementCache>()) {}
  sqlite3* db_ = nullptr;
  // Declared after db_ is not enough: the cache is destroyed (statements finalised) in the
  // destructor before the database is closed.
  std::unique_ptr<StatementCache> cache_;
};

// A prepared statement. Bind parameters are 1-based, as in SQLite.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::optional<std::string>& value);
  Statement& Bind(int index, const std::optional<std::int64_t>& value);
  Statement& BindNull(int index);
  Statement& Bind(int index, const Value& value);

  // Advances: true when a row is available, false when done.
  util::Result<bool> Step();
  // Runs a statement that returns no rows, then resets it for reuse.
  util::Status Run();
  void Reset();

  std::int64_t Int(int column) const;
  double Double(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;
  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  bool IsNull(int column) const;
  // The column as SQLite holds it: NULL, integer, real or text.
  Value ValueAt(int column) const;

 private:
  friend class Connection;
  Statement(const Connection* connection, sqlite3_stmt* statement, StatementCache* cache,
            std::string sql)
      : connection_(connection), statement_(statement), cache_(cache), sql_(std::move(sql)) {}
  // Hands the statement back to the cache (reset) or finalises it.
  void Release();
  const Connection* connection_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  StatementCache* cache_ = nullptr;
  std::string sql_;
};

// Steps through every row of `statement`, calling `fn()` (a util::Status) at each; stops at
// the first failure.
template <typename Fn>
util::Status EachRow(Statement& statement, Fn fn) {
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(bool row, statement.Step());
    if (!row) return util::Ok();
    STEGVIS_TRY(fn());
  }
}

// True while the connection is inside a transaction.
bool InTransactionNow(const Connection& connection);

// Runs `body` atomically: inside BEGIN IMMEDIATE … COMMIT, or, when the connection is
// already inside a transaction (a unit of work), inside a savepoint of it. Rolls back what
// `body` did when it fails.
template <typename Body>
util::Status InTransaction(Connection& connection, Body body) {
  const bool nested = InTransactionNow(connection);
  STEGVIS_TRY(connection.Execute(nested ? "SAVEPOINT inner_write" : "BEGIN IMMEDIATE"));
  util::Status status = body();
  if (!status) {
    (void)connection.Execute(nested ? "ROLLBACK TO inner_write; RELEASE inner_write" : "ROLLBACK");
    return status;
  }
  util::Status committed = connection.Execute(nested ? "RELEASE inner_write" : "COMMIT");
  if (!committed && !nested) (void)connection.Execute("ROLLBACK");
  return committed;
}

}  // namespace stegvis::store::sqlite
