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
#include "store/sqlite/sqlite_backup.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using stegvis::util::Result;
namespace service = stegvis::service;
namespace store = stegvis::store;
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

Result<std::unique_ptr<service::Services>> OpenServices(const service::Configuration& config,
                                                        stegvis::cli::StoreMode mode) {
  std::error_code ignored;
  const bool creating = mode == stegvis::cli::StoreMode::kCreateIfMissing &&
                        !std::filesystem::exists(config.database, ignored);
  if (creating && std::filesystem::exists(config.AuditHeadFile(), ignored)) {
    // A key that has vouched for an audit log belongs to that database.
    return stegvis::util::Fail(
        stegvis::util::Code::kFailedPrecondition, config.KeyFile(),
        "nyckelfilen hör redan till en annan databas (granskningsloggens ände ligger bredvid "
        "den); ge den nya databasen en egen nyckel med --key",
        "the key file already belongs to another database (the audit log's head lies beside "
        "it); give the new database a key of its own with --key");
  }
  // The key first, so that a process starting at the same moment finds it with the file.
  if (creating) STEGVIS_TRY(stegvis::privacy::CreateKeyFileIfMissing(config.KeyFile()));
  // Opening once creates (when asked) and migrates the database before the pool opens more.
  STEGVIS_TRY(SqliteStore::Open(config.database, creating ? SqliteStore::OpenMode::kCreateIfMissing
                                                          : SqliteStore::OpenMode::kMustExist));
  // Only a new database gets a new key; an existing one needs its own.
  STEGVIS_ASSIGN_OR_RETURN(const stegvis::privacy::Key key,
                           stegvis::privacy::ReadKeyFile(config.KeyFile()));
  auto pool = std::make_unique<store::StorePool>(
      SqliteStore::PoolOpener(config.database, SqliteStore::OpenMode::kMustExist),
      config.pool_size);
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
