#include "service/report_service.h"

#include <fmt/format.h>

namespace stegvis::service {

util::Result<ReportService::Data> ReportService::Load(const Actor& actor,
                                                      const ReportRequest& request,
                                                      std::string_view name) {
  const bool record_access = request.audience == report::Audience::kRecordAccess;
  STEGVIS_TRY(Authorize(actor,
                        record_access ? Action::kViewRecordReports : Action::kViewPublishedReports,
                        {request.forbund_id, request.insats_id}));
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
  if (record_access) {
    STEGVIS_TRY(
        audit_.Record(actor, fmt::format("läste rapport {} med uppgifter", name),
                      fmt::format("forbund:{} insats:{} period:{}–{}", request.forbund_id,
                                  request.insats_id.value_or("alla"),
                                  request.period.from.ToString(), request.period.to.ToString())));
  }
  return data;
}

util::Result<report::DeltagareReport> ReportService::Deltagare(const Actor& actor,
                                                               const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(Data data, Load(actor, request, "deltagare"));
  return report::BuildDeltagareReport(data.plan, data.enrolments, request.period, request.audience,
                                      request.insats_id);
}

util::Result<report::StegReport> ReportService::Steg(const Actor& actor,
                                                     const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(Data data, Load(actor, request, "steg"));
  return report::BuildStegReport(data.plan, data.enrolments, request.period, request.audience,
                                 request.insats_id);
}

util::Result<report::UppfoljningReport> ReportService::Uppfoljning(const Actor& actor,
                                                                   const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(Data data, Load(actor, request, "uppfoljning"));
  return report::BuildUppfoljningReport(data.plan, data.enrolments, request.period,
                                        request.audience, request.insats_id);
}

util::Result<report::MalReport> ReportService::Mal(const Actor& actor,
                                                   const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(Data data, Load(actor, request, "mal"));
  return report::BuildMalReport(data.plan, data.enrolments, request.period, request.audience,
                                request.insats_id);
}

util::Result<report::SocioeconomicReport> ReportService::Socioekonomi(
    const Actor& actor, const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(Data data, Load(actor, request, "socioekonomi"));
  return report::BuildSocioeconomicReport(data.plan, data.enrolments, request.period,
                                          request.audience, request.insats_id);
}

util::Result<report::AnyReport> ReportService::Build(const Actor& actor, std::string_view name,
                                                     const ReportRequest& request) {
  auto wrap = [](auto result) -> util::Result<report::AnyReport> {
    if (!result) return tl::unexpected(result.error());
    return report::AnyReport(std::move(*result));
  };
  if (name == "deltagare") return wrap(Deltagare(actor, request));
  if (name == "steg") return wrap(Steg(actor, request));
  if (name == "uppfoljning") return wrap(Uppfoljning(actor, request));
  if (name == "mal") return wrap(Mal(actor, request));
  if (name == "socioekonomi") return wrap(Socioekonomi(actor, request));
  return util::Fail(util::Code::kNotFound, std::string(name),
                    fmt::format("okänd rapport \"{}\"", name),
                    fmt::format("unknown report \"{}\"", name));
}

util::Result<std::string> ReportService::ForbundName(const Actor& actor,
                                                     std::string_view forbund_id) {
  STEGVIS_TRY(
      Authorize(actor, Action::kViewPublishedReports, {std::string(forbund_id), std::nullopt}));
  STEGVIS_ASSIGN_OR_RETURN(core::Plan plan, store_.LoadPlan(forbund_id));
  return plan.forbund.name;
}

}  // namespace stegvis::service
