// The start page for each role, with what that role needs first: the coach's interventions
// and open tasks; the förbund administrator's budget position, participants by kön and goal
// fulfilment (published view); the system administrator's accounts and the audit chain; and
// for everyone the förbund they may read, with links to the reports.
#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "export/participants_export.h"
#include "export/report_charts.h"
#include "http/labels.h"
#include "http/pages.h"
#include "http/templates.h"

namespace stegvis::http {

namespace json = boost::json;
using util::Language;

namespace {

constexpr std::size_t kTasksShown = 25;

json::object CoachSection(const PageRequest& request, Services& services,
                          const std::string& forbund_id) {
  const Language language = request.language;
  const core::Account& account = *request.actor.account;
  json::array insatser;
  std::map<std::string, std::string> names;
  if (auto plan = services.plans.Plan(request.actor, forbund_id)) {
    for (const std::string& insats_id : account.insats_ids) {
      const core::Insats* insats = plan->FindInsats(insats_id);
      if (insats == nullptr) continue;
      names[insats_id] = insats->name;
      const std::string base = "/forbund/" + forbund_id + "/insatser/" + insats_id + "/deltagare";
      insatser.push_back(json::object{
          {"namn", insats->name}, {"list_href", base}, {"register_href", base + "/ny"}});
    }
  }
  json::array rows;
  std::size_t total = 0;
  std::map<core::TaskKind, std::size_t> by_kind;
  if (auto tasks = services.participants.OpenTasks(request.actor, forbund_id)) {
    total = tasks->size();
    for (const core::Task& task : *tasks) {
      ++by_kind[task.kind];
      if (rows.size() >= kTasksShown) continue;
      rows.push_back(json::object{
          {"label", TaskLabel(task, language)},
          {"href", fmt::format("/forbund/{}/deltagare/{}", forbund_id, task.enrolment_id)},
          {"id", std::to_string(task.enrolment_id)},
          {"insats", names.count(task.insats_id) ? names[task.insats_id] : task.insats_id},
          {"due", task.due.ToString()},
          {"overdue", task.due < request.today}});
    }
  }
  std::string summary =
      total == 0
          ? L(language, "Inga öppna uppgifter.", "No open tasks.")
          : fmt::format(
                "{} {}: {} {}, {} {}, {} {}.", total, L(language, "öppna uppgifter", "open tasks"),
                by_kind[core::TaskKind::kFollowUpDue], L(language, "uppföljningar", "follow-ups"),
                by_kind[core::TaskKind::kMaxTimeNear],
                L(language, "nära eller över längsta tid", "near or past the maximum time"),
                by_kind[core::TaskKind::kStepMeasurementDue],
                L(language, "stegmätningar", "step measurements"));
  return json::object{
      {"t_my_insatser", L(language, "Mina insatser", "My interventions")},
      {"t_register", L(language, "Registrera ny deltagare", "Register a new participant")},
      {"insatser", insatser},
      {"t_tasks", L(language, "Öppna uppgifter", "Open tasks")},
      {"task_summary", summary},
      {"has_tasks", !rows.empty()},
      {"tasks", rows},
      {"t_task", L(language, "Uppgift", "Task")},
      {"t_enrolment", L(language, "Inskrivning", "Enrolment")},
      {"t_insats", L(language, "Insats", "Intervention")},
      {"t_due", L(language, "Senast", "Due")},
      {"t_overdue", L(language, "försenad", "overdue")},
      {"more", total > kTasksShown
                   ? json::value(fmt::format("{} {} {}.", L(language, "Visar de", "Showing the"),
                                             kTasksShown, L(language, "första", "first")))
                   : json::value(false)}};
}

json::object Figure(const std::string& term, const std::string& value) {
  return json::object{{"term", term}, {"value", value}};
}

json::object AdminSection(const PageRequest& request, Services& services,
                          const std::string& forbund_id) {
  const Language language = request.language;
  json::object section;
  // Budget position: this year, or the latest year the plan has.
  if (auto plan = services.plans.Plan(request.actor, forbund_id)) {
    int year = request.today.year();
    if (plan->FindBudget(year) == nullptr && plan->FindOutcome(year) == nullptr) {
      int latest = 0;
      for (const core::BudgetYear& budget : plan->budget) latest = std::max(latest, budget.year);
      for (const core::OutcomeYear& outcome : plan->outcome)
        latest = std::max(latest, outcome.year);
      year = latest;
    }
    if (auto economy = services.plans.Economy(request.actor, forbund_id, year)) {
      json::array figures{
          Figure(L(language, "Intäkter", "Income"), economy->income.ToSwedishText() + " kr"),
          Figure(L(language, "Kostnader", "Costs"), economy->costs.ToSwedishText() + " kr"),
          Figure(L(language, "Resultat", "Result"), economy->result.ToSwedishText() + " kr")};
      if (economy->equity_out) {
        figures.push_back(Figure(L(language, "Eget kapital vid årets slut", "Equity at year end"),
                                 economy->equity_out->ToSwedishText() + " kr"));
      }
      json::array warnings;
      for (const report::Warning& warning : economy->warnings) {
        warnings.push_back(json::string(warning.text.In(language)));
      }
      section["economy"] = json::object{
          {"heading", fmt::format("{} {} ({})", L(language, "Budgetläge", "Budget position"), year,
                                  report::BasisCode(economy->basis))},
          {"figures", figures},
          {"warnings", warnings},
          {"href", fmt::format("/forbund/{}/ekonomi?ar={}", forbund_id, year)},
          {"t_more", L(language, "Hela ekonomirapporten", "The whole economy report")}};
    }
  }
  // Participants by kön and goal fulfilment last year, in the published view.
  const int last_year = request.today.year() - 1;
  const service::ReportRequest published{forbund_id, report::Period::Year(last_year),
                                         report::Audience::kPublic, std::nullopt};
  if (auto deltagare = services.reports.Deltagare(request.actor, published)) {
    auto shown = [&](const report::Count& count) {
      const auto value = count.Shown();
      return value ? std::to_string(*value) : std::string("·");
    };
    const report::KonCounts& counts = deltagare->summa.deltagare;
    section["kon"] = json::object{
        {"heading",
         fmt::format("{} {}", L(language, "Deltagare per kön", "Participants by kön"), last_year)},
        {"figures", json::array{Figure(L(language, "Kvinnor", "Women"), shown(counts.by_kon[0])),
                                Figure(L(language, "Män", "Men"), shown(counts.by_kon[1])),
                                Figure(L(language, "Annat", "Other"), shown(counts.by_kon[2])),
                                Figure(L(language, "Totalt", "Total"), shown(counts.total))}},
        {"note",
         fmt::format("{} {} {}",
                     L(language, "Publik vy: antal under", "Published view: counts below"),
                     deltagare->suppression_k, L(language, "visas som ·.", "are shown as ·."))}};
  }
  if (auto mal = services.reports.Build(request.actor, "mal", published)) {
    auto name = services.reports.ForbundName(request.actor, forbund_id);
    const exporting::RenderedReport rendered =
        exporting::RenderReport(*mal, {forbund_id, name ? *name : forbund_id, language});
    const std::string heading =
        fmt::format("{} {}", L(language, "Måluppfyllelse", "Goal fulfilment"), last_year);
    section["goals"] = json::object{
        {"heading", heading}, {"table", exporting::HtmlTable(rendered.table, heading, language)}};
  }
  return section;
}

json::object SystemSection(const PageRequest& request, Services& services) {
  const Language language = request.language;
  json::array accounts;
  if (auto listed = services.accounts.ListAccounts(request.actor)) {
    for (const core::Account& account : *listed) {
      std::string insatser;
      for (const std::string& id : account.insats_ids)
        insatser += (insatser.empty() ? "" : ", ") + id;
      accounts.push_back(json::object{{"name", account.name},
                                      {"role", core::RoleCode(account.role)},
                                      {"forbund", account.forbund_id.value_or("–")},
                                      {"insatser", insatser.empty() ? "–" : insatser}});
    }
  }
  std::string audit =
      L(language, "Granskningsloggen kunde inte läsas.", "The audit log could not be read.");
  bool broken = true;
  if (service::Authorize(request.actor, service::Action::kViewAudit, {})) {
    if (auto verified = services.audit.Verify(services.pool())) {
      broken = !verified->Intact();
      audit = broken && !verified->broken
                  ? L(language,
                      "Granskningsloggens senaste poster saknas (den noterade änden finns inte i "
                      "kedjan).",
                      "The newest entries of the audit log are missing (the noted head is not in "
                      "the chain).")
              : broken
                  ? fmt::format("{} {}.",
                                L(language, "Granskningsloggens kedja är bruten vid post",
                                  "The audit chain is broken at entry"),
                                *verified->broken)
                  : fmt::format("{}: {} {}, {} {}.",
                                L(language, "Granskningsloggen är hel", "The audit log is intact"),
                                verified->entries, L(language, "poster", "entries"),
                                L(language, "senaste hash", "last hash"), verified->head_hash);
    }
  }
  return json::object{{"t_accounts", L(language, "Konton", "Accounts")},
                      {"t_name", L(language, "Namn", "Name")},
                      {"t_role", L(language, "Roll", "Role")},
                      {"t_forbund_column", L(language, "Förbund", "Association")},
                      {"t_insatser", L(language, "Insatser", "Interventions")},
                      {"accounts", accounts},
                      {"t_audit", L(language, "Granskningslogg", "Audit log")},
                      {"audit", audit},
                      {"audit_broken", broken}};
}

}  // namespace

util::Result<Page> StartPage(const PageRequest& request, Services& services) {
  const Language language = request.language;
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Forbund> forbund,
                           services.plans.ListForbund(request.actor));
  const core::Account& account = *request.actor.account;
  const bool reads_reports = account.role != core::Role::kSystemadministrator;
  json::array list;
  for (const core::Forbund& item : forbund) {
    json::array reports;
    if (reads_reports) {
      reports.push_back(
          json::object{{"href", fmt::format("/forbund/{}/rapporter/deltagare", item.id)},
                       {"text", L(language, "Deltagare", "Participants")}});
      reports.push_back(json::object{{"href", fmt::format("/forbund/{}/rapporter/steg", item.id)},
                                     {"text", L(language, "Stegförflyttning", "Ladder movement")}});
    }
    list.push_back(json::object{{"id", item.id}, {"namn", item.name}, {"reports", reports}});
  }
  json::object data{{"t_welcome", L(language, "Välkommen till stegvis.", "Welcome to stegvis.")},
                    {"t_forbund", L(language, "Förbund", "Associations")},
                    {"forbund", list},
                    {"has_forbund", !list.empty()},
                    {"coach", false},
                    {"admin", false},
                    {"system", false}};
  const std::string own = account.forbund_id.value_or("");
  switch (account.role) {
    case core::Role::kDeltagaransvarig:
      data["coach"] = CoachSection(request, services, own);
      break;
    case core::Role::kForbundsadministrator:
      data["admin"] = AdminSection(request, services, own);
      break;
    case core::Role::kSystemadministrator:
      data["system"] = SystemSection(request, services);
      break;
    case core::Role::kRapportlasare:
    case core::Role::kNationell:
      break;
  }
  Page page;
  page.title = "Start";
  page.html = RenderTemplate("start.mustache", data);
  return page;
}

Page PasswordPage(const PageRequest& request, const std::string& error) {
  const Language language = request.language;
  json::object data{
      {"csrf", request.csrf},
      {"error", error.empty() ? json::value(false) : json::value(error)},
      {"t_current", L(language, "Nuvarande lösenord", "Current password")},
      {"t_new", L(language, "Nytt lösenord", "New password")},
      {"t_hint",
       L(language, "Minst 12 tecken. Alla dina inloggningar avslutas när lösenordet byts.",
         "At least 12 characters. All your sessions end when the password changes.")},
      {"t_submit", L(language, "Byt lösenord", "Change password")}};
  Page page;
  page.status = error.empty() ? 200 : 400;
  page.title = L(language, "Byt lösenord", "Change password");
  page.html = RenderTemplate("password.mustache", data);
  return page;
}

}  // namespace stegvis::http
