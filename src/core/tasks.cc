#include "core/tasks.h"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace stegvis::core {

namespace {

bool Contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

void AddFollowUpTasks(const Enrolment& enrolment, Date today, std::vector<Task>& tasks) {
  for (int months : kFollowUpTaskMonths) {
    const Date due = enrolment.exit->date.AddMonths(months);
    if (today < due.AddDays(-kFollowUpOpensDaysBefore)) continue;
    if (today > due.AddMonths(kFollowUpClosesMonthsAfter)) continue;
    const bool done = std::any_of(enrolment.follow_ups.begin(), enrolment.follow_ups.end(),
                                  [&](const FollowUp& item) { return item.months == months; });
    if (!done) {
      tasks.push_back(Task{TaskKind::kFollowUpDue, enrolment.id, enrolment.insats_id, due, months});
    }
  }
}

void AddOngoingTasks(const Insats& insats, const Enrolment& enrolment, Date today,
                     std::vector<Task>& tasks) {
  if (const auto max_months = insats.target_group.max_enrolment_months) {
    const Date limit = enrolment.start.AddMonths(*max_months);
    if (today >= limit.AddDays(-kMaxTimeWarningDays)) {
      tasks.push_back(
          Task{TaskKind::kMaxTimeNear, enrolment.id, enrolment.insats_id, limit, *max_months});
    }
  }
  Date latest = enrolment.start;
  for (const Measurement& measurement : enrolment.measurements) {
    if (measurement.measure == kMeasureSteg && measurement.date > latest) {
      latest = measurement.date;
    }
  }
  const Date due = latest.AddMonths(kStepMeasurementMonths);
  if (today >= due) {
    tasks.push_back(Task{TaskKind::kStepMeasurementDue, enrolment.id, enrolment.insats_id, due, 0});
  }
}

}  // namespace

Date EarliestExitWithTasks(Date today) {
  const int latest =
      *std::max_element(std::begin(kFollowUpTaskMonths), std::end(kFollowUpTaskMonths));
  // A few days' margin for month ends: an exit too many only costs a look.
  return today.AddMonths(-(latest + kFollowUpClosesMonthsAfter)).AddDays(-7);
}

std::vector<Task> OpenTasks(const Plan& plan, const std::vector<Enrolment>& enrolments,
                            const std::vector<std::string>& insats_ids, Date today) {
  std::vector<Task> tasks;
  for (const Enrolment& enrolment : enrolments) {
    if (!Contains(insats_ids, enrolment.insats_id)) continue;
    // Without a person (no consent, or consent withdrawn) nobody can be followed up.
    if (!enrolment.person_key || enrolment.IsFelregistrering()) continue;
    const Insats* insats = plan.FindInsats(enrolment.insats_id);
    if (insats == nullptr) continue;
    if (enrolment.start > today) continue;
    if (enrolment.exit) {
      AddFollowUpTasks(enrolment, today, tasks);
    } else {
      AddOngoingTasks(*insats, enrolment, today, tasks);
    }
  }
  std::sort(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) {
    return std::tie(a.due, a.enrolment_id, a.kind) < std::tie(b.due, b.enrolment_id, b.kind);
  });
  return tasks;
}

std::string_view TaskKindCode(TaskKind kind) {
  switch (kind) {
    case TaskKind::kFollowUpDue:
      return "uppfoljning";
    case TaskKind::kMaxTimeNear:
      return "maxtid";
    case TaskKind::kStepMeasurementDue:
      return "stegmatning";
  }
  return "";
}

}  // namespace stegvis::core
