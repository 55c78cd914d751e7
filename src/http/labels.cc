#include "http/labels.h"

#include <fmt/format.h>

namespace stegvis::http {

namespace {

struct Label {
  std::string_view code;
  std::string_view swedish;
  std::string_view english;
};

std::vector<Choice> Choices(std::initializer_list<Label> labels, util::Language language) {
  std::vector<Choice> choices;
  for (const Label& label : labels) {
    choices.push_back(
        Choice{std::string(label.code),
               std::string(language == util::Language::kEnglish ? label.english : label.swedish)});
  }
  return choices;
}

}  // namespace

std::vector<Choice> KonChoices(util::Language language) {
  return Choices({{core::KonCode(core::Kon::kKvinna), "Kvinna", "Woman"},
                  {core::KonCode(core::Kon::kMan), "Man", "Man"},
                  {core::KonCode(core::Kon::kAnnat), "Annat", "Other"}},
                 language);
}

std::vector<Choice> RemittentChoices(util::Language language) {
  return Choices({{"fk", "Försäkringskassan", "Social Insurance Agency (FK)"},
                  {"af", "Arbetsförmedlingen", "Public Employment Service (AF)"},
                  {"kommun", "Kommunen", "Municipality"},
                  {"region", "Regionen", "Region"},
                  {"egen", "Egen anmälan", "Self-referral"},
                  {"annan", "Annan", "Other"}},
                 language);
}

std::vector<Choice> ForsorjningChoices(util::Language language) {
  return Choices({{"lon", "Lön", "Salary"},
                  {"lonebidrag", "Lönebidrag", "Wage subsidy"},
                  {"sjukpenning", "Sjukpenning", "Sickness benefit"},
                  {"rehabiliteringspenning", "Rehabiliteringspenning", "Rehabilitation benefit"},
                  {"aktivitetsersattning", "Aktivitetsersättning", "Activity compensation"},
                  {"sjukersattning", "Sjukersättning", "Sickness compensation"},
                  {"a_kassa", "A-kassa", "Unemployment insurance"},
                  {"aktivitetsstod", "Aktivitetsstöd", "Activity support"},
                  {"etableringsersattning", "Etableringsersättning", "Establishment benefit"},
                  {"forsorjningsstod", "Försörjningsstöd", "Social assistance"},
                  {"studiemedel", "Studiemedel", "Student aid"},
                  {"ingen", "Ingen ersättning", "No benefit"},
                  {"annan", "Annan", "Other"}},
                 language);
}

std::vector<Choice> ExitReasonChoices(util::Language language) {
  return Choices(
      {{"arbete", "Arbete", "Work"},
       {"arbete_med_stod", "Arbete med stöd (t.ex. lönebidrag)", "Work with support"},
       {"studier", "Studier", "Studies"},
       {"arbetsinriktad", "Arbetslivsinriktad rehabilitering", "Work-oriented rehabilitation"},
       {"arbetssokande", "Aktivt arbetssökande", "Actively seeking work"},
       {"sjukdom", "Sjukdom", "Illness"},
       {"egen_begaran", "Avbrott på egen begäran", "Left at own request"},
       {"ater_remittent", "Åter till remittent", "Back to the referrer"},
       {"flytt", "Flytt", "Moved"},
       {"annat", "Annat skäl", "Other reason"},
       {"felregistrering", "Felregistrering", "Registered by mistake"}},
      language);
}

std::vector<Choice> SysselsattningChoices(util::Language language) {
  return Choices({{"arbete", "Arbete", "Work"},
                  {"arbete_med_stod", "Arbete med stöd", "Work with support"},
                  {"studier", "Studier", "Studies"},
                  {"arbetssokande", "Arbetssökande", "Seeking work"},
                  {"ingen", "Ingen sysselsättning", "No occupation"},
                  {"okand", "Okänt", "Unknown"}},
                 language);
}

std::string LabelOf(const std::vector<Choice>& choices, std::string_view code) {
  for (const Choice& choice : choices) {
    if (choice.code == code) return choice.label;
  }
  return std::string(code);
}

std::string TaskLabel(const core::Task& task, util::Language language) {
  const bool english = language == util::Language::kEnglish;
  switch (task.kind) {
    case core::TaskKind::kFollowUpDue:
      return english ? fmt::format("Follow-up {} months after exit", task.months)
                     : fmt::format("Uppföljning {} månader efter avslut", task.months);
    case core::TaskKind::kMaxTimeNear:
      return english ? fmt::format("Maximum enrolment time ({} months)", task.months)
                     : fmt::format("Längsta inskrivningstid ({} månader)", task.months);
    case core::TaskKind::kStepMeasurementDue:
      return english ? "Measure the ladder step" : "Dags att mäta steg";
  }
  return "";
}

}  // namespace stegvis::http
