// Page and API handlers beyond sign-in and routing: each parses what it needs from the
// request, makes one service call and renders the result (the content of <main>; web_app.cc
// wraps it in the layout). Shared by participant_pages.cc and start_pages.cc.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <boost/json/value.hpp>

#include "service/access.h"
#include "service/account_service.h"
#include "service/audit_log.h"
#include "service/participant_service.h"
#include "service/plan_service.h"
#include "service/report_service.h"
#include "service/services.h"
#include "util/date.h"
#include "util/error.h"

namespace stegvis::http {

// The services, built once in app/ and shared by every request.
using Services = service::Services;

// What a handler knows of its request.
struct PageRequest {
  service::Actor actor;
  util::Language language = util::Language::kSwedish;
  std::map<std::string, std::string> query;
  util::Date today;
  std::string csrf;  // The session's token, for the forms a page shows.
};

// A rendered page, or a redirect (303) when `redirect` is set.
struct Page {
  unsigned status = 200;
  std::string title;
  std::string html;
  std::string redirect;
};

// An API answer.
struct ApiAnswer {
  unsigned status = 200;
  boost::json::value body;
};

// ---- Participant pages (the coach's) ----

// /forbund/F/insatser/I/deltagare[?status=pagaende|avslutade|alla]
util::Result<Page> ParticipantListPage(const PageRequest& request, Services& services,
                                       const std::string& forbund_id, const std::string& insats_id);
// GET /forbund/F/insatser/I/deltagare/ny
util::Result<Page> RegisterPage(const PageRequest& request, Services& services,
                                const std::string& forbund_id, const std::string& insats_id);
// POST /forbund/F/insatser/I/deltagare: to the new record, or the form again with the error
// beside its field (400) and nothing stored.
util::Result<Page> RegisterSubmit(const PageRequest& request, Services& services,
                                  const std::string& forbund_id, const std::string& insats_id,
                                  const service::Fields& form);
// POST /forbund/F/insatser/I/deltagare/sok: to the person's latest record, or the list with
// a message.
util::Result<Page> FindPersonSubmit(const PageRequest& request, Services& services,
                                    const std::string& forbund_id, const std::string& insats_id,
                                    const service::Fields& form);
// GET /forbund/F/deltagare/ID
util::Result<Page> RecordPage(const PageRequest& request, Services& services,
                              const std::string& forbund_id, std::int64_t enrolment_id);
// POST /forbund/F/deltagare/ID/{matningar,avslut,uppfoljningar}: back to the record, or the
// record page again with the error beside the field of that form (400).
util::Result<Page> RecordSubmit(const PageRequest& request, Services& services,
                                const std::string& forbund_id, std::int64_t enrolment_id,
                                const std::string& form_name, const service::Fields& form);

// ---- Participant API ----

util::Result<ApiAnswer> ApiParticipantList(const PageRequest& request, Services& services,
                                           const std::string& forbund_id,
                                           const std::string& insats_id);
util::Result<ApiAnswer> ApiRecord(const PageRequest& request, Services& services,
                                  const std::string& forbund_id, std::int64_t enrolment_id);
// POST with a JSON object of fields (strings, numbers, or an array of codes for the income
// fields). 201 with the id for a registration, 200 with the record for the others.
util::Result<ApiAnswer> ApiRegister(const PageRequest& request, Services& services,
                                    const std::string& forbund_id, const std::string& body);
util::Result<ApiAnswer> ApiRecordChange(const PageRequest& request, Services& services,
                                        const std::string& forbund_id, std::int64_t enrolment_id,
                                        const std::string& form_name, const std::string& body);
util::Result<ApiAnswer> ApiTasks(const PageRequest& request, Services& services,
                                 const std::string& forbund_id);

// ---- Start pages and the account ----

// The start page for the actor's role: what that role needs first.
util::Result<Page> StartPage(const PageRequest& request, Services& services);
// GET and POST /konto/losenord.
Page PasswordPage(const PageRequest& request, const std::string& error);

}  // namespace stegvis::http
