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

// Participants, the ladder, own measures and the socioeconomic model.
constexpr std::string_view kMigration2 = R"sql(
ALTER TABLE forbund ADD COLUMN socio_avoided_support_ore INTEGER NOT NULL DEFAULT 1000000;
ALTER TABLE forbund ADD COLUMN socio_avoided_administration_ore INTEGER NOT NULL DEFAULT 50000;
ALTER TABLE forbund ADD COLUMN socio_tax_income_ore INTEGER NOT NULL DEFAULT 570000;
ALTER TABLE forbund ADD COLUMN socio_months INTEGER NOT NULL DEFAULT 12;

CREATE TABLE ladder_step (
  forbund_id TEXT NOT NULL REFERENCES forbund(id) ON DELETE CASCADE,
  level INTEGER NOT NULL,
  label TEXT NOT NULL,
  PRIMARY KEY (forbund_id, level)
) STRICT;

CREATE TABLE measure_definition (
  forbund_id TEXT NOT NULL REFERENCES forbund(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  min_value INTEGER NOT NULL,
  max_value INTEGER NOT NULL,
  PRIMARY KEY (forbund_id, id)
) STRICT;

-- No name and no personnummer: a person is only a keyed pseudonym (person_key), and an
-- anonymous enrolment has none of person_key, birth_year and kommun.
CREATE TABLE enrolment (
  id INTEGER PRIMARY KEY,
  forbund_id TEXT NOT NULL,
  insats_id TEXT NOT NULL,
  person_key TEXT,
  kon TEXT NOT NULL CHECK (kon IN ('kvinna', 'man', 'annat')),
  birth_year INTEGER,
  kommun TEXT,
  anonymous INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
  start_date TEXT NOT NULL,
  remittent TEXT,
  income_at_start TEXT NOT NULL DEFAULT '',
  exit_date TEXT,
  exit_reason TEXT,
  income_at_exit TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (forbund_id, insats_id) REFERENCES insats(forbund_id, id),
  CHECK (anonymous = 0 OR (person_key IS NULL AND birth_year IS NULL AND kommun IS NULL)),
  CHECK ((exit_date IS NULL) = (exit_reason IS NULL))
) STRICT;
CREATE INDEX enrolment_by_forbund ON enrolment (forbund_id, insats_id);
CREATE INDEX enrolment_by_person ON enrolment (forbund_id, person_key);
-- One open enrolment per person and intervention.
CREATE UNIQUE INDEX enrolment_one_open ON enrolment (forbund_id, insats_id, person_key)
  WHERE exit_date IS NULL AND person_key IS NOT NULL;

CREATE TABLE measurement (
  enrolment_id INTEGER NOT NULL REFERENCES enrolment(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  date TEXT NOT NULL,
  measure TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (enrolment_id, position)
) STRICT;

CREATE TABLE follow_up (
  enrolment_id INTEGER NOT NULL REFERENCES enrolment(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  date TEXT NOT NULL,
  months INTEGER NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (enrolment_id, position)
) STRICT;
)sql";

// Accounts, sessions, sign-in throttling and the audit log.
constexpr std::string_view kMigration3 = R"sql(
CREATE TABLE account (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('systemadministrator', 'forbundsadministrator',
                                     'deltagaransvarig', 'rapportlasare', 'nationell')),
  forbund_id TEXT REFERENCES forbund(id),
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE account_insats (
  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  insats_id TEXT NOT NULL,
  PRIMARY KEY (account_id, insats_id)
) STRICT;

-- A session is known by the hash of its token; the token itself is only in the cookie.
CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sign_in_failure (
  subject TEXT PRIMARY KEY,  -- "konto:NAME" or "adress:ADDRESS"
  failures INTEGER NOT NULL,
  window_start INTEGER NOT NULL
) STRICT;

-- Append-only: each entry carries the hash of the one before.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  address TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql";

// The unit of work: settings of the database (the key fingerprint), a revision per förbund
// and a tally per intervention kept by triggers in the same transaction as every enrolment
// change, and the indexes every request's lookups use.
constexpr std::string_view kMigration4 = R"sql(
CREATE TABLE setting (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
-- A chain written before the chain was keyed: checked as it was (SHA-256) and re-hashed
-- under the key the first time the database is opened with one (service::Services::BindKey).
INSERT INTO setting (name, value)
  SELECT 'granskningskedja', 'sha256' WHERE EXISTS (SELECT 1 FROM audit_log);

ALTER TABLE forbund ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE insats_tally (
  forbund_id TEXT NOT NULL,
  insats_id TEXT NOT NULL,
  enrolments INTEGER NOT NULL DEFAULT 0,
  ongoing INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (forbund_id, insats_id)
) STRICT;
INSERT INTO insats_tally (forbund_id, insats_id, enrolments, ongoing)
  SELECT forbund_id, insats_id, count(*), sum(exit_date IS NULL) FROM enrolment
  GROUP BY forbund_id, insats_id;

-- Which enrolment changed at which revision, so that a reader holding a förbund as of an
-- older revision reloads only what changed since.
CREATE TABLE enrolment_change (
  forbund_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  enrolment_id INTEGER NOT NULL,
  PRIMARY KEY (forbund_id, revision, enrolment_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER enrolment_counted AFTER INSERT ON enrolment BEGIN
  INSERT INTO insats_tally (forbund_id, insats_id) VALUES (NEW.forbund_id, NEW.insats_id)
    ON CONFLICT DO NOTHING;
  UPDATE insats_tally SET enrolments = enrolments + 1, ongoing = ongoing + (NEW.exit_date IS NULL)
    WHERE forbund_id = NEW.forbund_id AND insats_id = NEW.insats_id;
  UPDATE forbund SET revision = revision + 1 WHERE id = NEW.forbund_id;
  INSERT OR IGNORE INTO enrolment_change (forbund_id, revision, enrolment_id)
    SELECT NEW.forbund_id, revision, NEW.id FROM forbund WHERE id = NEW.forbund_id;
END;
CREATE TRIGGER enrolment_uncounted AFTER DELETE ON enrolment BEGIN
  UPDATE insats_tally SET enrolments = enrolments - 1, ongoing = ongoing - (OLD.exit_date IS NULL)
    WHERE forbund_id = OLD.forbund_id AND insats_id = OLD.insats_id;
  UPDATE forbund SET revision = revision + 1 WHERE id = OLD.forbund_id;
  INSERT OR IGNORE INTO enrolment_change (forbund_id, revision, enrolment_id)
    SELECT OLD.forbund_id, revision, OLD.id FROM forbund WHERE id = OLD.forbund_id;
END;
CREATE TRIGGER enrolment_recounted AFTER UPDATE ON enrolment BEGIN
  UPDATE insats_tally SET enrolments = enrolments - 1, ongoing = ongoing - (OLD.exit_date IS NULL)
    WHERE forbund_id = OLD.forbund_id AND insats_id = OLD.insats_id;
  INSERT INTO insats_tally (forbund_id, insats_id) VALUES (NEW.forbund_id, NEW.insats_id)
    ON CONFLICT DO NOTHING;
  UPDATE insats_tally SET enrolments = enrolments + 1, ongoing = ongoing + (NEW.exit_date IS NULL)
    WHERE forbund_id = NEW.forbund_id AND insats_id = NEW.insats_id;
  UPDATE forbund SET revision = revision + 1 WHERE id IN (OLD.forbund_id, NEW.forbund_id);
END;

-- An intervention's list, newest start first (also every lookup by förbund and
-- intervention), and a person's enrolments in an intervention.
CREATE INDEX enrolment_list ON enrolment (forbund_id, insats_id, start_date, id);
CREATE INDEX enrolment_by_person_insats ON enrolment (forbund_id, person_key, insats_id);
DROP INDEX enrolment_by_person;
DROP INDEX enrolment_by_forbund;
)sql";

constexpr std::array<std::string_view, 4> kMigrations = {kMigration1, kMigration2, kMigration3,
                                                         kMigration4};

}  // namespace

std::span<const std::string_view> Migrations() { return kMigrations; }

util::Status Migrate(Connection& connection) {
  // Read the version cheaply first: an up-to-date database (nearly always) takes no lock.
  auto current_version = [&connection]() -> util::Result<std::size_t> {
    STEGVIS_ASSIGN_OR_RETURN(
        auto exists, connection.Prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                                        "AND name = 'schema_migrations'"));
    STEGVIS_TRY(exists.Step());
    if (exists.Int(0) == 0) return std::size_t{0};
    STEGVIS_ASSIGN_OR_RETURN(
        auto query, connection.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    STEGVIS_TRY(query.Step());
    return static_cast<std::size_t>(query.Int(0));
  };
  STEGVIS_ASSIGN_OR_RETURN(std::size_t current, current_version());
  if (current > kMigrations.size()) {
    return util::Fail(util::Code::kFailedPrecondition, "schema",
                      fmt::format("databasen har schemaversion {}, men programmet känner bara "
                                  "till {}; uppgradera stegvis",
                                  current, kMigrations.size()),
                      fmt::format("the database has schema version {}, but this program knows "
                                  "only {}; upgrade stegvis",
                                  current, kMigrations.size()));
  }
  if (current == kMigrations.size()) return util::Ok();
  // Under the write lock, and read again there: several processes may start at once.
  return InTransaction(connection, [&]() -> util::Status {
    STEGVIS_TRY(connection.Execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "applied_at TEXT NOT NULL) STRICT"));
    STEGVIS_ASSIGN_OR_RETURN(current, current_version());
    for (std::size_t version = current + 1; version <= kMigrations.size(); ++version) {
      STEGVIS_TRY(connection.Execute(kMigrations[version - 1]));
      STEGVIS_ASSIGN_OR_RETURN(
          auto insert, connection.Prepare("INSERT INTO schema_migrations (version, applied_at) "
                                          "VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"));
      STEGVIS_TRY(insert.Bind(1, static_cast<std::int64_t>(version)).Run());
    }
    return util::Ok();
  });
}

}  // namespace stegvis::store::sqlite
