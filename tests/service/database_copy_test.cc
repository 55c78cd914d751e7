// Copying a whole database (service::CopyDatabase), written once over the storage contract's
// backends: every pair of a source and a target of the same backend. A target that is not
// empty is refused and left as it was; a copy whose target does not read back as the source
// (a store that drops or changes a row on the way) fails naming the table and commits nothing.
#include "service/database_copy.h"

#include <gtest/gtest.h>

#include "privacy/database_key.h"
#include "store/store_contract.h"
#include "store/tables.h"

namespace stegvis::service {
namespace {

using store::Row;
using store::Store;
using store::Table;
using store::TransactionMode;

// Every row of every copied table, table by table.
std::vector<std::vector<Row>> AllRows(Store& store) {
  std::vector<std::vector<Row>> tables;
  for (const Table& table : store::CopiedTables()) {
    std::vector<Row>& rows = tables.emplace_back();
    const util::Status exported = store.ExportRows(table, [&](const Row& row) -> util::Status {
      rows.push_back(row);
      return util::Ok();
    });
    EXPECT_TRUE(exported) << table.name << ": " << exported.error().Render();
  }
  return tables;
}

std::size_t RowCount(const std::vector<std::vector<Row>>& tables) {
  std::size_t rows = 0;
  for (const auto& table : tables) rows += table.size();
  return rows;
}

// A store that passes everything to another, except that ImportRows may change the rows on
// their way: how a faulty backend (or adapter) would lose or alter data.
class AlteringStore final : public Store {
 public:
  using Alteration = std::function<void(const Table&, std::vector<Row>&)>;
  AlteringStore(Store& inner, Alteration alter) : inner_(inner), alter_(std::move(alter)) {}

  util::Status ImportRows(const Table& table, const std::vector<Row>& rows) override {
    std::vector<Row> altered = rows;
    alter_(table, altered);
    return inner_.ImportRows(table, altered);
  }

  util::Status Begin(TransactionMode mode) override { return inner_.Begin(mode); }
  util::Status Commit() override { return inner_.Commit(); }
  void Rollback() override { inner_.Rollback(); }
  util::Result<std::optional<std::string>> Setting(std::string_view name) override {
    return inner_.Setting(name);
  }
  util::Status PutSetting(std::string_view name, std::string_view value) override {
    return inner_.PutSetting(name, value);
  }
  util::Result<bool> HasData() override { return inner_.HasData(); }
  util::Status ReplacePlan(const core::Plan& plan) override { return inner_.ReplacePlan(plan); }
  util::Result<core::Plan> LoadPlan(std::string_view forbund_id) override {
    return inner_.LoadPlan(forbund_id);
  }
  util::Result<std::vector<core::Forbund>> ListForbund() override { return inner_.ListForbund(); }
  util::Result<std::vector<core::Enrolment>> LoadEnrolments(std::string_view forbund_id) override {
    return inner_.LoadEnrolments(forbund_id);
  }
  util::Result<std::optional<core::Enrolment>> LoadEnrolment(std::string_view forbund_id,
                                                             std::int64_t id) override {
    return inner_.LoadEnrolment(forbund_id, id);
  }
  util::Result<std::vector<core::Enrolment>> FindEnrolments(std::string_view forbund_id,
                                                            std::string_view person_key,
                                                            std::string_view insats_id) override {
    return inner_.FindEnrolments(forbund_id, person_key, insats_id);
  }
  util::Result<std::vector<core::Enrolment>> LoadActiveEnrolments(
      std::string_view forbund_id, const std::vector<std::string>& insats_ids,
      util::Date exited_since) override {
    return inner_.LoadActiveEnrolments(forbund_id, insats_ids, exited_since);
  }
  util::Result<store::EnrolmentPage> ListEnrolments(std::string_view forbund_id,
                                                    const store::EnrolmentQuery& query) override {
    return inner_.ListEnrolments(forbund_id, query);
  }
  util::Result<std::vector<store::AnonymousCount>> CountAnonymous(
      std::string_view forbund_id) override {
    return inner_.CountAnonymous(forbund_id);
  }
  util::Result<std::int64_t> Revision(std::string_view forbund_id) override {
    return inner_.Revision(forbund_id);
  }
  util::Result<std::vector<std::int64_t>> ChangedEnrolments(std::string_view forbund_id,
                                                            std::int64_t revision) override {
    return inner_.ChangedEnrolments(forbund_id, revision);
  }
  util::Result<std::vector<std::int64_t>> SaveEnrolments(
      std::string_view forbund_id, const std::vector<core::Enrolment>& enrolments) override {
    return inner_.SaveEnrolments(forbund_id, enrolments);
  }
  util::Result<std::int64_t> AddAccount(const core::Account& account) override {
    return inner_.AddAccount(account);
  }
  util::Result<core::Account> FindAccountByName(std::string_view name) override {
    return inner_.FindAccountByName(name);
  }
  util::Result<core::Account> FindAccount(std::int64_t id) override {
    return inner_.FindAccount(id);
  }
  util::Result<std::vector<core::Account>> ListAccounts() override { return inner_.ListAccounts(); }
  util::Status SetPasswordHash(std::int64_t account_id, std::string_view hash) override {
    return inner_.SetPasswordHash(account_id, hash);
  }
  util::Status AddSession(const core::Session& session) override {
    return inner_.AddSession(session);
  }
  util::Result<std::optional<core::Session>> FindSession(std::string_view token_hash) override {
    return inner_.FindSession(token_hash);
  }
  util::Status TouchSession(std::string_view token_hash, std::int64_t now) override {
    return inner_.TouchSession(token_hash, now);
  }
  util::Status RemoveSession(std::string_view token_hash) override {
    return inner_.RemoveSession(token_hash);
  }
  util::Status RemoveSessionsOf(std::int64_t account_id) override {
    return inner_.RemoveSessionsOf(account_id);
  }
  util::Result<std::pair<int, std::int64_t>> SignInFailures(std::string_view subject) override {
    return inner_.SignInFailures(subject);
  }
  util::Status RecordSignInFailure(std::string_view subject, std::int64_t now,
                                   std::int64_t window_seconds) override {
    return inner_.RecordSignInFailure(subject, now, window_seconds);
  }
  util::Status ClearSignInFailures(std::string_view subject) override {
    return inner_.ClearSignInFailures(subject);
  }
  util::Result<store::AuditHead> AppendAudit(
      std::vector<core::AuditEntry> entries,
      const std::function<std::string(const core::AuditEntry&)>& hash_of) override {
    return inner_.AppendAudit(std::move(entries), hash_of);
  }
  util::Result<std::vector<core::AuditEntry>> ListAudit(std::int64_t after,
                                                        std::size_t limit) override {
    return inner_.ListAudit(after, limit);
  }
  util::Result<store::AuditHead> RechainAudit(
      const std::function<std::string(const core::AuditEntry&)>& hash_of) override {
    return inner_.RechainAudit(hash_of);
  }
  util::Status ExportRows(const Table& table,
                          const std::function<util::Status(const Row&)>& each) override {
    return inner_.ExportRows(table, each);
  }
  util::Result<std::vector<std::string>> SchemaColumns() override { return inner_.SchemaColumns(); }

 private:
  Store& inner_;
  Alteration alter_;
};

class DatabaseCopy : public store::StoreContractWithPlans {
 protected:
  // Something in every copied table, and more enrolments than one batch holds.
  void StoreSomethingOfEachKind(std::size_t enrolments = 3) {
    std::vector<core::Enrolment> batch;
    for (std::size_t i = 0; i < enrolments; ++i) {
      const util::Date start = store::Day(2023, 2, 1 + static_cast<unsigned>(i % 28));
      core::Enrolment enrolment = store::Enrolled("se-hoglandet", "p-" + std::to_string(i), start);
      enrolment.measurements.push_back({start, "steg", 2});
      enrolment.follow_ups.push_back({store::Day(2024, 2, 1), 6, core::Sysselsattning::kArbete});
      batch.push_back(i % 2 == 0 ? store::Ended(enrolment, store::Day(2023, 9, 1)) : enrolment);
    }
    batch.push_back(store::EnrolledAnonymously("se-hoglandet", core::Kon::kMan, 2023));
    Save("hoglandet", batch);
    StoreAccountsSettingsAndAudit({core::AuditEntry{0, "2026-03-01T08:00:00Z", "admin", "skapade",
                                                    "konto:åsa", "::1", "", ""},
                                   core::AuditEntry{0, "2026-03-01T08:00:01Z", "admin", "läste",
                                                    "inskrivning:1", "::1", "", ""}});
  }

  std::unique_ptr<Store> OpenTarget() { return GetParam().open(target_folder_); }

  testing::TempDir target_folder_;
};

TEST_P(DatabaseCopy, CopiesEveryRowOfEveryTableAndCountsThem) {
  StoreSomethingOfEachKind(kCopyBatchRows + 10);  // Two batches of enrolments and their rows.
  const auto source_rows = AllRows(*store_);
  std::unique_ptr<Store> target = OpenTarget();
  std::vector<std::pair<std::string, std::int64_t>> progress;
  auto summary = CopyDatabase(*store_, *target, [&](std::string_view table, std::int64_t rows) {
    progress.emplace_back(std::string(table), rows);
  });
  ASSERT_TRUE(summary) << summary.error().Render();

  EXPECT_EQ(AllRows(*OpenTarget()), source_rows);
  ASSERT_EQ(summary->tables.size(), store::CopiedTables().size());
  for (std::size_t i = 0; i < source_rows.size(); ++i) {
    EXPECT_EQ(summary->tables[i].name, store::CopiedTables()[i].name);
    EXPECT_EQ(summary->tables[i].rows, static_cast<std::int64_t>(source_rows[i].size()))
        << summary->tables[i].name;
  }
  EXPECT_EQ(summary->rows, static_cast<std::int64_t>(RowCount(source_rows)));
  // The enrolments went in two batches.
  std::vector<std::int64_t> enrolment_progress;
  for (const auto& [table, rows] : progress) {
    if (table == "enrolment") enrolment_progress.push_back(rows);
  }
  EXPECT_EQ(enrolment_progress,
            (std::vector<std::int64_t>{static_cast<std::int64_t>(kCopyBatchRows),
                                       static_cast<std::int64_t>(kCopyBatchRows + 11)}));
  // The copy works as a store: the target's own tallies follow the copied rows.
  auto page =
      target->ListEnrolments("hoglandet", {"se-hoglandet", store::EnrolmentFilter::kAll, 0, 1});
  ASSERT_TRUE(page) << page.error().Render();
  EXPECT_EQ(page->total, kCopyBatchRows + 11);
}

TEST_P(DatabaseCopy, RefusesATargetWithDataAndLeavesItAsItWas) {
  StoreSomethingOfEachKind();
  std::unique_ptr<Store> target = OpenTarget();
  ASSERT_TRUE(target->ReplacePlan(store::DemoPlan("finnveden.json")));
  const auto before = AllRows(*target);
  auto copied = CopyDatabase(*store_, *target);
  ASSERT_FALSE(copied);
  EXPECT_EQ(copied.error().code, util::Code::kFailedPrecondition);
  EXPECT_NE(copied.error().Render().find("måldatabasen är inte tom"), std::string::npos)
      << copied.error().Render();
  EXPECT_EQ(AllRows(*OpenTarget()), before);
}

TEST_P(DatabaseCopy, RefusesATargetHoldingAnyRowEvenWithoutUserData) {
  StoreSomethingOfEachKind();
  std::unique_ptr<Store> target = OpenTarget();
  // A bound, otherwise empty database: its fingerprint would clash with the source's.
  ASSERT_TRUE(target->PutSetting(kKeyFingerprintSetting, "def"));
  auto has_data = target->HasData();
  ASSERT_TRUE(has_data);
  ASSERT_FALSE(*has_data);
  auto copied = CopyDatabase(*store_, *target);
  ASSERT_FALSE(copied);
  EXPECT_EQ(copied.error().code, util::Code::kFailedPrecondition);
  EXPECT_NE(copied.error().location.find("setting"), std::string::npos);
  EXPECT_EQ(RowCount(AllRows(*OpenTarget())), 1u);
}

TEST_P(DatabaseCopy, ARowLostOnTheWayFailsNamingTheTableAndCommitsNothing) {
  StoreSomethingOfEachKind();
  std::unique_ptr<Store> target = OpenTarget();
  AlteringStore losing(*target, [](const Table& table, std::vector<Row>& rows) {
    if (table.name == "audit_log") rows.pop_back();
  });
  auto copied = CopyDatabase(*store_, losing);
  ASSERT_FALSE(copied);
  EXPECT_EQ(copied.error().code, util::Code::kInternal);
  EXPECT_NE(copied.error().location.find("audit_log"), std::string::npos)
      << copied.error().Render();
  EXPECT_NE(copied.error().Render().find("2 rader i källan, 1 i målet"), std::string::npos)
      << copied.error().Render();
  EXPECT_EQ(RowCount(AllRows(*OpenTarget())), 0u);
}

TEST_P(DatabaseCopy, AValueChangedOnTheWayFailsNamingTheTableAndCommitsNothing) {
  StoreSomethingOfEachKind();
  std::unique_ptr<Store> target = OpenTarget();
  AlteringStore changing(*target, [](const Table& table, std::vector<Row>& rows) {
    // The same number of rows, one text a little different: only the digest sees it.
    if (table.name == "forbund") std::get<std::string>(rows.front()[1]) += ".";
  });
  auto copied = CopyDatabase(*store_, changing);
  ASSERT_FALSE(copied);
  EXPECT_EQ(copied.error().code, util::Code::kInternal);
  EXPECT_NE(copied.error().location.find("forbund"), std::string::npos) << copied.error().Render();
  EXPECT_EQ(RowCount(AllRows(*OpenTarget())), 0u);
}

TEST_P(DatabaseCopy, ChecksTheKeyAgainstTheStoredFingerprint) {
  const privacy::Key key{1, 2, 3};
  const privacy::Key other{3, 2, 1};
  auto unbound = CheckDatabaseKey(*store_, key);
  ASSERT_FALSE(unbound);
  EXPECT_EQ(unbound.error().code, util::Code::kFailedPrecondition);
  ASSERT_TRUE(store_->PutSetting(kKeyFingerprintSetting, privacy::Fingerprint(key)));
  EXPECT_TRUE(CheckDatabaseKey(*store_, key));
  auto wrong = CheckDatabaseKey(*store_, other);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, util::Code::kFailedPrecondition);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseCopy, ::testing::ValuesIn(store::Backends()),
                         store::BackendName);

}  // namespace
}  // namespace stegvis::service
