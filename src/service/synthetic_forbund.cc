#include "service/synthetic_forbund.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "core/plan_validation.h"
#include "formats/plan_json.h"
#include "service/demo_data.h"

namespace stegvis::service {

namespace {

using core::Enrolment;
using core::ExitReason;
using core::Forsorjning;
using core::Kon;
using core::Sysselsattning;
using util::Code;
using util::Date;
using util::Fail;

constexpr std::string_view kPlanFile = "hoglandet.json";

// Shares of the generated data.
constexpr double kAnonymousShare = 0.11;  // Of the draws; about 10 % of the enrolments.
constexpr double kExitShare = 0.6;
constexpr double kReEnrolmentShare = 0.15;  // Of the persons whose first enrolment ended.
constexpr double kFollowedUpShare = 0.7;    // Of the exits.
constexpr double kKommunAnnanShare = 0.03;  // Persons living outside the member kommuner.
constexpr int kDefaultAgeMin = 16;
constexpr int kDefaultAgeMax = 64;
constexpr int kDefaultLongestEnrolmentDays = 730;
constexpr int kShortestEnrolmentDays = 30;

template <typename T>
struct Weighted {
  int weight = 0;
  T value;
};

// One or two income sources.
struct IncomeCodes {
  Forsorjning first = Forsorjning::kIngen;
  std::optional<Forsorjning> second;
};

constexpr Weighted<Kon> kKonMix[] = {{47, Kon::kKvinna}, {51, Kon::kMan}, {2, Kon::kAnnat}};

constexpr Weighted<core::Remittent> kRemittentMix[] = {
    {30, core::Remittent::kAf},     {25, core::Remittent::kKommun}, {20, core::Remittent::kFk},
    {15, core::Remittent::kRegion}, {7, core::Remittent::kEgen},    {3, core::Remittent::kAnnan},
};

constexpr Weighted<IncomeCodes> kIncomeAtStart[] = {
    {22, {Forsorjning::kForsorjningsstod, std::nullopt}},
    {14, {Forsorjning::kAktivitetsersattning, std::nullopt}},
    {12, {Forsorjning::kSjukpenning, std::nullopt}},
    {8, {Forsorjning::kAktivitetsstod, std::nullopt}},
    {8, {Forsorjning::kAKassa, std::nullopt}},
    {8, {Forsorjning::kIngen, std::nullopt}},
    {6, {Forsorjning::kForsorjningsstod, Forsorjning::kAktivitetsstod}},
    {6, {Forsorjning::kRehabiliteringspenning, std::nullopt}},
    {4, {Forsorjning::kAktivitetsersattning, Forsorjning::kForsorjningsstod}},
    {4, {Forsorjning::kEtableringsersattning, std::nullopt}},
    {4, {Forsorjning::kStudiemedel, std::nullopt}},
    {2, {Forsorjning::kSjukersattning, std::nullopt}},
    {2, {Forsorjning::kAnnan, std::nullopt}},
};

// About a third of the exits go to work or studies (seed 004's tables).
constexpr Weighted<ExitReason> kExitReasonMix[] = {
    {16, ExitReason::kArbete},         {10, ExitReason::kArbeteMedStod},
    {10, ExitReason::kStudier},        {10, ExitReason::kArbetsinriktad},
    {16, ExitReason::kArbetssokande},  {12, ExitReason::kSjukdom},
    {9, ExitReason::kEgenBegaran},     {7, ExitReason::kAterRemittent},
    {3, ExitReason::kFlytt},           {5, ExitReason::kAnnat},
    {2, ExitReason::kFelregistrering},
};

constexpr Weighted<IncomeCodes> kIncomeAfterArbete[] = {
    {88, {Forsorjning::kLon, std::nullopt}},
    {12, {Forsorjning::kLon, Forsorjning::kForsorjningsstod}},
};
constexpr Weighted<IncomeCodes> kIncomeAfterArbeteMedStod[] = {
    {85, {Forsorjning::kLonebidrag, std::nullopt}},
    {15, {Forsorjning::kLon, std::nullopt}},
};
constexpr Weighted<IncomeCodes> kIncomeAfterStudier[] = {
    {80, {Forsorjning::kStudiemedel, std::nullopt}},
    {10, {Forsorjning::kStudiemedel, Forsorjning::kForsorjningsstod}},
    {10, {Forsorjning::kIngen, std::nullopt}},
};
constexpr Weighted<IncomeCodes> kIncomeAfterJobSeeking[] = {
    {40, {Forsorjning::kAktivitetsstod, std::nullopt}},
    {30, {Forsorjning::kForsorjningsstod, std::nullopt}},
    {20, {Forsorjning::kAKassa, std::nullopt}},
    {5, {Forsorjning::kEtableringsersattning, std::nullopt}},
    {5, {Forsorjning::kIngen, std::nullopt}},
};
constexpr Weighted<IncomeCodes> kIncomeAfterSjukdom[] = {
    {45, {Forsorjning::kSjukpenning, std::nullopt}},
    {25, {Forsorjning::kAktivitetsersattning, std::nullopt}},
    {20, {Forsorjning::kSjukersattning, std::nullopt}},
    {10, {Forsorjning::kRehabiliteringspenning, std::nullopt}},
};

constexpr Weighted<Sysselsattning> kAfterStudier[] = {
    {60, Sysselsattning::kStudier},       {20, Sysselsattning::kArbete},
    {10, Sysselsattning::kArbetssokande}, {5, Sysselsattning::kIngen},
    {5, Sysselsattning::kOkand},
};
constexpr Weighted<Sysselsattning> kAfterOther[] = {
    {12, Sysselsattning::kArbete}, {8, Sysselsattning::kArbeteMedStod},
    {8, Sysselsattning::kStudier}, {30, Sysselsattning::kArbetssokande},
    {27, Sysselsattning::kIngen},  {15, Sysselsattning::kOkand},
};
constexpr Weighted<Sysselsattning> kAfterWorkChanged[] = {
    {3, Sysselsattning::kStudier},
    {12, Sysselsattning::kArbetssokande},
    {5, Sysselsattning::kIngen},
    {5, Sysselsattning::kOkand},
};

// Ladder steps at start, as steps above the lowest on the default seven-step ladder (scaled
// to the plan's own ladder): most start far from work.
constexpr Weighted<int> kStartStepMix[] = {{25, 0}, {35, 1}, {25, 2}, {10, 3}, {5, 4}};

// std::mt19937_64 is specified exactly; the mapping to ranges is done here rather than by the
// standard distributions, whose output differs between standard libraries.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // A whole number in [low, high]; high >= low.
  int Between(int low, int high) {
    const auto span = static_cast<std::uint64_t>(static_cast<std::int64_t>(high) - low) + 1;
    return low + static_cast<int>(engine_() % span);
  }
  // In [0, 1).
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool Chance(double probability) { return Unit() < probability; }

  template <typename T, std::size_t N>
  const T& Pick(const Weighted<T> (&choices)[N]) {
    int total = 0;
    for (const Weighted<T>& choice : choices) total += choice.weight;
    int drawn = Between(0, total - 1);
    for (const Weighted<T>& choice : choices) {
      if (drawn < choice.weight) return choice.value;
      drawn -= choice.weight;
    }
    return choices[N - 1].value;
  }

 private:
  std::mt19937_64 engine_;
};

std::vector<Forsorjning> ToVector(const IncomeCodes& codes) {
  std::vector<Forsorjning> income{codes.first};
  if (codes.second) income.push_back(*codes.second);
  return income;
}

// Monday to Friday: a Saturday or Sunday moves to the next Monday, or to the Friday before
// when the Monday would lie after `last`.
Date Weekday(Date date, Date first, Date last) {
  const int weekday = (date.DaysSinceEpoch() + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday.
  if (weekday != 0 && weekday != 6) return date;
  const Date forward = date.AddDays(weekday == 6 ? 2 : 1);
  if (forward <= last) return forward;
  const Date back = date.AddDays(weekday == 6 ? -1 : -2);
  return back >= first ? back : date;
}

int DaysBetween(Date from, Date to) { return to.DaysSinceEpoch() - from.DaysSinceEpoch(); }

// What the generator needs to know of one individual intervention, worked out once.
struct InsatsFrame {
  const core::Insats* insats = nullptr;
  Date first_start;
  Date last_start;
  // Exits lie on or before this day: the intervention's end or today.
  Date last_exit;
  int age_min = kDefaultAgeMin;
  int age_max = kDefaultAgeMax;
  std::optional<std::pair<int, int>> priority_ages;
  std::optional<int> max_months;
  std::vector<Weighted<std::string>> kommuner;  // Home municipalities, weighted by staffing.
  int kommun_weight_total = 0;
  double weight = 0;  // Expected participants, relative to the other interventions.
};

// A measure besides the ladder, recorded for a share of the enrolments.
struct ExtraMeasure {
  std::string id;
  int min = 0;
  int max = 0;
  double share = 0;
};

// A person's lasting background, the same in each of their enrolments.
struct Person {
  std::optional<std::string> key;
  Kon kon = Kon::kAnnat;
  std::optional<int> birth_year;
  std::optional<std::string> kommun;
};

class Generator {
 public:
  static util::Result<Generator> Create(const core::Plan& plan, const SyntheticOptions& options,
                                        const privacy::Pseudonymizer& pseudonyms);

  // Appends the enrolments of the next person (or one anonymous enrolment) to `out`: one, or
  // two when `room` allows a re-enrolment.
  util::Status NextPerson(std::size_t room, std::vector<Enrolment>& out);

 private:
  Generator(const SyntheticOptions& options, const privacy::Pseudonymizer& pseudonyms)
      : options_(options), pseudonyms_(pseudonyms), random_(options.seed) {}

  const InsatsFrame& PickInsats();
  Date PickStart(const InsatsFrame& frame, Date first);
  int PickAge(const InsatsFrame& frame);
  std::optional<std::string> PickKommun(const InsatsFrame& frame);
  // The enrolment of `person` starting on `start`, with exit, measurements and follow-ups.
  Enrolment MakeEnrolment(const InsatsFrame& frame, const Person& person, Date start,
                          const std::vector<Forsorjning>* previous_income);
  Enrolment MakeAnonymous(const InsatsFrame& frame);
  std::optional<core::Exit> MakeExit(const InsatsFrame& frame, Date start,
                                     const std::vector<Forsorjning>& income_at_start);
  std::vector<Forsorjning> IncomeAtExit(ExitReason reason,
                                        const std::vector<Forsorjning>& income_at_start);
  void AddMeasurements(Enrolment& enrolment);
  int StepAtExit(ExitReason reason, int step);
  void AddFollowUps(Enrolment& enrolment);

  SyntheticOptions options_;
  const privacy::Pseudonymizer& pseudonyms_;
  Random random_;
  Date today_ = SyntheticToday();
  std::vector<InsatsFrame> frames_;
  double weight_total_ = 0;
  int ladder_top_ = 7;
  std::vector<ExtraMeasure> extra_measures_;
  std::size_t persons_ = 0;
};

util::Result<Generator> Generator::Create(const core::Plan& plan, const SyntheticOptions& options,
                                          const privacy::Pseudonymizer& pseudonyms) {
  Generator generator(options, pseudonyms);
  const Date today = generator.today_;
  int last_year = today.year();
  if (!plan.budget.empty()) {
    last_year = std::max_element(plan.budget.begin(), plan.budget.end(),
                                 [](const core::BudgetYear& a, const core::BudgetYear& b) {
                                   return a.year < b.year;
                                 })
                    ->year;
  }
  const Date last_budget_day = *Date::FromYmd(last_year, 12, 31);

  // Participants per year follow the intervention's mean yearly budget; an intervention
  // without budget lines counts as the mean of those with lines.
  std::vector<std::optional<double>> yearly(plan.insatser.size());
  double yearly_sum = 0;
  int yearly_count = 0;
  for (std::size_t i = 0; i < plan.insatser.size(); ++i) {
    std::int64_t ore = 0;
    bool has_line = false;
    for (const core::BudgetYear& year : plan.budget) {
      for (const core::CostLine& line : year.costs) {
        if (line.insats_id == plan.insatser[i].id) {
          ore += line.amount.ore();
          has_line = true;
        }
      }
    }
    if (has_line && !plan.budget.empty()) {
      yearly[i] = static_cast<double>(ore) / static_cast<double>(plan.budget.size());
      yearly_sum += *yearly[i];
      ++yearly_count;
    }
  }
  const double mean_yearly = yearly_count > 0 && yearly_sum > 0 ? yearly_sum / yearly_count : 1;

  for (std::size_t i = 0; i < plan.insatser.size(); ++i) {
    const core::Insats& insats = plan.insatser[i];
    if (insats.kind != core::InsatsKind::kIndivid) continue;
    InsatsFrame frame;
    frame.insats = &insats;
    frame.first_start = insats.start;
    frame.last_start = std::min(last_budget_day, today);
    frame.last_exit = today;
    if (insats.end) {
      frame.last_start = std::min(frame.last_start, *insats.end);
      frame.last_exit = std::min(frame.last_exit, *insats.end);
    }
    if (frame.last_start < frame.first_start) continue;
    const core::TargetGroup& rules = insats.target_group;
    frame.age_min = std::clamp(rules.age_min.value_or(kDefaultAgeMin), 0, 120);
    frame.age_max = std::clamp(rules.age_max.value_or(kDefaultAgeMax), frame.age_min, 120);
    if (rules.priority_age_min || rules.priority_age_max) {
      const int low = std::max(frame.age_min, rules.priority_age_min.value_or(frame.age_min));
      const int high = std::min(frame.age_max, rules.priority_age_max.value_or(frame.age_max));
      if (low <= high) frame.priority_ages = std::pair{low, high};
    }
    if (rules.max_enrolment_months && *rules.max_enrolment_months > 0) {
      frame.max_months = rules.max_enrolment_months;
    }
    // People live where the intervention has staff; without staffing in member kommuner,
    // anywhere in the förbund.
    for (const core::Staffing& staffing : insats.staffing) {
      const core::Member* member = plan.FindMember(staffing.member_id);
      if (member != nullptr && member->type == core::MemberType::kKommun && staffing.percent > 0) {
        frame.kommuner.push_back({staffing.percent, member->id});
      }
    }
    if (frame.kommuner.empty()) {
      for (const core::Member& member : plan.members) {
        if (member.type == core::MemberType::kKommun) frame.kommuner.push_back({1, member.id});
      }
    }
    for (const auto& kommun : frame.kommuner) frame.kommun_weight_total += kommun.weight;
    const double rate = std::max(yearly[i].value_or(mean_yearly), 0.05 * mean_yearly);
    frame.weight = rate * (DaysBetween(frame.first_start, frame.last_start) + 1);
    generator.weight_total_ += frame.weight;
    generator.frames_.push_back(std::move(frame));
  }
  if (generator.frames_.empty()) {
    return Fail(Code::kFailedPrecondition, "insatser",
                fmt::format("förbundet har ingen individinriktad insats som tar emot deltagare "
                            "till och med {}",
                            std::min(last_budget_day, today).ToString()),
                fmt::format("the förbund has no individual intervention taking participants up "
                            "to {}",
                            std::min(last_budget_day, today).ToString()));
  }

  generator.ladder_top_ = static_cast<int>(plan.Ladder().size());
  generator.extra_measures_.push_back({std::string(core::kMeasureHalsa), 0, 100, 0.45});
  generator.extra_measures_.push_back({std::string(core::kMeasureLivskvalitet), 1, 10, 0.45});
  for (const core::MeasureDefinition& measure : plan.measures) {
    generator.extra_measures_.push_back({measure.id, measure.min, measure.max, 0.25});
  }
  return generator;
}

const InsatsFrame& Generator::PickInsats() {
  double drawn = random_.Unit() * weight_total_;
  for (const InsatsFrame& frame : frames_) {
    if (drawn < frame.weight) return frame;
    drawn -= frame.weight;
  }
  return frames_.back();
}

// A start from `first` to the frame's last start, on a weekday.
Date Generator::PickStart(const InsatsFrame& frame, Date first) {
  const Date start = first.AddDays(random_.Between(0, DaysBetween(first, frame.last_start)));
  return Weekday(start, first, frame.last_start);
}

// Mostly young: the priority ages for about half, the rest leaning toward the youngest.
int Generator::PickAge(const InsatsFrame& frame) {
  if (frame.priority_ages && random_.Chance(0.55)) {
    return random_.Between(frame.priority_ages->first, frame.priority_ages->second);
  }
  const double unit = random_.Unit();
  const int span = frame.age_max - frame.age_min + 1;
  const int age = frame.age_min + static_cast<int>(span * unit * std::sqrt(unit));
  return std::min(age, frame.age_max);
}

std::optional<std::string> Generator::PickKommun(const InsatsFrame& frame) {
  if (frame.kommuner.empty() || random_.Chance(kKommunAnnanShare)) return "annan";
  int drawn = random_.Between(0, frame.kommun_weight_total - 1);
  for (const auto& kommun : frame.kommuner) {
    if (drawn < kommun.weight) return kommun.value;
    drawn -= kommun.weight;
  }
  return frame.kommuner.back().value;
}

util::Status Generator::NextPerson(std::size_t room, std::vector<Enrolment>& out) {
  const InsatsFrame& frame = PickInsats();
  if (random_.Chance(kAnonymousShare)) {
    out.push_back(MakeAnonymous(frame));
    return util::Ok();
  }
  ++persons_;
  const std::string code = fmt::format("GEN-{}-{:06}", options_.seed, persons_);
  STEGVIS_ASSIGN_OR_RETURN(privacy::PersonIdentity identity,
                           pseudonyms_.Identify(code, today_.year()));
  Person person;
  person.key = std::move(identity.key);
  person.kon = random_.Pick(kKonMix);
  const Date start = PickStart(frame, frame.first_start);
  person.birth_year = start.year() - PickAge(frame);
  person.kommun = PickKommun(frame);
  out.push_back(MakeEnrolment(frame, person, start, nullptr));

  // A person who left is welcome back: a later enrolment in the same intervention, starting
  // after the exit, while the person is still in the target group.
  const Enrolment& first = out.back();
  if (room < 2 || !first.exit || first.IsFelregistrering() || !random_.Chance(kReEnrolmentShare)) {
    return util::Ok();
  }
  const Date earliest = first.exit->date.AddDays(random_.Between(30, 540));
  if (earliest > frame.last_start) return util::Ok();
  const Date again = PickStart(frame, earliest);
  if (again.year() - *person.birth_year > frame.age_max) return util::Ok();
  const std::vector<Forsorjning> previous_income = first.exit->income;
  out.push_back(MakeEnrolment(frame, person, again, &previous_income));
  return util::Ok();
}

Enrolment Generator::MakeEnrolment(const InsatsFrame& frame, const Person& person, Date start,
                                   const std::vector<Forsorjning>* previous_income) {
  Enrolment enrolment;
  enrolment.insats_id = frame.insats->id;
  enrolment.person_key = person.key;
  enrolment.kon = person.kon;
  enrolment.birth_year = person.birth_year;
  enrolment.kommun = person.kommun;
  enrolment.start = start;
  enrolment.remittent = random_.Pick(kRemittentMix);
  if (previous_income != nullptr && !previous_income->empty() && random_.Chance(0.5)) {
    enrolment.income_at_start = *previous_income;
  } else {
    enrolment.income_at_start = ToVector(random_.Pick(kIncomeAtStart));
  }
  enrolment.exit = MakeExit(frame, start, enrolment.income_at_start);
  AddMeasurements(enrolment);
  AddFollowUps(enrolment);
  return enrolment;
}

// Without consent only kön, the start year (1 January), the intervention and the exit are
// kept, as when consent is withdrawn.
Enrolment Generator::MakeAnonymous(const InsatsFrame& frame) {
  Enrolment enrolment;
  enrolment.insats_id = frame.insats->id;
  enrolment.anonymous = true;
  enrolment.kon = random_.Pick(kKonMix);
  const Date start = PickStart(frame, frame.first_start);
  enrolment.start = *Date::FromYmd(start.year(), 1, 1);
  enrolment.exit = MakeExit(frame, start, {});
  if (enrolment.exit) enrolment.exit->income.clear();
  return enrolment;
}

// About 60 % have left: after a month to two years (within the intervention's maximum
// enrolment time), not after today. Everyone has left an intervention that has ended.
std::optional<core::Exit> Generator::MakeExit(const InsatsFrame& frame, Date start,
                                              const std::vector<Forsorjning>& income_at_start) {
  const bool ended = frame.last_exit < today_;
  if (!ended && !random_.Chance(kExitShare)) return std::nullopt;
  const ExitReason reason = random_.Pick(kExitReasonMix);
  Date date = start;
  if (reason == ExitReason::kFelregistrering) {
    date = start.AddDays(random_.Between(0, 14));
  } else {
    int longest = kDefaultLongestEnrolmentDays;
    if (frame.max_months) longest = DaysBetween(start, start.AddMonths(*frame.max_months));
    const int shortest = std::min(kShortestEnrolmentDays, longest);
    // The mean of two draws: most stay about half the longest time.
    const double unit = (random_.Unit() + random_.Unit()) / 2;
    date = start.AddDays(shortest + static_cast<int>(unit * (longest - shortest)));
  }
  if (date > frame.last_exit) {
    if (!ended) return std::nullopt;
    date = frame.last_exit;
  }
  return core::Exit{date, reason, IncomeAtExit(reason, income_at_start)};
}

std::vector<Forsorjning> Generator::IncomeAtExit(ExitReason reason,
                                                 const std::vector<Forsorjning>& income_at_start) {
  switch (reason) {
    case ExitReason::kArbete:
      return ToVector(random_.Pick(kIncomeAfterArbete));
    case ExitReason::kArbeteMedStod:
      return ToVector(random_.Pick(kIncomeAfterArbeteMedStod));
    case ExitReason::kStudier:
      return ToVector(random_.Pick(kIncomeAfterStudier));
    case ExitReason::kArbetsinriktad:
    case ExitReason::kArbetssokande:
      return ToVector(random_.Pick(kIncomeAfterJobSeeking));
    case ExitReason::kSjukdom:
      return ToVector(random_.Pick(kIncomeAfterSjukdom));
    case ExitReason::kFelregistrering:
      return {};
    case ExitReason::kEgenBegaran:
    case ExitReason::kAterRemittent:
    case ExitReason::kFlytt:
    case ExitReason::kAnnat:
      break;
  }
  if (!income_at_start.empty() && random_.Chance(0.6)) return income_at_start;
  return ToVector(random_.Pick(kIncomeAtStart));
}

// A value on a scale that drifts upward: `level` in [0, 1] maps onto [min, max].
struct Drifting {
  int min = 0;
  int max = 0;
  double level = 0;

  int Value() const {
    return min + static_cast<int>(std::lround(level * static_cast<double>(max - min)));
  }
  void Step(Random& random) {
    level = std::clamp(level + 0.03 + (random.Unit() - 0.5) * 0.16, 0.0, 1.0);
  }
};

int Generator::StepAtExit(ExitReason reason, int step) {
  switch (reason) {
    case ExitReason::kArbete:
      return random_.Chance(0.7) ? ladder_top_ : std::max(1, ladder_top_ - 1);
    case ExitReason::kArbeteMedStod:
      return std::max(1, ladder_top_ - 1);
    case ExitReason::kStudier:
      return random_.Chance(0.5) ? ladder_top_ : std::max(1, ladder_top_ - 1);
    case ExitReason::kSjukdom:
      return std::max(1, step - (random_.Chance(0.4) ? 1 : 0));
    default:
      return std::min(ladder_top_, step + (random_.Chance(0.4) ? 1 : 0));
  }
}

// Ladder steps at start, about every three months and at exit, mostly moving up; health,
// quality of life and the plan's own measures for a share of the enrolments on the same days.
void Generator::AddMeasurements(Enrolment& enrolment) {
  const bool felregistrering = enrolment.IsFelregistrering();
  // Measurements lie before this day; the exit's own come after.
  const Date end = enrolment.exit ? enrolment.exit->date : today_.AddDays(1);
  // One step on a long ladder is a smaller move than on a short one.
  const int unit = std::max(1, static_cast<int>(std::lround((ladder_top_ - 1) / 6.0)));
  int step =
      1 + static_cast<int>(std::lround(random_.Pick(kStartStepMix) * (ladder_top_ - 1) / 6.0));
  step = std::clamp(step, 1, ladder_top_);

  std::vector<Drifting> extras;
  std::vector<const ExtraMeasure*> extra_ids;
  for (const ExtraMeasure& measure : extra_measures_) {
    if (felregistrering || !random_.Chance(measure.share)) continue;
    extras.push_back({measure.min, measure.max, 0.15 + 0.5 * random_.Unit()});
    extra_ids.push_back(&measure);
  }
  const auto record_extras = [&](Date date) {
    for (std::size_t i = 0; i < extras.size(); ++i) {
      if (random_.Chance(0.8)) {
        enrolment.measurements.push_back({date, extra_ids[i]->id, extras[i].Value()});
      }
      extras[i].Step(random_);
    }
  };

  std::optional<Date> latest;
  if (random_.Chance(0.95)) {
    enrolment.measurements.push_back({enrolment.start, std::string(core::kMeasureSteg), step});
  }
  record_extras(enrolment.start);
  latest = enrolment.start;
  if (felregistrering) return;

  for (Date date = enrolment.start.AddDays(random_.Between(80, 100)); date < end;
       date = date.AddDays(random_.Between(80, 100))) {
    const double move = random_.Unit();
    if (move < 0.35) {
      step = std::min(ladder_top_, step + unit);
    } else if (move < 0.45) {
      step = std::max(1, step - unit);
    }
    if (random_.Chance(0.9)) {
      enrolment.measurements.push_back({date, std::string(core::kMeasureSteg), step});
    }
    record_extras(date);
    latest = date;
  }
  if (enrolment.exit && enrolment.exit->date > *latest) {
    step = StepAtExit(enrolment.exit->reason, step);
    if (random_.Chance(0.92)) {
      enrolment.measurements.push_back(
          {enrolment.exit->date, std::string(core::kMeasureSteg), step});
    }
    record_extras(enrolment.exit->date);
  }
}

// Follow-ups 6 and 12 months after exit for most of those who left, when that day has come.
void Generator::AddFollowUps(Enrolment& enrolment) {
  if (!enrolment.exit || enrolment.IsFelregistrering() || !random_.Chance(kFollowedUpShare)) {
    return;
  }
  const ExitReason reason = enrolment.exit->reason;
  std::optional<Sysselsattning> previous;
  for (const int months : {6, 12}) {
    if (!random_.Chance(months == 6 ? 0.95 : 0.85)) continue;
    const Date date = enrolment.exit->date.AddMonths(months).AddDays(random_.Between(-10, 20));
    if (date > today_) break;
    Sysselsattning status = Sysselsattning::kOkand;
    if (previous && random_.Chance(0.7)) {
      status = *previous;
    } else if (core::IsWork(reason)) {
      status = random_.Chance(0.75)
                   ? (reason == ExitReason::kArbete ? Sysselsattning::kArbete
                                                    : Sysselsattning::kArbeteMedStod)
                   : random_.Pick(kAfterWorkChanged);
    } else if (reason == ExitReason::kStudier) {
      status = random_.Pick(kAfterStudier);
    } else {
      status = random_.Pick(kAfterOther);
    }
    enrolment.follow_ups.push_back({date, months, status});
    previous = status;
  }
}

}  // namespace

util::Date SyntheticToday() { return *util::Date::FromYmd(2026, 6, 30); }

util::Result<core::Plan> SyntheticPlan(const SyntheticOptions& options) {
  for (const DemoFile& file : DemoFiles()) {
    if (file.name != kPlanFile) continue;
    auto parsed = formats::ParsePlanJson(file.content);
    if (!parsed) return Fail(parsed.error().Within(kPlanFile));
    core::Plan plan = std::move(*parsed);
    plan.forbund.id = options.forbund_id;
    plan.forbund.name = "Syntetiskt förbund " + options.forbund_id;
    STEGVIS_TRY(core::ValidatePlan(plan));
    return plan;
  }
  return Fail(Code::kInternal, std::string(kPlanFile), "demoplanen saknas i programmet",
              "the demo plan is missing from the program");
}

util::Status GenerateEnrolments(
    const core::Plan& plan, const SyntheticOptions& options,
    const privacy::Pseudonymizer& pseudonyms, std::size_t batch,
    const std::function<util::Status(std::vector<core::Enrolment>&& enrolments, std::size_t done)>&
        sink) {
  if (batch == 0) {
    return Fail(Code::kInvalidArgument, "batch", "batchstorleken ska vara minst 1",
                "the batch size must be at least 1");
  }
  if (options.deltagare == 0) return util::Ok();
  STEGVIS_ASSIGN_OR_RETURN(Generator generator, Generator::Create(plan, options, pseudonyms));

  const std::size_t capacity = std::min(batch, options.deltagare);
  std::vector<Enrolment> pending;
  pending.reserve(capacity);
  std::vector<Enrolment> person;
  std::size_t done = 0;
  while (done + pending.size() < options.deltagare) {
    person.clear();
    STEGVIS_TRY(generator.NextPerson(options.deltagare - done - pending.size(), person));
    for (Enrolment& enrolment : person) {
      pending.push_back(std::move(enrolment));
      if (pending.size() == batch) {
        done += pending.size();
        STEGVIS_TRY(sink(std::move(pending), done));
        pending.clear();
        pending.reserve(capacity);
      }
    }
  }
  if (!pending.empty()) {
    done += pending.size();
    STEGVIS_TRY(sink(std::move(pending), done));
  }
  return util::Ok();
}

}  // namespace stegvis::service
