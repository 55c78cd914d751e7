#include "formats/plan_json.h"

#include <fmt/format.h>

#include "core/plan_validation.h"
#include "formats/json_reader.h"

namespace stegvis::formats {

namespace {

using util::Result;

template <typename Enum>
Result<Enum> EnumField(const JsonObject& object, std::string_view key,
                       std::optional<Enum> (*parse)(std::string_view), std::string_view allowed) {
  const boost::json::value* value = object.Find(key);
  if (value != nullptr && value->is_string()) {
    if (std::optional<Enum> parsed = parse(value->get_string())) return *parsed;
  }
  return Expected(object.PathOf(key), fmt::format("en av {}", allowed),
                  fmt::format("one of {}", allowed), value);
}

Result<std::optional<int>> OptionalInt(const JsonObject& object, std::string_view key) {
  STEGVIS_ASSIGN_OR_RETURN(std::optional<std::int64_t> value, object.OptionalInteger(key));
  if (value && (*value < INT32_MIN || *value > INT32_MAX)) {
    return Expected(object.PathOf(key), "ett rimligt heltal", "a reasonable whole number",
                    object.Find(key));
  }
  return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

Result<int> Year(const JsonObject& object) {
  STEGVIS_ASSIGN_OR_RETURN(std::optional<int> year, OptionalInt(object, "ar"));
  if (!year) return Expected(object.PathOf("ar"), "ett år", "a year", object.Find("ar"));
  return *year;
}

template <typename T, typename ParseFn>
Result<std::vector<T>> ParseList(const JsonObject& parent, std::string_view key, ParseFn parse) {
  STEGVIS_ASSIGN_OR_RETURN(const boost::json::array* array, parent.OptionalArray(key));
  std::vector<T> items;
  items.reserve(array->size());
  for (std::size_t i = 0; i < array->size(); ++i) {
    STEGVIS_ASSIGN_OR_RETURN(T item,
                             parse((*array)[i], fmt::format("{}[{}]", parent.PathOf(key), i)));
    items.push_back(std::move(item));
  }
  return items;
}

Result<core::Forbund> ParseForbund(const boost::json::value& value, std::string path) {
  STEGVIS_ASSIGN_OR_RETURN(
      JsonObject object, JsonObject::Create(value, path, {"id", "namn", "bildat", "minsta_antal"}));
  core::Forbund forbund;
  STEGVIS_ASSIGN_OR_RETURN(forbund.id, object.String("id"));
  STEGVIS_ASSIGN_OR_RETURN(forbund.name, object.String("namn"));
  STEGVIS_ASSIGN_OR_RETURN(forbund.formed, object.OptionalDate("bildat"));
  STEGVIS_ASSIGN_OR_RETURN(std::optional<int> k, OptionalInt(object, "minsta_antal"));
  forbund.suppression_k = k.value_or(5);
  return forbund;
}

Result<core::Member> ParseMember(const boost::json::value& value, std::string path) {
  STEGVIS_ASSIGN_OR_RETURN(JsonObject object,
                           JsonObject::Create(value, path, {"id", "namn", "typ"}));
  core::Member member;
  STEGVIS_ASSIGN_OR_RETURN(member.id, object.String("id"));
  STEGVIS_ASSIGN_OR_RETURN(member.name, object.String("namn"));
  STEGVIS_ASSIGN_OR_RETURN(member.type, EnumField(object, "typ", &core::ParseMemberType,
                                                  "kommun, region, fk, af, stat"));
  return member;
}

Result<core::TargetGroup> ParseTargetGroup(const JsonObject& insats) {
  core::TargetGroup rules;
  const boost::json::value* value = insats.Find("malgrupp");
  if (value == nullptr) return rules;
  STEGVIS_ASSIGN_OR_RETURN(
      JsonObject object,
      JsonObject::Create(*value, insats.PathOf("malgrupp"),
                         {"alder_min", "alder_max", "prioriterad_alder_min",
                          "prioriterad_alder_max", "minst_tva_parter", "max_inskrivning_manader",
                          "min_arbetsformaga_procent", "undantag"}));
  STEGVIS_ASSIGN_OR_RETURN(rules.age_min, OptionalInt(object, "alder_min"));
  STEGVIS_ASSIGN_OR_RETURN(rules.age_max, OptionalInt(object, "alder_max"));
  STEGVIS_ASSIGN_OR_RETURN(rules.priority_age_min, OptionalInt(object, "prioriterad_alder_min"));
  STEGVIS_ASSIGN_OR_RETURN(rules.priority_age_max, OptionalInt(object, "prioriterad_alder_max"));
  STEGVIS_ASSIGN_OR_RETURN(rules.needs_two_members, object.OptionalBool("minst_tva_parter", false));
  STEGVIS_ASSIGN_OR_RETURN(rules.max_enrolment_months,
                           OptionalInt(object, "max_inskrivning_manader"));
  STEGVIS_ASSIGN_OR_RETURN(rules.min_work_ability_percent,
                           OptionalInt(object, "min_arbetsformaga_procent"));
  STEGVIS_ASSIGN_OR_RETURN(const boost::json::array* exclusions, object.OptionalArray("undantag"));
  for (std::size_t i = 0; i < exclusions->size(); ++i) {
    const boost::json::value& item = (*exclusions)[i];
    if (!item.is_string() || item.get_string().empty()) {
      return Expected(fmt::format("{}[{}]", object.PathOf("undantag"), i), "en text", "a string",
                      &item);
    }
    rules.exclusions.emplace_back(item.get_string());
  }
  return rules;
}

Result<core::Goal> ParseGoal(const boost::json::value& value, std::string path) {
  STEGVIS_ASSIGN_OR_RETURN(JsonObject object,
                           JsonObject::Create(value, path, {"matt", "mal", "beskrivning"}));
  core::Goal goal;
  STEGVIS_ASSIGN_OR_RETURN(
      goal.measure,
      EnumField(object, "matt", &core::ParseGoalMeasure,
                "andel_arbete_studier, andel_narmare, andel_praktik, andel_stor_nytta, "
                "antal_deltagare, antal_besokare"));
  STEGVIS_ASSIGN_OR_RETURN(goal.target, object.Number("mal"));
  STEGVIS_ASSIGN_OR_RETURN(std::optional<std::string> description,
                           object.OptionalString("beskrivning"));
  goal.description = description.value_or("");
  return goal;
}

Result<core::Staffing> ParseStaffing(const boost::json::value& value, std::string path) {
  STEGVIS_ASSIGN_OR_RETURN(JsonObject object,
                           JsonObject::Create(value, path, {"medlem", "procent"}));
  core::Staffing staffing;
  STEGVIS_ASSIGN_OR_RETURN(staffing.member_id, object.String("medlem"));
  STEGVIS_ASSIGN_OR_RETURN(std::optional<int> percent, OptionalInt(object, "procent"));
  if (!percent) return Expected(object.PathOf("procent"), "ett heltal", "a whole number", nullptr);
  staffing.percent = *percent;
  return staffing;
}

Result<core::Insats> ParseInsats(const boost::json::value& value, std::string path) {
  STEGVIS_ASSIGN_OR_RETURN(JsonObject object,
                           JsonObject::Create(value, path,
                                              {"id", "namn", "typ", "form", "start", "slut",
                                               "malgrupp", "mal", "bemanning"}));
  core::Insats insats;
  STEGVIS_ASSIGN_OR_RETURN(insats.id, object.String("id"));
  STEGVIS_ASSIGN_OR_RETURN(insats.name, object.String("namn"));
  STEGVIS_ASSIGN_OR_RETURN(insats.kind,
                           EnumField(object, "typ", &core::ParseInsatsKind, "individ, struktur"));
  STEGVIS_ASSIGN_OR_RETURN(insats.form,
                           EnumField(object, "form", &core::ParseFundingForm, "LIV, projekt"));
  STEGVIS_ASSIGN_OR_RETURN(insats.start, object.Date("start"));
  STEGVIS_ASSIGN_OR_RETURN(insats.end, object.OptionalDate("slut"));
  STEGVIS_ASSIGN_OR_RETURN(insats.target_group, ParseTargetGroup(object));
  STEGVIS_ASSIGN_OR_RETURN(insats.goals, ParseList<core::Goal>(object, "mal", ParseGoal));
  STEGVIS_ASSIGN_OR_RETURN(insats.staffing,
                           ParseList<core::Staffing>(object, "bemanning", ParseStaffing));
  return insats;
}

Result<core::IncomeLine> ParseIncome(const boost::json::value& value, std::string path) {
  STEGVIS_ASSIGN_OR_RETURN(JsonObject object,
                           JsonObject::Create(value, path, {"medlem", "post", "belopp"}));
  core::IncomeLine line;
  STEGVIS_ASSIGN_OR_RETURN(line.member_id, object.OptionalString("medlem"));
  STEGVIS_ASSIGN_OR_RETURN(std::optional<std::string> label, object.OptionalString("post"));
  if (!line.member_id && !label) {
    return Expected(object.PathOf("medlem"), "medlem eller post", "medlem or post", nullptr);
  }
  line.label = label.value_or("");
  STEGVIS_ASSIGN_OR_RETURN(line.amount, object.Amount("belopp"));
  return line;
}

Result<core::CostLine> ParseCost(const boost::json::value& value, std::string path) {
  STEGVIS_ASSIGN_OR_RETURN(
      JsonObject object, JsonObject::Create(value, path, {"post", "insats", "kategori", "belopp"}));
  core::CostLine line;
  STEGVIS_ASSIGN_OR_RETURN(line.label, object.String("post"));
  STEGVIS_ASSIGN_OR_RETURN(line.insats_id, object.OptionalString("insats"));
  STEGVIS_ASSIGN_OR_RETURN(line.category, EnumField(object, "kategori", &core::ParseCostCategory,
                                                    "individ, struktur, administration, ny"));
  STEGVIS_ASSIGN_OR_RETURN(line.amount, object.Amount("belopp"));
  return line;
}

Result<core::BudgetYear> ParseBudgetYear(const boost::json::value& value, std::string path) {
  STEGVIS_ASSIGN_OR_RETURN(JsonObject object,
                           JsonObject::Create(value, path, {"ar", "typ", "intakter", "kostnader"}));
  core::BudgetYear year;
  STEGVIS_ASSIGN_OR_RETURN(year.year, Year(object));
  if (object.Has("typ")) {
    STEGVIS_ASSIGN_OR_RETURN(year.type,
                             EnumField(object, "typ", &core::ParseYearType, "budget, prognos"));
  }
  STEGVIS_ASSIGN_OR_RETURN(year.income,
                           ParseList<core::IncomeLine>(object, "intakter", ParseIncome));
  STEGVIS_ASSIGN_OR_RETURN(year.costs, ParseList<core::CostLine>(object, "kostnader", ParseCost));
  return year;
}

Result<core::OutcomeYear> ParseOutcomeYear(const boost::json::value& value, std::string path) {
  STEGVIS_ASSIGN_OR_RETURN(JsonObject object,
                           JsonObject::Create(value, path, {"ar", "intakter", "kostnader"}));
  core::OutcomeYear year;
  STEGVIS_ASSIGN_OR_RETURN(year.year, Year(object));
  STEGVIS_ASSIGN_OR_RETURN(year.income,
                           ParseList<core::IncomeLine>(object, "intakter", ParseIncome));
  STEGVIS_ASSIGN_OR_RETURN(year.costs, ParseList<core::CostLine>(object, "kostnader", ParseCost));
  return year;
}

Result<int> RequiredInt(const JsonObject& object, std::string_view key) {
  STEGVIS_ASSIGN_OR_RETURN(std::optional<int> value, OptionalInt(object, key));
  if (!value) return Expected(object.PathOf(key), "ett heltal", "a whole number", nullptr);
  return *value;
}

Result<core::LadderStep> ParseStep(const boost::json::value& value, std::string path) {
  STEGVIS_ASSIGN_OR_RETURN(JsonObject object, JsonObject::Create(value, path, {"niva", "namn"}));
  core::LadderStep step;
  STEGVIS_ASSIGN_OR_RETURN(step.level, RequiredInt(object, "niva"));
  STEGVIS_ASSIGN_OR_RETURN(step.label, object.String("namn"));
  return step;
}

Result<core::MeasureDefinition> ParseMeasure(const boost::json::value& value, std::string path) {
  STEGVIS_ASSIGN_OR_RETURN(JsonObject object,
                           JsonObject::Create(value, path, {"id", "namn", "min", "max"}));
  core::MeasureDefinition measure;
  STEGVIS_ASSIGN_OR_RETURN(measure.id, object.String("id"));
  STEGVIS_ASSIGN_OR_RETURN(measure.name, object.String("namn"));
  STEGVIS_ASSIGN_OR_RETURN(measure.min, RequiredInt(object, "min"));
  STEGVIS_ASSIGN_OR_RETURN(measure.max, RequiredInt(object, "max"));
  return measure;
}

Result<core::SocioeconomicModel> ParseSocioeconomic(const boost::json::value& value,
                                                    std::string path) {
  STEGVIS_ASSIGN_OR_RETURN(
      JsonObject object,
      JsonObject::Create(value, path,
                         {"undvikt_stod", "undvikt_administration", "skatteintakt", "manader"}));
  core::SocioeconomicModel model;
  if (object.Has("undvikt_stod")) {
    STEGVIS_ASSIGN_OR_RETURN(model.avoided_support, object.Amount("undvikt_stod"));
  }
  if (object.Has("undvikt_administration")) {
    STEGVIS_ASSIGN_OR_RETURN(model.avoided_administration, object.Amount("undvikt_administration"));
  }
  if (object.Has("skatteintakt")) {
    STEGVIS_ASSIGN_OR_RETURN(model.tax_income, object.Amount("skatteintakt"));
  }
  if (object.Has("manader")) {
    STEGVIS_ASSIGN_OR_RETURN(model.months, RequiredInt(object, "manader"));
  }
  return model;
}

}  // namespace

Result<core::Plan> ParsePlanJson(std::string_view text) {
  STEGVIS_ASSIGN_OR_RETURN(boost::json::value document, ParseJsonText(text));
  STEGVIS_ASSIGN_OR_RETURN(
      JsonObject root,
      JsonObject::Create(document, "$",
                         {"format", "forbund", "medlemmar", "insatser", "eget_kapital", "budget",
                          "utfall", "trappa", "matt", "socioekonomi"}));
  const boost::json::value* format = root.Find("format");
  if (format == nullptr || !format->is_string() || format->get_string() != kPlanFormat) {
    return Expected(root.PathOf("format"), fmt::format("\"{}\"", kPlanFormat),
                    fmt::format("\"{}\"", kPlanFormat), format);
  }
  const boost::json::value* forbund = root.Find("forbund");
  if (forbund == nullptr)
    return Expected(root.PathOf("forbund"), "ett objekt", "an object", nullptr);

  core::Plan plan;
  STEGVIS_ASSIGN_OR_RETURN(plan.forbund, ParseForbund(*forbund, root.PathOf("forbund")));
  STEGVIS_ASSIGN_OR_RETURN(plan.members, ParseList<core::Member>(root, "medlemmar", ParseMember));
  STEGVIS_ASSIGN_OR_RETURN(plan.insatser, ParseList<core::Insats>(root, "insatser", ParseInsats));
  if (const boost::json::value* equity = root.Find("eget_kapital")) {
    STEGVIS_ASSIGN_OR_RETURN(
        JsonObject object,
        JsonObject::Create(*equity, root.PathOf("eget_kapital"), {"ar", "belopp"}));
    core::OpeningEquity opening;
    STEGVIS_ASSIGN_OR_RETURN(opening.year, Year(object));
    // Equity may be negative; read it as a signed amount.
    STEGVIS_ASSIGN_OR_RETURN(double amount, object.Number("belopp"));
    std::optional<util::Money> money = util::Money::FromKronorDecimal(amount);
    if (!money) {
      return Expected(object.PathOf("belopp"), "ett belopp i kronor med högst två decimaler",
                      "an amount in kronor with at most two decimals", object.Find("belopp"));
    }
    opening.amount = *money;
    plan.equity = opening;
  }
  STEGVIS_ASSIGN_OR_RETURN(plan.budget,
                           ParseList<core::BudgetYear>(root, "budget", ParseBudgetYear));
  STEGVIS_ASSIGN_OR_RETURN(plan.outcome,
                           ParseList<core::OutcomeYear>(root, "utfall", ParseOutcomeYear));
  STEGVIS_ASSIGN_OR_RETURN(plan.ladder, ParseList<core::LadderStep>(root, "trappa", ParseStep));
  STEGVIS_ASSIGN_OR_RETURN(plan.measures,
                           ParseList<core::MeasureDefinition>(root, "matt", ParseMeasure));
  if (const boost::json::value* model = root.Find("socioekonomi")) {
    STEGVIS_ASSIGN_OR_RETURN(plan.socioeconomic,
                             ParseSocioeconomic(*model, root.PathOf("socioekonomi")));
  }
  STEGVIS_TRY(core::ValidatePlan(plan));
  return plan;
}

}  // namespace stegvis::formats
