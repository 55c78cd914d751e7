// Thin RAII wrappers over the libpq C API: a connection and its prepared statements.
// Every libpq error becomes a util::Error naming the kind of statement and the broken rule,
// never the SQL text or the values in it; no exception leaves this file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/tables.h"
#include "util/error.h"

struct pg_conn;
struct pg_result;

namespace stegvis::store::postgres {

class Statement;

// What a Connection and its Statements share, on the heap so that a moved Connection does
// not strand the Statements made from it.
struct Link {
  pg_conn* connection = nullptr;
  // Statements prepared on this connection, by SQL text: each is prepared once per
  // connection, under the name given here.
  std::unordered_map<std::string, std::string> prepared;
  // The SQLSTATE of the last command that failed, e.g. "23505".
  std::string last_sqlstate;
  // The advisory lock every writer of this schema takes (see WriteLockSql).
  std::string write_lock_sql;
  // A BEGIN was sent and neither COMMIT nor ROLLBACK since: known here, since libpq cannot
  // tell once the connection is lost, and a lost transaction must never be followed by a
  // reconnect that lets its later statements commit on their own.
  bool transaction_open = false;
  ~Link();
};

class Connection {
 public:
  // Connects to `conninfo` (a URL such as postgresql://user@host:5432/db or key=value pairs)
  // with client_encoding UTF8, application_name stegvis (unless the conninfo names another)
  // and a lock timeout of kLockTimeoutMs. kUnavailable when the server cannot be reached.
  static util::Result<Connection> Open(const std::string& conninfo);

  // How long a writer waits for another writer's lock (e.g. a long import) before giving
  // up: the same as the SQLite store's busy timeout, so that a form post waits instead of
  // failing.
  static constexpr int kLockTimeoutMs = 60'000;
  // A single statement running longer than this is a runaway and is cancelled; the longest
  // (reading a whole förbund for a report) takes seconds.
  static constexpr int kStatementTimeoutMs = 600'000;

  Connection(Connection&& other) noexcept = default;
  Connection& operator=(Connection&& other) noexcept = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() = default;

  // Runs one or more statements without parameters (the simple query protocol).
  util::Status Execute(std::string_view sql);
  // Commits the transaction. Fails (and the transaction is gone) when an earlier statement
  // in it failed, since PostgreSQL then rolls back instead.
  util::Status Commit();
  // The statement for `sql` (parameters $1..$n), prepared on first use.
  util::Result<Statement> Prepare(std::string_view sql);

  // True while the connection is inside a transaction (also a failed one).
  bool InTransaction() const;
  // Reconnects when the connection was lost (e.g. the server restarted), so that a pooled
  // connection serves again; statements are prepared afresh. kUnavailable when it cannot.
  util::Status EnsureConnected();
  // The SQL that takes this schema's write lock: a transaction-scoped advisory lock, so
  // that writers to the same tables take turns and those of other schemas do not wait.
  const std::string& WriteLockSql() const { return link_->write_lock_sql; }
  // The SQLSTATE of the last failed command, e.g. "23505" for a unique violation.
  const std::string& LastSqlState() const { return link_->last_sqlstate; }

 private:
  explicit Connection(std::unique_ptr<Link> link) : link_(std::move(link)) {}
  util::Status SetUp();
  std::unique_ptr<Link> link_;
};

// The error for a failed result (or a lost connection when `result` is null), recording its
// SQLSTATE in `link`. `what` is the statement whose kind (its first word) the message names.
util::Error ErrorOf(Link& link, const pg_result* result, std::string_view what);

// A prepared statement with its parameters; executed at the first Step (or by Run), its
// rows are then read one by one. Parameters are 1-based ($1 is index 1) and sent as text.
class Statement {
 public:
  Statement(Statement&& other) noexcept = default;
  Statement& operator=(Statement&& other) noexcept = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() = default;

  Statement& Bind(int index, std::int64_t value);
  // Written in the shortest form that reads back as exactly the same double.
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
  // An array parameter, for `= ANY($n::bigint[])` and `= ANY($n::text[])`.
  Statement& BindArray(int index, const std::vector<std::int64_t>& values);
  Statement& BindArray(int index, const std::vector<std::string>& values);
  // Arrays whose elements may be NULL.
  Statement& BindArray(int index, const std::vector<std::optional<std::string>>& values);
  Statement& BindArray(int index, const std::vector<std::optional<std::int64_t>>& values);

  // Executes on the first call; then advances: true when a row is available, false when done.
  util::Result<bool> Step();
  // Runs a statement that returns no rows, then resets it for reuse.
  util::Status Run();
  // Runs a statement that changes rows and returns how many it changed; then resets it.
  util::Result<std::int64_t> Change();
  // Forgets the result and the parameters.
  void Reset();

  std::int64_t Int(int column) const;
  double Double(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;
  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  bool IsNull(int column) const;
  // The column as its type holds it: NULL, an integer, a real or a text.
  Value ValueAt(int column) const;

 private:
  friend class Connection;
  Statement(Link* link, std::string name, std::string sql)
      : link_(link), name_(std::move(name)), sql_(std::move(sql)) {}
  util::Status Execute();
  const char* Cell(int column) const;

  struct ResultDeleter {
    void operator()(pg_result* result) const;
  };
  Link* link_ = nullptr;
  std::string name_;
  std::string sql_;
  std::vector<std::optional<std::string>> parameters_;
  std::unique_ptr<pg_result, ResultDeleter> result_;
  int rows_ = 0;
  int row_ = -1;
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

// Runs `body` atomically: inside BEGIN, the write lock … COMMIT, or, when the connection is
// already inside a transaction (a unit of work), inside a savepoint of it. Rolls back what
// `body` did when it fails, leaving an enclosing transaction usable.
template <typename Body>
util::Status InTransaction(Connection& connection, Body body) {
  const bool nested = connection.InTransaction();
  if (nested) {
    STEGVIS_TRY(connection.Execute("SAVEPOINT inner_write"));
  } else {
    STEGVIS_TRY(connection.EnsureConnected());
    if (util::Status begun = connection.Execute("BEGIN; " + connection.WriteLockSql()); !begun) {
      if (connection.InTransaction()) (void)connection.Execute("ROLLBACK");
      return begun;
    }
  }
  util::Status status = body();
  if (!status) {
    (void)connection.Execute(nested ? "ROLLBACK TO inner_write; RELEASE inner_write" : "ROLLBACK");
    return status;
  }
  util::Status committed = nested ? connection.Execute("RELEASE inner_write") : connection.Commit();
  if (!committed && !nested) (void)connection.Execute("ROLLBACK");
  return committed;
}

// Runs one statement that writes as SQLite runs one outside BEGIN: under the write lock, so
// that it waits for a unit of work that writes; inside a transaction, in a savepoint, so that
// its failure (e.g. a broken rule) fails only itself and the transaction goes on.
inline util::Status RunWrite(Connection& connection, Statement& statement) {
  return InTransaction(connection, [&] { return statement.Run(); });
}

}  // namespace stegvis::store::postgres
