// Thin RAII wrappers over the sqlite3 C API: a connection and prepared statements.
// Every SQL error becomes a util::Error; no exception leaves this file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace stegvis::store::sqlite {

class Statement;

class Connection {
 public:
  enum class OpenMode { kCreateIfMissing, kMustExist };

  // Opens the file with foreign keys on, WAL journaling and a busy timeout.
  static util::Result<Connection> Open(const std::string& path, OpenMode mode);
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
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
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

 private:
  friend class Connection;
  Statement(const Connection* connection, sqlite3_stmt* statement)
      : connection_(connection), statement_(statement) {}
  const Connection* connection_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
};

// Runs `body` inside BEGIN IMMEDIATE … COMMIT; rolls back when it fails.
template <typename Body>
util::Status InTransaction(Connection& connection, Body body) {
  STEGVIS_TRY(connection.Execute("BEGIN IMMEDIATE"));
  util::Status status = body();
  if (!status) {
    (void)connection.Execute("ROLLBACK");
    return status;
  }
  util::Status committed = connection.Execute("COMMIT");
  if (!committed) (void)connection.Execute("ROLLBACK");
  return committed;
}

}  // namespace stegvis::store::sqlite
