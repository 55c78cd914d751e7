// The SQLite store's tables as plain rows, for moving everything to another database.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/sqlite/sqlite_store.h"

namespace stegvis::store::sqlite {

using util::Result;
using util::Status;

Status SqliteStore::ExportRows(const Table& table, const std::function<Status(const Row&)>& each) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(fmt::format("SELECT {} FROM {} ORDER BY {}",
                                      fmt::join(table.columns, ", "), table.name, table.key)));
  Row row(table.columns.size());
  return EachRow(query, [&]() -> Status {
    for (std::size_t column = 0; column < row.size(); ++column) {
      row[column] = query.ValueAt(static_cast<int>(column));
    }
    return each(row);
  });
}

Status SqliteStore::ImportRows(const Table& table, const std::vector<Row>& rows) {
  std::string placeholders;
  for (std::size_t column = 0; column < table.columns.size(); ++column) {
    placeholders += column == 0 ? "?" : ", ?";
  }
  return InTransaction(connection_, [&]() -> Status {
    STEGVIS_ASSIGN_OR_RETURN(Statement insert, connection_.Prepare(fmt::format(
                                                   "INSERT INTO {} ({}) VALUES ({})", table.name,
                                                   fmt::join(table.columns, ", "), placeholders)));
    for (const Row& row : rows) {
      for (std::size_t column = 0; column < row.size(); ++column) {
        insert.Bind(static_cast<int>(column + 1), row[column]);
      }
      STEGVIS_TRY(insert.Run());
    }
    return util::Ok();
  });
}

Result<std::vector<std::string>> SqliteStore::SchemaColumns() {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT t.name || '.' || c.name FROM sqlite_schema AS t, "
                          "pragma_table_info(t.name) AS c WHERE t.type = 'table' "
                          "AND t.name NOT LIKE 'sqlite_%' ORDER BY 1"));
  std::vector<std::string> columns;
  STEGVIS_TRY(EachRow(query, [&]() -> Status {
    columns.push_back(query.Text(0));
    return util::Ok();
  }));
  return columns;
}

}  // namespace stegvis::store::sqlite
