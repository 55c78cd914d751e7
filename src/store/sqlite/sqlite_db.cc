#include "store/sqlite/sqlite_db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "util/swedish_order.h"

namespace stegvis::store::sqlite {

using util::Code;
using util::Fail;

namespace {

// The collation "svenska" (util::CompareSwedish), for names listed in Swedish order.
int CompareSwedishText(void*, int left_size, const void* left, int right_size, const void* right) {
  return util::CompareSwedish(
      std::string_view(static_cast<const char*>(left), static_cast<std::size_t>(left_size)),
      std::string_view(static_cast<const char*>(right), static_cast<std::size_t>(right_size)));
}

}  // namespace

util::Result<Connection> Connection::Open(const std::string& path, OpenMode mode) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (mode == OpenMode::kCreateIfMissing) {
    flags |= SQLITE_OPEN_CREATE;
    // Created here with mode 0600 before SQLite opens it (an empty file is an empty
    // database), since SQLite would create it 0644 and give -wal and -shm the same mode.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
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
  // A database made 0644 by an older version (or copied so) is closed to other users too.
  for (const char* suffix : {"", "-wal", "-shm"}) {
    struct stat info {};
    const std::string file = path + suffix;
    if (::stat(file.c_str(), &info) == 0 && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
      ::chmod(file.c_str(), 0600);
    }
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  sqlite3_create_collation_v2(db, "svenska", SQLITE_UTF8, nullptr, &CompareSwedishText, nullptr);
  STEGVIS_TRY(connection.Execute("PRAGMA foreign_keys = ON"));
  // Switching a new file to WAL needs it to itself and SQLite does not wait for that with the
  // busy handler: when several connections open a new database at once, it is tried again
  // for as long as a writer would wait.
  for (int waited_ms = 0;; waited_ms += 5) {
    const util::Status wal = connection.Execute("PRAGMA journal_mode = WAL");
    if (wal || wal.error().code != Code::kUnavailable || waited_ms >= kBusyTimeoutMs) {
      STEGVIS_TRY(wal);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  STEGVIS_TRY(connection.Execute("PRAGMA synchronous = NORMAL"));
  // A large import keeps its pages in memory instead of spilling them to the WAL again and
  // again while the transaction is open.
  STEGVIS_TRY(connection.Execute("PRAGMA cache_size = -65536"));
  // Statement journals (each insert that fires the tally triggers keeps one) stay in memory.
  STEGVIS_TRY(connection.Execute("PRAGMA temp_store = MEMORY"));
  // Reject a file that is not a database before anything else touches it.
  STEGVIS_TRY(connection.Execute("SELECT count(*) FROM sqlite_schema"));
  return connection;
}

StatementCache::~StatementCache() {
  for (auto& [sql, statement] : idle) sqlite3_finalize(statement);
}

Connection::Connection(Connection&& other) noexcept
    : db_(other.db_), cache_(std::move(other.cache_)) {
  other.db_ = nullptr;
}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    cache_.reset();
    sqlite3_close_v2(db_);
    db_ = other.db_;
    cache_ = std::move(other.cache_);
    other.db_ = nullptr;
  }
  return *this;
}

Connection::~Connection() {
  cache_.reset();
  sqlite3_close_v2(db_);
}

bool InTransactionNow(const Connection& connection) {
  return sqlite3_get_autocommit(connection.handle()) == 0;
}

util::Error Connection::LastError(std::string_view what) const {
  const std::string message = sqlite3_errmsg(db_);
  const int code = sqlite3_errcode(db_) & 0xff;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    return util::Error{Code::kUnavailable, "",
                       util::Text{"databasen är upptagen av en annan skrivning (till exempel en "
                                  "import); försök igen om en stund",
                                  "the database is busy with another write (for example an "
                                  "import); try again in a while"}};
  }
  const Code mapped = code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_CANTOPEN ||
                              code == SQLITE_IOERR || code == SQLITE_FULL
                          ? Code::kUnavailable
                      : code == SQLITE_CONSTRAINT ? Code::kFailedPrecondition
                                                  : Code::kInternal;
  // The SQL itself is not for users: name the kind of statement only.
  while (!what.empty() && (what.front() == '\n' || what.front() == ' ')) what.remove_prefix(1);
  const std::string_view verb = what.substr(0, what.find_first_of(" \n"));
  return util::Error{mapped, "sqlite",
                     util::Text{fmt::format("databasfel ({}): {}", verb, message),
                                fmt::format("database error ({}): {}", verb, message)}};
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
  std::string text(sql);
  if (auto found = cache_->idle.find(text); found != cache_->idle.end()) {
    sqlite3_stmt* statement = found->second;
    cache_->idle.erase(found);
    return Statement(this, statement, cache_.get(), std::move(text));
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v3(db_, text.data(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT,
                         &statement, nullptr) != SQLITE_OK) {
    return Fail(LastError(sql.substr(0, 60)));
  }
  return Statement(this, statement, cache_.get(), std::move(text));
}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_),
      statement_(other.statement_),
      cache_(other.cache_),
      sql_(std::move(other.sql_)) {
  other.statement_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    connection_ = other.connection_;
    statement_ = other.statement_;
    cache_ = other.cache_;
    sql_ = std::move(other.sql_);
    other.statement_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { Release(); }

void Statement::Release() {
  if (statement_ == nullptr) return;
  if (cache_ != nullptr) {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    cache_->idle.emplace(std::move(sql_), statement_);
  } else {
    sqlite3_finalize(statement_);
  }
  statement_ = nullptr;
}

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

Statement& Statement::Bind(int index, const Value& value) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return Bind(index, *integer);
  if (const auto* real = std::get_if<double>(&value)) return Bind(index, *real);
  if (const auto* text = std::get_if<std::string>(&value)) return Bind(index, *text);
  return BindNull(index);
}

Value Statement::ValueAt(int column) const {
  switch (sqlite3_column_type(statement_, column)) {
    case SQLITE_INTEGER:
      return Int(column);
    case SQLITE_FLOAT:
      return Double(column);
    case SQLITE_NULL:
      return std::monostate{};
    default:
      return Text(column);
  }
}

}  // namespace stegvis::store::sqlite
