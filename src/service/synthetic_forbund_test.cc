#include "service/synthetic_forbund.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "core/participant_rules.h"
#include "core/plan_validation.h"

namespace stegvis::service {
namespace {

using core::Enrolment;

privacy::Pseudonymizer Pseudonyms(std::uint8_t fill = 7) {
  privacy::Key key{};
  key.fill(fill);
  return privacy::Pseudonymizer::FromKey(key);
}

core::Plan Plan() {
  auto plan = SyntheticPlan({.forbund_id = "syntet"});
  EXPECT_TRUE(plan) << plan.error().Render();
  return *plan;
}

struct Generated {
  std::vector<Enrolment> enrolments;
  std::vector<std::size_t> batch_sizes;
  std::vector<std::size_t> done;
};

Generated Generate(const core::Plan& plan, std::size_t deltagare, std::uint64_t seed = 1,
                   std::size_t batch = 500, std::uint8_t key = 7) {
  Generated generated;
  const SyntheticOptions options{
      .forbund_id = plan.forbund.id, .deltagare = deltagare, .seed = seed};
  auto status = GenerateEnrolments(
      plan, options, Pseudonyms(key), batch,
      [&](std::vector<Enrolment>&& enrolments, std::size_t done) -> util::Status {
        generated.batch_sizes.push_back(enrolments.size());
        generated.done.push_back(done);
        for (Enrolment& enrolment : enrolments)
          generated.enrolments.push_back(std::move(enrolment));
        return util::Ok();
      });
  EXPECT_TRUE(status) << status.error().Render();
  return generated;
}

double Share(std::size_t part, std::size_t whole) {
  return static_cast<double>(part) / static_cast<double>(whole);
}

TEST(SyntheticPlan, IsHoglandetsPlanUnderTheGivenIdAndValid) {
  auto plan = SyntheticPlan({.forbund_id = "syntet-1"});
  ASSERT_TRUE(plan) << plan.error().Render();
  EXPECT_EQ(plan->forbund.id, "syntet-1");
  EXPECT_EQ(plan->forbund.name, "Syntetiskt förbund syntet-1");
  EXPECT_TRUE(core::ValidatePlan(*plan));
  ASSERT_NE(plan->FindInsats("se-hoglandet"), nullptr);
  ASSERT_NE(plan->FindInsats("it-sparet"), nullptr);
  EXPECT_NE(plan->FindMember("nassjo"), nullptr);
}

TEST(SyntheticPlan, RefusesAnInvalidId) {
  auto plan = SyntheticPlan({.forbund_id = "Inte OK!"});
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, util::Code::kInvalidArgument);
  EXPECT_EQ(plan.error().location, "$.forbund.id");
}

TEST(GenerateEnrolments, EveryEnrolmentPassesTheRulesOfThePlan) {
  const core::Plan plan = Plan();
  const Generated generated = Generate(plan, 2000);
  ASSERT_EQ(generated.enrolments.size(), 2000u);
  for (std::size_t i = 0; i < generated.enrolments.size(); ++i) {
    const Enrolment& enrolment = generated.enrolments[i];
    auto checked = core::CheckEnrolment(plan, enrolment);
    ASSERT_TRUE(checked) << "enrolment " << i << ": " << checked.error().Render();
    EXPECT_EQ(enrolment.id, 0);
  }
}

TEST(GenerateEnrolments, GivesTheSameEnrolmentsForTheSameSeedAndKeyOnly) {
  const core::Plan plan = Plan();
  const Generated first = Generate(plan, 1500, 42);
  const Generated again = Generate(plan, 1500, 42);
  EXPECT_TRUE(first.enrolments == again.enrolments);
  const Generated other_seed = Generate(plan, 1500, 43);
  EXPECT_FALSE(first.enrolments == other_seed.enrolments);
  // Another key gives other pseudonyms for the same persons, nothing else.
  const Generated other_key = Generate(plan, 1500, 42, 500, 8);
  ASSERT_EQ(other_key.enrolments.size(), first.enrolments.size());
  for (std::size_t i = 0; i < first.enrolments.size(); ++i) {
    Enrolment with_key = other_key.enrolments[i];
    EXPECT_EQ(with_key.person_key.has_value(), first.enrolments[i].person_key.has_value());
    if (with_key.person_key) {
      EXPECT_NE(with_key.person_key, first.enrolments[i].person_key);
    }
    with_key.person_key = first.enrolments[i].person_key;
    ASSERT_EQ(with_key, first.enrolments[i]) << "enrolment " << i;
  }
}

TEST(GenerateEnrolments, KnowsPersonsByPseudonymsOfLocalCodes) {
  const core::Plan plan = Plan();
  const Generated generated = Generate(plan, 50, 9);
  const privacy::Pseudonymizer pseudonyms = Pseudonyms();
  auto first_person = pseudonyms.Identify("GEN-9-000001", 2026);
  ASSERT_TRUE(first_person);
  const auto named = std::find_if(generated.enrolments.begin(), generated.enrolments.end(),
                                  [](const Enrolment& e) { return e.person_key.has_value(); });
  ASSERT_NE(named, generated.enrolments.end());
  EXPECT_EQ(*named->person_key, first_person->key);
  for (const Enrolment& enrolment : generated.enrolments) {
    if (enrolment.person_key) {
      EXPECT_EQ(enrolment.person_key->size(), 64u);
    }
  }
}

TEST(GenerateEnrolments, HasTheSharesOfARealForbund) {
  const core::Plan plan = Plan();
  const Generated generated = Generate(plan, 2000, 5);
  const std::vector<Enrolment>& all = generated.enrolments;
  std::size_t anonymous = 0, exited = 0, to_work_or_studies = 0, with_follow_up = 0;
  std::map<core::Kon, std::size_t> by_kon;
  std::map<std::string, std::size_t> by_insats;
  std::set<int> start_years;
  std::map<std::string, int> enrolments_per_person;
  std::set<std::string> measures;
  std::set<core::ExitReason> reasons;
  for (const Enrolment& enrolment : all) {
    ++by_kon[enrolment.kon];
    ++by_insats[enrolment.insats_id];
    start_years.insert(enrolment.start.year());
    if (enrolment.anonymous) ++anonymous;
    if (enrolment.person_key) ++enrolments_per_person[*enrolment.person_key];
    if (enrolment.exit) {
      ++exited;
      reasons.insert(enrolment.exit->reason);
      if (core::IsWorkOrStudies(enrolment.exit->reason)) ++to_work_or_studies;
    }
    if (!enrolment.follow_ups.empty()) ++with_follow_up;
    for (const core::Measurement& measurement : enrolment.measurements) {
      measures.insert(measurement.measure);
    }
  }
  EXPECT_GT(Share(anonymous, all.size()), 0.05);
  EXPECT_LT(Share(anonymous, all.size()), 0.15);
  EXPECT_GT(Share(exited, all.size()), 0.5);
  EXPECT_LT(Share(exited, all.size()), 0.7);
  EXPECT_GT(Share(to_work_or_studies, exited), 0.25);
  EXPECT_LT(Share(to_work_or_studies, exited), 0.5);
  EXPECT_GE(reasons.size(), 8u);
  EXPECT_GT(Share(with_follow_up, exited), 0.3);
  EXPECT_GT(Share(by_kon[core::Kon::kKvinna], all.size()), 0.35);
  EXPECT_GT(Share(by_kon[core::Kon::kMan], all.size()), 0.35);
  EXPECT_GT(by_kon[core::Kon::kAnnat], 0u);
  // SE-Höglandet has the larger budget; IT-spåret still gets its share.
  EXPECT_GT(by_insats["se-hoglandet"], by_insats["it-sparet"]);
  EXPECT_GT(Share(by_insats["it-sparet"], all.size()), 0.05);
  // IT-spåret starts in 2019; the plan's last budget year is 2024.
  EXPECT_EQ(start_years, (std::set<int>{2019, 2020, 2021, 2022, 2023, 2024}));
  const std::size_t re_enrolled =
      std::count_if(enrolments_per_person.begin(), enrolments_per_person.end(),
                    [](const auto& entry) { return entry.second == 2; });
  EXPECT_GT(Share(re_enrolled, enrolments_per_person.size()), 0.02);
  EXPECT_TRUE(std::all_of(enrolments_per_person.begin(), enrolments_per_person.end(),
                          [](const auto& entry) { return entry.second <= 2; }));
  EXPECT_TRUE(measures.contains("steg"));
  EXPECT_TRUE(measures.contains("halsa"));
  EXPECT_TRUE(measures.contains("livskvalitet"));
}

TEST(GenerateEnrolments, AnonymousEnrolmentsKeepOnlyKonStartYearInsatsAndExit) {
  const core::Plan plan = Plan();
  const Generated generated = Generate(plan, 1000, 3);
  std::size_t anonymous = 0;
  for (const Enrolment& enrolment : generated.enrolments) {
    if (!enrolment.anonymous) {
      EXPECT_TRUE(enrolment.person_key.has_value());
      continue;
    }
    ++anonymous;
    EXPECT_FALSE(enrolment.person_key || enrolment.birth_year || enrolment.kommun ||
                 enrolment.remittent);
    EXPECT_TRUE(enrolment.income_at_start.empty());
    EXPECT_TRUE(enrolment.measurements.empty());
    EXPECT_TRUE(enrolment.follow_ups.empty());
    EXPECT_EQ(enrolment.start.month(), 1u);
    EXPECT_EQ(enrolment.start.day(), 1u);
    if (enrolment.exit) {
      EXPECT_TRUE(enrolment.exit->income.empty());
    }
  }
  EXPECT_GT(anonymous, 0u);
}

TEST(GenerateEnrolments, NoPersonHasOverlappingEnrolmentsInAnIntervention) {
  const core::Plan plan = Plan();
  const Generated generated = Generate(plan, 3000, 11);
  std::map<std::pair<std::string, std::string>, std::vector<const Enrolment*>> by_person;
  for (const Enrolment& enrolment : generated.enrolments) {
    if (enrolment.person_key) {
      by_person[{*enrolment.person_key, enrolment.insats_id}].push_back(&enrolment);
    }
  }
  std::size_t with_two = 0;
  for (const auto& [person, enrolments] : by_person) {
    EXPECT_EQ(core::FindOverlap(enrolments), -1);
    if (enrolments.size() > 1) ++with_two;
  }
  EXPECT_GT(with_two, 0u);
}

TEST(GenerateEnrolments, KeepsEveryDateUpToTodayAndFollowsUpAfterSixAndTwelveMonths) {
  const core::Plan plan = Plan();
  const Generated generated = Generate(plan, 2000, 13);
  const util::Date today = *util::Date::FromYmd(2026, 6, 30);
  EXPECT_EQ(SyntheticToday(), today);
  const util::Date last_start = *util::Date::FromYmd(2024, 12, 31);
  std::set<int> months_seen;
  for (const Enrolment& enrolment : generated.enrolments) {
    EXPECT_LE(enrolment.start, last_start);
    if (enrolment.exit) {
      EXPECT_LE(enrolment.exit->date, today);
      // Up to two years; an anonymous start is moved back to 1 January.
      if (!enrolment.anonymous) {
        EXPECT_LE(enrolment.exit->date, enrolment.start.AddMonths(24));
      }
    }
    for (const core::Measurement& measurement : enrolment.measurements) {
      EXPECT_LE(measurement.date, today);
    }
    for (const core::FollowUp& follow_up : enrolment.follow_ups) {
      ASSERT_TRUE(enrolment.exit);
      EXPECT_LE(follow_up.date, today);
      EXPECT_TRUE(follow_up.months == 6 || follow_up.months == 12);
      EXPECT_GE(follow_up.date, enrolment.exit->date.AddMonths(follow_up.months).AddDays(-10));
      months_seen.insert(follow_up.months);
    }
  }
  EXPECT_EQ(months_seen, (std::set<int>{6, 12}));
}

TEST(GenerateEnrolments, LadderStepsDriftUpwardOnAverage) {
  const core::Plan plan = Plan();
  const Generated generated = Generate(plan, 2000, 17);
  int moved = 0;
  int measured = 0;
  for (const Enrolment& enrolment : generated.enrolments) {
    std::vector<int> steps;
    for (const core::Measurement& measurement : enrolment.measurements) {
      if (measurement.measure != "steg") continue;
      EXPECT_GE(measurement.value, 1);
      EXPECT_LE(measurement.value, 7);
      steps.push_back(measurement.value);
    }
    // A measure is measured once a day.
    std::set<std::pair<util::Date, std::string>> days;
    for (const core::Measurement& measurement : enrolment.measurements) {
      EXPECT_TRUE(days.insert({measurement.date, measurement.measure}).second);
    }
    if (steps.size() < 2) continue;
    moved += steps.back() - steps.front();
    ++measured;
  }
  ASSERT_GT(measured, 500);
  EXPECT_GT(static_cast<double>(moved) / measured, 0.5);
}

TEST(GenerateEnrolments, FollowsTheTargetGroupRulesOfAnotherPlan) {
  core::Plan plan = Plan();
  core::Insats& se = *plan.FindInsats("se-hoglandet");
  se.target_group = core::TargetGroup{};
  se.target_group.age_min = 25;
  se.target_group.age_max = 40;
  se.target_group.max_enrolment_months = 12;
  core::Insats& it = *plan.FindInsats("it-sparet");
  it.end = *util::Date::FromYmd(2022, 6, 30);
  plan.measures.push_back({.id = "praktik", .name = "Praktik", .min = 0, .max = 1});
  for (int level = 1; level <= 10; ++level) plan.ladder.push_back({level, "Steg"});
  ASSERT_TRUE(core::ValidatePlan(plan));

  const Generated generated = Generate(plan, 2000, 19);
  bool praktik = false;
  int highest_step = 0;
  for (const Enrolment& enrolment : generated.enrolments) {
    auto checked = core::CheckEnrolment(plan, enrolment);
    ASSERT_TRUE(checked) << checked.error().Render();
    if (enrolment.insats_id == "se-hoglandet") {
      if (enrolment.birth_year) {
        EXPECT_GE(enrolment.start.year() - *enrolment.birth_year, 25);
        EXPECT_LE(enrolment.start.year() - *enrolment.birth_year, 40);
      }
      if (enrolment.exit && !enrolment.anonymous) {
        EXPECT_LE(enrolment.exit->date, enrolment.start.AddMonths(12));
      }
    } else {
      // Everyone has left an intervention that has ended, on its last day at the latest.
      ASSERT_TRUE(enrolment.exit);
      EXPECT_LE(enrolment.exit->date, *it.end);
      EXPECT_LE(enrolment.start, *it.end);
    }
    for (const core::Measurement& measurement : enrolment.measurements) {
      if (measurement.measure == "praktik") praktik = true;
      if (measurement.measure == "steg") highest_step = std::max(highest_step, measurement.value);
    }
  }
  EXPECT_TRUE(praktik);
  EXPECT_GT(highest_step, 7);
}

TEST(GenerateEnrolments, HandsOverBatchesOfAtMostTheBatchSizeUntilDoneIsN) {
  const core::Plan plan = Plan();
  const Generated generated = Generate(plan, 1001, 23, 100);
  ASSERT_EQ(generated.batch_sizes.size(), 11u);
  std::size_t done = 0;
  for (std::size_t i = 0; i < generated.batch_sizes.size(); ++i) {
    EXPECT_LE(generated.batch_sizes[i], 100u);
    EXPECT_GT(generated.batch_sizes[i], 0u);
    done += generated.batch_sizes[i];
    EXPECT_EQ(generated.done[i], done);
  }
  EXPECT_EQ(generated.done.back(), 1001u);
  EXPECT_EQ(generated.batch_sizes.back(), 1u);
  // The batch size does not change what is generated.
  EXPECT_TRUE(Generate(plan, 1001, 23, 7).enrolments == generated.enrolments);
  EXPECT_TRUE(Generate(plan, 0, 23, 100).batch_sizes.empty());
}

TEST(GenerateEnrolments, StopsAtTheFirstFailingSinkCall) {
  const core::Plan plan = Plan();
  int calls = 0;
  auto status =
      GenerateEnrolments(plan, {.forbund_id = "syntet", .deltagare = 1000, .seed = 1}, Pseudonyms(),
                         100, [&](std::vector<Enrolment>&&, std::size_t) -> util::Status {
                           if (++calls == 2)
                             return util::Fail(util::Code::kUnavailable, "db", "full", "full");
                           return util::Ok();
                         });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, util::Code::kUnavailable);
  EXPECT_EQ(calls, 2);
}

TEST(GenerateEnrolments, RefusesABatchOfZeroAndAPlanWithoutIndividualInterventions) {
  core::Plan plan = Plan();
  const auto sink = [](std::vector<Enrolment>&&, std::size_t) { return util::Ok(); };
  auto zero =
      GenerateEnrolments(plan, {.forbund_id = "syntet", .deltagare = 10}, Pseudonyms(), 0, sink);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, util::Code::kInvalidArgument);

  std::erase_if(plan.insatser, [](const core::Insats& insats) {
    return insats.kind == core::InsatsKind::kIndivid;
  });
  auto none =
      GenerateEnrolments(plan, {.forbund_id = "syntet", .deltagare = 10}, Pseudonyms(), 100, sink);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, util::Code::kFailedPrecondition);
}

}  // namespace
}  // namespace stegvis::service
