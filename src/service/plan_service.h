// Use cases for a förbund's plan: import a plan file, read the economy report. The one place
// that combines file formats, the domain, reports and the store for plans.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "report/economy.h"
#include "service/access.h"
#include "service/audit_log.h"
#include "store/unit_of_work.h"
#include "util/error.h"

namespace stegvis::service {

struct PlanImportSummary {
  std::string forbund_id;
  std::string forbund_name;
  std::size_t members = 0;
  std::size_t insatser = 0;
  std::size_t budget_years = 0;
  std::size_t outcome_years = 0;
  bool replaced = false;  // True when the förbund existed and its plan was replaced.
};

class PlanService {
 public:
  PlanService(store::StorePool& pool, const AuditLog& audit) : pool_(pool), audit_(audit) {}

  // Parses, validates and stores the plan file `file_name` whose text is `content`, all or
  // nothing. Fails with kInvalidArgument whose location starts with `file_name`, followed by
  // a line and column or a JSON path; the store is then unchanged.
  // kPermissionDenied unless the actor may edit the plan of the file's förbund.
  util::Result<PlanImportSummary> ImportPlan(const Actor& actor, std::string_view file_name,
                                             std::string_view content);

  // The economy report of a förbund for a year; kNotFound for an unknown förbund or a year
  // without budget or outcome.
  util::Result<report::EconomyReport> Economy(const Actor& actor, std::string_view forbund_id,
                                              int year);

  // The förbund's plan (organisation, interventions, goals, budget).
  util::Result<core::Plan> Plan(const Actor& actor, std::string_view forbund_id);

  // The förbund the actor may see plans of.
  util::Result<std::vector<core::Forbund>> ListForbund(const Actor& actor);

 private:
  store::StorePool& pool_;
  const AuditLog& audit_;
};

}  // namespace stegvis::service
