// A consistent copy of a SQLite database into a new file, taken with SQLite's online backup
// API while other connections (a running server, an import) keep reading and writing.
#pragma once

#include <string>

#include "util/error.h"

namespace stegvis::store::sqlite {

// Copies the database at `from_path` into the new file `to_path`, created 0600. The copy is
// the database as one read transaction of a separate connection sees it, so it is consistent
// even while others commit, and it is taken in steps of a few megabytes without blocking
// writers (WAL). The copy is checked (PRAGMA quick_check) before it is declared done, and it
// is a single file without -wal or -shm beside it.
//
// Fails, leaving nothing at `to_path`, with kAlreadyExists when `to_path` (or its -journal,
// -wal or -shm file) exists, kNotFound when `from_path` does not, kFailedPrecondition when
// `from_path` is not a whole SQLite database (damaged, truncated or of another kind) and
// kUnavailable when a file cannot be created or written.
util::Status BackupTo(const std::string& from_path, const std::string& to_path);

}  // namespace stegvis::store::sqlite
