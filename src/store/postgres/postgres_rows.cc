// The PostgreSQL store's tables as plain rows, for moving everything to another database.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/postgres/postgres_store.h"

namespace stegvis::store::postgres {

using util::Result;
using util::Status;

namespace {

// Rows fetched from the export's cursor at a time: a big table is never held whole.
constexpr std::size_t kExportBatch = 5000;

}  // namespace

Status PostgresStore::ExportRows(const Table& table,
                                 const std::function<Status(const Row&)>& each) {
  // Outside a transaction, one read-only snapshot holds the table's rows together.
  const bool own_transaction = !connection_.InTransaction();
  if (own_transaction) {
    STEGVIS_TRY(connection_.Execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  }
  auto export_rows = [&]() -> Status {
    STEGVIS_TRY(connection_.Execute(
        fmt::format("DECLARE stegvis_export NO SCROLL CURSOR FOR SELECT {} FROM {} ORDER BY {}",
                    fmt::join(table.columns, ", "), table.name, table.key)));
    STEGVIS_ASSIGN_OR_RETURN(
        Statement fetch,
        connection_.Prepare(fmt::format("FETCH FORWARD {} FROM stegvis_export", kExportBatch)));
    Row row(table.columns.size());
    while (true) {
      std::size_t fetched = 0;
      STEGVIS_TRY(EachRow(fetch, [&]() -> Status {
        ++fetched;
        for (std::size_t column = 0; column < row.size(); ++column) {
          row[column] = fetch.ValueAt(static_cast<int>(column));
        }
        return each(row);
      }));
      fetch.Reset();
      if (fetched < kExportBatch) break;
    }
    return connection_.Execute("CLOSE stegvis_export");
  };
  Status exported = export_rows();
  if (own_transaction) {
    (void)connection_.Execute("ROLLBACK");  // Read only: nothing to commit.
  } else if (!exported) {
    (void)connection_.Execute("CLOSE stegvis_export");  // So that the next export can begin.
  }
  return exported;
}

Status PostgresStore::ImportRows(const Table& table, const std::vector<Row>& rows) {
  std::string placeholders;
  for (std::size_t column = 0; column < table.columns.size(); ++column) {
    placeholders += fmt::format("{}${}", column == 0 ? "" : ", ", column + 1);
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
    // A table whose ids the database gives (enrolment, account) gives the next one after
    // those copied in.
    STEGVIS_ASSIGN_OR_RETURN(
        Statement sequence,
        connection_.Prepare("SELECT count(*) FROM pg_attribute WHERE attrelid = "
                            "to_regclass($1::text) AND attname = 'id' AND attidentity <> ''"));
    sequence.Bind(1, table.name);
    STEGVIS_TRY(sequence.Step());
    if (sequence.Int(0) == 0) return util::Ok();
    return connection_.Execute(
        fmt::format("SELECT setval(pg_get_serial_sequence('{0}', 'id'), coalesce(max(id), 0) + 1, "
                    "false) FROM {0}",
                    table.name));
  });
}

Result<std::vector<std::string>> PostgresStore::SchemaColumns() {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT table_name || '.' || column_name FROM information_schema.columns "
                          "WHERE table_schema = current_schema()"));
  std::vector<std::string> columns;
  STEGVIS_TRY(EachRow(query, [&]() -> Status {
    columns.push_back(query.Text(0));
    return util::Ok();
  }));
  // Sorted by bytes, as SQLite sorts them.
  std::sort(columns.begin(), columns.end());
  return columns;
}

}  // namespace stegvis::store::postgres
