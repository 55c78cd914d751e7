// The storage contract for what is read about many enrolments at once: an intervention's list
// page by page with its counts, the anonymous enrolments an import counts, and the revision
// that tells a reader when what it computed is out of date.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "store/store_contract.h"

namespace stegvis::store {
namespace {

using core::Enrolment;

class StoreContractEnrolmentLists : public StoreContractWithPlans {
 protected:
  // Saves enrolments named by a label each, remembering which id got which label.
  void SaveNamed(const std::vector<std::pair<std::string, Enrolment>>& named) {
    for (const auto& [label, enrolment] : named) labels_[SaveOne("hoglandet", enrolment)] = label;
  }
  // The labels of a page's enrolments, in the page's order.
  std::vector<std::string> Labels(const EnrolmentPage& page) {
    std::vector<std::string> labels;
    for (const Enrolment& enrolment : page.enrolments) labels.push_back(labels_[enrolment.id]);
    return labels;
  }
  EnrolmentPage List(const std::string& insats_id, EnrolmentFilter filter, std::size_t offset = 0,
                     std::size_t limit = 50) {
    auto page =
        store_->ListEnrolments("hoglandet", EnrolmentQuery{insats_id, filter, offset, limit});
    EXPECT_TRUE(page) << page.error().Render();
    return page ? *page : EnrolmentPage();
  }

  std::map<std::int64_t, std::string> labels_;
};

constexpr auto kAll = EnrolmentFilter::kAll;
constexpr auto kOngoing = EnrolmentFilter::kOngoing;
constexpr auto kEnded = EnrolmentFilter::kEnded;

// Seven enrolments of SE Höglandet stored in an order unlike the list's: three start on
// 2024-05-10, so that the highest id must come first among them.
std::vector<std::pair<std::string, Enrolment>> SeHoglandet() {
  Enrolment a = Enrolled("se-hoglandet", "a", Day(2024, 5, 10));
  a.measurements = {{Day(2024, 5, 10), "steg", 2}};
  a.follow_ups = {{Day(2024, 12, 1), 6, core::Sysselsattning::kIngen}};
  return {{"a", a},
          {"b", Ended(Enrolled("se-hoglandet", "b", Day(2023, 9, 1)), Day(2024, 2, 1))},
          {"c", Enrolled("se-hoglandet", "c", Day(2025, 1, 15))},
          {"d", Ended(Enrolled("se-hoglandet", "d", Day(2024, 5, 10)), Day(2024, 9, 1))},
          {"e", EnrolledAnonymously("se-hoglandet", core::Kon::kMan, 2024)},
          {"f", Enrolled("se-hoglandet", "f", Day(2024, 2, 1))},
          {"g", Enrolled("se-hoglandet", "g", Day(2024, 5, 10))}};
}

TEST_P(StoreContractEnrolmentLists, ListsNewestStartFirstThenHighestId) {
  SaveNamed(SeHoglandet());
  SaveNamed({{"other intervention", Enrolled("it-sparet", "h", Day(2025, 6, 1))}});
  Save("annat", {Enrolled("se-hoglandet", "i", Day(2025, 6, 1))});

  const EnrolmentPage all = List("se-hoglandet", kAll);
  EXPECT_EQ(Labels(all), (std::vector<std::string>{"c", "g", "d", "a", "f", "e", "b"}));
  EXPECT_EQ(all.matching, 7u);
  EXPECT_EQ(all.ongoing, 5u);
  EXPECT_EQ(all.total, 7u);

  const EnrolmentPage ongoing = List("se-hoglandet", kOngoing);
  EXPECT_EQ(Labels(ongoing), (std::vector<std::string>{"c", "g", "a", "f", "e"}));
  EXPECT_EQ(ongoing.matching, 5u);
  EXPECT_EQ(ongoing.total, 7u);

  const EnrolmentPage ended = List("se-hoglandet", kEnded);
  EXPECT_EQ(Labels(ended), (std::vector<std::string>{"d", "b"}));
  EXPECT_EQ(ended.matching, 2u);
  EXPECT_EQ(ended.ongoing, 5u);
  EXPECT_EQ(ended.total, 7u);

  // A page's enrolments come whole, as LoadEnrolment gives them.
  for (const Enrolment& enrolment : all.enrolments) {
    EXPECT_EQ(enrolment, *store_->LoadEnrolment("hoglandet", enrolment.id)) << enrolment.id;
  }
}

TEST_P(StoreContractEnrolmentLists, PagesByOffsetAndLimitWithTheSameCounts) {
  SaveNamed(SeHoglandet());
  const std::vector<std::vector<std::string>> expected = {
      {"c", "g", "d"}, {"a", "f", "e"}, {"b"}, {}};
  for (std::size_t page = 0; page < expected.size(); ++page) {
    const EnrolmentPage listed = List("se-hoglandet", kAll, page * 3, 3);
    EXPECT_EQ(Labels(listed), expected[page]) << "page " << page;
    EXPECT_EQ(listed.matching, 7u) << "page " << page;
    EXPECT_EQ(listed.total, 7u) << "page " << page;
  }
  EXPECT_EQ(Labels(List("se-hoglandet", kOngoing, 2, 2)), (std::vector<std::string>{"a", "f"}));
  EXPECT_EQ(Labels(List("se-hoglandet", kEnded, 1, 5)), (std::vector<std::string>{"b"}));
  EXPECT_TRUE(List("se-hoglandet", kAll, 0, 0).enrolments.empty());
}

TEST_P(StoreContractEnrolmentLists, ListsNothingForAnInterventionWithoutEnrolments) {
  SaveNamed(SeHoglandet());
  for (const std::string& insats_id : {std::string("inspirationsdag"), std::string("finns-inte")}) {
    const EnrolmentPage page = List(insats_id, kAll);
    EXPECT_TRUE(page.enrolments.empty()) << insats_id;
    EXPECT_EQ(page.matching + page.ongoing + page.total, 0u) << insats_id;
  }
}

TEST_P(StoreContractEnrolmentLists, KeepsTheCountsRightThroughExitsMovesAndRollbacks) {
  Enrolment p1 = Enrolled("se-hoglandet", "p1", Day(2024, 1, 2));
  Enrolment p2 = Enrolled("se-hoglandet", "p2", Day(2024, 1, 3));
  p1.id = SaveOne("hoglandet", p1);
  p2.id = SaveOne("hoglandet", p2);
  Save("hoglandet", {Enrolled("se-hoglandet", "p3", Day(2024, 1, 4)),
                     Enrolled("it-sparet", "p4", Day(2024, 1, 4))});
  auto counts = [&](const std::string& insats_id) {
    const EnrolmentPage ended = List(insats_id, kEnded);
    return std::make_tuple(ended.total, ended.ongoing, ended.matching);
  };
  using Counts = std::tuple<std::size_t, std::size_t, std::size_t>;  // Total, ongoing, ended.
  EXPECT_EQ(counts("se-hoglandet"), Counts(3, 3, 0));

  Save("hoglandet", {Ended(p1, Day(2024, 6, 1))});
  EXPECT_EQ(counts("se-hoglandet"), Counts(3, 2, 1));

  p2.insats_id = "it-sparet";
  Save("hoglandet", {p2});
  EXPECT_EQ(counts("se-hoglandet"), Counts(2, 1, 1));
  EXPECT_EQ(counts("it-sparet"), Counts(2, 2, 0));

  Save("hoglandet", {p1});  // Reopened: the exit was a mistake.
  EXPECT_EQ(counts("se-hoglandet"), Counts(2, 2, 0));

  // Refused writes and a unit of work rolled back count for nothing.
  EXPECT_FALSE(
      store_->SaveEnrolments("hoglandet", {Enrolled("it-sparet", "x", Day(2024, 1, 2)),
                                           Enrolled("se-hoglandet", "p1", Day(2024, 1, 2))}));
  {
    StorePool pool(Opener());
    auto work = pool.Begin(TransactionMode::kWrite);
    ASSERT_TRUE(work);
    ASSERT_TRUE((*work)->SaveEnrolments(
        "hoglandet", {Enrolled("se-hoglandet", "y", Day(2024, 1, 2)), Ended(p1, Day(2024, 8, 1))}));
  }
  EXPECT_EQ(counts("se-hoglandet"), Counts(2, 2, 0));
  EXPECT_EQ(counts("it-sparet"), Counts(2, 2, 0));
  EXPECT_EQ(List("se-hoglandet", kAll).enrolments.size(), 2u);
}

using Anonymous = std::tuple<std::string, core::Kon, int, int>;

std::vector<Anonymous> Sorted(const std::vector<AnonymousCount>& counts) {
  std::vector<Anonymous> result;
  for (const AnonymousCount& count : counts) {
    result.emplace_back(count.insats_id, count.kon, count.year, count.count);
  }
  std::sort(result.begin(), result.end());
  return result;
}

TEST_P(StoreContractEnrolmentLists, CountsOngoingAnonymousEnrolmentsPerInterventionKonAndYear) {
  using core::Kon;
  Enrolment march = EnrolledAnonymously("se-hoglandet", Kon::kKvinna, 2024);
  march.start = Day(2024, 3, 1);
  Save("hoglandet",
       {EnrolledAnonymously("se-hoglandet", Kon::kKvinna, 2024),
        EnrolledAnonymously("se-hoglandet", Kon::kKvinna, 2024),
        EnrolledAnonymously("se-hoglandet", Kon::kMan, 2024),
        EnrolledAnonymously("se-hoglandet", Kon::kKvinna, 2025),
        EnrolledAnonymously("it-sparet", Kon::kKvinna, 2024),
        // Not counted: ended, with consent, or not started on 1 January.
        Ended(EnrolledAnonymously("se-hoglandet", Kon::kKvinna, 2024), Day(2024, 5, 1)),
        Enrolled("se-hoglandet", "p", Day(2024, 1, 1)), march});
  Save("annat", {EnrolledAnonymously("se-hoglandet", Kon::kKvinna, 2024)});

  auto counts = store_->CountAnonymous("hoglandet");
  ASSERT_TRUE(counts) << counts.error().Render();
  EXPECT_EQ(Sorted(*counts), (std::vector<Anonymous>{{"it-sparet", Kon::kKvinna, 2024, 1},
                                                     {"se-hoglandet", Kon::kKvinna, 2024, 2},
                                                     {"se-hoglandet", Kon::kKvinna, 2025, 1},
                                                     {"se-hoglandet", Kon::kMan, 2024, 1}}));
  EXPECT_TRUE(store_->CountAnonymous("finns-inte")->empty());
}

TEST_P(StoreContractEnrolmentLists, ChangesTheRevisionWithEveryWriteAndNoRead) {
  auto unknown = store_->Revision("finns-inte");
  ASSERT_TRUE(unknown) << unknown.error().Render();
  EXPECT_LT(*unknown, 0);

  std::set<std::int64_t> seen;
  auto changed = [&](const std::string& after) {
    const std::int64_t revision = *store_->Revision("hoglandet");
    EXPECT_TRUE(seen.insert(revision).second) << "unchanged or repeated after " << after;
    return revision;
  };
  changed("the plan was stored");
  Enrolment enrolment = Enrolled("se-hoglandet", "p", Day(2024, 1, 2));
  enrolment.id = SaveOne("hoglandet", enrolment);
  const std::int64_t after_insert = changed("an insert");

  // Reads, here and on another connection, leave it as it is.
  const std::unique_ptr<Store> other = Open();
  for (Store* store : {store_.get(), other.get()}) {
    ASSERT_TRUE(store->LoadPlan("hoglandet"));
    ASSERT_TRUE(store->LoadEnrolments("hoglandet"));
    ASSERT_TRUE(store->LoadEnrolment("hoglandet", enrolment.id));
    ASSERT_TRUE(store->FindEnrolments("hoglandet", "p", "se-hoglandet"));
    ASSERT_TRUE(store->LoadActiveEnrolments("hoglandet", {"se-hoglandet"}, Day(2000, 1, 1)));
    ASSERT_TRUE(store->ListEnrolments("hoglandet", {"se-hoglandet"}));
    ASSERT_TRUE(store->CountAnonymous("hoglandet"));
    EXPECT_EQ(*store->Revision("hoglandet"), after_insert);
  }

  Save("hoglandet", {Ended(enrolment, Day(2024, 5, 1))});
  changed("a replacement");
  Save("hoglandet", {enrolment, Enrolled("it-sparet", "q", Day(2024, 1, 2))});
  changed("a replacement and an insert");
  ASSERT_TRUE(store_->ReplacePlan(DemoPlan("hoglandet.json")));
  changed("the plan was replaced");
  EXPECT_EQ(*Open()->Revision("hoglandet"), *store_->Revision("hoglandet"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractEnrolmentLists, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace stegvis::store
