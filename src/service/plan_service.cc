#include "service/plan_service.h"

#include <fmt/format.h>

#include "formats/plan_json.h"

namespace stegvis::service {

util::Result<PlanImportSummary> PlanService::ImportPlan(std::string_view file_name,
                                                        std::string_view content) {
  util::Result<core::Plan> plan = formats::ParsePlanJson(content);
  if (!plan) return util::Fail(plan.error().Within(file_name));

  STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Forbund> existing, store_.ListForbund());
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
    STEGVIS_ASSIGN_OR_RETURN(std::vector<core::Enrolment> enrolments,
                             store_.LoadEnrolments(plan->forbund.id));
    for (const core::Enrolment& enrolment : enrolments) {
      if (plan->FindInsats(enrolment.insats_id) == nullptr) {
        return util::Fail(
            util::Code::kFailedPrecondition, std::string(file_name) + ": $.insatser",
            fmt::format("insatsen \"{}\" har deltagare och kan inte tas bort ur planen; låt den "
                        "stå kvar med ett slutdatum",
                        enrolment.insats_id),
            fmt::format("intervention \"{}\" has participants and cannot be removed from the "
                        "plan; keep it with an end date",
                        enrolment.insats_id));
      }
    }
  }
  STEGVIS_TRY(store_.ReplacePlan(*plan));
  return summary;
}

util::Result<report::EconomyReport> PlanService::Economy(std::string_view forbund_id, int year) {
  STEGVIS_ASSIGN_OR_RETURN(core::Plan plan, store_.LoadPlan(forbund_id));
  return report::BuildEconomyReport(plan, year);
}

}  // namespace stegvis::service
