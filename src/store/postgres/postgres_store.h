// The store on a PostgreSQL server, through libpq: the same tables, rules and behaviour as
// the SQLite store (the same contract tests pass on both), for a förbund that runs several
// servers against one database. The schema is migrated on open. A connection works in the
// schema its search_path names first (normally "public"), so one database can hold several
// stores side by side, each with its own write lock.
//
// Transactions: kRead is a REPEATABLE READ READ ONLY snapshot; kWrite (and every write of
// several rows outside a transaction) takes the schema's write lock (an advisory lock held to
// the end of the transaction), so writers take turns as they do in SQLite and each reads
// what every earlier writer committed. A statement that fails inside a transaction fails
// the whole transaction (PostgreSQL's rule): the store's own writes of several rows run in
// a savepoint, so that their failure leaves a unit of work usable, as in SQLite.
#pragma once

#include <memory>
#include <string>

#include "store/postgres/pg_db.h"
#include "store/store.h"
#include "store/unit_of_work.h"

namespace stegvis::store::postgres {

class PostgresStore final : public Store {
 public:
  // Connects to `conninfo` (e.g. postgresql://stegvis@127.0.0.1:5432/stegvis) and migrates
  // the schema. Fails with kUnavailable when the server cannot be reached or stays busy,
  // kFailedPrecondition when the schema is newer than this program.
  static util::Result<std::unique_ptr<PostgresStore>> Open(const std::string& conninfo);

  // Opens one more connection to `conninfo` each time it is called: what a StorePool needs.
  static StorePool::Opener PoolOpener(const std::string& conninfo);

  util::Status Begin(TransactionMode mode) override;
  util::Status Commit() override;
  void Rollback() override;
  util::Result<std::optional<std::string>> Setting(std::string_view name) override;
  util::Status PutSetting(std::string_view name, std::string_view value) override;
  util::Result<bool> HasData() override;

  util::Status ReplacePlan(const core::Plan& plan) override;
  util::Result<core::Plan> LoadPlan(std::string_view forbund_id) override;
  util::Result<std::vector<core::Forbund>> ListForbund() override;
  util::Result<std::vector<core::Enrolment>> LoadEnrolments(std::string_view forbund_id) override;
  util::Result<std::optional<core::Enrolment>> LoadEnrolment(std::string_view forbund_id,
                                                             std::int64_t id) override;
  util::Result<std::vector<core::Enrolment>> FindEnrolments(std::string_view forbund_id,
                                                            std::string_view person_key,
                                                            std::string_view insats_id) override;
  util::Result<std::vector<core::Enrolment>> LoadActiveEnrolments(
      std::string_view forbund_id, const std::vector<std::string>& insats_ids,
      util::Date exited_since) override;
  util::Result<EnrolmentPage> ListEnrolments(std::string_view forbund_id,
                                             const EnrolmentQuery& query) override;
  util::Result<std::vector<AnonymousCount>> CountAnonymous(std::string_view forbund_id) override;
  util::Result<std::int64_t> Revision(std::string_view forbund_id) override;
  util::Result<std::vector<std::int64_t>> ChangedEnrolments(std::string_view forbund_id,
                                                            std::int64_t revision) override;
  util::Result<std::vector<std::int64_t>> SaveEnrolments(
      std::string_view forbund_id, const std::vector<core::Enrolment>& enrolments) override;

  util::Result<std::int64_t> AddAccount(const core::Account& account) override;
  util::Result<core::Account> FindAccountByName(std::string_view name) override;
  util::Result<core::Account> FindAccount(std::int64_t id) override;
  util::Result<std::vector<core::Account>> ListAccounts() override;
  util::Status SetPasswordHash(std::int64_t account_id, std::string_view hash) override;
  util::Status AddSession(const core::Session& session) override;
  util::Result<std::optional<core::Session>> FindSession(std::string_view token_hash) override;
  util::Status TouchSession(std::string_view token_hash, std::int64_t now) override;
  util::Status RemoveSession(std::string_view token_hash) override;
  util::Status RemoveSessionsOf(std::int64_t account_id) override;
  util::Result<std::pair<int, std::int64_t>> SignInFailures(std::string_view subject) override;
  util::Status RecordSignInFailure(std::string_view subject, std::int64_t now,
                                   std::int64_t window_seconds) override;
  util::Status ClearSignInFailures(std::string_view subject) override;
  util::Result<AuditHead> AppendAudit(
      std::vector<core::AuditEntry> entries,
      const std::function<std::string(const core::AuditEntry&)>& hash_of) override;
  util::Result<AuditHead> RechainAudit(
      const std::function<std::string(const core::AuditEntry&)>& hash_of) override;
  util::Result<std::vector<core::AuditEntry>> ListAudit(std::int64_t after,
                                                        std::size_t limit) override;
  util::Status ExportRows(const Table& table,
                          const std::function<util::Status(const Row&)>& each) override;
  util::Status ImportRows(const Table& table, const std::vector<Row>& rows) override;
  util::Result<std::vector<std::string>> SchemaColumns() override;

 private:
  explicit PostgresStore(Connection connection) : connection_(std::move(connection)) {}
  util::Status WritePlan(const core::Plan& plan);
  util::Status WriteInsatser(const core::Plan& plan);
  util::Status WriteStaffing(const core::Plan& plan);
  util::Status WriteEconomy(const core::Plan& plan);
  util::Result<std::vector<core::Account>> QueryAccounts(std::string_view where,
                                                         const std::string& argument);
  util::Status WriteLadderAndMeasures(const core::Plan& plan);
  util::Status AttachDetails(std::vector<core::Enrolment>& enrolments);
  util::Status ReadDetails(Statement& measurements, Statement& follow_ups,
                           std::vector<core::Enrolment>& enrolments);
  util::Status AttachAllDetails(std::string_view forbund_id,
                                std::vector<core::Enrolment>& enrolments);
  util::Result<std::vector<std::int64_t>> WriteEnrolments(
      std::string_view forbund_id, const std::vector<core::Enrolment>& enrolments);

  Connection connection_;
};

}  // namespace stegvis::store::postgres
