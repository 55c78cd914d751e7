// Backup and restore of a whole database: the database itself, its key file and the audit
// head noted beside the key, which belong together (without the key the pseudonyms and the
// audit chain mean nothing; without the head a deleted end of the chain goes unseen).
//
// A backup FILE is self-contained: FILE is the database, FILE.key its key and
// FILE.key.granskning the audit head, so that `stegvis audit verify --db FILE` and
// `stegvis serve --db FILE` work on it directly. How the database itself is copied depends
// on its backend and is handed in by the composition root.
#pragma once

#include <functional>
#include <string>

#include "service/services.h"
#include "util/error.h"

namespace stegvis::service {

// Copies the database `from` (a path or URL) into the new file `to`, consistently while
// others write, and fails without leaving `to` behind. Provided by app/, which alone knows
// the backends.
using DatabaseCopier = std::function<util::Status(const std::string& from, const std::string& to)>;

// The backup set at `file`: FILE, FILE.key and FILE.key.granskning.
Configuration BackupSet(const std::string& file);

// Backs up `database` into the backup set at `to`: reads the audit head first (so that the
// copy holds at least the entry it names), then copies the database with `copy`, then writes
// the key and the head, all 0600. A database whose chain is still empty has no head to copy.
//
// Fails with kAlreadyExists, writing nothing, when any file of the set exists;
// kFailedPrecondition when the key file is missing or not the owner's only; otherwise with
// the copier's error. After a failure nothing of the set is left behind.
util::Status BackUpDatabase(const Configuration& database, const std::string& to,
                            const DatabaseCopier& copy);

// Restores the backup set at `from` into `database`: copies FILE.key to the key file, FILE
// into the database with `copy`, and FILE.key.granskning (when there is one) to the audit
// head, all 0600; then runs `check` on the restored database (the caller opens it through
// the normal path, which checks the key's fingerprint, and verifies the audit chain).
//
// Fails with kAlreadyExists, changing nothing, when the database, its key or its head exists;
// kNotFound when the backup file is missing; kFailedPrecondition when its key is missing or
// damaged or the backup file is not a whole database; otherwise with the copier's or the
// check's error. After a failure nothing restored is left behind.
util::Status RestoreDatabase(const std::string& from, const Configuration& database,
                             const DatabaseCopier& copy,
                             const std::function<util::Status(const Configuration&)>& check);

}  // namespace stegvis::service
