// The storage contract for the audit log: entries numbered from 1, each chained to the hash
// of the one before, read page by page, and the whole chain hashed anew when the hash
// changes (e.g. from unkeyed to keyed).
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "store/store_contract.h"

namespace stegvis::store {
namespace {

using core::AuditEntry;

class StoreContractAudit : public StoreContract {};

// The hash before the first entry, which the chain's verifier starts from.
const std::string kGenesis(64, '0');

// A stand-in for the real keyed hash: it covers everything but the hash itself, and the
// `key` tells one hash function from another.
std::function<std::string(const AuditEntry&)> HashWith(std::string key) {
  return [key](const AuditEntry& entry) {
    const std::string covered = entry.previous_hash + "|" + std::to_string(entry.seq) + "|" +
                                entry.at + "|" + entry.actor + "|" + entry.action + "|" +
                                entry.target + "|" + entry.address;
    return key + ":" + std::to_string(std::hash<std::string>{}(covered));
  };
}

AuditEntry Entry(std::string action, std::string target = "konto:anna") {
  return AuditEntry{
      0, "2026-03-01T08:00:00Z", "admin", std::move(action), std::move(target), "192.0.2.7", "",
      ""};
}

// Expects `entries` to be the whole log, 1..n, each chained to the one before by `hash_of`.
void ExpectChain(const std::vector<AuditEntry>& entries,
                 const std::function<std::string(const AuditEntry&)>& hash_of) {
  std::string previous = kGenesis;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(entries[i].previous_hash, previous) << "seq " << entries[i].seq;
    EXPECT_EQ(entries[i].hash, hash_of(entries[i])) << "seq " << entries[i].seq;
    previous = entries[i].hash;
  }
}

TEST_P(StoreContractAudit, AppendsEntriesNumberedFromOneEachChainedToTheOneBefore) {
  auto store = Open();
  const auto hash_of = HashWith("a");
  auto head = store->AppendAudit(
      {Entry("loggade in"), Entry("läste", "insats:it-sparet"), Entry("loggade ut")}, hash_of);
  ASSERT_TRUE(head) << head.error().Render();
  auto listed = store->ListAudit(0, 100);
  ASSERT_TRUE(listed) << listed.error().Render();
  ASSERT_EQ(listed->size(), 3u);
  ExpectChain(*listed, hash_of);
  EXPECT_EQ(head->seq, 3);
  EXPECT_EQ(head->hash, listed->back().hash);
  const AuditEntry& second = (*listed)[1];
  EXPECT_EQ(second.at, "2026-03-01T08:00:00Z");
  EXPECT_EQ(second.actor, "admin");
  EXPECT_EQ(second.action, "läste");
  EXPECT_EQ(second.target, "insats:it-sparet");
  EXPECT_EQ(second.address, "192.0.2.7");

  // A later append, on another connection, goes on from the head.
  auto next = Open()->AppendAudit({Entry("ändrade"), Entry("tog bort")}, hash_of);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->seq, 5);
  listed = store->ListAudit(0, 100);
  ASSERT_EQ(listed->size(), 5u);
  ExpectChain(*listed, hash_of);
  EXPECT_EQ(next->hash, listed->back().hash);
}

TEST_P(StoreContractAudit, AppendingNothingReturnsTheHeadAsItIs) {
  auto store = Open();
  const auto hash_of = HashWith("a");
  auto empty = store->AppendAudit({}, hash_of);
  ASSERT_TRUE(empty) << empty.error().Render();
  EXPECT_EQ(empty->seq, 0);
  EXPECT_TRUE(store->ListAudit(0, 10)->empty());

  auto head = store->AppendAudit({Entry("a"), Entry("b")}, hash_of);
  ASSERT_TRUE(head);
  auto same = store->AppendAudit({}, hash_of);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->seq, head->seq);
  EXPECT_EQ(same->hash, head->hash);
  EXPECT_EQ(store->ListAudit(0, 10)->size(), 2u);
}

TEST_P(StoreContractAudit, ListsTheLogPageByPage) {
  auto store = Open();
  std::vector<AuditEntry> entries;
  for (int i = 1; i <= 7; ++i) entries.push_back(Entry("handling " + std::to_string(i)));
  ASSERT_TRUE(store->AppendAudit(entries, HashWith("a")));
  auto seqs = [&](std::int64_t after, std::size_t limit) {
    std::vector<std::int64_t> result;
    auto listed = store->ListAudit(after, limit);
    EXPECT_TRUE(listed) << listed.error().Render();
    if (listed) {
      for (const AuditEntry& entry : *listed) result.push_back(entry.seq);
    }
    return result;
  };
  EXPECT_EQ(seqs(0, 3), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(seqs(3, 3), (std::vector<std::int64_t>{4, 5, 6}));
  EXPECT_EQ(seqs(6, 3), (std::vector<std::int64_t>{7}));
  EXPECT_EQ(seqs(7, 3), (std::vector<std::int64_t>{}));
  EXPECT_EQ(seqs(2, 0), (std::vector<std::int64_t>{}));
  EXPECT_EQ((*store->ListAudit(4, 1))[0].action, "handling 5");
}

TEST_P(StoreContractAudit, RechainsEveryEntryInOrderAndReturnsTheNewHead) {
  auto store = Open();
  std::vector<AuditEntry> entries;
  for (int i = 1; i <= 5; ++i) entries.push_back(Entry("handling " + std::to_string(i)));
  ASSERT_TRUE(store->AppendAudit(entries, HashWith("gammal")));
  auto before = store->ListAudit(0, 100);
  ASSERT_TRUE(before);

  const auto rehash = HashWith("ny");
  std::vector<std::int64_t> order;
  auto head = store->RechainAudit([&](const AuditEntry& entry) {
    order.push_back(entry.seq);
    return rehash(entry);
  });
  ASSERT_TRUE(head) << head.error().Render();
  EXPECT_EQ(order, (std::vector<std::int64_t>{1, 2, 3, 4, 5}));

  auto after = Open()->ListAudit(0, 100);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->size(), 5u);
  ExpectChain(*after, rehash);
  EXPECT_EQ(head->seq, 5);
  EXPECT_EQ(head->hash, after->back().hash);
  for (std::size_t i = 0; i < after->size(); ++i) {
    // Only the hashes change.
    const AuditEntry& old_entry = (*before)[i];
    const AuditEntry& new_entry = (*after)[i];
    EXPECT_NE(new_entry.hash, old_entry.hash);
    EXPECT_EQ(std::tie(new_entry.seq, new_entry.at, new_entry.actor, new_entry.action,
                       new_entry.target, new_entry.address),
              std::tie(old_entry.seq, old_entry.at, old_entry.actor, old_entry.action,
                       old_entry.target, old_entry.address));
  }

  // The next append chains on from the new head.
  auto appended = store->AppendAudit({Entry("efter")}, rehash);
  ASSERT_TRUE(appended) << appended.error().Render();
  EXPECT_EQ(appended->seq, 6);
  ExpectChain(*store->ListAudit(0, 100), rehash);
}

TEST_P(StoreContractAudit, RechainsALongChainWhole) {
  auto store = Open();
  std::vector<AuditEntry> entries(2500, Entry("läste"));
  ASSERT_TRUE(store->AppendAudit(entries, HashWith("gammal")));
  const auto rehash = HashWith("ny");
  auto head = store->RechainAudit(rehash);
  ASSERT_TRUE(head) << head.error().Render();
  EXPECT_EQ(head->seq, 2500);
  auto all = store->ListAudit(0, 5000);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2500u);
  ExpectChain(*all, rehash);
  EXPECT_EQ(head->hash, all->back().hash);
}

TEST_P(StoreContractAudit, RechainingAnEmptyLogLeavesItEmpty) {
  auto store = Open();
  bool called = false;
  auto head = store->RechainAudit([&](const AuditEntry&) {
    called = true;
    return std::string("x");
  });
  ASSERT_TRUE(head) << head.error().Render();
  EXPECT_EQ(head->seq, 0);
  EXPECT_FALSE(called);
  EXPECT_TRUE(store->ListAudit(0, 10)->empty());
}

TEST_P(StoreContractAudit, AppendsAndRechainsRolledBackWithTheirUnitOfWork) {
  const auto hash_of = HashWith("a");
  ASSERT_TRUE(Open()->AppendAudit({Entry("först")}, hash_of));
  auto before = Open()->ListAudit(0, 10);
  ASSERT_TRUE(before);
  StorePool pool(Opener());
  {
    auto work = pool.Begin(TransactionMode::kWrite);
    ASSERT_TRUE(work);
    ASSERT_TRUE((*work)->AppendAudit({Entry("sedan")}, hash_of));
    ASSERT_TRUE((*work)->RechainAudit(HashWith("ny")));
    EXPECT_EQ((*work)->ListAudit(0, 10)->size(), 2u);
  }
  auto after = Open()->ListAudit(0, 10);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].hash, (*before)[0].hash);
  ExpectChain(*after, hash_of);

  // Committed, they are there together.
  auto work = pool.Begin(TransactionMode::kWrite);
  ASSERT_TRUE(work);
  ASSERT_TRUE((*work)->AppendAudit({Entry("sedan")}, hash_of));
  auto head = (*work)->RechainAudit(HashWith("ny"));
  ASSERT_TRUE(head);
  ASSERT_TRUE(work->Commit());
  ExpectChain(*Open()->ListAudit(0, 10), HashWith("ny"));
  EXPECT_EQ(head->seq, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractAudit, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace stegvis::store
