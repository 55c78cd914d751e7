// What the pages call the domain's codes, in Swedish and English: "arbete_med_stod" is shown
// as "Arbete med stöd (t.ex. lönebidrag)". Files, the database and the API keep the codes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/participant.h"
#include "core/tasks.h"
#include "util/error.h"

namespace stegvis::http {

// The text in the user's language: L(language, "Spara", "Save").
inline std::string L(util::Language language, std::string_view swedish, std::string_view english) {
  return std::string(language == util::Language::kEnglish ? english : swedish);
}

// A code with its label, for a select or a list of checkboxes.
struct Choice {
  std::string code;
  std::string label;
};

std::vector<Choice> KonChoices(util::Language language);
std::vector<Choice> RemittentChoices(util::Language language);
std::vector<Choice> ForsorjningChoices(util::Language language);
std::vector<Choice> ExitReasonChoices(util::Language language);
std::vector<Choice> SysselsattningChoices(util::Language language);

// The label of a code from one of the lists above; the code itself when it has none.
std::string LabelOf(const std::vector<Choice>& choices, std::string_view code);

// "Uppföljning 6 månader efter avslut" and the like.
std::string TaskLabel(const core::Task& task, util::Language language);

}  // namespace stegvis::http
