// Accounts, sessions, throttling and the audit chain on a real SQLite store, with a clock the
// test moves.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include "formats/plan_json.h"
#include "service/account_service.h"
#include "service/audit_log.h"
#include "store/sqlite/sqlite_store.h"
#include "test_support.h"

namespace stegvis::service {
namespace {

class AccountsAndAudit : public ::testing::Test {
 protected:
  void SetUp() override {
    services_ = testing::OpenServices(
        path_, {[this] { return now_; }, [] { return *util::Date::FromYmd(2023, 11, 14); }});
    auto store = store::sqlite::SqliteStore::Open(path_.string(),
                                                  store::sqlite::SqliteStore::OpenMode::kMustExist);
    ASSERT_TRUE(store) << store.error().Render();
    store_ = std::move(*store);
    auto plan = formats::ParsePlanJson(
        testing::ReadFile(testing::SourcePath("demo/sodra-vatterbygden.json")));
    ASSERT_TRUE(plan);
    ASSERT_TRUE(store_->ReplacePlan(*plan));
    audit_ = &services_->audit;
    accounts_ = &services_->accounts;
    ASSERT_TRUE(
        accounts_->AddAccount(Actor::LocalOperator(), NewAccount{"coach",
                                                                 core::Role::kDeltagaransvarig,
                                                                 "sodra-vatterbygden",
                                                                 {"enter"},
                                                                 "ett långt lösenord"}));
  }

  testing::TempDir folder_;
  std::filesystem::path path_ = folder_ / "db";
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::int64_t now_ = 1'700'000'000;
  std::unique_ptr<Services> services_;
  const AuditLog* audit_ = nullptr;
  AccountService* accounts_ = nullptr;

  // Appends one entry in a unit of work of its own.
  util::Status Record(const Actor& actor, std::string_view action, const std::string& target) {
    STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work,
                             services_->pool().Begin(store::TransactionMode::kWrite));
    STEGVIS_TRY(audit_->Record(work, actor, action, target));
    return work.Commit();
  }
  util::Result<AuditVerification> Verify() { return audit_->Verify(services_->pool()); }
};

TEST_F(AccountsAndAudit, SignsInWithTheRightPasswordOnly) {
  auto wrong = accounts_->SignIn("coach", "fel lösenord!!", "10.0.0.1");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, util::Code::kUnauthenticated);
  auto unknown = accounts_->SignIn("ingen", "ett långt lösenord", "10.0.0.1");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().Render(), wrong.error().Render());  // Names cannot be probed.
  auto signed_in = accounts_->SignIn("coach", "ett långt lösenord", "10.0.0.1");
  ASSERT_TRUE(signed_in) << signed_in.error().Render();
  EXPECT_EQ(signed_in->session_token.size(), 64u);
  auto resumed = accounts_->Resume(signed_in->session_token);
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->account.name, "coach");
  EXPECT_EQ(resumed->session.csrf_token, signed_in->csrf_token);
  // The store keeps the token's hash, never the token.
  EXPECT_EQ(testing::ReadFile(path_).find(signed_in->session_token), std::string::npos);
}

TEST_F(AccountsAndAudit, ThrottlesAnAccountAfterFiveFailuresEvenWithTheRightPassword) {
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(accounts_->SignIn("coach", "fel", "10.0.0.1"));
  auto throttled = accounts_->SignIn("coach", "ett långt lösenord", "10.0.0.2");
  ASSERT_FALSE(throttled);
  EXPECT_EQ(throttled.error().code, util::Code::kUnavailable);
  now_ += 15 * 60 + 1;  // The window passes.
  EXPECT_TRUE(accounts_->SignIn("coach", "ett långt lösenord", "10.0.0.2"));
}

TEST_F(AccountsAndAudit, ThrottlesAnAddressTryingManyAccounts) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_FALSE(accounts_->SignIn("namn" + std::to_string(i), "fel", "10.9.9.9"));
  }
  auto throttled = accounts_->SignIn("coach", "ett långt lösenord", "10.9.9.9");
  ASSERT_FALSE(throttled);
  EXPECT_EQ(throttled.error().code, util::Code::kUnavailable);
  EXPECT_TRUE(accounts_->SignIn("coach", "ett långt lösenord", "10.0.0.3"));
}

TEST_F(AccountsAndAudit, EndsIdleAndOldSessions) {
  auto session = accounts_->SignIn("coach", "ett långt lösenord", "10.0.0.1");
  ASSERT_TRUE(session);
  now_ += 29 * 60;
  ASSERT_TRUE(accounts_->Resume(session->session_token));  // Refreshes the idle timer.
  now_ += 29 * 60;
  ASSERT_TRUE(accounts_->Resume(session->session_token));
  now_ += 31 * 60;
  EXPECT_FALSE(accounts_->Resume(session->session_token));  // Idle too long.

  auto long_session = accounts_->SignIn("coach", "ett långt lösenord", "10.0.0.1");
  for (int i = 0; i < 26; ++i) {
    now_ += 29 * 60;
    if (!accounts_->Resume(long_session->session_token)) break;
  }
  EXPECT_FALSE(accounts_->Resume(long_session->session_token));  // Past 12 hours.
}

TEST_F(AccountsAndAudit, SignOutAndPasswordChangeEndSessions) {
  auto first = accounts_->SignIn("coach", "ett långt lösenord", "10.0.0.1");
  ASSERT_TRUE(accounts_->SignOut(first->session_token));
  EXPECT_FALSE(accounts_->Resume(first->session_token));

  auto second = accounts_->SignIn("coach", "ett långt lösenord", "10.0.0.1");
  auto context = accounts_->Resume(second->session_token);
  ASSERT_TRUE(context);
  EXPECT_FALSE(accounts_->ChangePassword(*context, "fel", "ett nytt långt lösenord", "10.0.0.1"));
  EXPECT_FALSE(accounts_->ChangePassword(*context, "ett långt lösenord", "kort", "10.0.0.1"));
  ASSERT_TRUE(accounts_->ChangePassword(*context, "ett långt lösenord", "ett nytt långt lösenord",
                                        "10.0.0.1"));
  EXPECT_FALSE(accounts_->Resume(second->session_token));
  EXPECT_FALSE(accounts_->SignIn("coach", "ett långt lösenord", "10.0.0.1"));
  EXPECT_TRUE(accounts_->SignIn("coach", "ett nytt långt lösenord", "10.0.0.1"));
}

TEST_F(AccountsAndAudit, RefusesInconsistentAccounts) {
  const Actor op = Actor::LocalOperator();
  EXPECT_FALSE(accounts_->AddAccount(
      op, {"coach", core::Role::kRapportlasare, "sodra-vatterbygden", {}, "ett långt lösenord"}));
  EXPECT_FALSE(accounts_->AddAccount(
      op, {"ab", core::Role::kNationell, std::nullopt, {}, "ett långt lösenord"}));
  EXPECT_FALSE(accounts_->AddAccount(
      op, {"lasare", core::Role::kRapportlasare, std::nullopt, {}, "ett långt lösenord"}));
  EXPECT_FALSE(accounts_->AddAccount(
      op,
      {"coach2", core::Role::kDeltagaransvarig, "sodra-vatterbygden", {}, "ett långt lösenord"}));
  EXPECT_FALSE(accounts_->AddAccount(op, {"coach3",
                                          core::Role::kDeltagaransvarig,
                                          "sodra-vatterbygden",
                                          {"arenasamverkan"},
                                          "ett långt lösenord"}));
  auto generated =
      accounts_->AddAccount(op, {"nationell.lasare", core::Role::kNationell, std::nullopt, {}, ""});
  ASSERT_TRUE(generated);
  EXPECT_EQ(generated->size(), 16u);
  // Only a systemadministrator or the local operator adds accounts.
  auto coach = store_->FindAccountByName("coach");
  EXPECT_FALSE(accounts_->AddAccount(Actor{*coach, "10.0.0.1"},
                                     {"annan", core::Role::kNationell, std::nullopt, {}, ""}));
}

TEST_F(AccountsAndAudit, TheAuditChainDetectsAChangedOrDeletedEntry) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Record(Actor::LocalOperator(), "läste", "inskrivning:" + std::to_string(i)));
  }
  auto intact = Verify();
  ASSERT_TRUE(intact);
  EXPECT_FALSE(intact->broken.has_value());
  EXPECT_EQ(intact->entries, 6);  // The account added in SetUp is audited too.

  // The table refuses changes; someone with the file can still drop the guard.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET target = 'x' WHERE seq = 3", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; "
                         "UPDATE audit_log SET target = 'x' WHERE seq = 3",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto changed = Verify();
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->broken, 3);

  // Restore entry 3 by deleting and re-inserting is impossible without the hash; deleting
  // it leaves a gap that breaks the chain at 4.
  ASSERT_EQ(sqlite3_exec(db, "DELETE FROM audit_log WHERE seq = 3", nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto deleted = Verify();
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->broken, 4);
  sqlite3_close(db);
}

}  // namespace
}  // namespace stegvis::service
