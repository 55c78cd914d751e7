// The composition root: builds the store, the key and every service once, from one
// configuration, and hands them to the CLI (and through it to the server). The only place
// that names a storage backend.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/cli.h"
#include "privacy/database_key.h"
#include "store/postgres/pg_dump.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_backup.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using stegvis::util::Result;
namespace service = stegvis::service;
namespace store = stegvis::store;
using stegvis::store::postgres::PostgresStore;
using stegvis::store::sqlite::SqliteStore;

stegvis::util::Date Today() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{today};
  return *stegvis::util::Date::FromYmd(static_cast<int>(ymd.year()),
                                       static_cast<unsigned>(ymd.month()),
                                       static_cast<unsigned>(ymd.day()));
}

std::int64_t Now() {
  return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
}

// How many connections a server process keeps to PostgreSQL unless configured: enough for
// its threads and the reports, few enough that several servers fit the server's
// max_connections (100 by default).
constexpr std::size_t kDefaultPostgresPool = 10;

// The key file of a new database: refused when it has already vouched for another
// database's audit log; created when missing, before the database is touched, so that a
// process starting at the same moment finds it with the database.
stegvis::util::Status PrepareNewKey(const service::Configuration& config) {
  std::error_code ignored;
  if (std::filesystem::exists(config.AuditHeadFile(), ignored)) {
    return stegvis::util::Fail(
        stegvis::util::Code::kFailedPrecondition, config.KeyFile(),
        "nyckelfilen hör redan till en annan databas (granskningsloggens ände ligger bredvid "
        "den); ge den nya databasen en egen nyckel med --key",
        "the key file already belongs to another database (the audit log's head lies beside "
        "it); give the new database a key of its own with --key");
  }
  return stegvis::privacy::CreateKeyFileIfMissing(config.KeyFile());
}

// A pool of connections to the database of `config`, created and migrated when `creating`
// allows (a PostgreSQL database is made by its operator: "new" there means empty).
Result<std::unique_ptr<store::StorePool>> OpenPool(const service::Configuration& config,
                                                   stegvis::cli::StoreMode mode) {
  const bool may_create = mode == stegvis::cli::StoreMode::kCreateIfMissing;
  if (store::postgres::IsPostgresUrl(config.database)) {
    // Opening once migrates the schema before the pool opens more connections.
    STEGVIS_ASSIGN_OR_RETURN(auto first, PostgresStore::Open(config.database));
    STEGVIS_ASSIGN_OR_RETURN(const bool has_data, first->HasData());
    STEGVIS_ASSIGN_OR_RETURN(auto fingerprint, first->Setting(service::kKeyFingerprintSetting));
    if (may_create && !has_data && !fingerprint) STEGVIS_TRY(PrepareNewKey(config));
    return std::make_unique<store::StorePool>(
        PostgresStore::PoolOpener(config.database),
        config.pool_size != 0 ? config.pool_size : kDefaultPostgresPool);
  }
  std::error_code ignored;
  const bool creating = may_create && !std::filesystem::exists(config.database, ignored);
  if (creating) STEGVIS_TRY(PrepareNewKey(config));
  STEGVIS_TRY(SqliteStore::Open(config.database, creating ? SqliteStore::OpenMode::kCreateIfMissing
                                                          : SqliteStore::OpenMode::kMustExist));
  return std::make_unique<store::StorePool>(
      SqliteStore::PoolOpener(config.database, SqliteStore::OpenMode::kMustExist),
      config.pool_size);
}

Result<std::unique_ptr<service::Services>> OpenServices(const service::Configuration& config,
                                                        stegvis::cli::StoreMode mode) {
  STEGVIS_ASSIGN_OR_RETURN(auto pool, OpenPool(config, mode));
  // Only a new database gets a new key; an existing one needs its own.
  STEGVIS_ASSIGN_OR_RETURN(const stegvis::privacy::Key key,
                           stegvis::privacy::ReadKeyFile(config.KeyFile()));
  auto services = std::make_unique<service::Services>(std::move(pool), key, config.AuditHeadFile(),
                                                      service::Clocks{&Now, &Today});
  STEGVIS_TRY(services->BindKey(key));
  return services;
}

// A backup of the database `from` in the new file `to`, by the database's backend.
stegvis::util::Status BackUpDatabase(const std::string& from, const std::string& to) {
  // PostgreSQL: pg_dump's custom format, restored with pg_restore (docs/operations.md).
  if (store::postgres::IsPostgresUrl(from)) return store::postgres::DumpTo(from, to);
  return store::sqlite::BackupTo(from, to);
}

// The database `to` made from the backup file `from`.
stegvis::util::Status RestoreDatabase(const std::string& from, const std::string& to) {
  if (store::postgres::IsPostgresUrl(to)) {
    // pg_restore needs an empty database made by the operator, with the owner and rights
    // of the installation's choice: that stays the operator's step.
    return stegvis::util::Fail(
        stegvis::util::Code::kFailedPrecondition, "--db",
        "en PostgreSQL-databas återställs med pg_restore --no-owner --dbname=... i en tom "
        "databas; kopiera sedan nyckelfilen och granskningsloggens ände och kör stegvis audit "
        "verify (se docs/operations.md)",
        "a PostgreSQL database is restored with pg_restore --no-owner --dbname=... into an "
        "empty database; then copy the key file and the audit head and run stegvis audit "
        "verify (see docs/operations.md)");
  }
  return store::sqlite::BackupTo(from, to);
}

Result<stegvis::cli::OpenedStore> OpenStore(const std::string& database,
                                            stegvis::cli::StoreMode mode) {
  if (store::postgres::IsPostgresUrl(database)) {
    // The database itself is the operator's to make; its schema is made here.
    STEGVIS_ASSIGN_OR_RETURN(std::unique_ptr<PostgresStore> store, PostgresStore::Open(database));
    return stegvis::cli::OpenedStore{std::move(store), false};
  }
  std::error_code ignored;
  const bool creating = mode == stegvis::cli::StoreMode::kCreateIfMissing &&
                        !std::filesystem::exists(database, ignored);
  STEGVIS_ASSIGN_OR_RETURN(
      std::unique_ptr<SqliteStore> store,
      SqliteStore::Open(database, creating ? SqliteStore::OpenMode::kCreateIfMissing
                                           : SqliteStore::OpenMode::kMustExist));
  return stegvis::cli::OpenedStore{std::move(store), creating};
}

void RemoveDatabase(const std::string& database) {
  // Only a SQLite file is ever created by a command; a PostgreSQL database stays.
  if (store::postgres::IsPostgresUrl(database)) return;
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(database + suffix, ignored);
  }
}

}  // namespace

int main(int argc, char** argv) {
  stegvis::cli::Environment environment{.open_services = &OpenServices,
                                        .open_store = &OpenStore,
                                        .remove_database = &RemoveDatabase,
                                        .today = &Today,
                                        .now = &Now,
                                        .in = std::cin,
                                        .out = std::cout,
                                        .err = std::cerr,
                                        .err_is_terminal = ::isatty(STDERR_FILENO) == 1,
                                        .back_up_database = &BackUpDatabase,
                                        .restore_database = &RestoreDatabase};
  return stegvis::cli::Run(argc, argv, environment);
}
