// SqliteStore: accounts, sessions, sign-in throttling and the audit log.
#include <fmt/format.h>
#include <sqlite3.h>

#include "store/sqlite/sqlite_store.h"

namespace stegvis::store::sqlite {

namespace {

using util::Result;
using util::Status;

}  // namespace

Result<std::int64_t> SqliteStore::AddAccount(const core::Account& account) {
  std::int64_t id = 0;
  STEGVIS_TRY(InTransaction(connection_, [&]() -> Status {
    STEGVIS_ASSIGN_OR_RETURN(Statement exists,
                             connection_.Prepare("SELECT 1 FROM account WHERE name = ?"));
    exists.Bind(1, account.name);
    STEGVIS_ASSIGN_OR_RETURN(bool taken, exists.Step());
    if (taken) {
      return util::Fail(util::Code::kAlreadyExists, "--namn",
                        fmt::format("kontot \"{}\" finns redan", account.name),
                        fmt::format("account \"{}\" exists already", account.name));
    }
    STEGVIS_ASSIGN_OR_RETURN(
        Statement insert,
        connection_.Prepare("INSERT INTO account (name, role, forbund_id, password_hash, "
                            "created_at) VALUES (?, ?, ?, ?, ?)"));
    STEGVIS_TRY(insert.Bind(1, account.name)
                    .Bind(2, core::RoleCode(account.role))
                    .Bind(3, account.forbund_id)
                    .Bind(4, account.password_hash)
                    .Bind(5, account.created_at)
                    .Run());
    id = sqlite3_last_insert_rowid(connection_.handle());
    STEGVIS_ASSIGN_OR_RETURN(
        Statement insats,
        connection_.Prepare("INSERT INTO account_insats (account_id, insats_id) VALUES (?, ?)"));
    for (const std::string& insats_id : account.insats_ids) {
      STEGVIS_TRY(insats.Bind(1, id).Bind(2, insats_id).Run());
    }
    return util::Ok();
  }));
  return id;
}

Result<std::vector<core::Account>> SqliteStore::QueryAccounts(std::string_view where,
                                                              const std::string& argument) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(fmt::format("SELECT id, name, role, forbund_id, password_hash, "
                                      "created_at FROM account {} ORDER BY name COLLATE svenska",
                                      where)));
  if (!where.empty()) query.Bind(1, argument);
  std::vector<core::Account> accounts;
  STEGVIS_TRY(EachRow(query, [&]() -> Status {
    core::Account account;
    account.id = query.Int(0);
    account.name = query.Text(1);
    std::optional<core::Role> role = core::ParseRole(query.Text(2));
    if (!role) {
      return util::Fail(util::Code::kInternal, "sqlite", "ogiltig roll i databasen",
                        "invalid role in the database");
    }
    account.role = *role;
    account.forbund_id = query.OptionalText(3);
    account.password_hash = query.Text(4);
    account.created_at = query.Int(5);
    accounts.push_back(std::move(account));
    return util::Ok();
  }));
  STEGVIS_ASSIGN_OR_RETURN(
      Statement insatser,
      connection_.Prepare("SELECT insats_id FROM account_insats WHERE account_id = ? "
                          "ORDER BY insats_id"));
  for (core::Account& account : accounts) {
    insatser.Reset();
    insatser.Bind(1, account.id);
    STEGVIS_TRY(EachRow(insatser, [&]() -> Status {
      account.insats_ids.push_back(insatser.Text(0));
      return util::Ok();
    }));
  }
  return accounts;
}

Result<core::Account> SqliteStore::FindAccountByName(std::string_view name) {
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Account> accounts,
                           QueryAccounts("WHERE name = ?", std::string(name)));
  if (accounts.empty()) {
    return util::Fail(util::Code::kNotFound, "konto", "kontot finns inte",
                      "the account does not exist");
  }
  return accounts.front();
}

Result<core::Account> SqliteStore::FindAccount(std::int64_t id) {
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Account> accounts,
                           QueryAccounts("WHERE id = ?", std::to_string(id)));
  if (accounts.empty()) {
    return util::Fail(util::Code::kNotFound, "konto", "kontot finns inte",
                      "the account does not exist");
  }
  return accounts.front();
}

Result<std::vector<core::Account>> SqliteStore::ListAccounts() { return QueryAccounts("", ""); }

Status SqliteStore::SetPasswordHash(std::int64_t account_id, std::string_view hash) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement update, connection_.Prepare("UPDATE account SET password_hash = ? WHERE id = ?"));
  return update.Bind(1, hash).Bind(2, account_id).Run();
}

Status SqliteStore::AddSession(const core::Session& session) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO session (token_hash, account_id, csrf_token, created_at, "
                          "last_seen_at) VALUES (?, ?, ?, ?, ?)"));
  return insert.Bind(1, session.token_hash)
      .Bind(2, session.account_id)
      .Bind(3, session.csrf_token)
      .Bind(4, session.created_at)
      .Bind(5, session.last_seen_at)
      .Run();
}

Result<std::optional<core::Session>> SqliteStore::FindSession(std::string_view token_hash) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT token_hash, account_id, csrf_token, created_at, last_seen_at "
                          "FROM session WHERE token_hash = ?"));
  query.Bind(1, token_hash);
  STEGVIS_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::optional<core::Session>();
  return core::Session{query.Text(0), query.Int(1), query.Text(2), query.Int(3), query.Int(4)};
}

Status SqliteStore::TouchSession(std::string_view token_hash, std::int64_t now) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE session SET last_seen_at = ? WHERE token_hash = ?"));
  return update.Bind(1, now).Bind(2, token_hash).Run();
}

Status SqliteStore::RemoveSession(std::string_view token_hash) {
  STEGVIS_ASSIGN_OR_RETURN(Statement remove,
                           connection_.Prepare("DELETE FROM session WHERE token_hash = ?"));
  return remove.Bind(1, token_hash).Run();
}

Status SqliteStore::RemoveSessionsOf(std::int64_t account_id) {
  STEGVIS_ASSIGN_OR_RETURN(Statement remove,
                           connection_.Prepare("DELETE FROM session WHERE account_id = ?"));
  return remove.Bind(1, account_id).Run();
}

Result<std::pair<int, std::int64_t>> SqliteStore::SignInFailures(std::string_view subject) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT failures, window_start FROM sign_in_failure WHERE subject = ?"));
  query.Bind(1, subject);
  STEGVIS_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::pair<int, std::int64_t>{0, 0};
  return std::pair<int, std::int64_t>{static_cast<int>(query.Int(0)), query.Int(1)};
}

Status SqliteStore::RecordSignInFailure(std::string_view subject, std::int64_t now,
                                        std::int64_t window_seconds) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement upsert,
      connection_.Prepare(
          "INSERT INTO sign_in_failure (subject, failures, window_start) VALUES (?1, 1, ?2) "
          "ON CONFLICT (subject) DO UPDATE SET "
          "failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END, "
          "window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END"));
  return upsert.Bind(1, subject).Bind(2, now).Bind(3, window_seconds).Run();
}

Status SqliteStore::ClearSignInFailures(std::string_view subject) {
  STEGVIS_ASSIGN_OR_RETURN(Statement remove,
                           connection_.Prepare("DELETE FROM sign_in_failure WHERE subject = ?"));
  return remove.Bind(1, subject).Run();
}

Result<AuditHead> SqliteStore::AppendAudit(
    std::vector<core::AuditEntry> entries,
    const std::function<std::string(const core::AuditEntry&)>& hash_of) {
  AuditHead head;
  STEGVIS_TRY(InTransaction(connection_, [&]() -> Status {
    STEGVIS_ASSIGN_OR_RETURN(
        Statement last,
        connection_.Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
    STEGVIS_ASSIGN_OR_RETURN(bool found, last.Step());
    head.seq = found ? last.Int(0) : 0;
    head.hash = found ? last.Text(1) : std::string(64, '0');
    STEGVIS_ASSIGN_OR_RETURN(
        Statement insert,
        connection_.Prepare("INSERT INTO audit_log (seq, at, actor, action, target, address, "
                            "previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    for (core::AuditEntry& entry : entries) {
      entry.seq = ++head.seq;
      entry.previous_hash = head.hash;
      entry.hash = hash_of(entry);
      head.hash = entry.hash;
      STEGVIS_TRY(insert.Bind(1, entry.seq)
                      .Bind(2, entry.at)
                      .Bind(3, entry.actor)
                      .Bind(4, entry.action)
                      .Bind(5, entry.target)
                      .Bind(6, entry.address)
                      .Bind(7, entry.previous_hash)
                      .Bind(8, entry.hash)
                      .Run());
    }
    return util::Ok();
  }));
  return head;
}

Result<AuditHead> SqliteStore::RechainAudit(
    const std::function<std::string(const core::AuditEntry&)>& hash_of) {
  AuditHead head{0, std::string(64, '0')};
  STEGVIS_TRY(InTransaction(connection_, [&]() -> Status {
    // The append-only triggers stand aside for this one statement sequence only.
    STEGVIS_TRY(connection_.Execute("DROP TRIGGER IF EXISTS audit_log_no_update"));
    STEGVIS_ASSIGN_OR_RETURN(
        Statement update,
        connection_.Prepare("UPDATE audit_log SET previous_hash = ?, hash = ? WHERE seq = ?"));
    std::int64_t after = 0;
    while (true) {
      STEGVIS_ASSIGN_OR_RETURN(std::vector<core::AuditEntry> batch, ListAudit(after, 1000));
      if (batch.empty()) break;
      for (core::AuditEntry& entry : batch) {
        entry.previous_hash = head.hash;
        entry.hash = hash_of(entry);
        head = AuditHead{entry.seq, entry.hash};
        STEGVIS_TRY(
            update.Bind(1, entry.previous_hash).Bind(2, entry.hash).Bind(3, entry.seq).Run());
        after = entry.seq;
      }
    }
    // Both guards stand again afterwards, also one that someone had dropped.
    return connection_.Execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END; "
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END");
  }));
  return head;
}

Result<std::vector<core::AuditEntry>> SqliteStore::ListAudit(std::int64_t after,
                                                             std::size_t limit) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT seq, at, actor, action, target, address, previous_hash, hash "
                          "FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?"));
  query.Bind(1, after).Bind(2, static_cast<std::int64_t>(limit));
  std::vector<core::AuditEntry> entries;
  STEGVIS_TRY(EachRow(query, [&]() -> Status {
    entries.push_back(core::AuditEntry{query.Int(0), query.Text(1), query.Text(2), query.Text(3),
                                       query.Text(4), query.Text(5), query.Text(6), query.Text(7)});
    return util::Ok();
  }));
  return entries;
}

}  // namespace stegvis::store::sqlite
