// The storage contract for staff accounts, their sessions and the sign-in throttle.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "store/store_contract.h"

namespace stegvis::store {
namespace {

using core::Account;
using core::Role;
using core::Session;

class StoreContractAccounts : public StoreContractWithPlans {
 protected:
  // Adds the account and returns it as stored, with its id.
  Account Add(Account account) {
    auto id = store_->AddAccount(account);
    EXPECT_TRUE(id) << id.error().Render();
    account.id = id ? *id : 0;
    return account;
  }
};

Account Coach(std::string name) {
  Account account;
  account.name = std::move(name);
  account.role = Role::kDeltagaransvarig;
  account.forbund_id = "hoglandet";
  account.insats_ids = {"it-sparet", "se-hoglandet"};
  account.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  account.created_at = 1767225600;
  return account;
}

// An account of no förbund.
Account Administrator(std::string name) {
  Account account;
  account.name = std::move(name);
  account.role = Role::kSystemadministrator;
  account.password_hash = "hash";
  account.created_at = 1767225601;
  return account;
}

TEST_P(StoreContractAccounts, FindsAnAccountByIdAndByName) {
  const Account coach = Add(Coach("anna"));
  const Account admin = Add(Administrator("bertil"));
  EXPECT_NE(coach.id, 0);
  EXPECT_NE(coach.id, admin.id);

  auto by_id = store_->FindAccount(coach.id);
  ASSERT_TRUE(by_id) << by_id.error().Render();
  EXPECT_EQ(*by_id, coach);
  auto by_name = Open()->FindAccountByName("bertil");
  ASSERT_TRUE(by_name) << by_name.error().Render();
  EXPECT_EQ(*by_name, admin);
}

TEST_P(StoreContractAccounts, ReportsAnUnknownAccountAsNotFound) {
  const Account coach = Add(Coach("anna"));
  auto by_name = store_->FindAccountByName("finns-inte");
  ASSERT_FALSE(by_name);
  EXPECT_EQ(by_name.error().code, util::Code::kNotFound);
  auto by_id = store_->FindAccount(coach.id + 100);
  ASSERT_FALSE(by_id);
  EXPECT_EQ(by_id.error().code, util::Code::kNotFound);
}

TEST_P(StoreContractAccounts, RefusesANameThatIsTaken) {
  const Account first = Add(Coach("anna"));
  auto second = store_->AddAccount(Administrator("anna"));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, util::Code::kAlreadyExists);
  EXPECT_EQ(*store_->FindAccountByName("anna"), first);
  EXPECT_EQ(store_->ListAccounts()->size(), 1u);
}

TEST_P(StoreContractAccounts, ListsEveryAccountByName) {
  const Account cecilia = Add(Coach("cecilia"));
  const Account anna = Add(Administrator("anna"));
  const Account bertil = Add(Coach("bertil"));
  auto listed = store_->ListAccounts();
  ASSERT_TRUE(listed) << listed.error().Render();
  EXPECT_EQ(*listed, (std::vector<Account>{anna, bertil, cecilia}));
}

// The same order on every backend: å, ä and ö after z, case only breaking ties.
TEST_P(StoreContractAccounts, ListsAccountsInSwedishOrder) {
  std::vector<std::string> names;
  for (const char* name : {"östen", "Åsa", "zlatan", "ärla", "Anna", "örjan", "ulla", "åke",
                           "anna.b", "anna_b", "anna-b", "anna2"}) {
    Add(Coach(name));
  }
  auto listed = store_->ListAccounts();
  ASSERT_TRUE(listed) << listed.error().Render();
  for (const Account& account : *listed) names.push_back(account.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Anna", "anna_b", "anna-b", "anna.b", "anna2", "ulla",
                                             "zlatan", "åke", "Åsa", "ärla", "örjan", "östen"}));
}

TEST_P(StoreContractAccounts, ChangesOnlyThatAccountsPasswordHash) {
  Account anna = Add(Coach("anna"));
  const Account bertil = Add(Coach("bertil"));
  ASSERT_TRUE(store_->SetPasswordHash(anna.id, "ny-hash"));
  anna.password_hash = "ny-hash";
  EXPECT_EQ(*Open()->FindAccount(anna.id), anna);
  EXPECT_EQ(*store_->FindAccount(bertil.id), bertil);
}

void ExpectSession(const std::optional<Session>& found, const Session& expected) {
  ASSERT_TRUE(found.has_value()) << expected.token_hash;
  EXPECT_EQ(found->token_hash, expected.token_hash);
  EXPECT_EQ(found->account_id, expected.account_id);
  EXPECT_EQ(found->csrf_token, expected.csrf_token);
  EXPECT_EQ(found->created_at, expected.created_at);
  EXPECT_EQ(found->last_seen_at, expected.last_seen_at);
}

TEST_P(StoreContractAccounts, FindsASessionByItsTokenHashUntilItIsRemoved) {
  const Account anna = Add(Coach("anna"));
  const Session first{"hash-1", anna.id, "csrf-1", 1000, 1000};
  const Session second{"hash-2", anna.id, "csrf-2", 2000, 2000};
  ASSERT_TRUE(store_->AddSession(first));
  ASSERT_TRUE(store_->AddSession(second));
  auto found = Open()->FindSession("hash-1");
  ASSERT_TRUE(found) << found.error().Render();
  ExpectSession(*found, first);
  EXPECT_EQ(*store_->FindSession("hash-3"), std::nullopt);

  ASSERT_TRUE(store_->RemoveSession("hash-1"));
  EXPECT_EQ(*store_->FindSession("hash-1"), std::nullopt);
  ExpectSession(*store_->FindSession("hash-2"), second);
}

TEST_P(StoreContractAccounts, TouchingASessionChangesOnlyWhenItWasLastSeen) {
  const Account anna = Add(Coach("anna"));
  Session session{"hash-1", anna.id, "csrf-1", 1000, 1000};
  const Session other{"hash-2", anna.id, "csrf-2", 1000, 1000};
  ASSERT_TRUE(store_->AddSession(session));
  ASSERT_TRUE(store_->AddSession(other));
  ASSERT_TRUE(store_->TouchSession("hash-1", 1500));
  session.last_seen_at = 1500;
  ExpectSession(*Open()->FindSession("hash-1"), session);
  ExpectSession(*store_->FindSession("hash-2"), other);
}

TEST_P(StoreContractAccounts, RemovesEverySessionOfOneAccount) {
  const Account anna = Add(Coach("anna"));
  const Account bertil = Add(Coach("bertil"));
  const Session kept{"hash-3", bertil.id, "csrf-3", 1000, 1000};
  ASSERT_TRUE(store_->AddSession({"hash-1", anna.id, "csrf-1", 1000, 1000}));
  ASSERT_TRUE(store_->AddSession({"hash-2", anna.id, "csrf-2", 1000, 1000}));
  ASSERT_TRUE(store_->AddSession(kept));
  ASSERT_TRUE(store_->RemoveSessionsOf(anna.id));
  EXPECT_EQ(*store_->FindSession("hash-1"), std::nullopt);
  EXPECT_EQ(*store_->FindSession("hash-2"), std::nullopt);
  ExpectSession(*store_->FindSession("hash-3"), kept);
}

using Failures = std::pair<int, std::int64_t>;

TEST_P(StoreContractAccounts, CountsSignInFailuresPerSubjectWithinTheWindow) {
  auto none = store_->SignInFailures("konto:anna");
  ASSERT_TRUE(none) << none.error().Render();
  EXPECT_EQ(*none, Failures(0, 0));

  ASSERT_TRUE(store_->RecordSignInFailure("konto:anna", 1000, 900));
  ASSERT_TRUE(store_->RecordSignInFailure("konto:anna", 1200, 900));
  ASSERT_TRUE(store_->RecordSignInFailure("adress:192.0.2.7", 1300, 900));
  ASSERT_TRUE(store_->RecordSignInFailure("konto:anna", 1899, 900));
  EXPECT_EQ(*Open()->SignInFailures("konto:anna"), Failures(3, 1000));
  EXPECT_EQ(*store_->SignInFailures("adress:192.0.2.7"), Failures(1, 1300));
  EXPECT_EQ(*store_->SignInFailures("konto:bertil"), Failures(0, 0));
}

TEST_P(StoreContractAccounts, StartsTheCountOverOnceTheWindowHasPassed) {
  ASSERT_TRUE(store_->RecordSignInFailure("konto:anna", 1000, 900));
  ASSERT_TRUE(store_->RecordSignInFailure("konto:anna", 1100, 900));
  ASSERT_TRUE(store_->RecordSignInFailure("konto:anna", 2500, 900));
  EXPECT_EQ(*store_->SignInFailures("konto:anna"), Failures(1, 2500));
  ASSERT_TRUE(store_->RecordSignInFailure("konto:anna", 2600, 900));
  EXPECT_EQ(*store_->SignInFailures("konto:anna"), Failures(2, 2500));
}

TEST_P(StoreContractAccounts, ClearsTheFailuresOfOneSubject) {
  ASSERT_TRUE(store_->RecordSignInFailure("konto:anna", 1000, 900));
  ASSERT_TRUE(store_->RecordSignInFailure("adress:192.0.2.7", 1000, 900));
  ASSERT_TRUE(store_->ClearSignInFailures("konto:anna"));
  EXPECT_EQ(*store_->SignInFailures("konto:anna"), Failures(0, 0));
  EXPECT_EQ(*store_->SignInFailures("adress:192.0.2.7"), Failures(1, 1000));
  // Counting starts afresh.
  ASSERT_TRUE(store_->RecordSignInFailure("konto:anna", 1100, 900));
  EXPECT_EQ(*store_->SignInFailures("konto:anna"), Failures(1, 1100));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractAccounts, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace stegvis::store
