#include "service/report_service.h"

#include <algorithm>

#include <fmt/format.h>

namespace stegvis::service {

util::Result<std::shared_ptr<const ReportService::Data>> ReportService::Load(
    const Actor& actor, const ReportRequest& request, std::string_view name) {
  const bool record_access = request.audience == report::Audience::kRecordAccess;
  STEGVIS_TRY(Authorize(actor,
                        record_access ? Action::kViewRecordReports : Action::kViewPublishedReports,
                        {request.forbund_id, request.insats_id}));
  if (request.period.to < request.period.from) {
    return util::Fail(util::Code::kInvalidArgument, "--till", "perioden slutar innan den börjar",
                      "the period ends before it starts");
  }
  if (!record_access && !report::IsPublishedPeriod(request.period)) {
    return util::Fail(util::Code::kInvalidArgument, "--fran",
                      "publicerade rapporter finns för kalenderår och halvår: ange ett år, eller "
                      "1 januari–30 juni eller 1 juli–31 december",
                      "published reports cover calendar years and half-years: give a year, or "
                      "1 January–30 June or 1 July–31 December");
  }
  std::shared_ptr<const Data> data;
  {
    STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kRead));
    STEGVIS_ASSIGN_OR_RETURN(const std::int64_t revision, work->Revision(request.forbund_id));
    std::shared_ptr<const Data> cached;
    {
      std::lock_guard lock(cache_mutex_);
      const auto found = cache_.find(request.forbund_id);
      if (found != cache_.end()) cached = found->second;
    }
    if (cached && cached->revision == revision && revision >= 0) data = cached;
    if (!data && cached && revision >= 0 && cached->revision < revision) {
      // Only what changed since the cached revision is read again.
      STEGVIS_ASSIGN_OR_RETURN(std::vector<std::int64_t> changed,
                               work->ChangedEnrolments(request.forbund_id, cached->revision));
      if (changed.size() <= std::max<std::size_t>(1000, cached->enrolments.size() / 10)) {
        auto updated = std::make_shared<Data>(*cached);
        updated->revision = revision;
        STEGVIS_ASSIGN_OR_RETURN(updated->plan, work->LoadPlan(request.forbund_id));
        std::vector<core::Enrolment>& enrolments = updated->enrolments;
        for (const std::int64_t id : changed) {
          STEGVIS_ASSIGN_OR_RETURN(std::optional<core::Enrolment> stored,
                                   work->LoadEnrolment(request.forbund_id, id));
          const auto at = std::lower_bound(enrolments.begin(), enrolments.end(), id,
                                           [](const core::Enrolment& enrolment, std::int64_t key) {
                                             return enrolment.id < key;
                                           });
          const bool present = at != enrolments.end() && at->id == id;
          if (stored && present) {
            *at = std::move(*stored);
          } else if (stored) {
            enrolments.insert(at, std::move(*stored));
          } else if (present) {
            enrolments.erase(at);
          }
        }
        data = updated;
      }
    }
    if (!data) {
      auto loaded = std::make_shared<Data>();
      loaded->revision = revision;
      STEGVIS_ASSIGN_OR_RETURN(loaded->plan, work->LoadPlan(request.forbund_id));
      STEGVIS_ASSIGN_OR_RETURN(loaded->enrolments, work->LoadEnrolments(request.forbund_id));
      data = loaded;
    }
    if (revision >= 0) {
      std::lock_guard lock(cache_mutex_);
      const auto found = cache_.find(request.forbund_id);
      // A slower reader never replaces a newer förbund with an older one.
      if (found == cache_.end() || found->second->revision < data->revision) {
        cache_[request.forbund_id] = data;
      }
    }
  }
  if (request.insats_id && data->plan.FindInsats(*request.insats_id) == nullptr) {
    return util::Fail(
        util::Code::kNotFound, "--insats",
        fmt::format("insatsen \"{}\" finns inte i förbundet", *request.insats_id),
        fmt::format("intervention \"{}\" does not exist in the förbund", *request.insats_id));
  }
  if (record_access) {
    STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
    STEGVIS_TRY(
        audit_.Record(work, actor, fmt::format("läste rapport {} med uppgifter", name),
                      fmt::format("forbund:{} insats:{} period:{}–{}", request.forbund_id,
                                  request.insats_id.value_or("alla"),
                                  request.period.from.ToString(), request.period.to.ToString())));
    STEGVIS_TRY(work.Commit());
  }
  return data;
}

util::Result<report::DeltagareReport> ReportService::Deltagare(const Actor& actor,
                                                               const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(std::shared_ptr<const Data> data, Load(actor, request, "deltagare"));
  return report::BuildDeltagareReport(data->plan, data->enrolments, request.period,
                                      request.audience, request.insats_id);
}

util::Result<report::StegReport> ReportService::Steg(const Actor& actor,
                                                     const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(std::shared_ptr<const Data> data, Load(actor, request, "steg"));
  return report::BuildStegReport(data->plan, data->enrolments, request.period, request.audience,
                                 request.insats_id);
}

util::Result<report::UppfoljningReport> ReportService::Uppfoljning(const Actor& actor,
                                                                   const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(std::shared_ptr<const Data> data, Load(actor, request, "uppfoljning"));
  return report::BuildUppfoljningReport(data->plan, data->enrolments, request.period,
                                        request.audience, request.insats_id);
}

util::Result<report::MalReport> ReportService::Mal(const Actor& actor,
                                                   const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(std::shared_ptr<const Data> data, Load(actor, request, "mal"));
  return report::BuildMalReport(data->plan, data->enrolments, request.period, request.audience,
                                request.insats_id);
}

util::Result<report::SocioeconomicReport> ReportService::Socioekonomi(
    const Actor& actor, const ReportRequest& request) {
  STEGVIS_ASSIGN_OR_RETURN(std::shared_ptr<const Data> data, Load(actor, request, "socioekonomi"));
  return report::BuildSocioeconomicReport(data->plan, data->enrolments, request.period,
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
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kRead));
  STEGVIS_ASSIGN_OR_RETURN(core::Plan plan, work->LoadPlan(forbund_id));
  return plan.forbund.name;
}

}  // namespace stegvis::service
