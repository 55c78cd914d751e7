#include "service/plan_service.h"

#include <fmt/format.h>

#include "formats/plan_json.h"

namespace stegvis::service {

util::Result<PlanImportSummary> PlanService::ImportPlan(const Actor& actor,
                                                        std::string_view file_name,
                                                        std::string_view content) {
  util::Result<core::Plan> plan = formats::ParsePlanJson(content);
  if (!plan) return util::Fail(plan.error().Within(file_name));
  STEGVIS_TRY(Authorize(actor, Action::kEditPlan, {plan->forbund.id, std::nullopt}));

  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Forbund> existing, work->ListForbund());
  PlanImportSummary summary;
  summary.forbund_id = plan->forbund.id;
  summary.forbund_name = plan->forbund.name;
  summary.members = plan->members.size();
  summary.insatser = plan->insatser.size();
  summary.budget_years = plan->budget.size();
  summary.outcome_years = plan->outcome.size();
  for (const core::Forbund& forbund : existing) {
    summary.replaced = summary.replaced || forbund.id == plan->forbund.id;
  }
  if (summary.replaced) {
    // An intervention with participants cannot leave the plan: their records refer to it.
    STEGVIS_ASSIGN_OR_RETURN(core::Plan stored, work->LoadPlan(plan->forbund.id));
    for (const core::Insats& insats : stored.insatser) {
      if (plan->FindInsats(insats.id) != nullptr) continue;
      STEGVIS_ASSIGN_OR_RETURN(
          store::EnrolmentPage page,
          work->ListEnrolments(plan->forbund.id, {insats.id, store::EnrolmentFilter::kAll, 0, 0}));
      if (page.total > 0) {
        return util::Fail(
            util::Code::kFailedPrecondition, std::string(file_name) + ": $.insatser",
            fmt::format("insatsen \"{}\" har deltagare och kan inte tas bort ur planen; låt den "
                        "stå kvar med ett slutdatum",
                        insats.id),
            fmt::format("intervention \"{}\" has participants and cannot be removed from the "
                        "plan; keep it with an end date",
                        insats.id));
      }
    }
  }
  STEGVIS_TRY(work->ReplacePlan(*plan));
  STEGVIS_TRY(audit_.Record(work, actor, summary.replaced ? "ersatte plan" : "importerade plan",
                            "forbund:" + plan->forbund.id));
  STEGVIS_TRY(work.Commit());
  return summary;
}

util::Result<report::EconomyReport> PlanService::Economy(const Actor& actor,
                                                         std::string_view forbund_id, int year) {
  STEGVIS_ASSIGN_OR_RETURN(core::Plan plan, Plan(actor, forbund_id));
  return report::BuildEconomyReport(plan, year);
}

util::Result<core::Plan> PlanService::Plan(const Actor& actor, std::string_view forbund_id) {
  STEGVIS_TRY(Authorize(actor, Action::kViewPlan, {std::string(forbund_id), std::nullopt}));
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kRead));
  return work->LoadPlan(forbund_id);
}

util::Result<std::vector<core::Forbund>> PlanService::ListForbund(const Actor& actor) {
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kRead));
  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Forbund> all, work->ListForbund());
  std::vector<core::Forbund> visible;
  for (core::Forbund& forbund : all) {
    if (Authorize(actor, Action::kViewPlan, {forbund.id, std::nullopt})) {
      visible.push_back(std::move(forbund));
    }
  }
  return visible;
}

}  // namespace stegvis::service
