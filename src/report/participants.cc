#include "report/participants.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "report/disclosure.h"

namespace stegvis::report {

namespace {

using core::Enrolment;
using core::Kon;

std::size_t KonIndex(Kon kon) { return static_cast<std::size_t>(kon); }

std::vector<const core::Insats*> SelectInsatser(const core::Plan& plan,
                                                const std::optional<std::string>& insats_id,
                                                bool individual_only = true) {
  std::vector<const core::Insats*> selected;
  for (const core::Insats& insats : plan.insatser) {
    if (individual_only && insats.kind != core::InsatsKind::kIndivid) continue;
    if (insats_id && insats.id != *insats_id) continue;
    selected.push_back(&insats);
  }
  return selected;
}

bool InPeriod(util::Date date, const Period& period) {
  return period.from <= date && date <= period.to;
}

// Collects counts and the sums that link them, suppresses small cells with the shared grid
// and writes the result back into the counts.
class Publisher {
 public:
  std::size_t Cell(Count& count) {
    auto it = index_.find(&count);
    if (it != index_.end()) return it->second;
    const std::size_t cell = grid_.AddCell(count.value);
    index_.emplace(&count, cell);
    counts_.push_back(&count);
    return cell;
  }
  void Sum(Count& total, const std::vector<Count*>& parts) {
    if (parts.empty()) return;  // A plan without individual interventions: nothing to link.
    std::vector<std::size_t> cells;
    for (Count* part : parts) cells.push_back(Cell(*part));
    grid_.AddSum(Cell(total), std::move(cells));
  }
  void Kon(KonCounts& counts) {
    Sum(counts.total, {&counts.by_kon[0], &counts.by_kon[1], &counts.by_kon[2]});
  }
  void Apply(int k) {
    grid_.Suppress(k);
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i]->suppressed = grid_.IsSuppressed(i);
  }

 private:
  SuppressionGrid grid_;
  std::map<const Count*, std::size_t> index_;
  std::vector<Count*> counts_;  // In cell order.
};

// Links every KonCounts of the rows to the same one of the summed row.
void SumColumns(Publisher& publisher, KonCounts& summa, const std::vector<KonCounts*>& rows) {
  for (std::size_t k = 0; k < 3; ++k) {
    std::vector<Count*> parts;
    for (KonCounts* row : rows) parts.push_back(&row->by_kon[k]);
    publisher.Sum(summa.by_kon[k], parts);
  }
  std::vector<Count*> parts;
  for (KonCounts* row : rows) parts.push_back(&row->total);
  publisher.Sum(summa.total, parts);
}

void AddInto(KonCounts& sum, const KonCounts& part) {
  for (std::size_t k = 0; k < 3; ++k) sum.by_kon[k].value += part.by_kon[k].value;
  sum.total.value += part.total.value;
}

// Per-person facts of one intervention in the period.
struct PersonInInsats {
  Kon kon = Kon::kAnnat;
  util::Date latest_start;  // Of the enrolment whose kön counts.
  bool is_new = false;
  std::optional<core::ExitReason> exit_reason;  // The latest exit in the period.
  util::Date exit_date;
};

// Hashes a pseudonym (64 hex characters of an HMAC, so already uniformly random) from its
// first 16 characters, instead of hashing all 64 bytes; any other text by the standard hash.
struct PseudonymHash {
  std::size_t operator()(std::string_view key) const {
    if (key.size() < 16) return std::hash<std::string_view>()(key);
    std::uint64_t first = 0;
    std::uint64_t second = 0;
    std::memcpy(&first, key.data(), sizeof first);
    std::memcpy(&second, key.data() + 8, sizeof second);
    return static_cast<std::size_t>((first * 0x9E3779B97F4A7C15ULL) ^ second);
  }
};

// The counted enrolments of an intervention in the period, grouped by person (in no
// particular order: the reports only count them). An anonymous enrolment is a person of its
// own. The keys are views of the enrolments' pseudonyms, which outlive the grouping.
struct PersonsInInsats {
  std::unordered_map<std::string_view, PersonInInsats, PseudonymHash> identified;
  std::vector<PersonInInsats> anonymous;

  template <typename Visit>
  void ForEach(Visit visit) const {
    for (const auto& [person, facts] : identified) visit(facts);
    for (const PersonInInsats& facts : anonymous) visit(facts);
  }
};

// Adds one enrolment's facts to its person's.
void AddEnrolment(PersonInInsats& facts, bool first, const Enrolment& enrolment,
                  const Period& period) {
  // The kön of the person's latest enrolment in the period.
  if (first || facts.latest_start <= enrolment.start) {
    facts.kon = enrolment.kon;
    facts.latest_start = enrolment.start;
  }
  facts.is_new = facts.is_new || InPeriod(enrolment.start, period);
  if (enrolment.exit && InPeriod(enrolment.exit->date, period) &&
      (!facts.exit_reason || facts.exit_date <= enrolment.exit->date)) {
    facts.exit_reason = enrolment.exit->reason;
    facts.exit_date = enrolment.exit->date;
  }
}

PersonsInInsats PersonsIn(const std::vector<Enrolment>& enrolments, const std::string& insats_id,
                          const Period& period) {
  PersonsInInsats persons;
  for (const Enrolment& enrolment : enrolments) {
    if (enrolment.insats_id != insats_id || enrolment.IsFelregistrering()) continue;
    if (!enrolment.Overlaps(period.from, period.to)) continue;
    if (!enrolment.person_key) {
      AddEnrolment(persons.anonymous.emplace_back(), true, enrolment, period);
      continue;
    }
    auto [it, inserted] = persons.identified.try_emplace(*enrolment.person_key);
    AddEnrolment(it->second, inserted, enrolment, period);
  }
  return persons;
}

// A published report for one intervention is that intervention's row of the published report
// for all of them, suppressed over the whole grid: then comparing it with the report for all
// interventions (or another's) cannot reveal a suppressed count by subtraction. Its sum is
// the row itself.
template <typename Report>
Report OneRowOf(Report full, const std::string& insats_id) {
  std::erase_if(full.rows, [&](const auto& row) { return row.insats_id != insats_id; });
  auto summa = decltype(full.summa){};
  if (!full.rows.empty()) summa = full.rows.front();
  summa.insats_id = full.summa.insats_id;
  summa.name = full.summa.name;
  full.summa = std::move(summa);
  return full;
}

}  // namespace

DeltagareReport BuildDeltagareReport(const core::Plan& plan,
                                     const std::vector<Enrolment>& enrolments, Period period,
                                     Audience audience,
                                     const std::optional<std::string>& insats_id) {
  if (audience == Audience::kPublic && insats_id) {
    auto one = OneRowOf(BuildDeltagareReport(plan, enrolments, period, audience, std::nullopt),
                        *insats_id);
    one.unika_personer = one.summa.deltagare.total;
    return one;
  }
  DeltagareReport report;
  report.period = period;
  report.audience = audience;
  report.suppression_k = plan.forbund.suppression_k;
  std::unordered_set<std::string_view, PseudonymHash> unique_identified;
  std::int64_t unique_anonymous = 0;
  for (const core::Insats* insats : SelectInsatser(plan, insats_id)) {
    DeltagareRow row;
    row.insats_id = insats->id;
    row.name = insats->name;
    const PersonsInInsats persons = PersonsIn(enrolments, insats->id, period);
    for (const auto& [person, facts] : persons.identified) unique_identified.insert(person);
    unique_anonymous += static_cast<std::int64_t>(persons.anonymous.size());
    persons.ForEach([&row](const PersonInInsats& facts) {
      row.deltagare.Add(facts.kon);
      if (facts.is_new) row.nya.Add(facts.kon);
      if (facts.exit_reason) {
        row.avslutade.Add(facts.kon);
        // Felregistrering never gets here: those enrolments are left out above.
        if (auto group = core::GroupOf(*facts.exit_reason)) {
          row.exits[static_cast<std::size_t>(*group)].Add(facts.kon);
        }
      }
    });
    report.rows.push_back(std::move(row));
  }
  DeltagareRow& summa = report.summa;
  for (const DeltagareRow& row : report.rows) {
    AddInto(summa.deltagare, row.deltagare);
    AddInto(summa.nya, row.nya);
    AddInto(summa.avslutade, row.avslutade);
    for (std::size_t g = 0; g < summa.exits.size(); ++g) AddInto(summa.exits[g], row.exits[g]);
  }
  report.unika_personer.value =
      static_cast<std::int64_t>(unique_identified.size()) + unique_anonymous;

  if (audience == Audience::kPublic) {
    Publisher publisher;
    std::vector<DeltagareRow*> all_rows;
    for (DeltagareRow& row : report.rows) all_rows.push_back(&row);
    all_rows.push_back(&summa);
    for (DeltagareRow* row : all_rows) {
      publisher.Kon(row->deltagare);
      publisher.Kon(row->nya);
      publisher.Kon(row->avslutade);
      for (KonCounts& group : row->exits) publisher.Kon(group);
      // The exit groups add up to the exits, per kön and in total.
      for (std::size_t k = 0; k < 3; ++k) {
        std::vector<Count*> parts;
        for (KonCounts& group : row->exits) parts.push_back(&group.by_kon[k]);
        publisher.Sum(row->avslutade.by_kon[k], parts);
      }
      std::vector<Count*> totals;
      for (KonCounts& group : row->exits) totals.push_back(&group.total);
      publisher.Sum(row->avslutade.total, totals);
    }
    auto columns = [&](auto member) {
      std::vector<KonCounts*> parts;
      for (DeltagareRow& row : report.rows) parts.push_back(&member(row));
      SumColumns(publisher, member(summa), parts);
    };
    columns([](DeltagareRow& row) -> KonCounts& { return row.deltagare; });
    columns([](DeltagareRow& row) -> KonCounts& { return row.nya; });
    columns([](DeltagareRow& row) -> KonCounts& { return row.avslutade; });
    for (std::size_t g = 0; g < summa.exits.size(); ++g) {
      columns([g](DeltagareRow& row) -> KonCounts& { return row.exits[g]; });
    }
    publisher.Cell(report.unika_personer);
    publisher.Apply(report.suppression_k);
  }
  return report;
}

std::optional<std::int64_t> StegCounts::ShareCloserPermille() const {
  if (n.suppressed || closer.suppressed || n.value == 0) return std::nullopt;
  return util::PerMille(closer.value, n.value);
}

std::optional<std::int64_t> StegCounts::MeanStepsHundredths() const {
  if (n.suppressed || n.value == 0) return std::nullopt;
  // Rounded half away from zero: PerMille gives thousandths of the ratio, one digit too many.
  const std::optional<std::int64_t> thousandths = util::PerMille(steps_moved, n.value);
  const std::int64_t value = *thousandths;
  return value >= 0 ? (value + 5) / 10 : -((-value + 5) / 10);
}

StegReport BuildStegReport(const core::Plan& plan, const std::vector<Enrolment>& enrolments,
                           Period period, Audience audience,
                           const std::optional<std::string>& insats_id) {
  if (audience == Audience::kPublic && insats_id) {
    auto one =
        OneRowOf(BuildStegReport(plan, enrolments, period, audience, std::nullopt), *insats_id);
    return one;
  }
  StegReport report;
  report.period = period;
  report.audience = audience;
  report.suppression_k = plan.forbund.suppression_k;
  report.ladder = plan.Ladder();
  const std::size_t levels = report.ladder.size();
  auto empty_matrix = [&] {
    return std::vector<std::vector<Count>>(levels, std::vector<Count>(levels));
  };
  report.summa.transitions = empty_matrix();

  for (const core::Insats* insats : SelectInsatser(plan, insats_id)) {
    StegRow row;
    row.insats_id = insats->id;
    row.name = insats->name;
    row.transitions = empty_matrix();
    for (const Enrolment& enrolment : enrolments) {
      if (enrolment.insats_id != insats->id || enrolment.IsFelregistrering()) continue;
      if (!enrolment.Overlaps(period.from, period.to)) continue;
      // The first step measured and the latest by the end of the period; of several on one
      // day, the first and the last recorded.
      const core::Measurement* earliest = nullptr;
      const core::Measurement* newest = nullptr;
      std::size_t steps = 0;
      for (const core::Measurement& measurement : enrolment.measurements) {
        if (measurement.measure != core::kMeasureSteg || measurement.date > period.to) continue;
        ++steps;
        if (earliest == nullptr || measurement.date < earliest->date) earliest = &measurement;
        if (newest == nullptr || !(measurement.date < newest->date)) newest = &measurement;
      }
      if (steps < 2) continue;
      const int first = earliest->value;
      const int latest = newest->value;
      // A value outside a ladder the förbund has since shortened cannot be placed.
      if (first < 1 || latest < 1 || first > static_cast<int>(levels) ||
          latest > static_cast<int>(levels)) {
        continue;
      }
      for (StegCounts* counts : {&row.by_kon[KonIndex(enrolment.kon)], &row.total}) {
        ++counts->n.value;
        ++(latest > first   ? counts->closer
           : latest < first ? counts->further
                            : counts->unchanged)
              .value;
        counts->steps_moved += latest - first;
      }
      ++row.transitions[static_cast<std::size_t>(first - 1)][static_cast<std::size_t>(latest - 1)]
            .value;
    }
    report.rows.push_back(std::move(row));
  }
  auto add = [](StegCounts& sum, const StegCounts& part) {
    sum.n.value += part.n.value;
    sum.closer.value += part.closer.value;
    sum.unchanged.value += part.unchanged.value;
    sum.further.value += part.further.value;
    sum.steps_moved += part.steps_moved;
  };
  for (const StegRow& row : report.rows) {
    for (std::size_t k = 0; k < 3; ++k) add(report.summa.by_kon[k], row.by_kon[k]);
    add(report.summa.total, row.total);
    for (std::size_t a = 0; a < levels; ++a) {
      for (std::size_t b = 0; b < levels; ++b) {
        report.summa.transitions[a][b].value += row.transitions[a][b].value;
      }
    }
  }

  if (audience == Audience::kPublic) {
    Publisher publisher;
    std::vector<StegRow*> all_rows;
    for (StegRow& row : report.rows) all_rows.push_back(&row);
    all_rows.push_back(&report.summa);
    for (StegRow* row : all_rows) {
      for (StegCounts* counts : {&row->by_kon[0], &row->by_kon[1], &row->by_kon[2], &row->total}) {
        publisher.Sum(counts->n, {&counts->closer, &counts->unchanged, &counts->further});
      }
      for (auto member :
           {&StegCounts::n, &StegCounts::closer, &StegCounts::unchanged, &StegCounts::further}) {
        publisher.Sum(row->total.*member, {&(row->by_kon[0].*member), &(row->by_kon[1].*member),
                                           &(row->by_kon[2].*member)});
      }
      // The matrix adds up to the movement counts: above the diagonal is closer.
      std::vector<Count*> above, diagonal, below, all;
      for (std::size_t a = 0; a < levels; ++a) {
        for (std::size_t b = 0; b < levels; ++b) {
          Count* cell = &row->transitions[a][b];
          (b > a ? above : b == a ? diagonal : below).push_back(cell);
          all.push_back(cell);
        }
      }
      publisher.Sum(row->total.closer, above);
      publisher.Sum(row->total.unchanged, diagonal);
      publisher.Sum(row->total.further, below);
      publisher.Sum(row->total.n, all);
    }
    for (std::size_t k = 0; k < 4; ++k) {
      for (auto member :
           {&StegCounts::n, &StegCounts::closer, &StegCounts::unchanged, &StegCounts::further}) {
        auto pick = [&](StegRow& row) -> Count& {
          if (k < 3) return row.by_kon[k].*member;
          return row.total.*member;
        };
        std::vector<Count*> parts;
        for (StegRow& row : report.rows) parts.push_back(&pick(row));
        publisher.Sum(pick(report.summa), parts);
      }
    }
    for (std::size_t a = 0; a < levels; ++a) {
      for (std::size_t b = 0; b < levels; ++b) {
        std::vector<Count*> parts;
        for (StegRow& row : report.rows) parts.push_back(&row.transitions[a][b]);
        publisher.Sum(report.summa.transitions[a][b], parts);
      }
    }
    publisher.Apply(report.suppression_k);
  }
  return report;
}

UppfoljningReport BuildUppfoljningReport(const core::Plan& plan,
                                         const std::vector<Enrolment>& enrolments, Period period,
                                         Audience audience,
                                         const std::optional<std::string>& insats_id) {
  if (audience == Audience::kPublic && insats_id) {
    auto one = OneRowOf(BuildUppfoljningReport(plan, enrolments, period, audience, std::nullopt),
                        *insats_id);
    return one;
  }
  UppfoljningReport report;
  report.period = period;
  report.audience = audience;
  report.suppression_k = plan.forbund.suppression_k;
  for (const core::Insats* insats : SelectInsatser(plan, insats_id)) {
    UppfoljningRow row;
    row.insats_id = insats->id;
    row.name = insats->name;
    for (const Enrolment& enrolment : enrolments) {
      if (enrolment.insats_id != insats->id || !enrolment.exit) continue;
      if (!InPeriod(enrolment.exit->date, period)) continue;
      if (!core::IsWorkOrStudies(enrolment.exit->reason)) continue;
      for (std::size_t m = 0; m < kFollowUpMonths.size(); ++m) {
        FollowUpCounts& counts = row.at[m];
        counts.left.Add(enrolment.kon);
        auto follow_up = std::find_if(
            enrolment.follow_ups.begin(), enrolment.follow_ups.end(),
            [&](const core::FollowUp& item) { return item.months == kFollowUpMonths[m]; });
        if (follow_up == enrolment.follow_ups.end()) continue;
        counts.followed_up.Add(enrolment.kon);
        if (core::IsWorkOrStudies(follow_up->status)) counts.still.Add(enrolment.kon);
      }
    }
    report.rows.push_back(std::move(row));
  }
  for (const UppfoljningRow& row : report.rows) {
    for (std::size_t m = 0; m < kFollowUpMonths.size(); ++m) {
      AddInto(report.summa.at[m].left, row.at[m].left);
      AddInto(report.summa.at[m].followed_up, row.at[m].followed_up);
      AddInto(report.summa.at[m].still, row.at[m].still);
    }
  }
  if (audience == Audience::kPublic) {
    Publisher publisher;
    for (std::size_t m = 0; m < kFollowUpMonths.size(); ++m) {
      for (auto member :
           {&FollowUpCounts::left, &FollowUpCounts::followed_up, &FollowUpCounts::still}) {
        std::vector<KonCounts*> parts;
        for (UppfoljningRow& row : report.rows) {
          publisher.Kon(row.at[m].*member);
          parts.push_back(&(row.at[m].*member));
        }
        publisher.Kon(report.summa.at[m].*member);
        SumColumns(publisher, report.summa.at[m].*member, parts);
      }
    }
    publisher.Apply(report.suppression_k);
  }
  return report;
}

MalReport BuildMalReport(const core::Plan& plan, const std::vector<Enrolment>& enrolments,
                         Period period, Audience audience,
                         const std::optional<std::string>& insats_id) {
  MalReport report;
  report.period = period;
  report.audience = audience;
  report.suppression_k = plan.forbund.suppression_k;
  const int k = plan.forbund.suppression_k;
  const bool publish = audience == Audience::kPublic;
  auto small = [&](std::int64_t value) { return publish && value > 0 && value < k; };

  // Published, a goal's n and value are the counts the published deltagare and steg reports
  // show (for all interventions, as their rows are published), never more: an n of exits or
  // a share to work there would give away what deltagare hides. Their rows hold the values
  // too, hidden or not.
  const std::optional<std::string> rows_of = publish ? std::nullopt : insats_id;
  const DeltagareReport deltagare =
      BuildDeltagareReport(plan, enrolments, period, audience, rows_of);
  const StegReport steg = BuildStegReport(plan, enrolments, period, audience, rows_of);
  const bool has_praktik = plan.MeasureRange("praktik").has_value();

  for (const core::Insats* insats : SelectInsatser(plan, insats_id, false)) {
    auto row_of = [&](const auto& rows) -> decltype(&rows.front()) {
      for (const auto& row : rows) {
        if (row.insats_id == insats->id) return &row;
      }
      return nullptr;
    };
    const DeltagareRow* participants = row_of(deltagare.rows);
    const StegRow* steps = row_of(steg.rows);
    const DeltagareRow* shown_participants = publish ? participants : nullptr;
    const StegRow* shown_steps = publish ? steps : nullptr;
    for (const core::Goal& goal : insats->goals) {
      GoalResult result;
      result.insats_id = insats->id;
      result.insats_name = insats->name;
      result.goal = goal;
      std::optional<std::int64_t> numerator;
      // Published: whether n and the value may be shown, from the published reports.
      std::optional<std::pair<bool, bool>> shown;
      switch (goal.measure) {
        case core::GoalMeasure::kShareExitsToWorkOrStudies:
          if (participants != nullptr) {
            result.n.value = participants->avslutade.total.value;
            numerator = participants->exits[0].total.value + participants->exits[1].total.value;
          }
          if (shown_participants != nullptr) {
            const bool n_shown = !shown_participants->avslutade.total.suppressed;
            shown = {n_shown, n_shown && !shown_participants->exits[0].total.suppressed &&
                                  !shown_participants->exits[1].total.suppressed};
          }
          break;
        case core::GoalMeasure::kShareCloserOnLadder:
          if (steps != nullptr) {
            result.n.value = steps->total.n.value;
            numerator = steps->total.closer.value;
          }
          if (shown_steps != nullptr) {
            const bool n_shown = !shown_steps->total.n.suppressed;
            shown = {n_shown, n_shown && !shown_steps->total.closer.suppressed};
          }
          break;
        case core::GoalMeasure::kParticipants:
          if (participants != nullptr) {
            result.n.value = participants->deltagare.total.value;
            numerator = result.n.value;
          }
          if (shown_participants != nullptr) {
            const bool n_shown = !shown_participants->deltagare.total.suppressed;
            shown = {n_shown, n_shown};
          }
          break;
        case core::GoalMeasure::kShareInPraktik:
          if (!has_praktik || participants == nullptr) {
            result.needs_data_not_yet_collected = true;
            break;
          }
          // A participant was in praktik when a "praktik" measurement of 1 or more falls in
          // the period.
          numerator = 0;
          for (const Enrolment& enrolment : enrolments) {
            if (enrolment.insats_id != insats->id || enrolment.IsFelregistrering() ||
                !enrolment.Overlaps(period.from, period.to)) {
              continue;
            }
            ++result.n.value;
            const bool in_praktik = std::any_of(
                enrolment.measurements.begin(), enrolment.measurements.end(),
                [&](const core::Measurement& m) {
                  return m.measure == "praktik" && m.value >= 1 && InPeriod(m.date, period);
                });
            if (in_praktik) ++*numerator;
          }
          break;
        case core::GoalMeasure::kShareGreatUse:
        case core::GoalMeasure::kVisitors:
          result.needs_data_not_yet_collected = true;
          break;
      }
      if (numerator) {
        const bool share = core::IsShareMeasure(goal.measure);
        bool hidden = small(result.n.value) || (share && small(*numerator));
        result.n.suppressed = small(result.n.value);
        if (shown) {
          result.n.suppressed = !shown->first;
          hidden = !shown->second;
        }
        if (!hidden && (!share || result.n.value > 0)) {
          result.value_tenths = share ? util::PerMille(*numerator, result.n.value)
                                      : std::optional<std::int64_t>(*numerator * 10);
          result.met = static_cast<double>(*result.value_tenths) >= goal.target * 10.0;
        }
      }
      report.goals.push_back(std::move(result));
    }
  }
  return report;
}

SocioeconomicReport BuildSocioeconomicReport(const core::Plan& plan,
                                             const std::vector<Enrolment>& enrolments,
                                             Period period, Audience audience,
                                             const std::optional<std::string>& insats_id) {
  if (audience == Audience::kPublic && insats_id) {
    auto one = OneRowOf(BuildSocioeconomicReport(plan, enrolments, period, audience, std::nullopt),
                        *insats_id);
    return one;
  }
  SocioeconomicReport report;
  report.period = period;
  report.audience = audience;
  report.suppression_k = plan.forbund.suppression_k;
  report.model = plan.socioeconomic;
  const util::Money per_person =
      util::Money::FromOre(plan.socioeconomic.MonthlyValue().ore() * plan.socioeconomic.months);
  for (const core::Insats* insats : SelectInsatser(plan, insats_id)) {
    SocioeconomicRow row;
    row.insats_id = insats->id;
    row.name = insats->name;
    PersonsIn(enrolments, insats->id, period).ForEach([&row](const PersonInInsats& facts) {
      if (facts.exit_reason && core::IsWork(*facts.exit_reason)) ++row.persons.value;
    });
    report.summa.persons.value += row.persons.value;
    report.rows.push_back(std::move(row));
  }
  if (audience == Audience::kPublic) {
    // The persons who left for work are the deltagare report's exits to work (the same
    // persons, counted the same way): shown exactly where the published deltagare report
    // shows them, so that neither report gives away what the other hides.
    const DeltagareReport deltagare =
        BuildDeltagareReport(plan, enrolments, period, Audience::kPublic, std::nullopt);
    const auto work = static_cast<std::size_t>(core::ExitGroup::kArbete);
    for (SocioeconomicRow& row : report.rows) {
      row.persons.suppressed = true;
      for (const DeltagareRow& shown : deltagare.rows) {
        if (shown.insats_id == row.insats_id) {
          row.persons.suppressed = shown.exits[work].total.suppressed;
        }
      }
    }
    report.summa.persons.suppressed = deltagare.summa.exits[work].total.suppressed;
  }
  for (SocioeconomicRow* row : [&] {
         std::vector<SocioeconomicRow*> all;
         for (SocioeconomicRow& item : report.rows) all.push_back(&item);
         all.push_back(&report.summa);
         return all;
       }()) {
    if (!row->persons.suppressed) {
      row->value = util::Money::FromOre(per_person.ore() * row->persons.value);
    }
  }
  return report;
}

bool IsPublishedPeriod(const Period& period) {
  const int year = period.from.year();
  return period == Period::Year(year) || period == Period::HalfYear(year, 1) ||
         period == Period::HalfYear(year, 2);
}

}  // namespace stegvis::report
