#include "store/sqlite/migrations.h"

#include <array>

#include <fmt/format.h>

namespace stegvis::store::sqlite {

namespace {

constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE forbund (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  formed TEXT,
  suppression_k INTEGER NOT NULL DEFAULT 5,
  equity_year INTEGER,
  equity_ore INTEGER
) STRICT;

CREATE TABLE member (
  forbund_id TEXT NOT NULL REFERENCES forbund(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('kommun', 'region', 'fk', 'af', 'stat')),
  PRIMARY KEY (forbund_id, id)
) STRICT;

CREATE TABLE insats (
  forbund_id TEXT NOT NULL REFERENCES forbund(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('individ', 'struktur')),
  form TEXT NOT NULL CHECK (form IN ('LIV', 'projekt')),
  start_date TEXT NOT NULL,
  end_date TEXT,
  age_min INTEGER,
  age_max INTEGER,
  priority_age_min INTEGER,
  priority_age_max INTEGER,
  needs_two_members INTEGER NOT NULL DEFAULT 0,
  max_enrolment_months INTEGER,
  min_work_ability_percent INTEGER,
  exclusions TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (forbund_id, id)
) STRICT;

CREATE TABLE insats_goal (
  forbund_id TEXT NOT NULL,
  insats_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  measure TEXT NOT NULL,
  target REAL NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (forbund_id, insats_id, position),
  FOREIGN KEY (forbund_id, insats_id) REFERENCES insats(forbund_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE insats_staffing (
  forbund_id TEXT NOT NULL,
  insats_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  member_id TEXT NOT NULL,
  percent INTEGER NOT NULL,
  PRIMARY KEY (forbund_id, insats_id, position),
  FOREIGN KEY (forbund_id, insats_id) REFERENCES insats(forbund_id, id) ON DELETE CASCADE,
  FOREIGN KEY (forbund_id, member_id) REFERENCES member(forbund_id, id)
) STRICT;

-- A budget year (budget or prognos) or an outcome year.
CREATE TABLE economy_year (
  forbund_id TEXT NOT NULL REFERENCES forbund(id) ON DELETE CASCADE,
  year INTEGER NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('budget', 'prognos', 'utfall')),
  PRIMARY KEY (forbund_id, year, source)
) STRICT;

CREATE TABLE economy_line (
  forbund_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  source TEXT NOT NULL,
  position INTEGER NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('intakt', 'kostnad')),
  label TEXT NOT NULL,
  member_id TEXT,
  insats_id TEXT,
  category TEXT CHECK (category IN ('individ', 'struktur', 'administration', 'ny')),
  amount_ore INTEGER NOT NULL,
  PRIMARY KEY (forbund_id, year, source, position),
  FOREIGN KEY (forbund_id, year, source) REFERENCES economy_year(forbund_id, year, source)
    ON DELETE CASCADE,
  FOREIGN KEY (forbund_id, member_id) REFERENCES member(forbund_id, id),
  FOREIGN KEY (forbund_id, insats_id) REFERENCES insats(forbund_id, id)
) STRICT;
)sql";

constexpr std::array<std::string_view, 1> kMigrations = {kMigration1};

}  // namespace

std::span<const std::string_view> Migrations() { return kMigrations; }

util::Status Migrate(Connection& connection) {
  STEGVIS_TRY(connection.Execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "applied_at TEXT NOT NULL) STRICT"));
  STEGVIS_ASSIGN_OR_RETURN(
      auto query, connection.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  STEGVIS_TRY(query.Step());
  const auto current = static_cast<std::size_t>(query.Int(0));
  query.Reset();
  if (current > kMigrations.size()) {
    return util::Fail(util::Code::kFailedPrecondition, "schema",
                      fmt::format("databasen har schemaversion {}, men programmet känner bara "
                                  "till {}; uppgradera stegvis",
                                  current, kMigrations.size()),
                      fmt::format("the database has schema version {}, but this program knows "
                                  "only {}; upgrade stegvis",
                                  current, kMigrations.size()));
  }
  for (std::size_t version = current + 1; version <= kMigrations.size(); ++version) {
    STEGVIS_TRY(InTransaction(connection, [&]() -> util::Status {
      STEGVIS_TRY(connection.Execute(kMigrations[version - 1]));
      STEGVIS_ASSIGN_OR_RETURN(
          auto insert, connection.Prepare("INSERT INTO schema_migrations (version, applied_at) "
                                          "VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"));
      return insert.Bind(1, static_cast<std::int64_t>(version)).Run();
    }));
  }
  return util::Ok();
}

}  // namespace stegvis::store::sqlite
