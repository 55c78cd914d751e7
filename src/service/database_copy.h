// Copying a whole database to another one (stegvis copy), whatever their backends: every
// table of store::CopiedTables, row for row, ids and hashes included, so that the copy
// holds the same förbund, participants, accounts, sessions and audit chain as the source.
// The key file and the audit head noted beside it travel with the database: the copy works
// with the source's key only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "privacy/pseudonymizer.h"
#include "service/services.h"
#include "store/store.h"
#include "util/error.h"

namespace stegvis::service {

struct CopiedTable {
  std::string name;
  std::int64_t rows = 0;
};

struct CopySummary {
  std::vector<CopiedTable> tables;  // In CopiedTables() order.
  std::int64_t rows = 0;            // Over every table.
};

// Called after each batch written to the target: the table and its rows copied so far.
using CopyProgress = std::function<void(std::string_view table, std::int64_t rows)>;

// How many rows go to the target in one ImportRows call: what the copy holds in memory.
// Not more: inside a long write transaction SQLite's cost per row grows with the batch (each
// batch is a savepoint, and every insert whose triggers write walks the savepoint's
// in-memory journal). Copying 1.5 million rows took 17 s in batches of 2 000, 7.5 s in
// batches of 500 and 6.9 s in batches of 250; 500 keeps a server backend's round trips few.
inline constexpr std::size_t kCopyBatchRows = 500;

// Copies every row of every copied table from `from` to `to`. Both stores must be open
// without a key bound (a bound target already holds a fingerprint and is refused).
//
// The source is read in one read transaction (a consistent snapshot, while others may go on
// writing to it) and the target written in one write transaction, a batch of
// kCopyBatchRows rows at a time, so that memory stays bounded however big the förbund.
// Before committing, the target's tables are read back inside that transaction and each
// table's row count and digest (BLAKE2b over the type-tagged values) compared with the
// source's: a mismatch fails with kInternal naming the table, and nothing is committed.
//
// Fails with kFailedPrecondition, changing nothing, when the target holds any row of any
// copied table (only an empty, new database can be a target), or when a source row breaks
// a constraint of the target; with the stores' own errors otherwise. On any failure the
// target holds exactly what it held before.
util::Result<CopySummary> CopyDatabase(store::Store& from, store::Store& to,
                                       const CopyProgress& progress = {});

// Checks that `key` is the key the database `store` is bound to (its stored fingerprint).
// kFailedPrecondition when it is another key, or when the database is bound to none yet.
util::Status CheckDatabaseKey(store::Store& store, const privacy::Key& key);

// The files that go with a copied database: its key file and the audit head noted beside
// it. Prepared before the copy and removed again when the copy fails.
class CopyFiles {
 public:
  // Reads the source's key (`from`'s key file), checks it against the source's fingerprint,
  // and puts the target's files in place: the key file at `to`'s key path when none is
  // there (0600), and the source's audit head beside it. Fails with kFailedPrecondition,
  // creating nothing, when the target's key path holds another key or an audit head already
  // lies beside it (it belongs to another database), and with kUnavailable when a file
  // cannot be written.
  static util::Result<CopyFiles> Prepare(const Configuration& from, const Configuration& to,
                                         store::Store& source);

  CopyFiles(CopyFiles&&) noexcept = default;
  CopyFiles& operator=(CopyFiles&&) noexcept = default;
  CopyFiles(const CopyFiles&) = delete;
  CopyFiles& operator=(const CopyFiles&) = delete;

  // Removes the files Prepare created (after a failed copy).
  void RemoveCreated();

 private:
  CopyFiles() = default;
  std::vector<std::string> created_;
};

}  // namespace stegvis::service
