#include "store/sqlite/sqlite_db.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <fmt/format.h>

namespace stegvis::store::sqlite {

using util::Code;
using util::Fail;

util::Result<Connection> Connection::Open(const std::string& path, OpenMode mode) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (mode == OpenMode::kCreateIfMissing) {
    flags |= SQLITE_OPEN_CREATE;
  } else {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
      return Fail(Code::kNotFound, path,
                  "databasen finns inte; skapa den med stegvis init --db " + path,
                  "the database does not exist; create it with stegvis init --db " + path);
    }
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Fail(Code::kUnavailable, path, "kan inte öppna databasen: " + message,
                "cannot open the database: " + message);
  }
  Connection connection(db);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  STEGVIS_TRY(connection.Execute("PRAGMA foreign_keys = ON"));
  STEGVIS_TRY(connection.Execute("PRAGMA journal_mode = WAL"));
  STEGVIS_TRY(connection.Execute("PRAGMA synchronous = NORMAL"));
  // Reject a file that is not a database before anything else touches it.
  STEGVIS_TRY(connection.Execute("SELECT count(*) FROM sqlite_schema"));
  return connection;
}

Connection::Connection(Connection&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = other.db_;
    other.db_ = nullptr;
  }
  return *this;
}

Connection::~Connection() { sqlite3_close_v2(db_); }

util::Error Connection::LastError(std::string_view what) const {
  const std::string message = sqlite3_errmsg(db_);
  const int code = sqlite3_errcode(db_) & 0xff;
  const Code mapped = code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_CANTOPEN ||
                              code == SQLITE_IOERR || code == SQLITE_FULL
                          ? Code::kUnavailable
                      : code == SQLITE_CONSTRAINT ? Code::kFailedPrecondition
                                                  : Code::kInternal;
  return util::Error{mapped, "sqlite",
                     util::Text{fmt::format("databasfel vid {}: {}", what, message),
                                fmt::format("database error in {}: {}", what, message)}};
}

util::Status Connection::Execute(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    sqlite3_free(message);
    return Fail(LastError(sql.substr(0, 60)));
  }
  return util::Ok();
}

util::Result<Statement> Connection::Prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) !=
      SQLITE_OK) {
    return Fail(LastError(sql.substr(0, 60)));
  }
  return Statement(this, statement);
}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_), statement_(other.statement_) {
  other.statement_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    connection_ = other.connection_;
    statement_ = other.statement_;
    other.statement_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::Bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(statement_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  // A null data pointer would bind SQL NULL; an empty text must stay an empty text.
  sqlite3_bind_text(statement_, index, value.data() != nullptr ? value.data() : "",
                    static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, std::string_view(*value)) : BindNull(index);
}

Statement& Statement::Bind(int index, const std::optional<std::int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

util::Result<bool> Statement::Step() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return Fail(connection_->LastError(sqlite3_sql(statement_)));
}

util::Status Statement::Run() {
  util::Result<bool> stepped = Step();
  Reset();
  if (!stepped) return Fail(stepped.error());
  return util::Ok();
}

void Statement::Reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(statement_, column); }

double Statement::Double(int column) const { return sqlite3_column_double(statement_, column); }

std::optional<std::int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

}  // namespace stegvis::store::sqlite
