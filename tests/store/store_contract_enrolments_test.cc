// The storage contract for single enrolments: reading them back whole (by id, a person's in an
// intervention, a förbund's, some interventions'), replacing them, and the rule of one open
// enrolment per person and intervention.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/store_contract.h"

namespace stegvis::store {
namespace {

using core::Enrolment;

class StoreContractEnrolments : public StoreContractWithPlans {};

// An ended enrolment with every field set, measurements out of date order and two follow-ups.
Enrolment Complete() {
  Enrolment enrolment = Enrolled("se-hoglandet", "person-a", Day(2024, 3, 4));
  enrolment.kon = core::Kon::kMan;
  enrolment.birth_year = 1987;
  enrolment.kommun = "0682";
  enrolment.remittent = core::Remittent::kFk;
  enrolment.income_at_start = {core::Forsorjning::kSjukpenning,
                               core::Forsorjning::kForsorjningsstod};
  enrolment.exit = core::Exit{Day(2024, 11, 29),
                              core::ExitReason::kArbeteMedStod,
                              {core::Forsorjning::kLonebidrag, core::Forsorjning::kLon}};
  enrolment.measurements = {
      {Day(2024, 3, 4), "steg", 2}, {Day(2024, 11, 29), "steg", 5}, {Day(2024, 6, 1), "halsa", 3}};
  enrolment.follow_ups = {{Day(2025, 5, 29), 6, core::Sysselsattning::kArbeteMedStod},
                          {Day(2025, 11, 29), 12, core::Sysselsattning::kStudier}};
  return enrolment;
}

TEST_P(StoreContractEnrolments, LoadsAnEnrolmentByIdWithEverythingInOrder) {
  Enrolment expected = Complete();
  expected.id = SaveOne("hoglandet", expected);
  EXPECT_NE(expected.id, 0);
  auto loaded = store_->LoadEnrolment("hoglandet", expected.id);
  ASSERT_TRUE(loaded) << loaded.error().Render();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(**loaded, expected);
  // And the same from a new connection.
  EXPECT_EQ(*Open()->LoadEnrolment("hoglandet", expected.id), expected);

  Enrolment anonymous = EnrolledAnonymously("it-sparet", core::Kon::kAnnat, 2025);
  anonymous.id = SaveOne("hoglandet", anonymous);
  EXPECT_EQ(*store_->LoadEnrolment("hoglandet", anonymous.id), anonymous);
}

TEST_P(StoreContractEnrolments, FindsNoEnrolmentByAnotherForbundsIdOrAnUnknownId) {
  const std::int64_t theirs = SaveOne("annat", Complete());
  auto loaded = store_->LoadEnrolment("hoglandet", theirs);
  ASSERT_TRUE(loaded) << loaded.error().Render();
  EXPECT_EQ(*loaded, std::nullopt);
  EXPECT_EQ(*store_->LoadEnrolment("hoglandet", theirs + 1000), std::nullopt);
  EXPECT_EQ(*store_->LoadEnrolment("finns-inte", theirs), std::nullopt);
  EXPECT_TRUE(store_->LoadEnrolment("annat", theirs)->has_value());
}

TEST_P(StoreContractEnrolments, LoadsEveryEnrolmentOfAForbundOrderedById) {
  std::vector<Enrolment> ours = {Complete(), Enrolled("it-sparet", "b", Day(2023, 1, 9)),
                                 EnrolledAnonymously("psykiatriveckan", core::Kon::kKvinna, 2024)};
  SaveOne("annat", Complete());
  const std::vector<std::int64_t> ids = Save("hoglandet", ours);
  ASSERT_EQ(ids.size(), ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) ours[i].id = ids[i];
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);

  auto loaded = store_->LoadEnrolments("hoglandet");
  ASSERT_TRUE(loaded) << loaded.error().Render();
  EXPECT_EQ(*loaded, ours);
  EXPECT_TRUE(store_->LoadEnrolments("finns-inte")->empty());
}

TEST_P(StoreContractEnrolments, FindsAPersonsEnrolmentsInOneInterventionOrderedById) {
  // The later enrolment is stored first: the order is by id, not by start.
  Enrolment later = Enrolled("se-hoglandet", "p", Day(2025, 2, 1));
  later.measurements = {{Day(2025, 2, 1), "steg", 3}};
  Enrolment earlier = Ended(Enrolled("se-hoglandet", "p", Day(2023, 2, 1)), Day(2023, 12, 1));
  earlier.follow_ups = {{Day(2024, 6, 1), 6, core::Sysselsattning::kArbete}};
  later.id = SaveOne("hoglandet", later);
  earlier.id = SaveOne("hoglandet", earlier);
  Save("hoglandet", {Enrolled("it-sparet", "p", Day(2025, 2, 1)),
                     Enrolled("se-hoglandet", "q", Day(2025, 2, 1))});
  SaveOne("annat", Enrolled("se-hoglandet", "p", Day(2025, 2, 1)));

  auto found = store_->FindEnrolments("hoglandet", "p", "se-hoglandet");
  ASSERT_TRUE(found) << found.error().Render();
  EXPECT_EQ(*found, (std::vector<Enrolment>{later, earlier}));
  EXPECT_TRUE(store_->FindEnrolments("hoglandet", "ingen", "se-hoglandet")->empty());
  EXPECT_TRUE(store_->FindEnrolments("hoglandet", "p", "inspirationsdag")->empty());
}

TEST_P(StoreContractEnrolments, LoadsTheEnrolmentsOfSomeInterventionsOrderedById) {
  // Before any exit: every enrolment of the interventions.
  const util::Date kAnyExit = Day(2000, 1, 1);
  std::vector<Enrolment> saved = {Enrolled("it-sparet", "a", Day(2025, 1, 7)),
                                  Enrolled("se-hoglandet", "b", Day(2024, 1, 7)),
                                  Enrolled("psykiatriveckan", "c", Day(2025, 1, 7)), Complete(),
                                  EnrolledAnonymously("it-sparet", core::Kon::kMan, 2023)};
  const std::vector<std::int64_t> ids = Save("hoglandet", saved);
  ASSERT_EQ(ids.size(), saved.size());
  for (std::size_t i = 0; i < saved.size(); ++i) saved[i].id = ids[i];
  Save("annat", {Enrolled("it-sparet", "a", Day(2025, 1, 7))});

  auto loaded = store_->LoadActiveEnrolments("hoglandet", {"se-hoglandet", "it-sparet"}, kAnyExit);
  ASSERT_TRUE(loaded) << loaded.error().Render();
  EXPECT_EQ(*loaded, (std::vector<Enrolment>{saved[0], saved[1], saved[3], saved[4]}));
  EXPECT_EQ(*store_->LoadActiveEnrolments("hoglandet", {"psykiatriveckan"}, kAnyExit),
            (std::vector<Enrolment>{saved[2]}));
  EXPECT_TRUE(store_->LoadActiveEnrolments("hoglandet", {}, kAnyExit)->empty());
  EXPECT_TRUE(store_->LoadActiveEnrolments("hoglandet", {"inspirationsdag"}, kAnyExit)->empty());
}

TEST_P(StoreContractEnrolments, LoadsTheOngoingAndTheRecentlyEndedEnrolmentsOfInterventions) {
  std::vector<Enrolment> saved = {
      Enrolled("se-hoglandet", "ongoing", Day(2023, 1, 7)),
      Ended(Enrolled("se-hoglandet", "on-the-day", Day(2023, 1, 7)), Day(2024, 3, 1)),
      Ended(Enrolled("se-hoglandet", "day-before", Day(2023, 1, 7)), Day(2024, 2, 29)),
      Ended(Enrolled("it-sparet", "recent", Day(2023, 1, 7)), Day(2024, 9, 1)),
      Enrolled("psykiatriveckan", "other-intervention", Day(2023, 1, 7))};
  const std::vector<std::int64_t> ids = Save("hoglandet", saved);
  for (std::size_t i = 0; i < saved.size(); ++i) saved[i].id = ids[i];
  auto active =
      store_->LoadActiveEnrolments("hoglandet", {"se-hoglandet", "it-sparet"}, Day(2024, 3, 1));
  ASSERT_TRUE(active) << active.error().Render();
  EXPECT_EQ(*active, (std::vector<Enrolment>{saved[0], saved[1], saved[3]}));
  EXPECT_TRUE(store_->LoadActiveEnrolments("annat", {"se-hoglandet"}, Day(2020, 1, 1))->empty());
}

TEST_P(StoreContractEnrolments, LoadsTheEnrolmentsOfInterventionsWhateverTheirIdsHold) {
  // Quotes, a comma, a backslash, braces and letters beyond ASCII in intervention ids.
  core::Plan plan = DemoPlan("hoglandet.json");
  const std::vector<std::string> odd_ids = {"it \"spåret\", del 2", "a\\b{c}", "NULL"};
  for (const std::string& id : odd_ids) {
    core::Insats insats = plan.insatser[0];
    insats.id = id;
    insats.staffing.clear();
    plan.insatser.push_back(insats);
  }
  ASSERT_TRUE(store_->ReplacePlan(plan));
  std::vector<Enrolment> saved;
  for (const std::string& id : odd_ids) saved.push_back(Enrolled(id, "p", Day(2025, 1, 7)));
  saved.push_back(Enrolled("se-hoglandet", "p", Day(2025, 1, 7)));
  const std::vector<std::int64_t> ids = Save("hoglandet", saved);
  ASSERT_EQ(ids.size(), saved.size());
  for (std::size_t i = 0; i < saved.size(); ++i) saved[i].id = ids[i];
  auto loaded = store_->LoadActiveEnrolments("hoglandet", odd_ids, Day(2000, 1, 1));
  ASSERT_TRUE(loaded) << loaded.error().Render();
  EXPECT_EQ(*loaded, (std::vector<Enrolment>{saved[0], saved[1], saved[2]}));
  EXPECT_EQ(*store_->FindEnrolments("hoglandet", "p", odd_ids[0]),
            (std::vector<Enrolment>{saved[0]}));
}

TEST_P(StoreContractEnrolments, ReplacingAnEnrolmentKeepsItsIdAndReplacesAllOfIt) {
  Enrolment kept = Enrolled("it-sparet", "other", Day(2024, 8, 1));
  kept.measurements = {{Day(2024, 8, 1), "steg", 1}};
  const std::vector<std::int64_t> first = Save("hoglandet", {Complete(), kept});
  ASSERT_EQ(first.size(), 2u);
  kept.id = first[1];

  Enrolment replacement = Enrolled("se-hoglandet", "person-a", Day(2024, 3, 5));
  replacement.id = first[0];
  replacement.measurements = {{Day(2024, 3, 5), "steg", 4}};
  Enrolment added = Enrolled("se-hoglandet", "person-b", Day(2024, 3, 5));
  const std::vector<std::int64_t> second = Save("hoglandet", {replacement, added});
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0], first[0]);
  EXPECT_NE(second[1], first[0]);
  EXPECT_NE(second[1], first[1]);
  added.id = second[1];

  // No trace of the old exit, measurements or follow-ups; the other enrolment untouched.
  EXPECT_EQ(*store_->LoadEnrolment("hoglandet", first[0]), replacement);
  EXPECT_EQ(*store_->LoadEnrolments("hoglandet"),
            (std::vector<Enrolment>{replacement, kept, added}));
}

TEST_P(StoreContractEnrolments, AnEnrolmentReplacedTwiceInOneSaveIsTheLastReplacement) {
  Enrolment enrolment = Complete();
  enrolment.id = SaveOne("hoglandet", enrolment);
  Enrolment first = enrolment;
  first.measurements = {{Day(2024, 3, 4), "steg", 1}};
  Enrolment last = enrolment;
  last.measurements = {{Day(2024, 3, 4), "steg", 3}, {Day(2024, 4, 4), "steg", 4}};
  last.follow_ups.clear();
  EXPECT_EQ(Save("hoglandet", {first, last}),
            (std::vector<std::int64_t>{enrolment.id, enrolment.id}));
  EXPECT_EQ(*store_->LoadEnrolment("hoglandet", enrolment.id), last);
}

TEST_P(StoreContractEnrolments, RefusesToReplaceAnEnrolmentOfAnotherForbund) {
  Enrolment theirs = Complete();
  theirs.id = SaveOne("annat", theirs);
  Enrolment takeover = Enrolled("se-hoglandet", "x", Day(2025, 1, 1));
  takeover.id = theirs.id;
  auto refused = store_->SaveEnrolments("hoglandet", {takeover});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, util::Code::kNotFound);
  EXPECT_EQ(*store_->LoadEnrolment("annat", theirs.id), theirs);
  EXPECT_TRUE(store_->LoadEnrolments("hoglandet")->empty());
}

TEST_P(StoreContractEnrolments, AllowsManyEnrolmentsThatAreNotASecondOpenOne) {
  // Ended ones before an open one, another intervention, another förbund, anonymous ones.
  Save("hoglandet",
       {Ended(Enrolled("se-hoglandet", "p", Day(2023, 1, 2)), Day(2023, 6, 1)),
        Ended(Enrolled("se-hoglandet", "p", Day(2023, 8, 2)), Day(2023, 9, 1)),
        Enrolled("se-hoglandet", "p", Day(2024, 1, 2)), Enrolled("it-sparet", "p", Day(2024, 1, 2)),
        EnrolledAnonymously("se-hoglandet", core::Kon::kKvinna, 2024),
        EnrolledAnonymously("se-hoglandet", core::Kon::kKvinna, 2024)});
  Save("annat", {Enrolled("se-hoglandet", "p", Day(2024, 1, 2))});
  EXPECT_EQ(store_->LoadEnrolments("hoglandet")->size(), 6u);
  EXPECT_EQ(store_->FindEnrolments("hoglandet", "p", "se-hoglandet")->size(), 3u);
}

// What a user may read about a refusal: no SQL, no table or index names.
void ExpectNoSql(const util::Error& error) {
  const std::string text = BothLanguages(error);
  for (const char* word : {"INSERT", "UPDATE", "DELETE", "SELECT", "UNIQUE", "constraint", "sqlite",
                           "SQL", "enrolment.", "enrolment_", "person_key"}) {
    EXPECT_EQ(text.find(word), std::string::npos) << word << " in: " << text;
  }
}

TEST_P(StoreContractEnrolments, RefusesASecondOpenEnrolmentOfAPersonInAnIntervention) {
  const Enrolment open = Enrolled("se-hoglandet", "p", Day(2024, 1, 2));
  Enrolment ended = Ended(Enrolled("se-hoglandet", "p", Day(2023, 1, 2)), Day(2023, 6, 1));
  ended.id = SaveOne("hoglandet", ended);
  SaveOne("hoglandet", open);
  const std::int64_t revision = *store_->Revision("hoglandet");

  auto second =
      store_->SaveEnrolments("hoglandet", {Enrolled("se-hoglandet", "p", Day(2025, 1, 2))});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, util::Code::kFailedPrecondition);
  ExpectNoSql(second.error());

  // Reopening the ended one is a second open one too.
  Enrolment reopened = ended;
  reopened.exit.reset();
  auto reopening = store_->SaveEnrolments("hoglandet", {reopened});
  ASSERT_FALSE(reopening);
  EXPECT_EQ(reopening.error().code, util::Code::kFailedPrecondition);
  ExpectNoSql(reopening.error());

  // Two open ones in one call: neither is stored, nor anything else in the call.
  auto both = store_->SaveEnrolments("hoglandet", {Enrolled("it-sparet", "q", Day(2024, 1, 2)),
                                                   Enrolled("it-sparet", "r", Day(2024, 1, 2)),
                                                   Enrolled("it-sparet", "q", Day(2024, 2, 2))});
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code, util::Code::kFailedPrecondition);

  EXPECT_EQ(store_->LoadEnrolments("hoglandet")->size(), 2u);
  EXPECT_EQ(*store_->LoadEnrolment("hoglandet", ended.id), ended);
  EXPECT_EQ(*store_->Revision("hoglandet"), revision);
}

TEST_P(StoreContractEnrolments, RefusesAnEnrolmentInAnUnknownInterventionForWhatItIs) {
  SaveOne("hoglandet", Enrolled("se-hoglandet", "p", Day(2024, 1, 2)));
  auto second_open =
      store_->SaveEnrolments("hoglandet", {Enrolled("se-hoglandet", "p", Day(2025, 1, 2))});
  ASSERT_FALSE(second_open);

  auto unknown =
      store_->SaveEnrolments("hoglandet", {Enrolled("finns-inte", "q", Day(2024, 1, 2))});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, util::Code::kFailedPrecondition);
  ExpectNoSql(unknown.error());
  // The intervention is what is wrong, not an ongoing enrolment the person does not have.
  EXPECT_NE(unknown.error().text.english, second_open.error().text.english)
      << BothLanguages(unknown.error());
  EXPECT_EQ(store_->LoadEnrolments("hoglandet")->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractEnrolments, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace stegvis::store
