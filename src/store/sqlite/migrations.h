// The SQLite schema as an ordered list of migrations. Each is applied once, in order, inside
// the transaction that records its version in schema_migrations. Never edit a released
// migration: add a new one.
#pragma once

#include <span>
#include <string_view>

#include "store/sqlite/sqlite_db.h"

namespace stegvis::store::sqlite {

std::span<const std::string_view> Migrations();

// Applies every migration the database does not have yet. Fails with kFailedPrecondition
// when the database is newer than this program.
util::Status Migrate(Connection& connection);

}  // namespace stegvis::store::sqlite
