// The statistics a förbund reports about participants, for a period: who took part (by
// kön, new, exited and why), movement on the ladder toward work, whether those who left
// for work or studies are still there after 6 and 12 months, goal fulfilment per
// intervention, and the socioeconomic value of exits to work. Each report can be published
// (`publik`): counts from 1 to k-1 are then suppressed, with secondary suppression so that no
// suppressed count can be worked out from the totals, and shares and means built on a
// suppressed count are suppressed too.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/participant.h"
#include "core/plan.h"
#include "util/money.h"

namespace stegvis::report {

// Both days included.
struct Period {
  util::Date from;
  util::Date to;
  static Period Year(int year) {
    return Period{*util::Date::FromYmd(year, 1, 1), *util::Date::FromYmd(year, 12, 31)};
  }
  // The first (1 January-30 June) or second (1 July-31 December) half of `year`.
  static Period HalfYear(int year, int half) {
    return half == 1 ? Period{*util::Date::FromYmd(year, 1, 1), *util::Date::FromYmd(year, 6, 30)}
                     : Period{*util::Date::FromYmd(year, 7, 1), *util::Date::FromYmd(year, 12, 31)};
  }
  bool operator==(const Period&) const = default;
};

// Whether a published report may cover `period`: a calendar year or one of its halves, the
// förbund's reporting rhythm. Published periods are fixed so that no two of them differ by
// a few days, whose exits the difference of their reports would give away.
bool IsPublishedPeriod(const Period& period);

enum class Audience { kRecordAccess, kPublic };

// A count, which the published view may suppress.
struct Count {
  std::int64_t value = 0;
  bool suppressed = false;
  std::optional<std::int64_t> Shown() const {
    return suppressed ? std::nullopt : std::optional<std::int64_t>(value);
  }
};

// A count split by kön, with its total.
struct KonCounts {
  std::array<Count, 3> by_kon;  // Indexed like core::kAllKon.
  Count total;
  void Add(core::Kon kon) {
    ++by_kon[static_cast<std::size_t>(kon)].value;
    ++total.value;
  }
};

// ---- deltagare ----

struct DeltagareRow {
  std::string insats_id;  // Empty for the summed row.
  std::string name;
  KonCounts deltagare;
  KonCounts nya;
  KonCounts avslutade;
  std::array<KonCounts, 5> exits;  // Indexed like core::kAllExitGroups.
};

struct DeltagareReport {
  Period period;
  Audience audience = Audience::kRecordAccess;
  int suppression_k = 5;
  std::vector<DeltagareRow> rows;
  DeltagareRow summa;    // The sum of the intervention rows, as förbund report it.
  Count unika_personer;  // Each pseudonymous person once; each anonymous enrolment one person.
};

// Participants per individual intervention (all, or only `insats_id` when given).
DeltagareReport BuildDeltagareReport(const core::Plan& plan,
                                     const std::vector<core::Enrolment>& enrolments, Period period,
                                     Audience audience,
                                     const std::optional<std::string>& insats_id = std::nullopt);

// ---- steg ----

struct StegCounts {
  Count n;  // Enrolments with at least two ladder measurements.
  Count closer;
  Count unchanged;
  Count further;
  std::int64_t steps_moved = 0;  // Sum over n of (latest - first).
  // Share closer in tenths of a percent and mean steps moved in hundredths; nullopt when n is
  // zero or a count they are built on is suppressed.
  std::optional<std::int64_t> ShareCloserPermille() const;
  std::optional<std::int64_t> MeanStepsHundredths() const;
};

struct StegRow {
  std::string insats_id;  // Empty for the summed row.
  std::string name;
  std::array<StegCounts, 3> by_kon;
  StegCounts total;
  // transitions[first - 1][latest - 1]: enrolments moving from step `first` to `latest`.
  std::vector<std::vector<Count>> transitions;
};

struct StegReport {
  Period period;
  Audience audience = Audience::kRecordAccess;
  int suppression_k = 5;
  std::vector<core::LadderStep> ladder;
  std::vector<StegRow> rows;
  StegRow summa;
};

// Among enrolments overlapping the period with at least two ladder measurements (start,
// during, exit) dated by the end of the period: first against latest.
StegReport BuildStegReport(const core::Plan& plan, const std::vector<core::Enrolment>& enrolments,
                           Period period, Audience audience,
                           const std::optional<std::string>& insats_id = std::nullopt);

// ---- uppfoljning ----

struct FollowUpCounts {
  KonCounts left;         // Exited to work or studies in the period.
  KonCounts followed_up;  // Of those, followed up at this many months.
  KonCounts still;        // Of those followed up, still in work or studies.
};

struct UppfoljningRow {
  std::string insats_id;
  std::string name;
  std::array<FollowUpCounts, 2> at;  // At 6 and at 12 months.
};

inline constexpr std::array<int, 2> kFollowUpMonths = {6, 12};

struct UppfoljningReport {
  Period period;
  Audience audience = Audience::kRecordAccess;
  int suppression_k = 5;
  std::vector<UppfoljningRow> rows;
  UppfoljningRow summa;
};

UppfoljningReport BuildUppfoljningReport(
    const core::Plan& plan, const std::vector<core::Enrolment>& enrolments, Period period,
    Audience audience, const std::optional<std::string>& insats_id = std::nullopt);

// ---- mal ----

struct GoalResult {
  std::string insats_id;
  std::string insats_name;
  core::Goal goal;
  // The measured value: a percentage with one decimal (tenths) for shares, a count otherwise.
  // nullopt when there is no data for it (e.g. no exits) or it is suppressed.
  std::optional<std::int64_t> value_tenths;
  std::optional<bool> met;
  Count n;  // What the value is computed over: exits, enrolments with steps, participants.
  bool needs_data_not_yet_collected = false;  // Surveys, praktik, visitors: not in stegvis yet.
};

struct MalReport {
  Period period;
  Audience audience = Audience::kRecordAccess;
  int suppression_k = 5;
  std::vector<GoalResult> goals;
};

MalReport BuildMalReport(const core::Plan& plan, const std::vector<core::Enrolment>& enrolments,
                         Period period, Audience audience,
                         const std::optional<std::string>& insats_id = std::nullopt);

// ---- socioekonomi ----

struct SocioeconomicRow {
  std::string insats_id;
  std::string name;
  Count persons;  // Persons who left for work (with or without support) in the period.
  std::optional<util::Money> value;
};

struct SocioeconomicReport {
  Period period;
  Audience audience = Audience::kRecordAccess;
  int suppression_k = 5;
  core::SocioeconomicModel model;
  std::vector<SocioeconomicRow> rows;
  SocioeconomicRow summa;
};

SocioeconomicReport BuildSocioeconomicReport(
    const core::Plan& plan, const std::vector<core::Enrolment>& enrolments, Period period,
    Audience audience, const std::optional<std::string>& insats_id = std::nullopt);

// Any one of the participant reports.
using AnyReport =
    std::variant<DeltagareReport, StegReport, UppfoljningReport, MalReport, SocioeconomicReport>;

}  // namespace stegvis::report
