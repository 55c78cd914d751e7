// The command-line interface: parses arguments (CLI11), makes one service call per command
// and prints the result. Exit codes: 0 ok, 1 bad input or failed check, 2 wrong usage,
// 3 the store or the system failed.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "service/database_backup.h"
#include "service/services.h"
#include "store/store.h"
#include "util/date.h"
#include "util/error.h"

namespace stegvis::cli {

enum class StoreMode { kCreateIfMissing, kMustExist };

// Builds the services on the database and key of a configuration; provided by the
// composition root, which alone knows backends. kCreateIfMissing creates a missing database
// with a new key; an existing database is only ever opened with its own key.
using ServicesOpener = std::function<util::Result<std::unique_ptr<service::Services>>(
    const service::Configuration&, StoreMode)>;

// A store opened raw: migrated, with no key bound and no services on it (stegvis copy).
struct OpenedStore {
  std::unique_ptr<store::Store> store;
  bool created = false;  // Opening created the database (kCreateIfMissing, it did not exist).
};

// Opens the store of a database (a SQLite path, or later a URL) without binding a key;
// provided by the composition root. kCreateIfMissing creates a missing SQLite file (0600)
// and no key file.
using StoreOpener = std::function<util::Result<OpenedStore>(const std::string&, StoreMode)>;

// Removes a database that StoreOpener created, with the files that belong to it, after a
// command that created it failed. Its store must be closed first.
using DatabaseRemover = std::function<void(const std::string&)>;

struct Environment {
  ServicesOpener open_services;
  StoreOpener open_store;
  DatabaseRemover remove_database;
  // Today's date, for the century of a 10-digit personnummer.
  std::function<util::Date()> today;
  // Now in Unix seconds, for sessions and the audit log.
  std::function<std::int64_t()> now;
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool err_is_terminal = false;  // Progress bars go to a terminal only.
  // Copies a database (a SQLite path, later a PostgreSQL URL) into a new backup file, and a
  // backup file into a new database; provided by the composition root, which alone knows
  // backends. Either fails without leaving its target behind.
  service::DatabaseCopier back_up_database;
  service::DatabaseCopier restore_database;
};

int Run(int argc, const char* const* argv, const Environment& environment);

// The process exit code for an error; the one mapping from error codes to exit codes.
int ExitCodeFor(const util::Error& error);

inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitSystem = 3;

}  // namespace stegvis::cli
