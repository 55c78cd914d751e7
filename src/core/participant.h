// Participants followed from enrolment (inskrivning) to exit (avslut) and after: the
// enrolment with its background, repeated measurements, the exit and follow-ups after exit.
// A person is known only by a keyed pseudonym (person_key); an enrolment without consent
// keeps only kön, start year and intervention.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/date.h"

namespace stegvis::core {

using util::Date;

enum class Kon { kKvinna, kMan, kAnnat };
inline constexpr Kon kAllKon[] = {Kon::kKvinna, Kon::kMan, Kon::kAnnat};

enum class Remittent { kFk, kAf, kKommun, kRegion, kEgen, kAnnan };

enum class Forsorjning {
  kLon,
  kLonebidrag,
  kSjukpenning,
  kRehabiliteringspenning,
  kAktivitetsersattning,
  kSjukersattning,
  kAKassa,
  kAktivitetsstod,
  kEtableringsersattning,
  kForsorjningsstod,
  kStudiemedel,
  kIngen,
  kAnnan,
};

enum class ExitReason {
  kArbete,
  kArbeteMedStod,
  kStudier,
  kArbetsinriktad,
  kArbetssokande,
  kSjukdom,
  kEgenBegaran,
  kAterRemittent,
  kFlytt,
  kAnnat,
  kFelregistrering,
};

// How exit reasons are grouped in the statistics förbund report (seed 004's table).
enum class ExitGroup { kArbete, kStudier, kArbetsinriktad, kSjukdom, kAnnatSkal };
inline constexpr ExitGroup kAllExitGroups[] = {ExitGroup::kArbete, ExitGroup::kStudier,
                                               ExitGroup::kArbetsinriktad, ExitGroup::kSjukdom,
                                               ExitGroup::kAnnatSkal};
// The group of a reason; nullopt for felregistrering, which statistics leave out entirely.
std::optional<ExitGroup> GroupOf(ExitReason reason);
// Work (with or without support) or studies.
bool IsWorkOrStudies(ExitReason reason);
bool IsWork(ExitReason reason);

enum class Sysselsattning { kArbete, kArbeteMedStod, kStudier, kArbetssokande, kIngen, kOkand };
bool IsWorkOrStudies(Sysselsattning status);

// The built-in measures; a förbund may define more in its plan.
inline constexpr std::string_view kMeasureSteg = "steg";
inline constexpr std::string_view kMeasureHalsa = "halsa";
inline constexpr std::string_view kMeasureLivskvalitet = "livskvalitet";

struct Measurement {
  Date date;
  std::string measure;
  int value = 0;
  bool operator==(const Measurement&) const = default;
};

struct FollowUp {
  Date date;
  int months = 0;  // Months after exit, e.g. 6 or 12.
  Sysselsattning status = Sysselsattning::kOkand;
  bool operator==(const FollowUp&) const = default;
};

struct Exit {
  Date date;
  ExitReason reason = ExitReason::kAnnat;
  std::vector<Forsorjning> income;
  bool operator==(const Exit&) const = default;
};

struct Enrolment {
  std::int64_t id = 0;  // Assigned by the store; 0 for one not stored yet.
  std::string insats_id;
  // Keyed pseudonym of the person; nullopt for an anonymous enrolment.
  std::optional<std::string> person_key;
  Kon kon = Kon::kAnnat;
  std::optional<int> birth_year;
  std::optional<std::string> kommun;
  // Without consent only kön, the start year (start is then 1 January) and the intervention
  // are kept.
  bool anonymous = false;
  Date start = *Date::FromYmd(2000, 1, 1);
  std::optional<Remittent> remittent;
  std::vector<Forsorjning> income_at_start;
  std::optional<Exit> exit;
  std::vector<Measurement> measurements;  // Ladder steps at start and exit are measurements too.
  std::vector<FollowUp> follow_ups;

  bool operator==(const Enrolment&) const = default;
  // True when the enrolment covers any day of [from, to]. An anonymous enrolment covers its
  // whole start year.
  bool Overlaps(Date from, Date to) const;
  // The last day the enrolment covers, or nullopt while it is open.
  std::optional<Date> LastDay() const;
  bool IsFelregistrering() const { return exit && exit->reason == ExitReason::kFelregistrering; }
};

// A step of the ladder toward work: level 1 is furthest from work.
struct LadderStep {
  int level = 0;
  std::string label;
  bool operator==(const LadderStep&) const = default;
};

// The default seven-step ladder (docs/participants.md explains the steps).
std::vector<LadderStep> DefaultLadder();

// A measure a förbund defines besides the built-in ones, with its allowed range.
struct MeasureDefinition {
  std::string id;
  std::string name;
  int min = 0;
  int max = 0;
  bool operator==(const MeasureDefinition&) const = default;
};

// Codes used in files, the database and the API. Parse* return nullopt for unknown codes and
// accept the codes case-insensitively where the file formats say so.
std::string_view KonCode(Kon kon);
std::optional<Kon> ParseKon(std::string_view code);
std::string_view RemittentCode(Remittent remittent);
std::optional<Remittent> ParseRemittent(std::string_view code);
std::string_view ForsorjningCode(Forsorjning forsorjning);
std::optional<Forsorjning> ParseForsorjning(std::string_view code);
std::string_view ExitReasonCode(ExitReason reason);
std::optional<ExitReason> ParseExitReason(std::string_view code);
std::string_view ExitGroupCode(ExitGroup group);
std::string_view SysselsattningCode(Sysselsattning status);
std::optional<Sysselsattning> ParseSysselsattning(std::string_view code);

// The lists of codes, for error messages: "kvinna, man, annat".
std::string KonCodes();
std::string RemittentCodes();
std::string ForsorjningCodes();
std::string ExitReasonCodes();
std::string SysselsattningCodes();

}  // namespace stegvis::core
