#include "core/tasks.h"

#include <gtest/gtest.h>

namespace stegvis::core {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Plan TwoInsatser() {
  Plan plan;
  Insats limited;
  limited.id = "enter";
  limited.start = D("2020-01-01");
  limited.target_group.max_enrolment_months = 12;
  Insats open;
  open.id = "nova";
  open.start = D("2020-01-01");
  plan.insatser = {limited, open};
  return plan;
}

Enrolment Person(std::int64_t id, const char* insats, const char* start) {
  Enrolment enrolment;
  enrolment.id = id;
  enrolment.insats_id = insats;
  enrolment.person_key = "k" + std::to_string(id);
  enrolment.start = D(start);
  enrolment.measurements = {Measurement{D(start), std::string(kMeasureSteg), 2}};
  return enrolment;
}

Enrolment Exited(std::int64_t id, const char* start, const char* end) {
  Enrolment enrolment = Person(id, "nova", start);
  enrolment.exit = Exit{D(end), ExitReason::kArbete, {}};
  return enrolment;
}

TEST(OpenTasks, AFollowUpOpensTwoWeeksBeforeItsDueDateAndClosesThreeMonthsAfter) {
  const Plan plan = TwoInsatser();
  const std::vector<Enrolment> enrolments = {Exited(1, "2024-01-10", "2024-06-30")};
  const std::vector<std::string> mine = {"nova"};
  // Six months after 2024-06-30 is 2024-12-30.
  EXPECT_TRUE(OpenTasks(plan, enrolments, mine, D("2024-12-15")).empty());
  const std::vector<Task> due = OpenTasks(plan, enrolments, mine, D("2024-12-16"));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], (Task{TaskKind::kFollowUpDue, 1, "nova", D("2024-12-30"), 6}));
  EXPECT_EQ(OpenTasks(plan, enrolments, mine, D("2025-03-30")).size(), 1u);
  EXPECT_TRUE(OpenTasks(plan, enrolments, mine, D("2025-03-31")).empty());
  // The twelve-month follow-up is due 2025-06-30.
  const std::vector<Task> later = OpenTasks(plan, enrolments, mine, D("2025-06-20"));
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].months, 12);
}

TEST(OpenTasks, ARegisteredFollowUpClosesItsTask) {
  Enrolment enrolment = Exited(1, "2024-01-10", "2024-06-30");
  enrolment.follow_ups = {FollowUp{D("2025-01-02"), 6, Sysselsattning::kArbete}};
  EXPECT_TRUE(OpenTasks(TwoInsatser(), {enrolment}, {"nova"}, D("2025-01-05")).empty());
}

TEST(OpenTasks, WarnsThirtyDaysBeforeTheMaximumEnrolmentTimeAndAfterIt) {
  Enrolment enrolment = Person(7, "enter", "2024-03-15");
  enrolment.measurements.push_back(Measurement{D("2025-02-01"), std::string(kMeasureSteg), 3});
  const std::vector<std::string> mine = {"enter"};
  EXPECT_TRUE(OpenTasks(TwoInsatser(), {enrolment}, mine, D("2025-02-12")).empty());
  const std::vector<Task> near = OpenTasks(TwoInsatser(), {enrolment}, mine, D("2025-02-13"));
  ASSERT_EQ(near.size(), 1u);
  EXPECT_EQ(near[0], (Task{TaskKind::kMaxTimeNear, 7, "enter", D("2025-03-15"), 12}));
  // Past the limit the task stays, and a step measurement falls due too.
  const std::vector<Task> over = OpenTasks(TwoInsatser(), {enrolment}, mine, D("2025-06-01"));
  ASSERT_EQ(over.size(), 2u);
  EXPECT_EQ(over[0].kind, TaskKind::kMaxTimeNear);
  EXPECT_EQ(over[1].kind, TaskKind::kStepMeasurementDue);
  EXPECT_EQ(over[1].due, D("2025-05-01"));
}

TEST(OpenTasks, AStepMeasurementFallsDueThreeMonthsAfterTheLatest) {
  Enrolment enrolment = Person(3, "nova", "2024-01-10");
  enrolment.measurements.push_back(Measurement{D("2024-03-01"), std::string(kMeasureHalsa), 50});
  const std::vector<Task> tasks = OpenTasks(TwoInsatser(), {enrolment}, {"nova"}, D("2024-04-10"));
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].kind, TaskKind::kStepMeasurementDue);
  EXPECT_EQ(tasks[0].due, D("2024-04-10"));  // Another measure does not count.
  EXPECT_TRUE(OpenTasks(TwoInsatser(), {enrolment}, {"nova"}, D("2024-04-09")).empty());
}

TEST(OpenTasks, LeavesOutOtherInterventionsAnonymousEnrolmentsAndFelregistreringar) {
  Enrolment other = Person(1, "enter", "2023-01-10");
  Enrolment anonymous = Person(2, "nova", "2023-01-01");
  anonymous.person_key.reset();
  anonymous.anonymous = true;
  anonymous.measurements.clear();
  Enrolment wrong = Exited(3, "2023-01-10", "2023-06-01");
  wrong.exit->reason = ExitReason::kFelregistrering;
  EXPECT_TRUE(
      OpenTasks(TwoInsatser(), {other, anonymous, wrong}, {"nova"}, D("2023-12-05")).empty());
}

TEST(OpenTasks, OrdersByDueDateThenEnrolment) {
  const std::vector<Enrolment> enrolments = {Person(5, "nova", "2024-01-01"),
                                             Person(4, "nova", "2024-01-01"),
                                             Person(6, "nova", "2023-12-01")};
  const std::vector<Task> tasks = OpenTasks(TwoInsatser(), enrolments, {"nova"}, D("2024-06-01"));
  ASSERT_EQ(tasks.size(), 3u);
  EXPECT_EQ(tasks[0].enrolment_id, 6);
  EXPECT_EQ(tasks[1].enrolment_id, 4);
  EXPECT_EQ(tasks[2].enrolment_id, 5);
}

TEST(OpenTasks, NoExitBeforeTheHorizonGivesATaskSoItNeedNotBeLoaded) {
  const Plan plan = TwoInsatser();
  const std::vector<std::string> mine = {"nova"};
  for (const char* today : {"2024-12-31", "2025-03-01", "2025-02-28", "2025-08-31"}) {
    const Date horizon = EarliestExitWithTasks(D(today));
    std::vector<Enrolment> before;
    for (int days = 1; days <= 400; ++days) {
      const Date end = horizon.AddDays(-days);
      Enrolment enrolment = Exited(days, "2020-01-10", "2020-06-30");
      enrolment.exit->date = end;
      before.push_back(enrolment);
    }
    EXPECT_TRUE(OpenTasks(plan, before, mine, D(today)).empty()) << today;
    // The last follow-up of an exit just inside the horizon is still open.
    Enrolment inside = Exited(1, "2020-01-10", "2020-06-30");
    inside.exit->date = horizon.AddDays(8);
    EXPECT_FALSE(OpenTasks(plan, {inside}, mine, D(today)).empty()) << today;
  }
}

}  // namespace
}  // namespace stegvis::core
