#include "store/postgres/pg_db.h"

#include "util/database_url.h"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

namespace stegvis::store::postgres {

namespace {

using util::Code;
using util::Fail;

// The first of the two keys of the write lock: "steg" in ASCII, so that stegvis's advisory
// locks are told apart from any other program's in the same database.
constexpr std::int64_t kWriteLockClass = 0x73746567;

// A 32-bit FNV-1a hash of the schema's name: the second key of its write lock.
std::int32_t SchemaLockKey(std::string_view schema) {
  std::uint32_t hash = 2166136261u;
  for (const char c : schema) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return static_cast<std::int32_t>(hash);
}

// The first line of a libpq message, without its "FATAL:  " or "ERROR:  " prefix.
std::string FirstLine(const char* message) {
  std::string_view text = message != nullptr ? message : "";
  text = text.substr(0, text.find('\n'));
  for (std::string_view prefix : {"FATAL:  ", "ERROR:  "}) {
    if (text.substr(0, prefix.size()) == prefix) text.remove_prefix(prefix.size());
  }
  return std::string(text);
}

std::string Field(const PGresult* result, int field) {
  const char* value = result != nullptr ? PQresultErrorField(result, field) : nullptr;
  return value != nullptr ? value : "";
}

util::Error Busy() {
  return util::Error{Code::kUnavailable, "",
                     util::Text{"databasen är upptagen av en annan skrivning (till exempel en "
                                "import); försök igen om en stund",
                                "the database is busy with another write (for example an "
                                "import); try again in a while"}};
}

void IgnoreNotice(void* /*unused*/, const char* /*message*/) {}

}  // namespace

Link::~Link() { PQfinish(connection); }

util::Error ErrorOf(Link& link, const PGresult* result, std::string_view what) {
  const std::string sqlstate = Field(result, PG_DIAG_SQLSTATE);
  link.last_sqlstate = sqlstate;
  const std::string_view kind = std::string_view(sqlstate).substr(0, 2);
  if (result == nullptr || PQstatus(link.connection) == CONNECTION_BAD || kind == "08" ||
      (kind == "57" && sqlstate != "57014")) {
    const std::string message = FirstLine(PQerrorMessage(link.connection));
    return util::Error{
        Code::kUnavailable, "postgresql",
        util::Text{
            fmt::format("förbindelsen med databasen bröts ({}); försök igen om en stund", message),
            fmt::format("the connection to the database was lost ({}); try again in a "
                        "while",
                        message)}};
  }
  // A lock not had within the lock timeout, a statement timeout, a deadlock or a
  // serialisation failure: another writer was in the way.
  if (sqlstate == "55P03" || sqlstate == "57014" || sqlstate == "40001" || sqlstate == "40P01") {
    return Busy();
  }
  // The SQL itself is not for users: name the kind of statement only.
  while (!what.empty() && (what.front() == '\n' || what.front() == ' ')) what.remove_prefix(1);
  const std::string_view verb = what.substr(0, what.find_first_of(" \n;"));
  const std::string primary = Field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (kind == "23") {
    // Worded as the SQLite store words a broken rule: its kind, then where. The detail,
    // which holds the row's values, is left out.
    const std::string table = Field(result, PG_DIAG_TABLE_NAME);
    const std::string column = Field(result, PG_DIAG_COLUMN_NAME);
    const std::string constraint = Field(result, PG_DIAG_CONSTRAINT_NAME);
    const std::string rule = sqlstate == "23505"   ? "UNIQUE constraint failed"
                             : sqlstate == "23503" ? "FOREIGN KEY constraint failed"
                             : sqlstate == "23514" ? "CHECK constraint failed"
                             : sqlstate == "23502" ? "NOT NULL constraint failed"
                                                   : primary;
    std::string where = table;
    if (!column.empty()) where += "." + column;
    if (!constraint.empty())
      where += (where.empty() ? "" : " ") + std::string("(") + constraint + ")";
    const std::string text = where.empty() || rule == primary ? rule : rule + ": " + where;
    return util::Error{Code::kFailedPrecondition, "postgresql",
                       util::Text{fmt::format("databasfel ({}): {}", verb, text),
                                  fmt::format("database error ({}): {}", verb, text)}};
  }
  if (kind == "53") {
    return util::Error{
        Code::kUnavailable, "postgresql",
        util::Text{fmt::format("databasen kan inte ta emot mer just nu ({}); försök igen om en "
                               "stund",
                               primary),
                   fmt::format("the database cannot take more right now ({}); try again in a "
                               "while",
                               primary)}};
  }
  // A wrong value's message quotes the value: it is left out.
  const std::string message =
      kind == "22"
          ? fmt::format("invalid value (SQLSTATE {})", sqlstate)
          : fmt::format("{} (SQLSTATE {})", primary.empty() ? "unknown" : primary, sqlstate);
  return util::Error{Code::kInternal, "postgresql",
                     util::Text{fmt::format("databasfel ({}): {}", verb, message),
                                fmt::format("database error ({}): {}", verb, message)}};
}

util::Result<Connection> Connection::Open(const std::string& conninfo) {
  // The conninfo is expanded first; the keywords after it override what it says.
  const char* const keywords[] = {"dbname", "client_encoding", "fallback_application_name",
                                  nullptr};
  const char* const values[] = {conninfo.c_str(), "UTF8", "stegvis", nullptr};
  auto link = std::make_unique<Link>();
  link->connection = PQconnectdbParams(keywords, values, 1);
  if (link->connection == nullptr || PQstatus(link->connection) != CONNECTION_OK) {
    // libpq quotes what it cannot parse, password and all: such an address is named without
    // its password and without libpq's words.
    char* parse_error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parse_error);
    PQconninfoFree(options);
    PQfreemem(parse_error);
    if (options == nullptr) {
      const std::string shown = util::WithoutPassword(conninfo);
      return Fail(Code::kInvalidArgument, "postgresql",
                  "databasadressen kan inte läsas: " + shown +
                      " (väntat: postgresql://användare@värd:port/databas)",
                  "the database address cannot be read: " + shown +
                      " (expected: postgresql://user@host:port/database)");
    }
    const std::string message = link->connection != nullptr
                                    ? FirstLine(PQerrorMessage(link->connection))
                                    : std::string("out of memory");
    return Fail(Code::kUnavailable, "postgresql", "kan inte ansluta till databasen: " + message,
                "cannot connect to the database: " + message);
  }
  Connection connection(std::move(link));
  STEGVIS_TRY(connection.SetUp());
  return connection;
}

util::Status Connection::SetUp() {
  PQsetNoticeProcessor(link_->connection, &IgnoreNotice, nullptr);
  STEGVIS_TRY(Execute(fmt::format(
      "SET lock_timeout = {}; SET statement_timeout = {}; SET client_min_messages = warning; "
      // Reals as the shortest text that reads back exactly, whatever the server's default.
      "SET extra_float_digits = 3",
      kLockTimeoutMs, kStatementTimeoutMs)));
  PGresult* result = PQexec(link_->connection, "SELECT current_schema()");
  if (PQresultStatus(result) != PGRES_TUPLES_OK) {
    util::Error error = ErrorOf(*link_, result, "SELECT");
    PQclear(result);
    return Fail(std::move(error));
  }
  const std::string schema =
      PQntuples(result) == 1 && PQgetisnull(result, 0, 0) == 0 ? PQgetvalue(result, 0, 0) : "";
  PQclear(result);
  link_->write_lock_sql =
      fmt::format("SELECT pg_advisory_xact_lock({}, {})", kWriteLockClass, SchemaLockKey(schema));
  return util::Ok();
}

util::Status Connection::EnsureConnected() {
  if (PQstatus(link_->connection) == CONNECTION_OK) return util::Ok();
  if (link_->transaction_open) {
    return Fail(Code::kUnavailable, "postgresql",
                "förbindelsen med databasen bröts mitt i en transaktion; inget av den sparades",
                "the connection to the database was lost inside a transaction; none of it was "
                "stored");
  }
  PQreset(link_->connection);
  link_->prepared.clear();
  if (PQstatus(link_->connection) != CONNECTION_OK) {
    return Fail(ErrorOf(*link_, nullptr, "connect"));
  }
  return SetUp();
}

bool Connection::InTransaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(link_->connection);
  return link_->transaction_open || status == PQTRANS_INTRANS || status == PQTRANS_INERROR ||
         status == PQTRANS_ACTIVE;
}

util::Status Connection::Execute(std::string_view sql) {
  const std::string text(sql);
  // Whatever the outcome, a COMMIT or ROLLBACK ends the transaction (on a lost connection,
  // the server has rolled it back); a BEGIN that was sent opens one.
  if (sql.starts_with("COMMIT") ||
      (sql.starts_with("ROLLBACK") && !sql.starts_with("ROLLBACK TO"))) {
    link_->transaction_open = false;
  } else if (sql.starts_with("BEGIN")) {
    link_->transaction_open = true;
  }
  PGresult* result = PQexec(link_->connection, text.c_str());
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    util::Error error = ErrorOf(*link_, result, sql);
    PQclear(result);
    return Fail(std::move(error));
  }
  PQclear(result);
  return util::Ok();
}

util::Status Connection::Commit() {
  link_->transaction_open = false;
  PGresult* result = PQexec(link_->connection, "COMMIT");
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK) {
    util::Error error = ErrorOf(*link_, result, "COMMIT");
    PQclear(result);
    return Fail(std::move(error));
  }
  const bool rolled_back = std::strcmp(PQcmdStatus(result), "ROLLBACK") == 0;
  PQclear(result);
  if (rolled_back) {
    return Fail(Code::kInternal, "postgresql",
                "transaktionen avbröts av ett tidigare fel och har rullats tillbaka",
                "the transaction was aborted by an earlier error and has been rolled back");
  }
  return util::Ok();
}

util::Result<Statement> Connection::Prepare(std::string_view sql) {
  std::string text(sql);
  if (auto found = link_->prepared.find(text); found != link_->prepared.end()) {
    return Statement(link_.get(), found->second, std::move(text));
  }
  std::string name = fmt::format("stegvis_{}", link_->prepared.size() + 1);
  PGresult* result = PQprepare(link_->connection, name.c_str(), text.c_str(), 0, nullptr);
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK) {
    util::Error error = ErrorOf(*link_, result, sql);
    PQclear(result);
    return Fail(std::move(error));
  }
  PQclear(result);
  link_->prepared.emplace(text, name);
  return Statement(link_.get(), std::move(name), std::move(text));
}

void Statement::ResultDeleter::operator()(pg_result* result) const { PQclear(result); }

Statement& Statement::Bind(int index, std::int64_t value) {
  return Bind(index, std::string_view(std::to_string(value)));
}

Statement& Statement::Bind(int index, double value) {
  if (std::isnan(value)) return Bind(index, std::string_view("NaN"));
  if (std::isinf(value)) return Bind(index, std::string_view(value > 0 ? "Infinity" : "-Infinity"));
  char buffer[64];
  const auto written = std::to_chars(buffer, buffer + sizeof buffer, value);
  return Bind(index, std::string_view(buffer, static_cast<std::size_t>(written.ptr - buffer)));
}

Statement& Statement::Bind(int index, std::string_view value) {
  const auto at = static_cast<std::size_t>(index - 1);
  if (parameters_.size() <= at) parameters_.resize(at + 1);
  parameters_[at] = std::string(value);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, std::string_view(*value)) : BindNull(index);
}

Statement& Statement::Bind(int index, const std::optional<std::int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  const auto at = static_cast<std::size_t>(index - 1);
  if (parameters_.size() <= at) parameters_.resize(at + 1);
  parameters_[at].reset();
  return *this;
}

Statement& Statement::Bind(int index, const Value& value) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return Bind(index, *integer);
  if (const auto* real = std::get_if<double>(&value)) return Bind(index, *real);
  if (const auto* text = std::get_if<std::string>(&value)) return Bind(index, *text);
  return BindNull(index);
}

Statement& Statement::BindArray(int index, const std::vector<std::int64_t>& values) {
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    literal += std::to_string(values[i]);
  }
  return Bind(index, std::string_view(literal + "}"));
}

namespace {

// An array element of text, quoted, with its quotes and backslashes escaped.
void AppendQuoted(std::string& literal, std::string_view value) {
  literal += '"';
  for (const char c : value) {
    if (c == '"' || c == '\\') literal += '\\';
    literal += c;
  }
  literal += '"';
}

}  // namespace

Statement& Statement::BindArray(int index, const std::vector<std::string>& values) {
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    AppendQuoted(literal, values[i]);
  }
  return Bind(index, std::string_view(literal + "}"));
}

Statement& Statement::BindArray(int index, const std::vector<std::optional<std::string>>& values) {
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    if (values[i]) {
      AppendQuoted(literal, *values[i]);
    } else {
      literal += "NULL";
    }
  }
  return Bind(index, std::string_view(literal + "}"));
}

Statement& Statement::BindArray(int index, const std::vector<std::optional<std::int64_t>>& values) {
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    literal += values[i] ? std::to_string(*values[i]) : std::string("NULL");
  }
  return Bind(index, std::string_view(literal + "}"));
}

util::Status Statement::Execute() {
  std::vector<const char*> values(parameters_.size());
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    values[i] = parameters_[i] ? parameters_[i]->c_str() : nullptr;
  }
  result_.reset(PQexecPrepared(link_->connection, name_.c_str(), static_cast<int>(values.size()),
                               values.data(), nullptr, nullptr, 0));
  const ExecStatusType status =
      result_ != nullptr ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    util::Error error = ErrorOf(*link_, result_.get(), sql_);
    result_.reset();
    return Fail(std::move(error));
  }
  rows_ = PQntuples(result_.get());
  row_ = -1;
  return util::Ok();
}

util::Result<bool> Statement::Step() {
  if (result_ == nullptr) STEGVIS_TRY(Execute());
  if (row_ < rows_) ++row_;
  return row_ < rows_;
}

util::Status Statement::Run() {
  util::Status executed = Execute();
  Reset();
  return executed;
}

util::Result<std::int64_t> Statement::Change() {
  util::Status executed = Execute();
  std::int64_t changed = 0;
  if (executed) {
    const char* count = PQcmdTuples(result_.get());
    std::from_chars(count, count + std::strlen(count), changed);
  }
  Reset();
  if (!executed) return Fail(executed.error());
  return changed;
}

void Statement::Reset() {
  result_.reset();
  parameters_.clear();
  rows_ = 0;
  row_ = -1;
}

const char* Statement::Cell(int column) const { return PQgetvalue(result_.get(), row_, column); }

std::int64_t Statement::Int(int column) const {
  const char* text = Cell(column);
  std::int64_t value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

double Statement::Double(int column) const {
  const char* text = Cell(column);
  double value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

std::optional<std::int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::string Statement::Text(int column) const {
  return {Cell(column), static_cast<std::size_t>(PQgetlength(result_.get(), row_, column))};
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

bool Statement::IsNull(int column) const { return PQgetisnull(result_.get(), row_, column) != 0; }

Value Statement::ValueAt(int column) const {
  if (IsNull(column)) return std::monostate{};
  // Type oids from PostgreSQL's pg_type.dat; the catalogue's numbers never change.
  constexpr Oid kInt8 = 20;
  constexpr Oid kInt2 = 21;
  constexpr Oid kInt4 = 23;
  constexpr Oid kFloat4 = 700;
  constexpr Oid kFloat8 = 701;
  switch (PQftype(result_.get(), column)) {
    case kInt8:
    case kInt2:
    case kInt4:
      return Int(column);
    case kFloat4:
    case kFloat8:
      return Double(column);
    default:
      return Text(column);
  }
}

}  // namespace stegvis::store::postgres
