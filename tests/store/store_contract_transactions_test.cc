// The storage contract for transactions: a Store's own Begin/Commit/Rollback, the
// StorePool and its UnitOfWork (commit or roll back as one, AfterCommit, one writer at a time,
// a reader's snapshot) and writes that stay atomic inside a unit of work.
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/store_contract.h"

namespace stegvis::store {
namespace {

using namespace std::chrono_literals;

constexpr auto kRead = TransactionMode::kRead;
constexpr auto kWrite = TransactionMode::kWrite;

class StoreContractTransactions : public StoreContract {};

TEST_P(StoreContractTransactions, AStoreTransactionRollsBackOrCommits) {
  auto store = Open();
  ASSERT_TRUE(store->Begin(kWrite));
  ASSERT_TRUE(store->PutSetting("utkast", "1"));
  EXPECT_EQ(*store->Setting("utkast"), std::optional<std::string>("1"));
  store->Rollback();
  EXPECT_EQ(*store->Setting("utkast"), std::nullopt);

  ASSERT_TRUE(store->Begin(kWrite));
  ASSERT_TRUE(store->PutSetting("sparad", "1"));
  ASSERT_TRUE(store->Commit());
  EXPECT_EQ(*Open()->Setting("sparad"), std::optional<std::string>("1"));

  // A unit of work rolls back after a failed commit, when the backend may have ended the
  // transaction already: a rollback outside a transaction is harmless.
  store->Rollback();
  ASSERT_TRUE(store->PutSetting("efteråt", "1"));
  EXPECT_EQ(*Open()->Setting("efteråt"), std::optional<std::string>("1"));
}

TEST_P(StoreContractTransactions, AUnitOfWorkNotCommittedLeavesNothing) {
  StorePool pool(Opener());
  {
    auto work = pool.Begin(kWrite);
    ASSERT_TRUE(work) << work.error().Render();
    ASSERT_TRUE((*work)->ReplacePlan(DemoPlan("hoglandet.json")));
    ASSERT_TRUE((*work)->PutSetting("utkast", "1"));
    ASSERT_TRUE((*work)->AppendAudit({core::AuditEntry{0, "t", "a", "b", "c", "d", "", ""}},
                                     [](const core::AuditEntry&) { return "h"; }));
  }
  auto store = Open();
  auto plan = store->LoadPlan("hoglandet");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, util::Code::kNotFound);
  EXPECT_EQ(*store->Setting("utkast"), std::nullopt);
  EXPECT_FALSE(*store->HasData());
  // The connection went back to the pool clean: the next unit of work starts afresh.
  auto next = pool.Begin(kWrite);
  ASSERT_TRUE(next) << next.error().Render();
  EXPECT_EQ(*(*next)->Setting("utkast"), std::nullopt);
  ASSERT_TRUE((*next)->PutSetting("sparad", "1"));
  ASSERT_TRUE(next->Commit());
  EXPECT_EQ(*Open()->Setting("sparad"), std::optional<std::string>("1"));
}

TEST_P(StoreContractTransactions, ACommittedUnitOfWorkPersistsAcrossReopening) {
  const core::Plan plan = DemoPlan("hoglandet.json");
  {
    StorePool pool(Opener());
    auto work = pool.Begin(kWrite);
    ASSERT_TRUE(work);
    ASSERT_TRUE((*work)->ReplacePlan(plan));
    ASSERT_TRUE((*work)->PutSetting("sparad", "1"));
    ASSERT_TRUE(work->Commit());
  }
  auto store = Open();
  EXPECT_EQ(*store->LoadPlan("hoglandet"), plan);
  EXPECT_EQ(*store->Setting("sparad"), std::optional<std::string>("1"));
}

TEST_P(StoreContractTransactions, AUnitOfWorkSeesItsOwnWritesBeforeOthersDo) {
  ASSERT_TRUE(Open()->ReplacePlan(DemoPlan("hoglandet.json")));
  StorePool pool(Opener());
  auto work = pool.Begin(kWrite);
  ASSERT_TRUE(work);
  const std::int64_t revision = *(*work)->Revision("hoglandet");
  auto ids = (*work)->SaveEnrolments("hoglandet", {Enrolled("it-sparet", "p1", Day(2025, 3, 1))});
  ASSERT_TRUE(ids) << ids.error().Render();
  ASSERT_TRUE((*work)->PutSetting("utkast", "1"));

  Store& inside = work->store();
  auto own = inside.LoadEnrolment("hoglandet", ids->at(0));
  ASSERT_TRUE(own && own->has_value());
  EXPECT_EQ((*own)->person_key, std::optional<std::string>("p1"));
  EXPECT_EQ(inside.ListEnrolments("hoglandet", {"it-sparet"})->total, 1u);
  EXPECT_NE(*inside.Revision("hoglandet"), revision);
  EXPECT_EQ(*inside.Setting("utkast"), std::optional<std::string>("1"));

  auto other = Open();
  EXPECT_EQ(*other->LoadEnrolment("hoglandet", ids->at(0)), std::nullopt);
  EXPECT_EQ(other->ListEnrolments("hoglandet", {"it-sparet"})->total, 0u);
  EXPECT_EQ(*other->Revision("hoglandet"), revision);
  ASSERT_TRUE(work->Commit());
  EXPECT_EQ(other->ListEnrolments("hoglandet", {"it-sparet"})->total, 1u);
}

TEST_P(StoreContractTransactions, RunsAfterCommitActionsInOrderOnceTheCommitIsDone) {
  StorePool pool(Opener());
  auto work = pool.Begin(kWrite);
  ASSERT_TRUE(work);
  ASSERT_TRUE((*work)->PutSetting("huvud", "5"));
  std::vector<std::string> ran;
  std::optional<std::string> seen_by_another_connection;
  work->AfterCommit([&] {
    ran.push_back("first");
    seen_by_another_connection = *Open()->Setting("huvud");
  });
  work->AfterCommit([&] { ran.push_back("second"); });
  EXPECT_TRUE(ran.empty());
  ASSERT_TRUE(work->Commit());
  EXPECT_EQ(ran, (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(seen_by_another_connection, std::optional<std::string>("5"));

  // The unit of work has ended: a second commit fails and runs nothing again.
  EXPECT_FALSE(work->Commit());
  EXPECT_EQ(ran.size(), 2u);
}

TEST_P(StoreContractTransactions, RunsNoAfterCommitActionAfterARollback) {
  StorePool pool(Opener());
  bool ran = false;
  {
    auto work = pool.Begin(kWrite);
    ASSERT_TRUE(work);
    ASSERT_TRUE((*work)->PutSetting("huvud", "5"));
    work->AfterCommit([&] { ran = true; });
  }
  EXPECT_FALSE(ran);
  // Nor later, when the same connection commits another unit of work.
  auto next = pool.Begin(kWrite);
  ASSERT_TRUE(next);
  ASSERT_TRUE(next->Commit());
  EXPECT_FALSE(ran);
}

TEST_P(StoreContractTransactions, AMovedUnitOfWorkKeepsItsTransaction) {
  StorePool pool(Opener());
  std::vector<UnitOfWork> held;
  {
    auto work = pool.Begin(kWrite);
    ASSERT_TRUE(work);
    ASSERT_TRUE((*work)->PutSetting("flyttad", "1"));
    held.push_back(std::move(*work));
  }  // The moved-from unit of work ends here and must not roll back.
  bool ran = false;
  held[0].AfterCommit([&] { ran = true; });
  ASSERT_TRUE(held[0].Commit());
  EXPECT_TRUE(ran);
  EXPECT_EQ(*Open()->Setting("flyttad"), std::optional<std::string>("1"));
}

TEST_P(StoreContractTransactions, APoolReusesItsConnections) {
  StorePool pool(Opener());
  for (int i = 0; i < 3; ++i) {
    auto work = pool.Begin(i % 2 == 0 ? kWrite : kRead);
    ASSERT_TRUE(work);
    ASSERT_TRUE(work->Commit());
  }
  EXPECT_EQ(connections_opened_, 1);
  auto first = pool.Begin(kRead);
  auto second = pool.Begin(kRead);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(connections_opened_, 2);
}

TEST_P(StoreContractTransactions, APoolOpensNoMoreThanItsLimitAndLetsTheNextCallerWait) {
  StorePool pool(Opener(), 2, 5s);
  auto first = pool.Begin(kRead);
  auto second = pool.Begin(kRead);
  ASSERT_TRUE(first && second);
  auto third = std::async(std::launch::async, [&]() -> bool {
    auto work = pool.Begin(kRead);
    return work && work->Commit();
  });
  EXPECT_EQ(third.wait_for(150ms), std::future_status::timeout);
  EXPECT_EQ(pool.open_connections(), 2u);
  ASSERT_TRUE(first->Commit());
  { auto done = std::move(*first); }  // Handed back to the pool.
  ASSERT_EQ(third.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(third.get());
  EXPECT_EQ(connections_opened_, 2);
}

TEST_P(StoreContractTransactions, APoolAtItsLimitAnswersUnavailableAfterItsWait) {
  StorePool pool(Opener(), 1, 100ms);
  auto held = pool.Begin(kRead);
  ASSERT_TRUE(held);
  auto refused = pool.Begin(kRead);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, util::Code::kUnavailable);
  EXPECT_NE(BothLanguages(refused.error()).find("upptagna"), std::string::npos);
}

TEST_P(StoreContractTransactions, AConnectionThatFailedToOpenDoesNotCountAgainstTheLimit) {
  bool fail = true;
  StorePool pool(
      [&]() -> util::Result<std::unique_ptr<Store>> {
        if (std::exchange(fail, false)) {
          return util::Fail(util::Code::kUnavailable, "", "nere", "down");
        }
        return Open();
      },
      1, 100ms);
  EXPECT_FALSE(pool.Begin(kRead));
  auto work = pool.Begin(kRead);
  ASSERT_TRUE(work) << work.error().Render();
  EXPECT_EQ(pool.open_connections(), 1u);
}

TEST_P(StoreContractTransactions, APoolReportsAConnectionItCannotOpen) {
  StorePool pool([]() -> util::Result<std::unique_ptr<Store>> {
    return util::Fail(util::Code::kUnavailable, "", "databasen kan inte öppnas",
                      "the database cannot be opened");
  });
  auto work = pool.Begin(kRead);
  ASSERT_FALSE(work);
  EXPECT_EQ(work.error().code, util::Code::kUnavailable);
}

TEST_P(StoreContractTransactions, ASecondWriterWaitsForTheFirstAndSeesItsWrite) {
  StorePool pool(Opener());
  auto first = pool.Begin(kWrite);
  ASSERT_TRUE(first);
  ASSERT_TRUE((*first)->PutSetting("skrivare", "första"));
  std::atomic<bool> second_began = false;
  // The second writer reports what it read, or why it failed; it asserts nothing itself.
  auto second = std::async(std::launch::async, [&]() -> std::string {
    auto work = pool.Begin(kWrite);
    second_began = true;
    if (!work) return "Begin failed: " + work.error().Render();
    auto seen = (*work)->Setting("skrivare");
    if (!seen) return "Setting failed: " + seen.error().Render();
    if (!(*work)->PutSetting("skrivare", "andra") || !work->Commit()) return "write failed";
    return seen->value_or("nothing");
  });
  // Time enough for the second writer to reach its Begin, where it must still be waiting.
  EXPECT_EQ(second.wait_for(150ms), std::future_status::timeout);
  EXPECT_FALSE(second_began);
  EXPECT_TRUE(first->Commit());
  ASSERT_EQ(second.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(second.get(), "första");
  EXPECT_EQ(*Open()->Setting("skrivare"), std::optional<std::string>("andra"));
}

TEST_P(StoreContractTransactions, AReaderSeesOneSnapshotUntilItEnds) {
  StorePool pool(Opener());
  auto reader = pool.Begin(kRead);
  ASSERT_TRUE(reader);
  ASSERT_EQ(*(*reader)->Setting("x"), std::nullopt);  // The snapshot is taken by now.
  {
    auto writer = pool.Begin(kWrite);
    ASSERT_TRUE(writer) << writer.error().Render();
    ASSERT_TRUE((*writer)->PutSetting("x", "1"));
    ASSERT_TRUE((*writer)->ReplacePlan(DemoPlan("hoglandet.json")));
    ASSERT_TRUE(writer->Commit());
  }
  EXPECT_EQ(*(*reader)->Setting("x"), std::nullopt);
  EXPECT_FALSE(*(*reader)->HasData());
  EXPECT_LT(*(*reader)->Revision("hoglandet"), 0);
  EXPECT_TRUE((*reader)->ListForbund()->empty());
  ASSERT_TRUE(reader->Commit());

  auto later = pool.Begin(kRead);
  ASSERT_TRUE(later);
  EXPECT_EQ(*(*later)->Setting("x"), std::optional<std::string>("1"));
  EXPECT_EQ((*later)->ListForbund()->size(), 1u);
}

TEST_P(StoreContractTransactions, WritersAtOnceThroughOnePoolLoseNothing) {
  // Each unit of work reads a counter and writes it one higher, and appends to the audit
  // log: a lost update or two entries with one seq would show.
  StorePool pool(Opener());
  constexpr int kWriters = 4;
  constexpr int kEach = 10;
  const auto hash_of = [](const core::AuditEntry& entry) {
    return "h" + std::to_string(entry.seq);
  };
  auto writer = [&]() -> std::string {
    for (int i = 0; i < kEach; ++i) {
      auto work = pool.Begin(kWrite);
      if (!work) return "Begin failed: " + work.error().Render();
      auto seen = (*work)->Setting("räknare");
      if (!seen) return "Setting failed: " + seen.error().Render();
      const int count = seen->has_value() ? std::stoi(**seen) : 0;
      if (auto put = (*work)->PutSetting("räknare", std::to_string(count + 1)); !put) {
        return "PutSetting failed: " + put.error().Render();
      }
      auto appended =
          (*work)->AppendAudit({core::AuditEntry{0, "t", "a", "räknade", "", "", "", ""}}, hash_of);
      if (!appended) return "AppendAudit failed: " + appended.error().Render();
      if (auto committed = work->Commit(); !committed) {
        return "Commit failed: " + committed.error().Render();
      }
    }
    return "";
  };
  std::vector<std::future<std::string>> writers;
  for (int i = 0; i < kWriters; ++i) writers.push_back(std::async(std::launch::async, writer));
  for (auto& written : writers) EXPECT_EQ(written.get(), "");

  auto store = Open();
  EXPECT_EQ(*store->Setting("räknare"),
            std::optional<std::string>(std::to_string(kWriters * kEach)));
  auto entries = store->ListAudit(0, 1000);
  ASSERT_TRUE(entries) << entries.error().Render();
  ASSERT_EQ(entries->size(), static_cast<std::size_t>(kWriters * kEach));
  for (std::size_t i = 0; i < entries->size(); ++i) {
    EXPECT_EQ((*entries)[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ((*entries)[i].previous_hash, i == 0 ? std::string(64, '0') : (*entries)[i - 1].hash);
  }
}

// ---- Writes that are atomic by themselves, inside and outside a unit of work ----

TEST_P(StoreContractTransactions, AWriteThatBreaksARuleInsideAUnitOfWorkFailsOnlyItself) {
  StorePool pool(Opener());
  auto work = pool.Begin(kWrite);
  ASSERT_TRUE(work);
  ASSERT_TRUE((*work)->PutSetting("före", "1"));
  // A session of an account that does not exist.
  auto refused = (*work)->AddSession({"token-hash", 987654, "csrf", 1000, 1000});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, util::Code::kFailedPrecondition);
  // The unit of work goes on and commits what else it wrote.
  ASSERT_TRUE((*work)->PutSetting("efter", "1"));
  auto committed = work->Commit();
  ASSERT_TRUE(committed) << committed.error().Render();
  auto store = Open();
  EXPECT_EQ(*store->Setting("före"), std::optional<std::string>("1"));
  EXPECT_EQ(*store->Setting("efter"), std::optional<std::string>("1"));
  EXPECT_EQ(*store->FindSession("token-hash"), std::nullopt);
}

core::Enrolment NotStored() {
  core::Enrolment enrolment = Enrolled("it-sparet", "p9", Day(2025, 3, 1));
  enrolment.id = 987654;
  return enrolment;
}

TEST_P(StoreContractTransactions, AFailedSaveInsideAUnitOfWorkUndoesOnlyItself) {
  ASSERT_TRUE(Open()->ReplacePlan(DemoPlan("hoglandet.json")));
  StorePool pool(Opener());
  auto work = pool.Begin(kWrite);
  ASSERT_TRUE(work);
  ASSERT_TRUE((*work)->PutSetting("före", "1"));
  auto failed = (*work)->SaveEnrolments(
      "hoglandet", {Enrolled("it-sparet", "p1", Day(2025, 3, 1)), NotStored()});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, util::Code::kNotFound);
  EXPECT_TRUE((*work)->LoadEnrolments("hoglandet")->empty());
  EXPECT_TRUE((*work)->FindEnrolments("hoglandet", "p1", "it-sparet")->empty());

  // The unit of work goes on: what it wrote before stays, and it can still write and commit.
  EXPECT_EQ(*(*work)->Setting("före"), std::optional<std::string>("1"));
  auto saved = (*work)->SaveEnrolments("hoglandet", {Enrolled("it-sparet", "p2", Day(2025, 3, 1))});
  ASSERT_TRUE(saved) << saved.error().Render();
  ASSERT_TRUE(work->Commit());

  auto store = Open();
  auto stored = store->LoadEnrolments("hoglandet");
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->at(0).person_key, std::optional<std::string>("p2"));
  EXPECT_EQ(*store->Setting("före"), std::optional<std::string>("1"));
}

TEST_P(StoreContractTransactions, AFailedSaveOutsideAUnitOfWorkLeavesNothing) {
  auto store = Open();
  ASSERT_TRUE(store->ReplacePlan(DemoPlan("hoglandet.json")));
  auto failed = store->SaveEnrolments("hoglandet",
                                      {Enrolled("it-sparet", "p1", Day(2025, 3, 1)), NotStored()});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, util::Code::kNotFound);
  EXPECT_TRUE(store->LoadEnrolments("hoglandet")->empty());
  EXPECT_TRUE(Open()->LoadEnrolments("hoglandet")->empty());
  // No transaction is left open: the next write is stored for every connection.
  ASSERT_TRUE(store->SaveEnrolments("hoglandet", {Enrolled("it-sparet", "p2", Day(2025, 3, 1))}));
  EXPECT_EQ(Open()->LoadEnrolments("hoglandet")->size(), 1u);
}

TEST_P(StoreContractTransactions, AFailedPlanReplaceInsideAUnitOfWorkUndoesOnlyItself) {
  const core::Plan plan = DemoPlan("hoglandet.json");
  ASSERT_TRUE(Open()->ReplacePlan(plan));
  StorePool pool(Opener());
  auto work = pool.Begin(kWrite);
  ASSERT_TRUE(work);
  ASSERT_TRUE((*work)->PutSetting("före", "1"));
  core::Plan broken = plan;
  broken.forbund.name = "Trasigt";
  broken.budget[1].costs[0].insats_id = "finns-inte";
  EXPECT_FALSE((*work)->ReplacePlan(broken));
  EXPECT_EQ(*(*work)->LoadPlan("hoglandet"), plan);
  ASSERT_TRUE(work->Commit());
  auto store = Open();
  EXPECT_EQ(*store->LoadPlan("hoglandet"), plan);
  EXPECT_EQ(*store->Setting("före"), std::optional<std::string>("1"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTransactions, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace stegvis::store
