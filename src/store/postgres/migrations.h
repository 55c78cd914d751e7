// The PostgreSQL schema as an ordered list of migrations, version for version the same
// tables, columns, constraints, indexes and triggers as the SQLite store's (so that both
// record the same versions in schema_migrations). Each is applied once, in order, inside
// the transaction that records its version, under the write lock: several servers may
// start at once. Never edit a released migration: add a new one, to both backends.
#pragma once

#include <span>
#include <string_view>

#include "store/postgres/pg_db.h"

namespace stegvis::store::postgres {

std::span<const std::string_view> Migrations();

// Statements that (re)create the audit log's append-only guards as migration 3 made them,
// whichever of them stand: run by RechainAudit after it has moved the chain to a new hash.
std::string_view AuditGuards();

// Applies every migration the database does not have yet. Fails with kFailedPrecondition
// when the database is newer than this program.
util::Status Migrate(Connection& connection);

}  // namespace stegvis::store::postgres
