// Use cases for the participant reports: load the förbund's plan and enrolments once and
// build the asked report for a period, for readers with record access or as the published
// view with small-cell suppression.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "report/participants.h"
#include "store/store.h"
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
  explicit ReportService(store::Store& store) : store_(store) {}

  // Each fails with kNotFound for an unknown förbund or intervention, and with
  // kInvalidArgument when the period ends before it starts.
  util::Result<report::DeltagareReport> Deltagare(const ReportRequest& request);
  util::Result<report::StegReport> Steg(const ReportRequest& request);
  util::Result<report::UppfoljningReport> Uppfoljning(const ReportRequest& request);
  util::Result<report::MalReport> Mal(const ReportRequest& request);
  util::Result<report::SocioeconomicReport> Socioekonomi(const ReportRequest& request);

  // The förbund's name, for report headings.
  util::Result<std::string> ForbundName(std::string_view forbund_id);

 private:
  struct Data {
    core::Plan plan;
    std::vector<core::Enrolment> enrolments;
  };
  util::Result<Data> Load(const ReportRequest& request);
  store::Store& store_;
};

}  // namespace stegvis::service
