// A coach's open tasks: what the records of their interventions ask of them now. Pure: the
// rules take the plan, the enrolments and today's date.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/participant.h"
#include "core/plan.h"

namespace stegvis::core {

enum class TaskKind {
  // A follow-up 6 or 12 months after exit is due: open from two weeks before the due date
  // until three months after it, unless a follow-up of that many months is registered.
  kFollowUpDue,
  // An ongoing enrolment nears the intervention's maximum enrolment time: open from 30 days
  // before the limit, and after it.
  kMaxTimeNear,
  // An ongoing enrolment has had no ladder measurement for three months (counting from the
  // start when it has none): movement on the ladder cannot be shown without one.
  kStepMeasurementDue,
};

// The follow-ups the tasks ask for, in months after exit.
inline constexpr int kFollowUpTaskMonths[] = {6, 12};
inline constexpr int kFollowUpOpensDaysBefore = 14;
inline constexpr int kFollowUpClosesMonthsAfter = 3;
inline constexpr int kMaxTimeWarningDays = 30;
inline constexpr int kStepMeasurementMonths = 3;

struct Task {
  TaskKind kind = TaskKind::kFollowUpDue;
  std::int64_t enrolment_id = 0;
  std::string insats_id;
  Date due;        // When the follow-up, the limit or the measurement falls due.
  int months = 0;  // kFollowUpDue: months after exit; kMaxTimeNear: the maximum.
  bool operator==(const Task&) const = default;
};

// The earliest exit date that can still give a task on `today` (its last follow-up closes
// 12 + 3 months after the exit): older exits can be left out of OpenTasks' enrolments.
Date EarliestExitWithTasks(Date today);

// The open tasks of `enrolments` in the interventions `insats_ids` on `today`, ordered by due
// date, then enrolment id. Anonymous enrolments and felregistreringar give no tasks: nobody
// can be followed up or measured without consent.
std::vector<Task> OpenTasks(const Plan& plan, const std::vector<Enrolment>& enrolments,
                            const std::vector<std::string>& insats_ids, Date today);

std::string_view TaskKindCode(TaskKind kind);

}  // namespace stegvis::core
