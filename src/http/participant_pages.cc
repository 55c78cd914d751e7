// The coach's pages and API: an intervention's records, registration, one record with its
// forms for measurement, exit and follow-up, and finding a person again by identifier.
// Every value a user typed is shown again only after RedactIdentifiers, and the identifier
// field is never filled in again: no page carries a personnummer.
#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "export/json_text.h"
#include "http/labels.h"
#include "http/pages.h"
#include "http/templates.h"

namespace stegvis::http {

namespace json = boost::json;
using util::Language;

namespace {

// The whole-number query parameter `name`: `fallback` when it is absent or empty, nullopt when
// it is not a whole number.
std::optional<std::size_t> QueryNumber(const PageRequest& request, const std::string& name,
                                       std::size_t fallback) {
  const auto found = request.query.find(name);
  if (found == request.query.end() || found->second.empty()) return fallback;
  std::size_t value = 0;
  const std::string& text = found->second;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

enum class FieldKind { kText, kIdentifier, kDate, kNumber, kSelect, kCheckboxes, kHidden };

struct FieldSpec {
  std::string name;
  std::string label;
  FieldKind kind = FieldKind::kText;
  std::vector<Choice> choices;  // For kSelect and kCheckboxes.
  bool required = false;
  std::string hint;
  std::string default_value;
};

// One field of a form as the "field" template wants it: the value typed (never for the
// identifier, and with identifiers redacted), the options with the chosen ones marked, and
// the error when it concerns this field.
json::object FieldJson(const std::string& form_id, const FieldSpec& spec,
                       const service::Fields& values, const util::Error* error, Language language) {
  const std::string id = form_id + "-" + spec.name;
  std::string value = spec.default_value;
  if (const auto found = values.find(spec.name); found != values.end()) value = found->second;
  if (spec.kind == FieldKind::kIdentifier) value.clear();
  value = util::RedactIdentifiers(value);
  const bool has_error = error != nullptr && error->location == spec.name;
  std::string described;
  if (!spec.hint.empty()) described = id + "-hjalp";
  if (has_error) described += (described.empty() ? "" : " ") + id + "-fel";
  json::object field{
      {"id", id},
      {"name", spec.name},
      {"label", spec.label},
      {"value", value},
      {"required", spec.required},
      {"hint", spec.hint.empty() ? json::value(false) : json::value(spec.hint)},
      {"describedby", described.empty() ? json::value(false) : json::value(described)},
      {"error", has_error ? json::value(util::RedactIdentifiers(error->text.In(language)))
                          : json::value(false)},
      {"hidden", spec.kind == FieldKind::kHidden},
      {"checkboxes", spec.kind == FieldKind::kCheckboxes},
      {"select", spec.kind == FieldKind::kSelect},
      {"numeric", spec.kind == FieldKind::kNumber},
      {"secret", spec.kind == FieldKind::kIdentifier},
      {"type", spec.kind == FieldKind::kDate ? "date" : "text"}};
  json::array options;
  // An optional select may stay empty; a required one without a default starts empty too, so
  // that nothing (kön, consent, a reason) is registered without a choice.
  if (spec.kind == FieldKind::kSelect && (!spec.required || spec.default_value.empty())) {
    options.push_back(
        json::object{{"code", ""},
                     {"text", spec.required ? L(language, "– välj –", "– choose –") : "–"},
                     {"selected", value.empty()}});
  }
  for (const Choice& choice : spec.choices) {
    // Checkbox values arrive joined with '|', as in the files.
    bool selected = value == choice.code;
    if (spec.kind == FieldKind::kCheckboxes) {
      const std::string bars = "|" + value + "|";
      selected = bars.find("|" + choice.code + "|") != std::string::npos;
    }
    options.push_back(
        json::object{{"code", choice.code}, {"text", choice.label}, {"selected", selected}});
  }
  field["options"] = std::move(options);
  return field;
}

// A form for the "record_form" template. An error that names none of its fields is shown
// above them.
json::object FormJson(const std::string& form_id, const std::string& action,
                      const std::string& submit, const std::vector<FieldSpec>& specs,
                      const service::Fields& values, const util::Error* error, Language language) {
  json::array fields;
  bool placed = false;
  for (const FieldSpec& spec : specs) {
    fields.push_back(FieldJson(form_id, spec, values, error, language));
    if (error != nullptr && error->location == spec.name && spec.kind != FieldKind::kHidden) {
      placed = true;
    }
  }
  json::value form_error = false;
  if (error != nullptr && !placed) {
    form_error = util::RedactIdentifiers(error->text.In(language));
  }
  return json::object{
      {"action", action}, {"submit", submit}, {"fields", fields}, {"form_error", form_error}};
}

// Errors a form shows beside its fields (the user can correct them), and their status; every
// other error (not allowed, store failure) is answered as an error page.
bool IsFormError(const util::Error& error) {
  return error.code == util::Code::kInvalidArgument || error.code == util::Code::kAlreadyExists ||
         error.code == util::Code::kFailedPrecondition;
}
unsigned FormErrorStatus(const util::Error& error) {
  return error.code == util::Code::kInvalidArgument ? 400 : 409;
}

std::string Today(const PageRequest& request) { return request.today.ToString(); }

std::vector<Choice> LadderChoices(const core::Plan& plan) {
  std::vector<Choice> choices;
  for (const core::LadderStep& step : plan.Ladder()) {
    choices.push_back(
        Choice{std::to_string(step.level), fmt::format("{} – {}", step.level, step.label)});
  }
  return choices;
}

std::vector<Choice> KommunChoices(const core::Plan& plan, Language language) {
  std::vector<Choice> choices;
  for (const core::Member& member : plan.members) {
    if (member.type == core::MemberType::kKommun) choices.push_back({member.id, member.name});
  }
  choices.push_back({"annan", L(language, "Annan kommun", "Another municipality")});
  return choices;
}

std::vector<Choice> MeasureChoices(const core::Plan& plan, Language language) {
  std::vector<Choice> choices = {
      {std::string(core::kMeasureSteg), L(language, "Steg på trappan", "Ladder step")},
      {std::string(core::kMeasureHalsa),
       L(language, "Självskattad hälsa (0–100)", "Self-rated health (0–100)")},
      {std::string(core::kMeasureLivskvalitet),
       L(language, "Livskvalitet (1–10)", "Quality of life (1–10)")}};
  for (const core::MeasureDefinition& measure : plan.measures) {
    choices.push_back(
        {measure.id, fmt::format("{} ({}–{})", measure.name, measure.min, measure.max)});
  }
  return choices;
}

// A required date field that starts at today.
FieldSpec DateField(const std::string& name, const std::string& label, const PageRequest& request) {
  return {name,
          label,
          FieldKind::kDate,
          {},
          true,
          L(request.language, "ÅÅÅÅ-MM-DD", "YYYY-MM-DD"),
          Today(request)};
}

std::vector<FieldSpec> RegisterFields(const core::Plan& plan, const std::string& insats_id,
                                      const PageRequest& request) {
  const Language language = request.language;
  return {
      {"insats", "", FieldKind::kHidden, {}, false, "", insats_id},
      {"samtycke",
       L(language, "Samtycke", "Consent"),
       FieldKind::kSelect,
       {{"ja", L(language, "Ja, deltagaren har samtyckt", "Yes, the participant consented")},
        {"nej", L(language, "Nej: registrera anonymt (bara kön och startår)",
                  "No: register anonymously (only kön and start year)")}},
       true,
       "",
       ""},
      {"deltagare",
       L(language, "Personnummer eller lokal kod", "Personnummer or local code"),
       FieldKind::kIdentifier,
       {},
       false,
       L(language, "Sparas aldrig: blir en nyckelkodad pseudonym. Lämna tomt när samtycke saknas.",
         "Never stored: it becomes a keyed pseudonym. Leave empty without consent."),
       ""},
      {"kon", L(language, "Kön", "Kön (gender)"), FieldKind::kSelect, KonChoices(language), true,
       "", ""},
      DateField("startdatum", L(language, "Startdatum", "Start date"), request),
      {"fodelsear",
       L(language, "Födelseår", "Birth year"),
       FieldKind::kNumber,
       {},
       false,
       L(language, "Behövs bara med lokal kod: personnumret ger födelseåret.",
         "Needed only with a local code: the personnummer gives the birth year."),
       ""},
      {"kommun", L(language, "Hemkommun", "Home municipality"), FieldKind::kSelect,
       KommunChoices(plan, language), false, "", ""},
      {"remittent", L(language, "Remittent", "Referred by"), FieldKind::kSelect,
       RemittentChoices(language), false, "", ""},
      {"forsorjning_start", L(language, "Försörjning vid start", "Income source at start"),
       FieldKind::kCheckboxes, ForsorjningChoices(language), false, "", ""},
      {"steg_start", L(language, "Steg på trappan vid start", "Ladder step at start"),
       FieldKind::kSelect, LadderChoices(plan), false, "", ""},
  };
}

std::vector<FieldSpec> MeasurementFields(const core::Plan& plan, const PageRequest& request) {
  const Language language = request.language;
  return {DateField("datum", L(language, "Datum", "Date"), request),
          {"matt", L(language, "Mått", "Measure"), FieldKind::kSelect,
           MeasureChoices(plan, language), true, "", std::string(core::kMeasureSteg)},
          {"varde",
           L(language, "Värde", "Value"),
           FieldKind::kNumber,
           {},
           true,
           L(language, "Steg: trappans nivå; hälsa 0–100; livskvalitet 1–10.",
             "Step: the ladder's level; health 0–100; quality of life 1–10."),
           ""}};
}

std::vector<FieldSpec> ExitFields(const core::Plan& plan, const PageRequest& request) {
  const Language language = request.language;
  return {DateField("slutdatum", L(language, "Slutdatum", "End date"), request),
          {"avslutsorsak", L(language, "Avslutsorsak", "Exit reason"), FieldKind::kSelect,
           ExitReasonChoices(language), true, "", ""},
          {"forsorjning_slut", L(language, "Försörjning vid avslut", "Income source at exit"),
           FieldKind::kCheckboxes, ForsorjningChoices(language), false, "", ""},
          {"steg_slut", L(language, "Steg på trappan vid avslut", "Ladder step at exit"),
           FieldKind::kSelect, LadderChoices(plan), false, "", ""}};
}

std::vector<FieldSpec> FollowUpFields(const PageRequest& request) {
  const Language language = request.language;
  return {DateField("datum", L(language, "Datum", "Date"), request),
          {"manader",
           L(language, "Månader efter avslut", "Months after exit"),
           FieldKind::kSelect,
           {{"6", L(language, "6 månader", "6 months")},
            {"12", L(language, "12 månader", "12 months")}},
           true,
           "",
           "6"},
          {"sysselsattning", L(language, "Sysselsättning", "Occupation"), FieldKind::kSelect,
           SysselsattningChoices(language), true, "", ""}};
}

std::string ForbundBase(const std::string& forbund_id) { return "/forbund/" + forbund_id; }
std::string ListBase(const std::string& forbund_id, const std::string& insats_id) {
  return ForbundBase(forbund_id) + "/insatser/" + insats_id + "/deltagare";
}
std::string RecordHref(const std::string& forbund_id, std::int64_t id) {
  return fmt::format("{}/deltagare/{}", ForbundBase(forbund_id), id);
}

std::optional<int> LatestStep(const core::Enrolment& enrolment) {
  const core::Measurement* latest = nullptr;
  for (const core::Measurement& measurement : enrolment.measurements) {
    if (measurement.measure != core::kMeasureSteg) continue;
    if (latest == nullptr || measurement.date >= latest->date) latest = &measurement;
  }
  return latest ? std::optional<int>(latest->value) : std::nullopt;
}

// "Pågår", or "Avslutad 2024-05-31 (Arbete)" with the reason's label from `reasons`.
std::string StatusText(const core::Enrolment& enrolment, const std::vector<Choice>& reasons,
                       Language language) {
  if (!enrolment.exit) return L(language, "Pågår", "Ongoing");
  return fmt::format("{} {} ({})", L(language, "Avslutad", "Ended"),
                     enrolment.exit->date.ToString(),
                     LabelOf(reasons, core::ExitReasonCode(enrolment.exit->reason)));
}

std::string IncomeText(const std::vector<core::Forsorjning>& income, Language language) {
  std::string text;
  for (core::Forsorjning item : income) {
    text += (text.empty() ? "" : ", ") +
            LabelOf(ForsorjningChoices(language), core::ForsorjningCode(item));
  }
  return text.empty() ? "–" : text;
}

std::string MeasureLabel(const core::Plan& plan, const std::string& measure, Language language) {
  return LabelOf(MeasureChoices(plan, language), measure);
}

// The record page with the given form's values and error (after a failed submission).
Page RenderRecord(const PageRequest& request, const service::InsatsRecords& records,
                  const std::string& forbund_id, const std::string& failed_form,
                  const service::Fields& values, const util::Error* error) {
  const Language language = request.language;
  const service::EnrolmentRecord& record = records.records.at(0);
  const core::Enrolment& enrolment = record.enrolment;
  const core::Plan& plan = records.plan;
  json::array facts;
  auto fact = [&](const std::string& term, const std::string& value) {
    facts.push_back(json::object{{"term", term}, {"value", value.empty() ? "–" : value}});
  };
  fact(L(language, "Insats", "Intervention"),
       records.insats ? records.insats->name : enrolment.insats_id);
  fact(L(language, "Samtycke", "Consent"), record.identified
                                               ? L(language, "Ja", "Yes")
                                               : L(language, "Nej (anonym)", "No (anonymous)"));
  fact(L(language, "Kön", "Kön (gender)"),
       LabelOf(KonChoices(language), core::KonCode(enrolment.kon)));
  fact(L(language, "Födelseår", "Birth year"),
       enrolment.birth_year ? std::to_string(*enrolment.birth_year) : "");
  fact(L(language, "Hemkommun", "Home municipality"),
       enrolment.kommun ? LabelOf(KommunChoices(plan, language), *enrolment.kommun) : "");
  fact(L(language, "Remittent", "Referred by"),
       enrolment.remittent
           ? LabelOf(RemittentChoices(language), core::RemittentCode(*enrolment.remittent))
           : "");
  fact(L(language, "Försörjning vid start", "Income source at start"),
       IncomeText(enrolment.income_at_start, language));
  fact(L(language, "Startdatum", "Start date"), enrolment.start.ToString());
  fact(L(language, "Status", "Status"),
       StatusText(enrolment, ExitReasonChoices(language), language));
  if (enrolment.exit) {
    fact(L(language, "Försörjning vid avslut", "Income source at exit"),
         IncomeText(enrolment.exit->income, language));
  }

  std::vector<core::Measurement> measurements = enrolment.measurements;
  std::sort(measurements.begin(), measurements.end(),
            [](const core::Measurement& a, const core::Measurement& b) {
              return std::tie(a.date, a.measure) < std::tie(b.date, b.measure);
            });
  json::array measurement_rows;
  for (const core::Measurement& measurement : measurements) {
    measurement_rows.push_back(
        json::object{{"date", measurement.date.ToString()},
                     {"measure", MeasureLabel(plan, measurement.measure, language)},
                     {"value", std::to_string(measurement.value)}});
  }
  json::array follow_up_rows;
  for (const core::FollowUp& follow_up : enrolment.follow_ups) {
    follow_up_rows.push_back(json::object{
        {"date", follow_up.date.ToString()},
        {"months", std::to_string(follow_up.months)},
        {"status",
         LabelOf(SysselsattningChoices(language), core::SysselsattningCode(follow_up.status))}});
  }

  const std::string href = RecordHref(forbund_id, enrolment.id);
  json::array forms;
  auto add_form = [&](const std::string& name, const std::string& heading,
                      const std::string& submit, const std::vector<FieldSpec>& specs) {
    const bool failed = failed_form == name;
    json::object form =
        FormJson(name, href + "/" + name, submit, specs, failed ? values : service::Fields{},
                 failed ? error : nullptr, language);
    form["anchor"] = name;
    form["heading"] = heading;
    forms.push_back(std::move(form));
  };
  if (record.identified) {
    add_form("matningar", L(language, "Ny mätning", "New measurement"),
             L(language, "Spara mätningen", "Save the measurement"),
             MeasurementFields(plan, request));
    if (!enrolment.exit) {
      add_form("avslut", L(language, "Registrera avslut", "Register the exit"),
               L(language, "Spara avslutet", "Save the exit"), ExitFields(plan, request));
    } else {
      add_form("uppfoljningar", L(language, "Ny uppföljning", "New follow-up"),
               L(language, "Spara uppföljningen", "Save the follow-up"), FollowUpFields(request));
    }
  }

  json::value message = false;
  const auto saved = request.query.find("sparat");
  if (saved != request.query.end()) {
    if (saved->second == "ny")
      message = L(language, "Deltagaren är registrerad.", "The participant is registered.");
    if (saved->second == "matningar")
      message = L(language, "Mätningen är sparad.", "The measurement is saved.");
    if (saved->second == "avslut")
      message = L(language, "Avslutet är sparat.", "The exit is saved.");
    if (saved->second == "uppfoljningar")
      message = L(language, "Uppföljningen är sparad.", "The follow-up is saved.");
  }

  json::object data{
      {"message", message},
      {"csrf", request.csrf},
      {"t_required", L(language, "obligatoriskt", "required")},
      {"list_href", ListBase(forbund_id, enrolment.insats_id)},
      {"t_back", L(language, "← Insatsens deltagare", "← The intervention's participants")},
      {"facts", facts},
      {"t_measurements", L(language, "Mätningar", "Measurements")},
      {"has_measurements", !measurement_rows.empty()},
      {"measurements", measurement_rows},
      {"t_date", L(language, "Datum", "Date")},
      {"t_measure", L(language, "Mått", "Measure")},
      {"t_value", L(language, "Värde", "Value")},
      {"t_none", L(language, "Inga ännu.", "None yet.")},
      {"follow_up_section", enrolment.exit.has_value()},
      {"t_follow_ups", L(language, "Uppföljningar efter avslut", "Follow-ups after exit")},
      {"has_follow_ups", !follow_up_rows.empty()},
      {"follow_ups", follow_up_rows},
      {"t_months", L(language, "Månader", "Months")},
      {"t_status", L(language, "Sysselsättning", "Occupation")},
      {"forms", forms}};
  Page page;
  page.status = error != nullptr ? FormErrorStatus(*error) : 200;
  page.title = fmt::format("{} {}", L(language, "Inskrivning", "Enrolment"), enrolment.id);
  page.html = RenderTemplate("participant_record.mustache", data);
  return page;
}

Page RenderRegister(const PageRequest& request, const core::Plan& plan, const core::Insats& insats,
                    const std::string& forbund_id, const service::Fields& values,
                    const util::Error* error) {
  const Language language = request.language;
  json::object data{
      {"csrf", request.csrf},
      {"t_required", L(language, "obligatoriskt", "required")},
      {"t_intro", L(language,
                    "Inga namn sparas. Personnumret eller den lokala koden görs om till en "
                    "pseudonym och visas aldrig igen.",
                    "No names are stored. The personnummer or local code becomes a pseudonym and "
                    "is never shown again.")},
      {"form",
       FormJson("ny", ListBase(forbund_id, insats.id), L(language, "Registrera", "Register"),
                RegisterFields(plan, insats.id, request), values, error, language)}};
  Page page;
  page.status = error != nullptr ? FormErrorStatus(*error) : 200;
  page.title = fmt::format("{} — {}", L(language, "Registrera deltagare", "Register a participant"),
                           insats.name);
  page.html = RenderTemplate("register.mustache", data);
  return page;
}

}  // namespace

namespace {

// Records on one page of the list.
constexpr std::size_t kListPageSize = 50;

// The list page; `find_error` is shown beside the search field after a failed search.
util::Result<Page> RenderList(const PageRequest& request, Services& services,
                              const std::string& forbund_id, const std::string& insats_id,
                              const util::Error* find_error) {
  const Language language = request.language;
  std::string status = "pagaende";
  if (const auto found = request.query.find("status"); found != request.query.end()) {
    if (found->second == "avslutade" || found->second == "alla") status = found->second;
  }
  // A page number that makes no sense shows the first page.
  const std::optional<std::size_t> asked = QueryNumber(request, "sida", 1);
  const std::size_t page_number = asked && *asked >= 1 && *asked <= 1'000'000 ? *asked : 1;
  service::RecordQuery query;
  query.filter = status == "alla"        ? store::EnrolmentFilter::kAll
                 : status == "avslutade" ? store::EnrolmentFilter::kEnded
                                         : store::EnrolmentFilter::kOngoing;
  query.limit = kListPageSize;
  query.offset = (page_number - 1) * kListPageSize;
  STEGVIS_ASSIGN_OR_RETURN(
      service::InsatsRecords records,
      services.participants.ListRecords(request.actor, forbund_id, insats_id, query));
  std::vector<const service::EnrolmentRecord*> shown;
  for (const service::EnrolmentRecord& record : records.records) shown.push_back(&record);
  // The labels, once for every row.
  const std::vector<Choice> kon = KonChoices(language);
  const std::vector<Choice> kommuner = KommunChoices(records.plan, language);
  const std::vector<Choice> reasons = ExitReasonChoices(language);
  json::array rows;
  for (const service::EnrolmentRecord* record : shown) {
    const core::Enrolment& enrolment = record->enrolment;
    const std::optional<int> step = LatestStep(enrolment);
    rows.push_back(json::object{
        {"href", RecordHref(forbund_id, enrolment.id)},
        {"id", std::to_string(enrolment.id) +
                   (record->identified ? "" : L(language, " (anonym)", " (anonymous)"))},
        {"kon", LabelOf(kon, core::KonCode(enrolment.kon))},
        {"fodelsear", enrolment.birth_year ? std::to_string(*enrolment.birth_year) : "–"},
        {"kommun", enrolment.kommun ? LabelOf(kommuner, *enrolment.kommun) : "–"},
        {"start", enrolment.start.ToString()},
        {"steg", step ? std::to_string(*step) : "–"},
        {"status", StatusText(enrolment, reasons, language)}});
  }
  json::value message = false;
  if (const auto found = request.query.find("sok");
      found != request.query.end() && found->second == "ingen") {
    message = L(language, "Ingen inskrivning i insatsen för den personen.",
                "No enrolment in the intervention for that person.");
  }
  const std::string base = ListBase(forbund_id, insats_id);
  json::array statuses;
  for (const auto& [code, swedish, english] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"pagaende", "Pågående", "Ongoing"},
           {"avslutade", "Avslutade", "Ended"},
           {"alla", "Alla", "All"}}) {
    statuses.push_back(json::object{
        {"code", code}, {"text", L(language, swedish, english)}, {"selected", code == status}});
  }
  const FieldSpec find{"deltagare",
                       L(language, "Personnummer eller lokal kod", "Personnummer or local code"),
                       FieldKind::kIdentifier,
                       {},
                       true,
                       L(language, "Sökningen loggas. Numret sparas inte och visas inte.",
                         "The search is logged. The number is neither stored nor shown."),
                       ""};
  json::object data{
      {"message", message},
      {"csrf", request.csrf},
      {"t_required", L(language, "obligatoriskt", "required")},
      {"base", base},
      {"t_register", L(language, "Registrera ny deltagare", "Register a new participant")},
      {"t_find_heading", L(language, "Hitta en deltagare", "Find a participant")},
      {"find", FieldJson("sok", find, {}, find_error, language)},
      {"t_find", L(language, "Sök", "Search")},
      {"t_list_heading", L(language, "Inskrivningar", "Enrolments")},
      {"t_show", L(language, "Visa", "Show")},
      {"t_filter", L(language, "Filtrera", "Filter")},
      {"statuses", statuses},
      {"summary",
       rows.empty()
           ? fmt::format("{}: {}. {}: 0 {} {}.", L(language, "Pågående", "Ongoing"),
                         records.ongoing, L(language, "Visas", "Shown"), L(language, "av", "of"),
                         records.matching)
           : fmt::format("{}: {}. {}: {}–{} {} {}.", L(language, "Pågående", "Ongoing"),
                         records.ongoing, L(language, "Visas", "Shown"), query.offset + 1,
                         query.offset + rows.size(), L(language, "av", "of"), records.matching)},
      {"previous", page_number > 1 ? json::value(fmt::format("{}?status={}&sida={}", base, status,
                                                             page_number - 1))
                                   : json::value(false)},
      {"next", query.offset + rows.size() < records.matching
                   ? json::value(fmt::format("{}?status={}&sida={}", base, status, page_number + 1))
                   : json::value(false)},
      {"pager", page_number > 1 || query.offset + rows.size() < records.matching},
      {"t_previous", L(language, "Föregående sida", "Previous page")},
      {"t_next", L(language, "Nästa sida", "Next page")},
      {"t_pages", L(language, "Sidor", "Pages")},
      {"caption",
       L(language, "Inskrivningar (ingen identitet visas)", "Enrolments (no identity is shown)")},
      {"columns",
       json::array{L(language, "Inskrivning", "Enrolment"), L(language, "Kön", "Kön"),
                   L(language, "Födelseår", "Birth year"), L(language, "Hemkommun", "Municipality"),
                   L(language, "Start", "Start"), L(language, "Senaste steg", "Latest step"),
                   L(language, "Status", "Status")}},
      {"rows", rows}};
  Page page;
  page.title =
      fmt::format("{} — {}", L(language, "Deltagare", "Participants"), records.insats->name);
  page.status = find_error != nullptr ? 400 : 200;
  page.html = RenderTemplate("participant_list.mustache", data);
  return page;
}

}  // namespace

util::Result<Page> ParticipantListPage(const PageRequest& request, Services& services,
                                       const std::string& forbund_id,
                                       const std::string& insats_id) {
  return RenderList(request, services, forbund_id, insats_id, nullptr);
}

util::Result<Page> RegisterPage(const PageRequest& request, Services& services,
                                const std::string& forbund_id, const std::string& insats_id) {
  // Listing is the read permission for the intervention; the list itself is not shown.
  STEGVIS_TRY(service::Authorize(request.actor, service::Action::kWriteParticipants,
                                 {forbund_id, insats_id}));
  STEGVIS_ASSIGN_OR_RETURN(core::Plan plan, services.plans.Plan(request.actor, forbund_id));
  const core::Insats* insats = plan.FindInsats(insats_id);
  if (insats == nullptr) {
    return util::Fail(util::Code::kNotFound, insats_id, "insatsen finns inte",
                      "no such intervention");
  }
  return RenderRegister(request, plan, *insats, forbund_id, {}, nullptr);
}

util::Result<Page> RegisterSubmit(const PageRequest& request, Services& services,
                                  const std::string& forbund_id, const std::string& insats_id,
                                  const service::Fields& form) {
  service::Fields fields = form;
  fields["insats"] = insats_id;  // The page's intervention, whatever the form says.
  auto registered = services.participants.RegisterEnrolment(request.actor, forbund_id, fields);
  if (registered) {
    Page page;
    page.redirect = RecordHref(forbund_id, *registered) + "?sparat=ny";
    return page;
  }
  if (!IsFormError(registered.error())) return util::Fail(registered.error());
  STEGVIS_ASSIGN_OR_RETURN(core::Plan plan, services.plans.Plan(request.actor, forbund_id));
  const core::Insats* insats = plan.FindInsats(insats_id);
  if (insats == nullptr) return util::Fail(registered.error());
  return RenderRegister(request, plan, *insats, forbund_id, fields, &registered.error());
}

util::Result<Page> FindPersonSubmit(const PageRequest& request, Services& services,
                                    const std::string& forbund_id, const std::string& insats_id,
                                    const service::Fields& form) {
  const auto identifier = form.find("deltagare");
  auto found = services.participants.FindPerson(request.actor, forbund_id, insats_id,
                                                identifier == form.end() ? "" : identifier->second);
  if (!found) {
    if (found.error().code != util::Code::kInvalidArgument) return util::Fail(found.error());
    return RenderList(request, services, forbund_id, insats_id, &found.error());
  }
  Page page;
  page.redirect = found->empty() ? ListBase(forbund_id, insats_id) + "?sok=ingen"
                                 : RecordHref(forbund_id, found->front());
  return page;
}

util::Result<Page> RecordPage(const PageRequest& request, Services& services,
                              const std::string& forbund_id, std::int64_t enrolment_id) {
  STEGVIS_ASSIGN_OR_RETURN(service::InsatsRecords records,
                           services.participants.Record(request.actor, forbund_id, enrolment_id));
  return RenderRecord(request, records, forbund_id, "", {}, nullptr);
}

namespace {

util::Status ApplyRecordChange(const PageRequest& request, Services& services,
                               const std::string& forbund_id, std::int64_t enrolment_id,
                               const std::string& form_name, const service::Fields& fields) {
  service::ParticipantService& participants = services.participants;
  if (form_name == "matningar") {
    return participants.AddMeasurement(request.actor, forbund_id, enrolment_id, fields);
  }
  if (form_name == "avslut") {
    return participants.RegisterExit(request.actor, forbund_id, enrolment_id, fields);
  }
  if (form_name == "uppfoljningar") {
    return participants.RegisterFollowUp(request.actor, forbund_id, enrolment_id, fields);
  }
  return util::Fail(util::Code::kNotFound, form_name, "sidan finns inte", "no such page");
}

}  // namespace

util::Result<Page> RecordSubmit(const PageRequest& request, Services& services,
                                const std::string& forbund_id, std::int64_t enrolment_id,
                                const std::string& form_name, const service::Fields& form) {
  auto changed = ApplyRecordChange(request, services, forbund_id, enrolment_id, form_name, form);
  if (changed) {
    Page page;
    page.redirect = RecordHref(forbund_id, enrolment_id) + "?sparat=" + form_name + "#" + form_name;
    return page;
  }
  if (!IsFormError(changed.error())) return util::Fail(changed.error());
  STEGVIS_ASSIGN_OR_RETURN(service::InsatsRecords records,
                           services.participants.Record(request.actor, forbund_id, enrolment_id));
  return RenderRecord(request, records, forbund_id, form_name, form, &changed.error());
}

// ---- API ----

namespace {

json::object RecordJson(const service::EnrolmentRecord& record) {
  const core::Enrolment& enrolment = record.enrolment;
  json::array income;
  for (core::Forsorjning item : enrolment.income_at_start)
    income.push_back(json::string(core::ForsorjningCode(item)));
  json::array measurements;
  for (const core::Measurement& measurement : enrolment.measurements) {
    measurements.push_back(json::object{{"datum", measurement.date.ToString()},
                                        {"matt", measurement.measure},
                                        {"varde", measurement.value}});
  }
  json::array follow_ups;
  for (const core::FollowUp& follow_up : enrolment.follow_ups) {
    follow_ups.push_back(
        json::object{{"datum", follow_up.date.ToString()},
                     {"manader", follow_up.months},
                     {"sysselsattning", core::SysselsattningCode(follow_up.status)}});
  }
  json::value exit = nullptr;
  if (enrolment.exit) {
    json::array exit_income;
    for (core::Forsorjning item : enrolment.exit->income)
      exit_income.push_back(json::string(core::ForsorjningCode(item)));
    exit = json::object{{"slutdatum", enrolment.exit->date.ToString()},
                        {"avslutsorsak", core::ExitReasonCode(enrolment.exit->reason)},
                        {"forsorjning_slut", exit_income}};
  }
  auto optional_text = [](const auto& value) -> json::value {
    if (!value) return nullptr;
    return json::string(*value);
  };
  return json::object{
      {"id", enrolment.id},
      {"insats", enrolment.insats_id},
      {"samtycke", record.identified},
      {"kon", core::KonCode(enrolment.kon)},
      {"fodelsear",
       enrolment.birth_year ? json::value(*enrolment.birth_year) : json::value(nullptr)},
      {"kommun", optional_text(enrolment.kommun)},
      {"remittent", enrolment.remittent
                        ? json::value(json::string(core::RemittentCode(*enrolment.remittent)))
                        : json::value(nullptr)},
      {"startdatum", enrolment.start.ToString()},
      {"forsorjning_start", income},
      {"avslut", exit},
      {"matningar", measurements},
      {"uppfoljningar", follow_ups}};
}

// The fields of a JSON request body: an object of strings, whole numbers, or (for the income
// fields) arrays of codes, which are joined with '|' as in the files.
util::Result<service::Fields> FieldsFromJson(const std::string& body) {
  boost::system::error_code code;
  const json::value value = json::parse(body, code);
  auto invalid = [](std::string location, std::string swedish, std::string english) {
    return util::Fail(util::Code::kInvalidArgument, std::move(location), std::move(swedish),
                      std::move(english));
  };
  if (code || !value.is_object()) {
    return invalid("$", "förväntade ett JSON-objekt med fälten",
                   "expected a JSON object of fields");
  }
  service::Fields fields;
  for (const auto& [key, item] : value.get_object()) {
    const std::string name(key);
    if (item.is_string()) {
      fields[name] = std::string(item.get_string());
    } else if (item.is_int64()) {
      fields[name] = std::to_string(item.get_int64());
    } else if (item.is_array()) {
      std::string joined;
      for (const json::value& part : item.get_array()) {
        if (!part.is_string()) {
          return invalid(name, "förväntade en lista av koder", "expected a list of codes");
        }
        joined += (joined.empty() ? "" : "|") + std::string(part.get_string());
      }
      fields[name] = joined;
    } else if (!item.is_null()) {
      return invalid(name, "förväntade en text, ett heltal eller en lista av koder",
                     "expected a string, a whole number or a list of codes");
    }
  }
  return fields;
}

}  // namespace

util::Result<ApiAnswer> ApiParticipantList(const PageRequest& request, Services& services,
                                           const std::string& forbund_id,
                                           const std::string& insats_id) {
  // ?fran=N&antal=M: M records (at most kMaxRecordsPerPage, default 100) from the N-th
  // (0-based), newest start first; &status=pagaende|avslutade|alla (default alla).
  constexpr std::size_t kMaxOffset = 1'000'000'000;
  const std::optional<std::size_t> offset = QueryNumber(request, "fran", 0);
  if (!offset || *offset > kMaxOffset) {
    return util::Fail(util::Code::kInvalidArgument, "fran",
                      fmt::format("förväntade ett heltal 0–{}", kMaxOffset),
                      fmt::format("expected a whole number 0–{}", kMaxOffset));
  }
  const std::optional<std::size_t> limit = QueryNumber(request, "antal", 100);
  if (!limit || *limit == 0 || *limit > service::kMaxRecordsPerPage) {
    return util::Fail(util::Code::kInvalidArgument, "antal",
                      fmt::format("förväntade ett heltal 1–{}", service::kMaxRecordsPerPage),
                      fmt::format("expected a whole number 1–{}", service::kMaxRecordsPerPage));
  }
  service::RecordQuery query{store::EnrolmentFilter::kAll, *offset, *limit};
  if (const auto found = request.query.find("status"); found != request.query.end()) {
    if (found->second == "pagaende") {
      query.filter = store::EnrolmentFilter::kOngoing;
    } else if (found->second == "avslutade") {
      query.filter = store::EnrolmentFilter::kEnded;
    } else if (found->second != "alla") {
      return util::Fail(util::Code::kInvalidArgument, "status",
                        "förväntade pagaende, avslutade eller alla",
                        "expected pagaende, avslutade or alla");
    }
  }
  STEGVIS_ASSIGN_OR_RETURN(
      service::InsatsRecords records,
      services.participants.ListRecords(request.actor, forbund_id, insats_id, query));
  json::array items;
  for (const service::EnrolmentRecord& record : records.records)
    items.push_back(RecordJson(record));
  return ApiAnswer{200, json::object{{"forbund", forbund_id},
                                     {"insats", insats_id},
                                     {"totalt", records.matching},
                                     {"fran", query.offset},
                                     {"deltagare", items}}};
}

util::Result<ApiAnswer> ApiRecord(const PageRequest& request, Services& services,
                                  const std::string& forbund_id, std::int64_t enrolment_id) {
  STEGVIS_ASSIGN_OR_RETURN(service::InsatsRecords records,
                           services.participants.Record(request.actor, forbund_id, enrolment_id));
  return ApiAnswer{200, RecordJson(records.records.at(0))};
}

util::Result<ApiAnswer> ApiRegister(const PageRequest& request, Services& services,
                                    const std::string& forbund_id, const std::string& body) {
  STEGVIS_ASSIGN_OR_RETURN(service::Fields fields, FieldsFromJson(body));
  STEGVIS_ASSIGN_OR_RETURN(
      std::int64_t id, services.participants.RegisterEnrolment(request.actor, forbund_id, fields));
  return ApiAnswer{
      201,
      json::object{{"id", id}, {"href", fmt::format("/api/v1{}", RecordHref(forbund_id, id))}}};
}

util::Result<ApiAnswer> ApiRecordChange(const PageRequest& request, Services& services,
                                        const std::string& forbund_id, std::int64_t enrolment_id,
                                        const std::string& form_name, const std::string& body) {
  STEGVIS_ASSIGN_OR_RETURN(service::Fields fields, FieldsFromJson(body));
  STEGVIS_TRY(ApplyRecordChange(request, services, forbund_id, enrolment_id, form_name, fields));
  return ApiRecord(request, services, forbund_id, enrolment_id);
}

util::Result<ApiAnswer> ApiTasks(const PageRequest& request, Services& services,
                                 const std::string& forbund_id) {
  STEGVIS_TRY(
      service::Authorize(request.actor, service::Action::kViewPlan, {forbund_id, std::nullopt}));
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Task> tasks,
                           services.participants.OpenTasks(request.actor, forbund_id));
  json::array items;
  for (const core::Task& task : tasks) {
    items.push_back(json::object{{"typ", core::TaskKindCode(task.kind)},
                                 {"inskrivning", task.enrolment_id},
                                 {"insats", task.insats_id},
                                 {"senast", task.due.ToString()},
                                 {"manader", task.months}});
  }
  return ApiAnswer{200, json::object{{"uppgifter", items}}};
}

}  // namespace stegvis::http
