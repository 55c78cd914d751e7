#include "service/report_service.h"

#include <fmt/format.h>

namespace stegvis::service {

util::Result<ReportService::Data> ReportService::Load(const ReportRequest& request) {
  if (request.period.to < request.period.from) {
    return util::Fail(util::Code::kInvalidArgument, "--till", "perioden slutar innan den börjar",
                      "the period ends before it starts");
  }
  Data data;
  STEGVIS_ASSIGN_OR_RETURN(data.plan, store_.LoadPlan(request.forbund_id));
  if (request.insats_id && data.plan.FindInsats(*request.insats_id) == nullptr) {
    return util::Fail(
        util::Code::kNotFound, "--insats",
        fmt::format("insatsen \"{}\" finns inte i förbundet", *request.insats_id),
        fmt::format("intervention \"{}\" does not exist in the förbund", *request.insats_id));
  }
  STEGVIS_ASSIGN_OR_RETURN(data.enrolments, store_.LoadEnrolments(request.forbund_id));
  return data;
}

util::Result<report::DeltagareReport> ReportService::Deltagare(const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(Data data, Load(request));
  return report::BuildDeltagareReport(data.plan, data.enrolments, request.period, request.audience,
                                      request.insats_id);
}

util::Result<report::StegReport> ReportService::Steg(const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(Data data, Load(request));
  return report::BuildStegReport(data.plan, data.enrolments, request.period, request.audience,
                                 request.insats_id);
}

util::Result<report::UppfoljningReport> ReportService::Uppfoljning(const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(Data data, Load(request));
  return report::BuildUppfoljningReport(data.plan, data.enrolments, request.period,
                                        request.audience, request.insats_id);
}

util::Result<report::MalReport> ReportService::Mal(const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(Data data, Load(request));
  return report::BuildMalReport(data.plan, data.enrolments, request.period, request.audience,
                                request.insats_id);
}

util::Result<report::SocioeconomicReport> ReportService::Socioekonomi(
    const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(Data data, Load(request));
  return report::BuildSocioeconomicReport(data.plan, data.enrolments, request.period,
                                          request.audience, request.insats_id);
}

util::Result<std::string> ReportService::ForbundName(std::string_view forbund_id) {
  STEGVIS_ASSIGN_OR_RETURN(core::Plan plan, store_.LoadPlan(forbund_id));
  return plan.forbund.name;
}

}  // namespace stegvis::service
