#include "core/plan_validation.h"

#include <set>
#include <string>

#include <fmt/format.h>

namespace stegvis::core {

namespace {

using util::Code;
using util::Fail;
using util::Status;

Status Invalid(std::string location, std::string swedish, std::string english) {
  return Fail(Code::kInvalidArgument, std::move(location), std::move(swedish), std::move(english));
}

Status CheckId(const std::string& id, const std::string& location) {
  if (IsValidId(id)) return util::Ok();
  return Invalid(location,
                 fmt::format("ogiltigt id \"{}\": förväntade 1–64 tecken a–z, 0–9, - eller _", id),
                 fmt::format("invalid id \"{}\": expected 1–64 characters a–z, 0–9, - or _", id));
}

Status CheckYear(int year, const std::string& location) {
  if (year >= kFirstPlanYear && year <= kLastPlanYear) return util::Ok();
  return Invalid(
      location,
      fmt::format("år {} utanför tillåtet intervall {}–{}", year, kFirstPlanYear, kLastPlanYear),
      fmt::format("year {} outside the allowed range {}–{}", year, kFirstPlanYear, kLastPlanYear));
}

Status CheckAmount(Money amount, const std::string& location) {
  if (amount.ore() >= 0) return util::Ok();
  return Invalid(location, "beloppet får inte vara negativt", "the amount must not be negative");
}

Status CheckNotEmpty(const std::string& text, const std::string& location) {
  if (!text.empty()) return util::Ok();
  return Invalid(location, "får inte vara tomt", "must not be empty");
}

Status CheckIncome(const Plan& plan, const std::vector<IncomeLine>& lines,
                   const std::string& base) {
  std::set<std::string> seen_members;
  std::set<std::string> seen_labels;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const IncomeLine& line = lines[i];
    const std::string at = fmt::format("{}.intakter[{}]", base, i);
    if (line.member_id) {
      if (plan.FindMember(*line.member_id) == nullptr) {
        return Invalid(
            at + ".medlem",
            fmt::format("okänd medlem \"{}\": förväntade ett id ur $.medlemmar", *line.member_id),
            fmt::format("unknown member \"{}\": expected an id from $.medlemmar", *line.member_id));
      }
      if (!seen_members.insert(*line.member_id).second) {
        return Invalid(at + ".medlem",
                       fmt::format("medlemmen \"{}\" förekommer två gånger", *line.member_id),
                       fmt::format("member \"{}\" appears twice", *line.member_id));
      }
    } else {
      STEGVIS_TRY(CheckNotEmpty(line.label, at + ".post"));
      if (!seen_labels.insert(line.label).second) {
        return Invalid(at + ".post", fmt::format("posten \"{}\" förekommer två gånger", line.label),
                       fmt::format("line \"{}\" appears twice", line.label));
      }
    }
    STEGVIS_TRY(CheckAmount(line.amount, at + ".belopp"));
  }
  return util::Ok();
}

Status CheckCosts(const Plan& plan, const std::vector<CostLine>& lines, const std::string& base) {
  std::set<std::string> seen_labels;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const CostLine& line = lines[i];
    const std::string at = fmt::format("{}.kostnader[{}]", base, i);
    STEGVIS_TRY(CheckNotEmpty(line.label, at + ".post"));
    if (!seen_labels.insert(line.label).second) {
      return Invalid(at + ".post", fmt::format("posten \"{}\" förekommer två gånger", line.label),
                     fmt::format("line \"{}\" appears twice", line.label));
    }
    if (line.insats_id && plan.FindInsats(*line.insats_id) == nullptr) {
      return Invalid(
          at + ".insats",
          fmt::format("okänd insats \"{}\": förväntade ett id ur $.insatser", *line.insats_id),
          fmt::format("unknown intervention \"{}\": expected an id from $.insatser",
                      *line.insats_id));
    }
    STEGVIS_TRY(CheckAmount(line.amount, at + ".belopp"));
  }
  return util::Ok();
}

Status CheckAgeRange(std::optional<int> low, std::optional<int> high, const std::string& at,
                     std::string_view low_key, std::string_view high_key) {
  for (auto [value, key] : {std::pair{low, low_key}, std::pair{high, high_key}}) {
    if (value && (*value < 15 || *value > 70)) {
      return Invalid(fmt::format("{}.{}", at, key), fmt::format("ålder {} utanför 15–70", *value),
                     fmt::format("age {} outside 15–70", *value));
    }
  }
  if (low && high && *low > *high) {
    return Invalid(fmt::format("{}.{}", at, low_key),
                   fmt::format("lägsta ålder {} är större än högsta ålder {}", *low, *high),
                   fmt::format("minimum age {} is greater than maximum age {}", *low, *high));
  }
  return util::Ok();
}

Status CheckInsats(const Plan& plan, const Insats& insats, const std::string& at) {
  STEGVIS_TRY(CheckId(insats.id, at + ".id"));
  STEGVIS_TRY(CheckNotEmpty(insats.name, at + ".namn"));
  if (insats.end && *insats.end < insats.start) {
    return Invalid(at + ".slut",
                   fmt::format("slutdatum {} är före startdatum {}", insats.end->ToString(),
                               insats.start.ToString()),
                   fmt::format("end date {} is before start date {}", insats.end->ToString(),
                               insats.start.ToString()));
  }
  const std::string group = at + ".malgrupp";
  const TargetGroup& rules = insats.target_group;
  STEGVIS_TRY(CheckAgeRange(rules.age_min, rules.age_max, group, "alder_min", "alder_max"));
  STEGVIS_TRY(CheckAgeRange(rules.priority_age_min, rules.priority_age_max, group,
                            "prioriterad_alder_min", "prioriterad_alder_max"));
  if (rules.max_enrolment_months &&
      (*rules.max_enrolment_months < 1 || *rules.max_enrolment_months > 120)) {
    return Invalid(group + ".max_inskrivning_manader", "förväntade 1–120 månader",
                   "expected 1–120 months");
  }
  if (rules.min_work_ability_percent &&
      (*rules.min_work_ability_percent < 0 || *rules.min_work_ability_percent > 100)) {
    return Invalid(group + ".min_arbetsformaga_procent", "förväntade 0–100 procent",
                   "expected 0–100 percent");
  }
  for (std::size_t i = 0; i < insats.goals.size(); ++i) {
    const Goal& goal = insats.goals[i];
    const std::string goal_at = fmt::format("{}.mal[{}].mal", at, i);
    if (goal.target < 0 || (IsShareMeasure(goal.measure) && goal.target > 100)) {
      return Invalid(goal_at,
                     IsShareMeasure(goal.measure) ? "förväntade en andel 0–100 procent"
                                                  : "förväntade ett antal ≥ 0",
                     IsShareMeasure(goal.measure) ? "expected a share of 0–100 percent"
                                                  : "expected a count ≥ 0");
    }
    if (!IsShareMeasure(goal.measure) && insats.kind == InsatsKind::kIndivid &&
        goal.measure == GoalMeasure::kVisitors) {
      return Invalid(fmt::format("{}.mal[{}].matt", at, i),
                     "antal_besokare gäller strukturövergripande insatser",
                     "antal_besokare applies to structural interventions");
    }
  }
  for (std::size_t i = 0; i < insats.staffing.size(); ++i) {
    const Staffing& staffing = insats.staffing[i];
    const std::string staff_at = fmt::format("{}.bemanning[{}]", at, i);
    if (plan.FindMember(staffing.member_id) == nullptr) {
      return Invalid(
          staff_at + ".medlem",
          fmt::format("okänd medlem \"{}\": förväntade ett id ur $.medlemmar", staffing.member_id),
          fmt::format("unknown member \"{}\": expected an id from $.medlemmar",
                      staffing.member_id));
    }
    if (staffing.percent < 0 || staffing.percent > 10000) {
      return Invalid(staff_at + ".procent", "förväntade 0–10000 procent av heltid",
                     "expected 0–10000 percent of full time");
    }
  }
  return util::Ok();
}

Status CheckLadderAndMeasures(const Plan& plan) {
  if (!plan.ladder.empty() && (plan.ladder.size() < 2 || plan.ladder.size() > 20)) {
    return Invalid("$.trappa", "förväntade 2–20 steg", "expected 2–20 steps");
  }
  for (std::size_t i = 0; i < plan.ladder.size(); ++i) {
    const std::string at = fmt::format("$.trappa[{}]", i);
    if (plan.ladder[i].level != static_cast<int>(i) + 1) {
      return Invalid(at + ".niva",
                     fmt::format("förväntade nivå {} (stegen i ordning från 1)", i + 1),
                     fmt::format("expected level {} (steps in order from 1)", i + 1));
    }
    STEGVIS_TRY(CheckNotEmpty(plan.ladder[i].label, at + ".namn"));
  }
  std::set<std::string> ids = {std::string(kMeasureSteg), std::string(kMeasureHalsa),
                               std::string(kMeasureLivskvalitet)};
  for (std::size_t i = 0; i < plan.measures.size(); ++i) {
    const MeasureDefinition& measure = plan.measures[i];
    const std::string at = fmt::format("$.matt[{}]", i);
    STEGVIS_TRY(CheckId(measure.id, at + ".id"));
    STEGVIS_TRY(CheckNotEmpty(measure.name, at + ".namn"));
    if (!ids.insert(measure.id).second) {
      return Invalid(at + ".id", fmt::format("måttet \"{}\" finns redan", measure.id),
                     fmt::format("measure \"{}\" is defined already", measure.id));
    }
    if (measure.min > measure.max) {
      return Invalid(at + ".min", "min är större än max", "min is greater than max");
    }
  }
  return util::Ok();
}

Status CheckSocioeconomic(const SocioeconomicModel& model) {
  for (auto [amount, key] : {std::pair{model.avoided_support, "undvikt_stod"},
                             std::pair{model.avoided_administration, "undvikt_administration"},
                             std::pair{model.tax_income, "skatteintakt"}}) {
    STEGVIS_TRY(CheckAmount(amount, std::string("$.socioekonomi.") + key));
  }
  if (model.months < 1 || model.months > 120) {
    return Invalid("$.socioekonomi.manader", "förväntade 1–120 månader", "expected 1–120 months");
  }
  return util::Ok();
}

}  // namespace

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '-' && c != '_'))) return false;
  }
  return true;
}

Status ValidatePlan(const Plan& plan) {
  STEGVIS_TRY(CheckId(plan.forbund.id, "$.forbund.id"));
  STEGVIS_TRY(CheckNotEmpty(plan.forbund.name, "$.forbund.namn"));
  if (plan.forbund.suppression_k < 2 || plan.forbund.suppression_k > 50) {
    return Invalid("$.forbund.minsta_antal", "förväntade ett heltal 2–50",
                   "expected a whole number 2–50");
  }

  std::set<std::string> ids;
  bool has_stat = false;
  bool has_fk_or_af = false;
  for (std::size_t i = 0; i < plan.members.size(); ++i) {
    const Member& member = plan.members[i];
    const std::string at = fmt::format("$.medlemmar[{}]", i);
    STEGVIS_TRY(CheckId(member.id, at + ".id"));
    STEGVIS_TRY(CheckNotEmpty(member.name, at + ".namn"));
    if (!ids.insert(member.id).second) {
      return Invalid(at + ".id", fmt::format("medlemmen \"{}\" finns redan", member.id),
                     fmt::format("member \"{}\" is defined twice", member.id));
    }
    has_stat = has_stat || member.type == MemberType::kStat;
    has_fk_or_af = has_fk_or_af || member.type == MemberType::kFk || member.type == MemberType::kAf;
    if (has_stat && has_fk_or_af) {
      return Invalid(at + ".typ",
                     "typ stat (FK och AF tillsammans) kan inte kombineras med fk eller af",
                     "type stat (FK and AF together) cannot be combined with fk or af");
    }
  }

  ids.clear();
  for (std::size_t i = 0; i < plan.insatser.size(); ++i) {
    const std::string at = fmt::format("$.insatser[{}]", i);
    STEGVIS_TRY(CheckInsats(plan, plan.insatser[i], at));
    if (!ids.insert(plan.insatser[i].id).second) {
      return Invalid(at + ".id", fmt::format("insatsen \"{}\" finns redan", plan.insatser[i].id),
                     fmt::format("intervention \"{}\" is defined twice", plan.insatser[i].id));
    }
  }

  if (plan.equity) {
    STEGVIS_TRY(CheckYear(plan.equity->year, "$.eget_kapital.ar"));
  }
  STEGVIS_TRY(CheckLadderAndMeasures(plan));
  STEGVIS_TRY(CheckSocioeconomic(plan.socioeconomic));

  std::set<int> years;
  for (std::size_t i = 0; i < plan.budget.size(); ++i) {
    const BudgetYear& year = plan.budget[i];
    const std::string at = fmt::format("$.budget[{}]", i);
    STEGVIS_TRY(CheckYear(year.year, at + ".ar"));
    if (!years.insert(year.year).second) {
      return Invalid(at + ".ar", fmt::format("år {} förekommer två gånger i budget", year.year),
                     fmt::format("year {} appears twice in budget", year.year));
    }
    STEGVIS_TRY(CheckIncome(plan, year.income, at));
    STEGVIS_TRY(CheckCosts(plan, year.costs, at));
  }

  years.clear();
  for (std::size_t i = 0; i < plan.outcome.size(); ++i) {
    const OutcomeYear& year = plan.outcome[i];
    const std::string at = fmt::format("$.utfall[{}]", i);
    STEGVIS_TRY(CheckYear(year.year, at + ".ar"));
    if (!years.insert(year.year).second) {
      return Invalid(at + ".ar", fmt::format("år {} förekommer två gånger i utfall", year.year),
                     fmt::format("year {} appears twice in utfall", year.year));
    }
    STEGVIS_TRY(CheckIncome(plan, year.income, at));
    STEGVIS_TRY(CheckCosts(plan, year.costs, at));
  }
  return util::Ok();
}

}  // namespace stegvis::core
