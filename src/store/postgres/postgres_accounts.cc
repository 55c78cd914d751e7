// PostgresStore: accounts, sessions, sign-in throttling and the audit log.
#include <unordered_map>

#include <fmt/format.h>

#include "store/postgres/migrations.h"
#include "store/postgres/postgres_store.h"

namespace stegvis::store::postgres {

namespace {

using util::Result;
using util::Status;

}  // namespace

Result<std::int64_t> PostgresStore::AddAccount(const core::Account& account) {
  std::int64_t id = 0;
  STEGVIS_TRY(InTransaction(connection_, [&]() -> Status {
    STEGVIS_ASSIGN_OR_RETURN(Statement exists,
                             connection_.Prepare("SELECT 1 FROM account WHERE name = $1"));
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
                            "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id"));
    STEGVIS_TRY(insert.Bind(1, account.name)
                    .Bind(2, core::RoleCode(account.role))
                    .Bind(3, account.forbund_id)
                    .Bind(4, account.password_hash)
                    .Bind(5, account.created_at)
                    .Step());
    id = insert.Int(0);
    STEGVIS_ASSIGN_OR_RETURN(
        Statement insats,
        connection_.Prepare("INSERT INTO account_insats (account_id, insats_id) VALUES ($1, $2)"));
    for (const std::string& insats_id : account.insats_ids) {
      STEGVIS_TRY(insats.Bind(1, id).Bind(2, insats_id).Run());
    }
    return util::Ok();
  }));
  return id;
}

Result<std::vector<core::Account>> PostgresStore::QueryAccounts(std::string_view where,
                                                                const std::string& argument) {
  STEGVIS_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(fmt::format(
                                                "SELECT id, name, role, forbund_id, password_hash, "
                                                "created_at FROM account {} ORDER BY name "
                                                "COLLATE svenska, name",
                                                where)));
  if (!where.empty()) query.Bind(1, argument);
  std::vector<core::Account> accounts;
  STEGVIS_TRY(EachRow(query, [&]() -> Status {
    core::Account account;
    account.id = query.Int(0);
    account.name = query.Text(1);
    std::optional<core::Role> role = core::ParseRole(query.Text(2));
    if (!role) {
      return util::Fail(util::Code::kInternal, "postgresql", "ogiltig roll i databasen",
                        "invalid role in the database");
    }
    account.role = *role;
    account.forbund_id = query.OptionalText(3);
    account.password_hash = query.Text(4);
    account.created_at = query.Int(5);
    accounts.push_back(std::move(account));
    return util::Ok();
  }));
  if (accounts.empty()) return accounts;
  // The interventions of every account listed, in one query.
  std::vector<std::int64_t> ids;
  std::unordered_map<std::int64_t, core::Account*> by_id;
  for (core::Account& account : accounts) {
    ids.push_back(account.id);
    by_id.emplace(account.id, &account);
  }
  STEGVIS_ASSIGN_OR_RETURN(
      Statement insatser,
      connection_.Prepare("SELECT account_id, insats_id FROM account_insats WHERE account_id = "
                          "ANY($1::bigint[]) ORDER BY account_id, insats_id"));
  insatser.BindArray(1, ids);
  STEGVIS_TRY(EachRow(insatser, [&]() -> Status {
    if (const auto found = by_id.find(insatser.Int(0)); found != by_id.end()) {
      found->second->insats_ids.push_back(insatser.Text(1));
    }
    return util::Ok();
  }));
  return accounts;
}

Result<core::Account> PostgresStore::FindAccountByName(std::string_view name) {
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Account> accounts,
                           QueryAccounts("WHERE name = $1", std::string(name)));
  if (accounts.empty()) {
    return util::Fail(util::Code::kNotFound, "konto", "kontot finns inte",
                      "the account does not exist");
  }
  return accounts.front();
}

Result<core::Account> PostgresStore::FindAccount(std::int64_t id) {
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Account> accounts,
                           QueryAccounts("WHERE id = $1::bigint", std::to_string(id)));
  if (accounts.empty()) {
    return util::Fail(util::Code::kNotFound, "konto", "kontot finns inte",
                      "the account does not exist");
  }
  return accounts.front();
}

Result<std::vector<core::Account>> PostgresStore::ListAccounts() { return QueryAccounts("", ""); }

Status PostgresStore::SetPasswordHash(std::int64_t account_id, std::string_view hash) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement update, connection_.Prepare("UPDATE account SET password_hash = $1 WHERE id = $2"));
  update.Bind(1, hash).Bind(2, account_id);
  return RunWrite(connection_, update);
}

Status PostgresStore::AddSession(const core::Session& session) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO session (token_hash, account_id, csrf_token, created_at, "
                          "last_seen_at) VALUES ($1, $2, $3, $4, $5)"));
  insert.Bind(1, session.token_hash)
      .Bind(2, session.account_id)
      .Bind(3, session.csrf_token)
      .Bind(4, session.created_at)
      .Bind(5, session.last_seen_at);
  return RunWrite(connection_, insert);
}

Result<std::optional<core::Session>> PostgresStore::FindSession(std::string_view token_hash) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT token_hash, account_id, csrf_token, created_at, last_seen_at "
                          "FROM session WHERE token_hash = $1"));
  query.Bind(1, token_hash);
  STEGVIS_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::optional<core::Session>();
  return core::Session{query.Text(0), query.Int(1), query.Text(2), query.Int(3), query.Int(4)};
}

Status PostgresStore::TouchSession(std::string_view token_hash, std::int64_t now) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE session SET last_seen_at = $1 WHERE token_hash = $2"));
  update.Bind(1, now).Bind(2, token_hash);
  return RunWrite(connection_, update);
}

Status PostgresStore::RemoveSession(std::string_view token_hash) {
  STEGVIS_ASSIGN_OR_RETURN(Statement remove,
                           connection_.Prepare("DELETE FROM session WHERE token_hash = $1"));
  remove.Bind(1, token_hash);
  return RunWrite(connection_, remove);
}

Status PostgresStore::RemoveSessionsOf(std::int64_t account_id) {
  STEGVIS_ASSIGN_OR_RETURN(Statement remove,
                           connection_.Prepare("DELETE FROM session WHERE account_id = $1"));
  remove.Bind(1, account_id);
  return RunWrite(connection_, remove);
}

Result<std::pair<int, std::int64_t>> PostgresStore::SignInFailures(std::string_view subject) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT failures, window_start FROM sign_in_failure WHERE subject = $1"));
  query.Bind(1, subject);
  STEGVIS_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::pair<int, std::int64_t>{0, 0};
  return std::pair<int, std::int64_t>{static_cast<int>(query.Int(0)), query.Int(1)};
}

Status PostgresStore::RecordSignInFailure(std::string_view subject, std::int64_t now,
                                          std::int64_t window_seconds) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement upsert,
      connection_.Prepare(
          "INSERT INTO sign_in_failure (subject, failures, window_start) VALUES ($1, 1, $2) "
          "ON CONFLICT (subject) DO UPDATE SET "
          "failures = CASE WHEN sign_in_failure.window_start <= $2::bigint - $3::bigint THEN 1 "
          "ELSE sign_in_failure.failures + 1 END, "
          "window_start = CASE WHEN sign_in_failure.window_start <= $2::bigint - $3::bigint "
          "THEN $2::bigint ELSE sign_in_failure.window_start END"));
  upsert.Bind(1, subject).Bind(2, now).Bind(3, window_seconds);
  return RunWrite(connection_, upsert);
}

Status PostgresStore::ClearSignInFailures(std::string_view subject) {
  STEGVIS_ASSIGN_OR_RETURN(Statement remove,
                           connection_.Prepare("DELETE FROM sign_in_failure WHERE subject = $1"));
  remove.Bind(1, subject);
  return RunWrite(connection_, remove);
}

Result<AuditHead> PostgresStore::AppendAudit(
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
                            "previous_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"));
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

Result<AuditHead> PostgresStore::RechainAudit(
    const std::function<std::string(const core::AuditEntry&)>& hash_of) {
  AuditHead head{0, std::string(64, '0')};
  STEGVIS_TRY(InTransaction(connection_, [&]() -> Status {
    // The append-only guard on updates stands aside inside this transaction only.
    STEGVIS_TRY(connection_.Execute("DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log"));
    // A thousand entries per statement: the hashes are computed here, in order, then sent
    // as arrays.
    STEGVIS_ASSIGN_OR_RETURN(
        Statement update,
        connection_.Prepare("UPDATE audit_log SET previous_hash = changed.previous_hash, "
                            "hash = changed.hash FROM unnest($1::bigint[], $2::text[], "
                            "$3::text[]) AS changed (seq, previous_hash, hash) "
                            "WHERE audit_log.seq = changed.seq"));
    std::int64_t after = 0;
    while (true) {
      STEGVIS_ASSIGN_OR_RETURN(std::vector<core::AuditEntry> batch, ListAudit(after, 1000));
      if (batch.empty()) break;
      std::vector<std::int64_t> seqs;
      std::vector<std::string> previous_hashes;
      std::vector<std::string> hashes;
      for (core::AuditEntry& entry : batch) {
        entry.previous_hash = head.hash;
        entry.hash = hash_of(entry);
        head = AuditHead{entry.seq, entry.hash};
        seqs.push_back(entry.seq);
        previous_hashes.push_back(entry.previous_hash);
        hashes.push_back(entry.hash);
        after = entry.seq;
      }
      STEGVIS_TRY(
          update.BindArray(1, seqs).BindArray(2, previous_hashes).BindArray(3, hashes).Run());
    }
    // Every guard stands again afterwards, also one that someone had dropped.
    return connection_.Execute(AuditGuards());
  }));
  return head;
}

Result<std::vector<core::AuditEntry>> PostgresStore::ListAudit(std::int64_t after,
                                                               std::size_t limit) {
  STEGVIS_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT seq, at, actor, action, target, address, previous_hash, hash "
                          "FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"));
  query.Bind(1, after).Bind(2, static_cast<std::int64_t>(limit));
  std::vector<core::AuditEntry> entries;
  STEGVIS_TRY(EachRow(query, [&]() -> Status {
    entries.push_back(core::AuditEntry{query.Int(0), query.Text(1), query.Text(2), query.Text(3),
                                       query.Text(4), query.Text(5), query.Text(6), query.Text(7)});
    return util::Ok();
  }));
  return entries;
}

}  // namespace stegvis::store::postgres
