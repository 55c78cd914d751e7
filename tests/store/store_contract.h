// What every storage contract test shares: the backends the contract runs against (the only
// place that names one), a fixture that opens a backend's store and a pool of its
// connections in a fresh folder, and small builders of the records the tests store. Each
// *_test.cc derives its own fixture from StoreContract and instantiates it over Backends().
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/participant.h"
#include "core/plan.h"
#include "formats/plan_json.h"
#include "postgres_server.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "store/unit_of_work.h"
#include "test_support.h"

namespace stegvis::store {

struct Backend {
  std::string name;
  // Opens (or reopens) the backend's store inside `folder`: every call is a new connection
  // to the same database.
  std::function<std::unique_ptr<Store>(const testing::TempDir& folder)> open;
};

inline std::vector<Backend> Backends() {
  return {{"sqlite",
           [](const testing::TempDir& folder) -> std::unique_ptr<Store> {
             auto store = sqlite::SqliteStore::Open(
                 (folder / "store.db").string(), sqlite::SqliteStore::OpenMode::kCreateIfMissing);
             if (!store) throw std::runtime_error(store.error().Render());
             return std::move(*store);
           }},
          // A real server (tests/postgres_server.h); each folder is a database of its own.
          {"postgresql", [](const testing::TempDir& folder) -> std::unique_ptr<Store> {
             auto store =
                 postgres::PostgresStore::Open(testing::PostgresConninfoFor(folder.path()));
             if (!store) throw std::runtime_error(store.error().Render());
             return std::move(*store);
           }}};
}

// Names the backend in gtest's messages instead of dumping its bytes.
inline void PrintTo(const Backend& backend, std::ostream* out) { *out << backend.name; }

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

inline core::Plan DemoPlan(const std::string& file) {
  auto plan = formats::ParsePlanJson(testing::ReadFile(testing::SourcePath("demo/" + file)));
  if (!plan) throw std::runtime_error(plan.error().Render());
  return *plan;
}

// Höglandet's demo plan under another id: a second förbund with the same interventions, so
// that a test can show that records with equal intervention ids and person keys stay apart.
inline core::Plan OtherForbundPlan() {
  core::Plan plan = DemoPlan("hoglandet.json");
  plan.forbund.id = "annat";
  plan.forbund.name = "Annat förbund";
  return plan;
}

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  // A new connection to the test's database.
  std::unique_ptr<Store> Open() { return GetParam().open(folder_); }
  // Opens a new connection for a StorePool, counting the connections opened.
  StorePool::Opener Opener() {
    return [this]() -> util::Result<std::unique_ptr<Store>> {
      ++connections_opened_;
      return Open();
    };
  }

  testing::TempDir folder_;
  std::atomic<int> connections_opened_ = 0;
};

inline util::Date Day(int year, unsigned month, unsigned day) {
  return *util::Date::FromYmd(year, month, day);
}

// An ongoing enrolment of a person (with consent) in an intervention.
inline core::Enrolment Enrolled(std::string insats_id, std::string person_key, util::Date start) {
  core::Enrolment enrolment;
  enrolment.insats_id = std::move(insats_id);
  enrolment.person_key = std::move(person_key);
  enrolment.kon = core::Kon::kKvinna;
  enrolment.birth_year = 1990;
  enrolment.start = start;
  return enrolment;
}

// An ongoing anonymous enrolment: kön, the intervention and a start on 1 January.
inline core::Enrolment EnrolledAnonymously(std::string insats_id, core::Kon kon, int year) {
  core::Enrolment enrolment;
  enrolment.insats_id = std::move(insats_id);
  enrolment.kon = kon;
  enrolment.anonymous = true;
  enrolment.start = Day(year, 1, 1);
  return enrolment;
}

inline core::Enrolment Ended(core::Enrolment enrolment, util::Date date) {
  enrolment.exit = core::Exit{date, core::ExitReason::kArbete, {core::Forsorjning::kLon}};
  return enrolment;
}

inline std::vector<std::int64_t> IdsOf(const std::vector<core::Enrolment>& enrolments) {
  std::vector<std::int64_t> ids;
  for (const core::Enrolment& enrolment : enrolments) ids.push_back(enrolment.id);
  return ids;
}

// A fixture with Höglandet's plan and the other förbund's stored, and a connection to use.
class StoreContractWithPlans : public StoreContract {
 protected:
  void SetUp() override {
    store_ = Open();
    ASSERT_TRUE(store_->ReplacePlan(DemoPlan("hoglandet.json")));
    ASSERT_TRUE(store_->ReplacePlan(OtherForbundPlan()));
  }

  // Saves `enrolments` and returns their ids; a refusal fails the test and returns none.
  std::vector<std::int64_t> Save(std::string_view forbund_id,
                                 const std::vector<core::Enrolment>& enrolments) {
    auto ids = store_->SaveEnrolments(forbund_id, enrolments);
    EXPECT_TRUE(ids) << ids.error().Render();
    return ids ? *ids : std::vector<std::int64_t>();
  }
  std::int64_t SaveOne(std::string_view forbund_id, const core::Enrolment& enrolment) {
    return Save(forbund_id, {enrolment}).at(0);
  }

  // One row of each table beside the plans and enrolments: an account with an intervention,
  // its session, a sign-in failure, a setting and `audit` entries chained by a stand-in hash.
  void StoreAccountsSettingsAndAudit(const std::vector<core::AuditEntry>& audit) {
    core::Account account;
    account.name = "åsa";
    account.role = core::Role::kDeltagaransvarig;
    account.forbund_id = "hoglandet";
    account.insats_ids = {"se-hoglandet"};
    account.password_hash = "hash";
    account.created_at = 1767225600;
    auto id = store_->AddAccount(account);
    ASSERT_TRUE(id) << id.error().Render();
    ASSERT_TRUE(store_->AddSession({"token-hash", *id, "csrf", 1767225600, 1767225700}));
    ASSERT_TRUE(store_->RecordSignInFailure("konto:åsa", 1767225600, 900));
    ASSERT_TRUE(store_->PutSetting("nyckelns_fingeravtryck", "abc"));
    auto head = store_->AppendAudit(
        audit, [](const core::AuditEntry& entry) { return "h" + std::to_string(entry.seq); });
    ASSERT_TRUE(head) << head.error().Render();
  }

  std::unique_ptr<Store> store_;
};

// The error's text in both languages, for checks on what a user would read.
inline std::string BothLanguages(const util::Error& error) {
  return error.Render(util::Language::kSwedish) + "\n" + error.Render(util::Language::kEnglish);
}

}  // namespace stegvis::store
