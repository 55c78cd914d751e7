// Use cases for the participant reports: load the förbund's plan and enrolments once and
// build the asked report for a period, for readers with record access or as the published
// view with small-cell suppression.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "report/participants.h"
#include "service/access.h"
#include "service/audit_log.h"
#include "store/unit_of_work.h"
#include "util/error.h"

namespace stegvis::service {

struct ReportRequest {
  std::string forbund_id;
  report::Period period;
  report::Audience audience = report::Audience::kRecordAccess;
  std::optional<std::string> insats_id;
};

class ReportService {
 public:
  ReportService(store::StorePool& pool, const AuditLog& audit) : pool_(pool), audit_(audit) {}

  // The published view needs kViewPublishedReports for the förbund; the view with record
  // access needs kViewRecordReports for the one intervention asked (a coach asks per
  // intervention) and is recorded in the audit log. Each fails with kNotFound for an unknown
  // förbund or intervention, and with kInvalidArgument when the period ends before it starts.
  util::Result<report::DeltagareReport> Deltagare(const Actor& actor, const ReportRequest& request);
  util::Result<report::StegReport> Steg(const Actor& actor, const ReportRequest& request);
  util::Result<report::UppfoljningReport> Uppfoljning(const Actor& actor,
                                                      const ReportRequest& request);
  util::Result<report::MalReport> Mal(const Actor& actor, const ReportRequest& request);
  util::Result<report::SocioeconomicReport> Socioekonomi(const Actor& actor,
                                                         const ReportRequest& request);

  // The report named `name` (deltagare, steg, uppfoljning, mal, socioekonomi); kNotFound
  // for another name.
  util::Result<report::AnyReport> Build(const Actor& actor, std::string_view name,
                                        const ReportRequest& request);

  // The förbund's name, for report headings.
  util::Result<std::string> ForbundName(const Actor& actor, std::string_view forbund_id);

 private:
  // A förbund's plan and enrolments as of one revision: kept while the revision stands, so
  // that reading reports again costs the report, not loading the förbund.
  struct Data {
    std::int64_t revision = -1;
    core::Plan plan;
    std::vector<core::Enrolment> enrolments;
  };
  util::Result<std::shared_ptr<const Data>> Load(const Actor& actor, const ReportRequest& request,
                                                 std::string_view name);

  store::StorePool& pool_;
  const AuditLog& audit_;
  std::mutex cache_mutex_;
  std::map<std::string, std::shared_ptr<const Data>, std::less<>> cache_;
};

}  // namespace stegvis::service
