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
  // Many rows per statement, so that the enrolment tally triggers (once per statement) run
  // once per batch, not once per row; PostgreSQL takes at most 65 535 parameters.
  const std::size_t columns = table.columns.size();
  const std::size_t per_statement = std::max<std::size_t>(1, 30'000 / columns);
  auto statement_for = [&](std::size_t count) {
    std::string values;
    for (std::size_t row = 0; row < count; ++row) {
      values += row == 0 ? "(" : ", (";
      for (std::size_t column = 0; column < columns; ++column) {
        values += fmt::format("{}${}", column == 0 ? "" : ", ", row * columns + column + 1);
      }
      values += ")";
    }
    return fmt::format("INSERT INTO {} ({}) VALUES {}", table.name, fmt::join(table.columns, ", "),
                       values);
  };
  return InTransaction(connection_, [&]() -> Status {
    for (std::size_t first = 0; first < rows.size(); first += per_statement) {
      const std::size_t count = std::min(per_statement, rows.size() - first);
      STEGVIS_ASSIGN_OR_RETURN(Statement insert, connection_.Prepare(statement_for(count)));
      for (std::size_t row = 0; row < count; ++row) {
        for (std::size_t column = 0; column < columns; ++column) {
          insert.Bind(static_cast<int>(row * columns + column + 1), rows[first + row][column]);
        }
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
