#include "core/participant.h"

#include "core/code_table.h"

namespace stegvis::core {

namespace {

constexpr CodeTable<Kon, 3> kKon{{
    {Kon::kKvinna, "kvinna"},
    {Kon::kMan, "man"},
    {Kon::kAnnat, "annat"},
}};
constexpr CodeTable<Remittent, 6> kRemittenter{{
    {Remittent::kFk, "fk"},
    {Remittent::kAf, "af"},
    {Remittent::kKommun, "kommun"},
    {Remittent::kRegion, "region"},
    {Remittent::kEgen, "egen"},
    {Remittent::kAnnan, "annan"},
}};
constexpr CodeTable<Forsorjning, 13> kForsorjning{{
    {Forsorjning::kLon, "lon"},
    {Forsorjning::kLonebidrag, "lonebidrag"},
    {Forsorjning::kSjukpenning, "sjukpenning"},
    {Forsorjning::kRehabiliteringspenning, "rehabiliteringspenning"},
    {Forsorjning::kAktivitetsersattning, "aktivitetsersattning"},
    {Forsorjning::kSjukersattning, "sjukersattning"},
    {Forsorjning::kAKassa, "a_kassa"},
    {Forsorjning::kAktivitetsstod, "aktivitetsstod"},
    {Forsorjning::kEtableringsersattning, "etableringsersattning"},
    {Forsorjning::kForsorjningsstod, "forsorjningsstod"},
    {Forsorjning::kStudiemedel, "studiemedel"},
    {Forsorjning::kIngen, "ingen"},
    {Forsorjning::kAnnan, "annan"},
}};
constexpr CodeTable<ExitReason, 11> kExitReasons{{
    {ExitReason::kArbete, "arbete"},
    {ExitReason::kArbeteMedStod, "arbete_med_stod"},
    {ExitReason::kStudier, "studier"},
    {ExitReason::kArbetsinriktad, "arbetsinriktad"},
    {ExitReason::kArbetssokande, "arbetssokande"},
    {ExitReason::kSjukdom, "sjukdom"},
    {ExitReason::kEgenBegaran, "egen_begaran"},
    {ExitReason::kAterRemittent, "ater_remittent"},
    {ExitReason::kFlytt, "flytt"},
    {ExitReason::kAnnat, "annat"},
    {ExitReason::kFelregistrering, "felregistrering"},
}};
constexpr CodeTable<ExitGroup, 5> kExitGroups{{
    {ExitGroup::kArbete, "arbete"},
    {ExitGroup::kStudier, "studier"},
    {ExitGroup::kArbetsinriktad, "arbetsinriktad"},
    {ExitGroup::kSjukdom, "sjukdom"},
    {ExitGroup::kAnnatSkal, "annat_skal"},
}};
constexpr CodeTable<Sysselsattning, 6> kSysselsattning{{
    {Sysselsattning::kArbete, "arbete"},
    {Sysselsattning::kArbeteMedStod, "arbete_med_stod"},
    {Sysselsattning::kStudier, "studier"},
    {Sysselsattning::kArbetssokande, "arbetssokande"},
    {Sysselsattning::kIngen, "ingen"},
    {Sysselsattning::kOkand, "okand"},
}};

}  // namespace

std::optional<ExitGroup> GroupOf(ExitReason reason) {
  switch (reason) {
    case ExitReason::kArbete:
    case ExitReason::kArbeteMedStod:
      return ExitGroup::kArbete;
    case ExitReason::kStudier:
      return ExitGroup::kStudier;
    case ExitReason::kArbetsinriktad:
    case ExitReason::kArbetssokande:
      return ExitGroup::kArbetsinriktad;
    case ExitReason::kSjukdom:
      return ExitGroup::kSjukdom;
    case ExitReason::kEgenBegaran:
    case ExitReason::kAterRemittent:
    case ExitReason::kFlytt:
    case ExitReason::kAnnat:
      return ExitGroup::kAnnatSkal;
    case ExitReason::kFelregistrering:
      return std::nullopt;
  }
  return std::nullopt;
}

bool IsWork(ExitReason reason) {
  return reason == ExitReason::kArbete || reason == ExitReason::kArbeteMedStod;
}

bool IsWorkOrStudies(ExitReason reason) { return IsWork(reason) || reason == ExitReason::kStudier; }

bool IsWorkOrStudies(Sysselsattning status) {
  return status == Sysselsattning::kArbete || status == Sysselsattning::kArbeteMedStod ||
         status == Sysselsattning::kStudier;
}

bool Enrolment::Overlaps(Date from, Date to) const {
  const std::optional<Date> last = LastDay();
  return start <= to && (!last || *last >= from);
}

std::optional<Date> Enrolment::LastDay() const {
  if (anonymous && !exit) return Date::FromYmd(start.year(), 12, 31);
  if (exit) return exit->date;
  return std::nullopt;
}

std::vector<LadderStep> DefaultLadder() {
  return {
      {1, "Ingen aktivitet, behöver stöd i vardagen"},
      {2, "Vardagsaktivitet och motivation"},
      {3, "Förberedande insats, arbetsförmåga utreds"},
      {4, "Arbetsträning eller praktik med stöd"},
      {5, "Arbetsträning eller praktik på arbetsplats, nära arbete"},
      {6, "Arbete eller studier med stöd"},
      {7, "Arbete eller studier utan stöd"},
  };
}

std::string_view KonCode(Kon kon) { return CodeOf(kKon, kon); }
std::optional<Kon> ParseKon(std::string_view code) {
  if (code == "k" || code == "K") return Kon::kKvinna;
  if (code == "m" || code == "M") return Kon::kMan;
  return EnumOf(kKon, code);
}
std::string_view RemittentCode(Remittent remittent) { return CodeOf(kRemittenter, remittent); }
std::optional<Remittent> ParseRemittent(std::string_view code) {
  return EnumOf(kRemittenter, code);
}
std::string_view ForsorjningCode(Forsorjning forsorjning) {
  return CodeOf(kForsorjning, forsorjning);
}
std::optional<Forsorjning> ParseForsorjning(std::string_view code) {
  return EnumOf(kForsorjning, code);
}
std::string_view ExitReasonCode(ExitReason reason) { return CodeOf(kExitReasons, reason); }
std::optional<ExitReason> ParseExitReason(std::string_view code) {
  return EnumOf(kExitReasons, code);
}
std::string_view ExitGroupCode(ExitGroup group) { return CodeOf(kExitGroups, group); }
std::string_view SysselsattningCode(Sysselsattning status) {
  return CodeOf(kSysselsattning, status);
}
std::optional<Sysselsattning> ParseSysselsattning(std::string_view code) {
  return EnumOf(kSysselsattning, code);
}

std::string KonCodes() { return CodeList(kKon) + " (K/M)"; }
std::string RemittentCodes() { return CodeList(kRemittenter); }
std::string ForsorjningCodes() { return CodeList(kForsorjning); }
std::string ExitReasonCodes() { return CodeList(kExitReasons); }
std::string SysselsattningCodes() { return CodeList(kSysselsattning); }

}  // namespace stegvis::core
