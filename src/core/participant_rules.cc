#include "core/participant_rules.h"

#include <algorithm>

#include <fmt/format.h>

namespace stegvis::core {

namespace {

using util::Code;
using util::Fail;
using util::Status;

Status Invalid(std::string location, std::string swedish, std::string english) {
  return Fail(Code::kInvalidArgument, std::move(location), std::move(swedish), std::move(english));
}

Status CheckMeasurement(const Plan& plan, const Enrolment& enrolment,
                        const Measurement& measurement) {
  const std::optional<std::pair<int, int>> range = plan.MeasureRange(measurement.measure);
  if (!range) {
    std::string known = "steg, halsa, livskvalitet";
    for (const MeasureDefinition& definition : plan.measures) known += ", " + definition.id;
    return Invalid(
        "matt", fmt::format("okänt mått \"{}\"; kända mått är {}", measurement.measure, known),
        fmt::format("unknown measure \"{}\"; known measures are {}", measurement.measure, known));
  }
  if (measurement.value < range->first || measurement.value > range->second) {
    return Invalid(measurement.measure == kMeasureSteg ? "steg" : "varde",
                   fmt::format("{} ska vara {}–{}, fick {}", measurement.measure, range->first,
                               range->second, measurement.value),
                   fmt::format("{} must be {}–{}, got {}", measurement.measure, range->first,
                               range->second, measurement.value));
  }
  const std::optional<Date> last = enrolment.LastDay();
  if (measurement.date < enrolment.start || (last && measurement.date > *last)) {
    return Invalid("datum",
                   fmt::format("mätningen {} ligger utanför inskrivningen ({} – {})",
                               measurement.date.ToString(), enrolment.start.ToString(),
                               last ? last->ToString() : "pågår"),
                   fmt::format("the measurement {} lies outside the enrolment ({} – {})",
                               measurement.date.ToString(), enrolment.start.ToString(),
                               last ? last->ToString() : "ongoing"));
  }
  return util::Ok();
}

}  // namespace

Status CheckEnrolment(const Plan& plan, const Enrolment& enrolment) {
  const Insats* insats = plan.FindInsats(enrolment.insats_id);
  if (insats == nullptr) {
    return Invalid("insats", fmt::format("okänd insats \"{}\"", enrolment.insats_id),
                   fmt::format("unknown intervention \"{}\"", enrolment.insats_id));
  }
  if (insats->kind != InsatsKind::kIndivid) {
    return Invalid(
        "insats",
        fmt::format("insatsen \"{}\" är strukturövergripande och har inga deltagare", insats->id),
        fmt::format("intervention \"{}\" is structural and has no participants", insats->id));
  }
  if (enrolment.anonymous) {
    if (enrolment.person_key || enrolment.birth_year || enrolment.kommun || enrolment.remittent ||
        !enrolment.income_at_start.empty() || !enrolment.measurements.empty() ||
        !enrolment.follow_ups.empty()) {
      return Invalid("samtycke", "utan samtycke sparas bara kön, startår och insats",
                     "without consent only kön, start year and intervention are kept");
    }
  }
  const Date insats_first_year_day = *Date::FromYmd(insats->start.year(), 1, 1);
  const Date earliest = enrolment.anonymous ? insats_first_year_day : insats->start;
  if (enrolment.start < earliest || (insats->end && enrolment.start > *insats->end)) {
    return Invalid("startdatum",
                   fmt::format("startdatum {} ligger utanför insatsens tid ({} – {})",
                               enrolment.start.ToString(), insats->start.ToString(),
                               insats->end ? insats->end->ToString() : ""),
                   fmt::format("start date {} lies outside the intervention's dates ({} – {})",
                               enrolment.start.ToString(), insats->start.ToString(),
                               insats->end ? insats->end->ToString() : ""));
  }
  if (enrolment.exit && enrolment.exit->date < enrolment.start) {
    return Invalid("slutdatum",
                   fmt::format("slutdatum {} är före startdatum {}",
                               enrolment.exit->date.ToString(), enrolment.start.ToString()),
                   fmt::format("end date {} is before start date {}",
                               enrolment.exit->date.ToString(), enrolment.start.ToString()));
  }
  if (enrolment.birth_year) {
    const int age = AgeInYear(*enrolment.birth_year, enrolment.start);
    const TargetGroup& rules = insats->target_group;
    if (age < 0 || age > 120) {
      return Invalid("fodelsear", "orimligt födelseår", "implausible birth year");
    }
    if ((rules.age_min && age < *rules.age_min) || (rules.age_max && age > *rules.age_max)) {
      return Invalid(
          "fodelsear",
          fmt::format("åldern vid start, {} år, ligger utanför insatsens målgrupp {}–{} år", age,
                      rules.age_min.value_or(0), rules.age_max.value_or(120)),
          fmt::format("the age at start, {}, lies outside the target group {}–{}", age,
                      rules.age_min.value_or(0), rules.age_max.value_or(120)));
    }
  }
  if (enrolment.kommun) {
    const Member* member = plan.FindMember(*enrolment.kommun);
    if (*enrolment.kommun != "annan" &&
        (member == nullptr || member->type != MemberType::kKommun)) {
      return Invalid("kommun",
                     fmt::format("okänd kommun \"{}\"; ange en medlemskommuns id eller annan",
                                 *enrolment.kommun),
                     fmt::format("unknown municipality \"{}\"; give a member municipality's id or "
                                 "annan",
                                 *enrolment.kommun));
    }
  }
  for (const Measurement& measurement : enrolment.measurements) {
    STEGVIS_TRY(CheckMeasurement(plan, enrolment, measurement));
  }
  for (const FollowUp& follow_up : enrolment.follow_ups) {
    if (!enrolment.exit || follow_up.date < enrolment.exit->date) {
      return Invalid("datum", "uppföljningen ligger före avslutet",
                     "the follow-up lies before the exit");
    }
    if (follow_up.months < 1 || follow_up.months > 120) {
      return Invalid("manader", "förväntade 1–120 månader", "expected 1–120 months");
    }
  }
  return util::Ok();
}

int FindOverlap(const std::vector<const Enrolment*>& enrolments) {
  std::vector<std::size_t> order(enrolments.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return enrolments[a]->start < enrolments[b]->start;
  });
  for (std::size_t i = 1; i < order.size(); ++i) {
    const Enrolment& previous = *enrolments[order[i - 1]];
    const Enrolment& current = *enrolments[order[i]];
    const std::optional<Date> previous_last = previous.LastDay();
    // Leaving and coming back on the same day is allowed.
    if (!previous_last || *previous_last > current.start) return static_cast<int>(order[i]);
  }
  return -1;
}

const Enrolment* CoveringEnrolment(const std::vector<const Enrolment*>& enrolments, Date date) {
  for (const Enrolment* enrolment : enrolments) {
    if (enrolment->Overlaps(date, date)) return enrolment;
  }
  return nullptr;
}

}  // namespace stegvis::core
