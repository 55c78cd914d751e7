// A backup of a PostgreSQL database: pg_dump's custom format, written into a new file. The
// PostgreSQL counterpart of sqlite/sqlite_backup.h; restoring is pg_restore's work
// (docs/operations.md).
#pragma once

#include <string>

#include "util/error.h"

namespace stegvis::store::postgres {

// True when `database` names a PostgreSQL database (postgresql:// or postgres://) rather
// than a SQLite file.
bool IsPostgresUrl(const std::string& database);

// Runs `pg_dump --format=custom` (found on PATH, started without a shell) on the database at
// `url` and writes its output into the new file `to_path`, created 0600. pg_dump takes one
// snapshot, so the dump is consistent while others write. A password in the URL is handed to
// pg_dump in PGPASSWORD rather than on its command line, where other users could read it.
//
// Fails, leaving nothing at `to_path`, with kAlreadyExists when `to_path` exists,
// kUnavailable when pg_dump is missing or cannot reach the database, and kInternal when it
// fails otherwise (its last line of standard error is in the message).
util::Status DumpTo(const std::string& url, const std::string& to_path);

}  // namespace stegvis::store::postgres
