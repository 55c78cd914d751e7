// The embedded default store: one SQLite file, WAL, foreign keys, STRICT tables, the schema
// migrated on open.
#pragma once

#include <memory>
#include <string>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"
#include "store/unit_of_work.h"

namespace stegvis::store::sqlite {

class SqliteStore final : public Store {
 public:
  using OpenMode = Connection::OpenMode;

  // Opens (kCreateIfMissing: creates) the database at `path` and migrates it. Fails with
  // kNotFound when kMustExist and the file is missing, kUnavailable when it cannot be
  // opened, kFailedPrecondition when its schema is newer than this program.
  static util::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, OpenMode mode);

  // Opens one more connection to the file at `path` each time it is called: what a
  // StorePool needs.
  static StorePool::Opener PoolOpener(const std::string& path, OpenMode mode);

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
  explicit SqliteStore(Connection connection) : connection_(std::move(connection)) {}
  util::Status WritePlan(const core::Plan& plan);
  util::Status WriteInsatser(const core::Plan& plan);
  util::Status WriteStaffing(const core::Plan& plan);
  util::Status WriteEconomy(const core::Plan& plan);
  util::Result<std::vector<core::Account>> QueryAccounts(std::string_view where,
                                                         const std::string& argument);
  util::Status WriteLadderAndMeasures(const core::Plan& plan);
  util::Status AttachDetails(std::vector<core::Enrolment>& enrolments);
  util::Status AttachAllDetails(std::string_view forbund_id,
                                std::vector<core::Enrolment>& enrolments);
  util::Result<std::int64_t> WriteEnrolment(std::string_view forbund_id,
                                            const core::Enrolment& enrolment);

  Connection connection_;
};

}  // namespace stegvis::store::sqlite
