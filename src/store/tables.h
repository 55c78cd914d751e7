// The tables a store holds, as plain rows: what `stegvis copy` moves from one database to
// another, whatever their backends. Every table that holds something a user or the program
// put there is listed here, with its columns, in an order where each table comes after the
// tables it refers to. Adding a table to the schema means adding it here (or to
// DerivedTables when triggers rebuild it): the store contract checks both lists against
// each backend's schema.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace stegvis::store {

struct Table {
  std::string_view name;
  std::vector<std::string_view> columns;
  std::string_view key;  // The ORDER BY that lists the rows in a stable order.
};

// A column's value as the backends hold it: NULL, an integer, a real or a text.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using Row = std::vector<Value>;

// Every table that `stegvis copy` moves, parents before children.
std::span<const Table> CopiedTables();

// Tables and columns the target's own triggers rebuild as the copied rows arrive (tallies,
// revisions, the change log), and the migrations' own bookkeeping: never copied.
std::span<const std::string_view> DerivedTables();
std::span<const std::string_view> DerivedColumns();  // "table.column"

}  // namespace stegvis::store
