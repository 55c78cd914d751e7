#include "http/web_app.h"

#include <sodium.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "export/economy_export.h"
#include "export/json_text.h"
#include "export/participants_export.h"
#include "export/report_charts.h"
#include "export/svg_chart.h"
#include "http/labels.h"
#include "http/pages.h"
#include "http/templates.h"
#include "service/account_service.h"
#include "service/audit_log.h"
#include "service/participant_service.h"
#include "service/plan_service.h"
#include "service/report_service.h"

namespace stegvis::http {

namespace beast = boost::beast;
namespace json = boost::json;
using beast::http::field;
using beast::http::status;
using util::Language;

namespace {

constexpr std::string_view kSessionCookie = "stegvis_session";
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

Response Make(status code, std::string_view content_type, std::string body) {
  Response response{code, 11};
  response.set(field::content_type, content_type);
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set(field::cache_control, "no-store");
  response.body() = std::move(body);
  return response;
}

Response Json(status code, const json::value& value) {
  return Make(code, "application/json; charset=utf-8",
              exporting::ToJsonText(value, exporting::JsonStyle::kCompact));
}

Response Redirect(std::string_view location) {
  Response response = Make(status::see_other, "text/plain; charset=utf-8", "");
  response.set(field::location, location);
  return response;
}

// Decodes application/x-www-form-urlencoded text: '+' is a space, %XX a byte.
std::string FormDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() &&
               std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Calls `visit(name, value)` for each decoded pair of a query string or form body.
template <typename Visit>
void ForEachPair(std::string_view text, Visit visit) {
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    const std::size_t equals = pair.find('=');
    visit(FormDecode(pair.substr(0, equals)),
          equals == std::string_view::npos ? "" : FormDecode(pair.substr(equals + 1)));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
}

// The fields of a form body: a repeated name (checkboxes) gives its values joined with '|',
// as the files write several codes.
service::Fields FormFields(std::string_view body) {
  service::Fields fields;
  ForEachPair(body, [&fields](std::string name, std::string value) {
    auto [it, inserted] = fields.emplace(std::move(name), value);
    if (!inserted && !value.empty()) it->second += (it->second.empty() ? "" : "|") + value;
  });
  return fields;
}

// The parameters of a query string or form body; the last of a repeated name wins.
std::map<std::string, std::string> Params(std::string_view query) {
  std::map<std::string, std::string> params;
  ForEachPair(query, [&params](std::string name, std::string value) {
    params[std::move(name)] = std::move(value);
  });
  return params;
}

std::string Cookie(const Request& request, std::string_view name) {
  const auto header = request.find(field::cookie);
  if (header == request.end()) return {};
  const std::string_view cookies = header->value();
  std::size_t start = 0;
  while (start < cookies.size()) {
    std::size_t end = cookies.find(';', start);
    if (end == std::string_view::npos) end = cookies.size();
    std::string_view pair = cookies.substr(start, end - start);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.substr(0, name.size()) == name && pair.size() > name.size() &&
        pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    start = end + 1;
  }
  return {};
}

}  // namespace

unsigned StatusFor(const util::Error& error) {
  switch (error.code) {
    case util::Code::kInvalidArgument:
      return 400;
    case util::Code::kNotFound:
      return 404;
    case util::Code::kAlreadyExists:
    case util::Code::kFailedPrecondition:
      return 409;
    case util::Code::kPermissionDenied:
      return 403;
    case util::Code::kUnauthenticated:
      return 401;
    case util::Code::kUnavailable:
      return 503;
    case util::Code::kInternal:
      return 500;
  }
  return 500;
}

// One request with everything its handler needs.
class WebApp::Exchange {
 public:
  Exchange(const Request& request, std::string address, service::Services& services,
           const WebOptions& options)
      : request_(request),
        address_(std::move(address)),
        accounts_(services.accounts),
        plans_(services.plans),
        reports_(services.reports),
        services_(services),
        options_(options) {
    auto url = boost::urls::parse_origin_form(request.target());
    if (url) {
      path_ = std::string(url->path());
      query_ = Params(url->encoded_query());
    }
    language_ = query_.count("lang") && query_["lang"] == "en" ? Language::kEnglish
                : Cookie(request, "lang") == "en"              ? Language::kEnglish
                                                               : Language::kSwedish;
    if (const std::string token = Cookie(request, kSessionCookie); !token.empty()) {
      if (auto context = accounts_.Resume(token)) {
        session_ = std::move(*context);
        session_token_ = token;
      }
    }
  }

  Response Route() {
    const bool get = request_.method() == beast::http::verb::get;
    const bool post = request_.method() == beast::http::verb::post;
    if (path_ == "/logga-in" && get) return SignInPage({}, status::ok);
    if (path_ == "/logga-in" && post) return SignIn();
    // Every route below needs a session; state changes need its CSRF token too.
    if (!session_) {
      if (IsApi()) return Error({util::Code::kUnauthenticated, "", {"logga in", "sign in"}});
      return Redirect("/logga-in");
    }
    if (!get && !CsrfMatches()) {
      return Error({util::Code::kPermissionDenied,
                    "csrf",
                    {"ogiltig eller saknad CSRF-token", "invalid or missing CSRF token"}});
    }
    if (path_ == "/logga-ut" && post) return SignOut();
    if (path_ == "/" && get) return StartPage();
    if (path_ == "/konto/losenord" && get) return Show(PasswordPage(PageRequestOf(), ""));
    if (path_ == "/konto/losenord" && post) return ChangePassword();
    if (path_ == "/api/v1/session" && get) return ApiSession();
    if (path_ == "/api/v1/forbund" && get) return ApiForbundList();
    const std::vector<std::string> parts = Segments();
    if (auto participant = RouteParticipants(parts, get, post)) return std::move(*participant);
    if (get && parts.size() == 4 && parts[0] == "api" && parts[1] == "v1" &&
        parts[2] == "forbund") {
      return ApiPlan(parts[3]);
    }
    if (get && parts.size() == 5 && parts[0] == "api" && parts[1] == "v1" &&
        parts[2] == "forbund" && parts[4] == "ekonomi") {
      return ApiEconomy(parts[3]);
    }
    if (get && parts.size() == 6 && parts[0] == "api" && parts[1] == "v1" &&
        parts[2] == "forbund" && parts[4] == "rapporter") {
      return ApiReport(parts[3], parts[5]);
    }
    if (get && parts.size() == 2 && parts[0] == "forbund") return ForbundPage(parts[1]);
    if (get && parts.size() == 3 && parts[0] == "forbund" && parts[2] == "ekonomi") {
      return EconomyPage(parts[1]);
    }
    if (get && parts.size() == 4 && parts[0] == "forbund" && parts[2] == "insatser") {
      return InsatsPage(parts[1], parts[3]);
    }
    if (get && parts.size() == 4 && parts[0] == "forbund" && parts[2] == "rapporter") {
      return ReportPage(parts[1], parts[3]);
    }
    return Error({util::Code::kNotFound, path_, {"sidan finns inte", "no such page"}});
  }

  const std::string& path() const { return path_; }

 private:
  // The coach's pages and API: participant lists, records and their forms.
  std::optional<Response> RouteParticipants(const std::vector<std::string>& all, bool get,
                                            bool post) {
    const bool api = all.size() >= 2 && all[0] == "api" && all[1] == "v1";
    const std::vector<std::string> parts(all.begin() + (api ? 2 : 0), all.end());
    if (parts.size() < 3 || parts[0] != "forbund") return std::nullopt;
    const std::string& forbund = parts[1];
    const PageRequest request = PageRequestOf();
    auto id_of = [](const std::string& text) -> std::optional<std::int64_t> {
      std::int64_t id = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
      if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
      return id;
    };
    const bool list = parts.size() >= 5 && parts[2] == "insatser" && parts[4] == "deltagare";
    const bool record = parts.size() >= 4 && parts[2] == "deltagare" && id_of(parts[3]);
    if (api) {
      if (get && parts.size() == 3 && parts[2] == "uppgifter") {
        return Answer(ApiTasks(request, services_, forbund));
      }
      if (get && list && parts.size() == 5) {
        return Answer(ApiParticipantList(request, services_, forbund, parts[3]));
      }
      if (post && parts.size() == 3 && parts[2] == "deltagare") {
        return Answer(ApiRegister(request, services_, forbund, request_.body()));
      }
      if (get && record && parts.size() == 4) {
        return Answer(ApiRecord(request, services_, forbund, *id_of(parts[3])));
      }
      if (post && record && parts.size() == 5) {
        return Answer(ApiRecordChange(request, services_, forbund, *id_of(parts[3]), parts[4],
                                      request_.body()));
      }
      return std::nullopt;
    }
    if (get && list && parts.size() == 5) {
      return Show(ParticipantListPage(request, services_, forbund, parts[3]));
    }
    if (get && list && parts.size() == 6 && parts[5] == "ny") {
      return Show(RegisterPage(request, services_, forbund, parts[3]));
    }
    if (post && list && parts.size() == 5) {
      return Show(
          RegisterSubmit(request, services_, forbund, parts[3], FormFields(request_.body())));
    }
    if (post && list && parts.size() == 6 && parts[5] == "sok") {
      return Show(
          FindPersonSubmit(request, services_, forbund, parts[3], FormFields(request_.body())));
    }
    if (get && record && parts.size() == 4) {
      return Show(RecordPage(request, services_, forbund, *id_of(parts[3])));
    }
    if (post && record && parts.size() == 5) {
      return Show(RecordSubmit(request, services_, forbund, *id_of(parts[3]), parts[4],
                               FormFields(request_.body())));
    }
    return std::nullopt;
  }

  Response ApiSession() {
    json::array insatser;
    for (const std::string& id : session_->account.insats_ids) insatser.push_back(json::string(id));
    return Json(
        status::ok,
        json::object{{"konto", session_->account.name},
                     {"roll", core::RoleCode(session_->account.role)},
                     {"forbund", session_->account.forbund_id
                                     ? json::value(json::string(*session_->account.forbund_id))
                                     : json::value(nullptr)},
                     {"insatser", insatser},
                     {"csrf", session_->session.csrf_token}});
  }

  bool IsApi() const { return path_.rfind("/api/", 0) == 0; }

  std::vector<std::string> Segments() const {
    std::vector<std::string> parts;
    std::size_t start = 1;
    while (start <= path_.size()) {
      std::size_t end = path_.find('/', start);
      if (end == std::string::npos) end = path_.size();
      if (end > start) parts.push_back(path_.substr(start, end - start));
      start = end + 1;
    }
    return parts;
  }

  service::Actor Actor() const { return service::Actor{session_->account, address_}; }

  bool CsrfMatches() const {
    std::string token;
    if (const auto header = request_.find("X-CSRF-Token"); header != request_.end()) {
      token = std::string(header->value());
    } else {
      auto form = Params(request_.body());
      token = form["csrf"];
    }
    return !token.empty() && token.size() == session_->session.csrf_token.size() &&
           sodium_memcmp(token.data(), session_->session.csrf_token.data(), token.size()) == 0;
  }

  Response Error(const util::Error& error) {
    const auto code = static_cast<status>(StatusFor(error));
    if (IsApi() || !session_) {
      return Json(
          code,
          json::object{{"fel", json::object{{"kod", util::CodeName(error.code)},
                                            {"plats", util::RedactIdentifiers(error.location)},
                                            {"meddelande",
                                             util::RedactIdentifiers(error.text.In(language_))}}}});
    }
    return Page(code, L(language_, "Något gick fel", "Something went wrong"),
                "<p class=\"error\" role=\"alert\">" +
                    Escape(util::RedactIdentifiers(error.text.In(language_))) + "</p>");
  }

  static std::string Escape(const std::string& text) { return exporting::EscapeMarkup(text); }

  Response Page(status code, const std::string& title, const std::string& content) {
    json::object data{{"lang", language_ == Language::kEnglish ? "en" : "sv"},
                      {"title", title},
                      {"content", content},
                      {"t_skip", L(language_, "Till innehållet", "Skip to content")},
                      {"t_menu", L(language_, "Meny", "Menu")},
                      {"t_start", L(language_, "Start", "Home")},
                      {"t_password", L(language_, "Byt lösenord", "Change password")},
                      {"t_sign_out", L(language_, "Logga ut", "Sign out")},
                      {"signed_in", session_.has_value()}};
    if (session_) {
      data["account"] = session_->account.name;
      data["role"] = core::RoleCode(session_->account.role);
      data["csrf"] = session_->session.csrf_token;
    }
    return Make(code, "text/html; charset=utf-8", RenderTemplate("layout.mustache", data));
  }

  Response SignInPage(const std::string& error, status code, const std::string& name = "") {
    json::value notice = false;
    if (query_["bytt"] == "1") {
      notice = L(language_, "Lösenordet är bytt. Logga in med det nya.",
                 "The password is changed. Sign in with the new one.");
    }
    json::object data{{"error", error.empty() ? json::value(false) : json::value(error)},
                      {"notice", notice},
                      {"name", name},
                      {"t_name", L(language_, "Användarnamn", "User name")},
                      {"t_password", L(language_, "Lösenord", "Password")},
                      {"t_sign_in", L(language_, "Logga in", "Sign in")}};
    return Page(code, L(language_, "Logga in", "Sign in"),
                RenderTemplate("sign_in.mustache", data));
  }

  Response SignIn() {
    auto form = Params(request_.body());
    auto signed_in = accounts_.SignIn(form["namn"], form["losenord"], address_);
    if (!signed_in) {
      const status code = signed_in.error().code == util::Code::kUnavailable
                              ? status::too_many_requests
                              : status::unauthorized;
      return SignInPage(util::RedactIdentifiers(signed_in.error().text.In(language_)), code,
                        form["namn"]);
    }
    Response response = Redirect("/");
    response.set(field::set_cookie,
                 fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict{}", kSessionCookie,
                             signed_in->session_token, options_.secure_cookies ? "; Secure" : ""));
    return response;
  }

  Response SignOut() {
    (void)accounts_.SignOut(session_token_);
    Response response = Redirect("/logga-in");
    response.set(field::set_cookie,
                 fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kSessionCookie));
    return response;
  }

  Response ChangePassword() {
    auto form = Params(request_.body());
    auto changed = accounts_.ChangePassword(*session_, form["nuvarande"], form["nytt"], address_);
    if (!changed) {
      if (changed.error().code == util::Code::kInvalidArgument ||
          changed.error().code == util::Code::kUnauthenticated) {
        return Show(PasswordPage(PageRequestOf(),
                                 util::RedactIdentifiers(changed.error().text.In(language_))));
      }
      return Error(changed.error());
    }
    // Every session of the account has ended: sign in again with the new password.
    Response response = Redirect("/logga-in?bytt=1");
    response.set(field::set_cookie,
                 fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kSessionCookie));
    return response;
  }

  // ---- Pages and API answers built in pages.h ----

  PageRequest PageRequestOf() const {
    return PageRequest{Actor(), language_, query_, options_.today(),
                       session_ ? session_->session.csrf_token : ""};
  }

  Response Show(const util::Result<http::Page>& page) {
    if (!page) return Error(page.error());
    if (!page->redirect.empty()) return Redirect(page->redirect);
    return Page(static_cast<status>(page->status), page->title, page->html);
  }

  Response Answer(const util::Result<ApiAnswer>& answer) {
    if (!answer) return Error(answer.error());
    return Json(static_cast<status>(answer->status), answer->body);
  }

  Response StartPage() { return Show(http::StartPage(PageRequestOf(), services_)); }

  Response ApiForbundList() {
    auto forbund = plans_.ListForbund(Actor());
    if (!forbund) return Error(forbund.error());
    json::array items;
    for (const core::Forbund& item : *forbund) {
      items.push_back(json::object{{"id", item.id}, {"namn", item.name}});
    }
    return Json(status::ok, json::object{{"forbund", items}});
  }

  Response ApiPlan(const std::string& forbund_id) {
    auto plan = plans_.Plan(Actor(), forbund_id);
    if (!plan) return Error(plan.error());
    json::array insatser;
    for (const core::Insats& insats : plan->insatser) {
      insatser.push_back(json::object{{"id", insats.id},
                                      {"namn", insats.name},
                                      {"typ", core::InsatsKindCode(insats.kind)},
                                      {"form", core::FundingFormCode(insats.form)}});
    }
    json::array years;
    for (const core::BudgetYear& year : plan->budget) years.push_back(year.year);
    return Json(status::ok, json::object{{"id", plan->forbund.id},
                                         {"namn", plan->forbund.name},
                                         {"insatser", insatser},
                                         {"budgetar", years}});
  }

  Response ApiEconomy(const std::string& forbund_id) {
    int year = 0;
    try {
      year = std::stoi(query_["ar"]);
    } catch (const std::exception&) {
      return Error({util::Code::kInvalidArgument, "ar", {"ange ?ar=ÅÅÅÅ", "give ?ar=YYYY"}});
    }
    auto report = plans_.Economy(Actor(), forbund_id, year);
    if (!report) return Error(report.error());
    return Json(status::ok, exporting::EconomyToJson(*report, language_));
  }

  // The report request from the query: a year or a period, an optional intervention, and
  // record access only when asked for one's own intervention and not asked to publish.
  util::Result<service::ReportRequest> ReportRequestFor(const std::string& forbund_id) {
    service::ReportRequest request;
    request.forbund_id = forbund_id;
    try {
      if (!query_["ar"].empty() && !query_["halvar"].empty()) {
        const std::string& half = query_["halvar"];
        if (half != "1" && half != "2") throw std::invalid_argument("halvar");
        request.period = report::Period::HalfYear(std::stoi(query_["ar"]), half == "1" ? 1 : 2);
      } else if (!query_["ar"].empty()) {
        request.period = report::Period::Year(std::stoi(query_["ar"]));
      } else if (!query_["fran"].empty() || !query_["till"].empty()) {
        auto from = util::Date::Parse(query_["fran"]);
        auto to = util::Date::Parse(query_["till"]);
        if (!from || !to) throw std::invalid_argument("period");
        request.period = report::Period{*from, *to};
      } else {
        request.period = report::Period::Year(options_.today().year() - 1);
      }
    } catch (const std::exception&) {
      return util::Fail(util::Code::kInvalidArgument, "ar",
                        "ange ?ar=ÅÅÅÅ (med &halvar=1 eller 2 för ett halvår) eller "
                        "?fran=ÅÅÅÅ-MM-DD&till=ÅÅÅÅ-MM-DD",
                        "give ?ar=YYYY (with &halvar=1 or 2 for a half-year) or "
                        "?fran=YYYY-MM-DD&till=YYYY-MM-DD");
    }
    if (!query_["insats"].empty()) request.insats_id = query_["insats"];
    const bool may_see_records = request.insats_id && query_["publik"] != "1" &&
                                 service::Authorize(Actor(), service::Action::kViewRecordReports,
                                                    {forbund_id, request.insats_id});
    request.audience =
        may_see_records ? report::Audience::kRecordAccess : report::Audience::kPublic;
    return request;
  }

  util::Result<exporting::RenderedReport> BuildReport(const std::string& forbund_id,
                                                      const std::string& name,
                                                      const service::ReportRequest& request) {
    STEGVIS_ASSIGN_OR_RETURN(std::string forbund_name, reports_.ForbundName(Actor(), forbund_id));
    STEGVIS_ASSIGN_OR_RETURN(report::AnyReport report, reports_.Build(Actor(), name, request));
    return exporting::RenderReport(report, {forbund_id, forbund_name, language_});
  }

  Response ApiReport(const std::string& forbund_id, const std::string& name) {
    auto request = ReportRequestFor(forbund_id);
    if (!request) return Error(request.error());
    auto built = BuildReport(forbund_id, name, *request);
    if (!built) return Error(built.error());
    return Json(status::ok, built->json);
  }

  std::string QueryString(const std::map<std::string, std::string>& extra = {}) const {
    std::map<std::string, std::string> all = query_;
    for (const auto& [key, value] : extra) all[key] = value;
    std::string text;
    for (const auto& [key, value] : all) {
      if (value.empty()) continue;
      text += (text.empty() ? "?" : "&") + key + "=" + exporting::EscapeMarkup(value);
    }
    return text;
  }

  Response ReportPage(const std::string& forbund_id, const std::string& name) {
    auto request = ReportRequestFor(forbund_id);
    if (!request) return Error(request.error());
    auto built = BuildReport(forbund_id, name, *request);
    if (!built) return Error(built.error());
    if (query_["format"] == "csv") {
      Response response =
          Make(status::ok, "text/csv; charset=utf-8", exporting::RenderedCsv(*built, language_));
      response.set(field::content_disposition,
                   fmt::format("attachment; filename=\"{}-{}.csv\"", name, forbund_id));
      return response;
    }
    auto plan = plans_.Plan(Actor(), forbund_id);
    if (!plan) return Error(plan.error());
    const bool published = request->audience == report::Audience::kPublic;
    // With htmx the filters swap only the report below them; without it they load the page.
    const std::string self = "/forbund/" + exporting::EscapeMarkup(forbund_id) + "/rapporter/" +
                             exporting::EscapeMarkup(name);
    std::string html = "<form method=\"get\" class=\"filters\" action=\"" + self + "\" hx-get=\"" +
                       self +
                       "\" hx-target=\"#rapport\" hx-select=\"#rapport\" hx-swap=\"outerHTML\" "
                       "hx-push-url=\"true\"><label for=\"ar\">" +
                       L(language_, "År", "Year") +
                       "</label><input id=\"ar\" name=\"ar\" inputmode=\"numeric\" value=\"" +
                       std::to_string(request->period.from.year()) + "\"><label for=\"insats\">" +
                       L(language_, "Insats", "Intervention") +
                       "</label><select id=\"insats\" name=\"insats\"><option value=\"\">" +
                       L(language_, "Alla", "All") + "</option>";
    for (const core::Insats& insats : plan->insatser) {
      if (insats.kind != core::InsatsKind::kIndivid) continue;
      html += "<option value=\"" + exporting::EscapeMarkup(insats.id) + "\"" +
              (request->insats_id == insats.id ? " selected" : "") + ">" +
              exporting::EscapeMarkup(insats.name) + "</option>";
    }
    html +=
        "</select><button type=\"submit\">" + L(language_, "Visa", "Show") + "</button></form>\n";
    html += "<div id=\"rapport\">\n<p class=\"view\">" +
            (published ? fmt::format(
                             "{} {}",
                             L(language_, "Publik vy: antal under", "Published view: counts below"),
                             plan->forbund.suppression_k) +
                             L(language_, " visas som ·.", " are shown as ·.")
                       : L(language_, "Vy med uppgifter för din insats.",
                           "View with record access for your intervention.")) +
            "</p>\n";
    if (!built->chart_svg.empty()) html += "<figure>" + built->chart_svg + "</figure>\n";
    html += exporting::HtmlTable(built->table, built->title, language_);
    if (!built->after_table.empty()) {
      html += "<p>" + exporting::EscapeMarkup(built->after_table) + "</p>";
    }
    html += "<p class=\"downloads\"><a href=\"/forbund/" + exporting::EscapeMarkup(forbund_id) +
            "/rapporter/" + exporting::EscapeMarkup(name) + QueryString({{"format", "csv"}}) +
            "\">CSV</a> <a href=\"/api/v1/forbund/" + exporting::EscapeMarkup(forbund_id) +
            "/rapporter/" + exporting::EscapeMarkup(name) + QueryString() +
            "\">JSON</a></p>\n</div>";
    return Page(status::ok, built->title + " — " + plan->forbund.name, html);
  }

  Response ForbundPage(const std::string& forbund_id) {
    auto plan = plans_.Plan(Actor(), forbund_id);
    if (!plan) return Error(plan.error());
    const std::string base = "/forbund/" + exporting::EscapeMarkup(forbund_id);
    std::string html = "<h2>" + L(language_, "Insatser", "Interventions") + "</h2><ul>";
    for (const core::Insats& insats : plan->insatser) {
      html += "<li><a href=\"" + base + "/insatser/" + exporting::EscapeMarkup(insats.id) + "\">" +
              exporting::EscapeMarkup(insats.name) + "</a> (" +
              std::string(core::InsatsKindCode(insats.kind)) + ", " +
              std::string(core::FundingFormCode(insats.form)) + ")</li>";
    }
    html += "</ul><h2>" + L(language_, "Ekonomi", "Economy") + "</h2><ul>";
    std::set<int> years;
    for (const core::BudgetYear& year : plan->budget) years.insert(year.year);
    for (const core::OutcomeYear& year : plan->outcome) years.insert(year.year);
    for (int year : years) {
      html += fmt::format("<li><a href=\"{}/ekonomi?ar={}\">{}</a></li>", base, year, year);
    }
    html += "</ul><h2>" + L(language_, "Rapporter", "Reports") + "</h2><ul>";
    // Reports open on the latest year with an outcome, the last year fully accounted for.
    int year = options_.today().year() - 1;
    if (!plan->outcome.empty()) {
      year = std::max_element(plan->outcome.begin(), plan->outcome.end(),
                              [](const auto& a, const auto& b) { return a.year < b.year; })
                 ->year;
    }
    for (const auto& [code, swedish, english] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"deltagare", "Deltagare", "Participants"},
             {"steg", "Stegförflyttning", "Movement on the ladder"},
             {"uppfoljning", "Uppföljning efter avslut", "Follow-up after exit"},
             {"mal", "Måluppfyllelse", "Goal fulfilment"},
             {"socioekonomi", "Socioekonomiskt värde", "Socioeconomic value"}}) {
      html += fmt::format("<li><a href=\"{}/rapporter/{}?ar={}\">{}</a></li>", base, code, year,
                          L(language_, swedish, english));
    }
    html += "</ul>";
    return Page(status::ok, plan->forbund.name, html);
  }

  Response EconomyPage(const std::string& forbund_id) {
    int year = options_.today().year();
    try {
      if (!query_["ar"].empty()) year = std::stoi(query_["ar"]);
    } catch (const std::exception&) {
      return Error({util::Code::kInvalidArgument, "ar", {"ange ?ar=ÅÅÅÅ", "give ?ar=YYYY"}});
    }
    auto report = plans_.Economy(Actor(), forbund_id, year);
    if (!report) return Error(report.error());
    // Escaped line by line: the markup escape turns line breaks into spaces.
    std::string html = "<pre class=\"economy\">";
    std::istringstream lines(exporting::EconomyToText(*report, language_));
    for (std::string line; std::getline(lines, line);) {
      html += exporting::EscapeMarkup(line) + "\n";
    }
    html += "</pre>\n";
    html +=
        "<figure>" +
        exporting::RenderBarChart(exporting::DistributionChart(*report, language_), "fordelning") +
        "</figure>\n";
    html +=
        "<figure>" +
        exporting::RenderBarChart(exporting::BudgetChart(*report, language_), "budget", 900, 420) +
        "</figure>\n";
    html += "<p class=\"downloads\"><a href=\"/api/v1/forbund/" +
            exporting::EscapeMarkup(forbund_id) +
            fmt::format("/ekonomi?ar={}\">JSON</a></p>", year);
    return Page(
        status::ok,
        fmt::format("{} {} — {}", L(language_, "Ekonomi", "Economy"), year, report->forbund_name),
        html);
  }

  Response InsatsPage(const std::string& forbund_id, const std::string& insats_id) {
    auto plan = plans_.Plan(Actor(), forbund_id);
    if (!plan) return Error(plan.error());
    const core::Insats* insats = plan->FindInsats(insats_id);
    if (insats == nullptr) {
      return Error(
          {util::Code::kNotFound, insats_id, {"insatsen finns inte", "no such intervention"}});
    }
    std::string html = "<dl>";
    auto item = [&](const std::string& term, const std::string& value) {
      html += "<dt>" + term + "</dt><dd>" + exporting::EscapeMarkup(value) + "</dd>";
    };
    item(L(language_, "Typ", "Kind"), std::string(core::InsatsKindCode(insats->kind)));
    item(L(language_, "Form", "Funding"), std::string(core::FundingFormCode(insats->form)));
    item("Start", insats->start.ToString());
    if (insats->end) item(L(language_, "Slut", "End"), insats->end->ToString());
    if (insats->target_group.age_min || insats->target_group.age_max) {
      item(L(language_, "Ålder", "Age"),
           fmt::format("{}–{}", insats->target_group.age_min.value_or(0),
                       insats->target_group.age_max.value_or(120)));
    }
    html += "</dl>";
    if (!insats->goals.empty()) {
      // Live goal fulfilment for last year; the published view unless the coach's own.
      query_["insats"] = insats_id;
      if (query_["ar"].empty()) query_["ar"] = std::to_string(options_.today().year() - 1);
      auto request = ReportRequestFor(forbund_id);
      if (!request) return Error(request.error());
      auto built = BuildReport(forbund_id, "mal", *request);
      if (!built) return Error(built.error());
      html += exporting::HtmlTable(
          built->table, L(language_, "Måluppfyllelse ", "Goal fulfilment ") + query_["ar"],
          language_);
    }
    return Page(status::ok, insats->name, html);
  }

  const Request& request_;
  std::string address_;
  service::AccountService& accounts_;
  service::PlanService& plans_;
  service::ReportService& reports_;
  Services& services_;
  const WebOptions& options_;
  std::string path_;
  std::map<std::string, std::string> query_;
  Language language_ = Language::kSwedish;
  std::optional<service::SessionContext> session_;
  std::string session_token_;
};

WebApp::WebApp(service::Services& services, WebOptions options)
    : services_(services), options_(std::move(options)) {}
WebApp::~WebApp() = default;

Response WebApp::Handle(const Request& request, const std::string& remote_address) {
  const auto started = std::chrono::steady_clock::now();
  Response response;
  std::string path(request.target().substr(0, request.target().find('?')));
  if (path == "/healthz") {
    const bool up = services_.pool().Begin(store::TransactionMode::kRead).has_value();
    response = up ? Make(status::ok, "text/plain; charset=utf-8", "ok\n")
                  : Make(status::service_unavailable, "text/plain; charset=utf-8", "fel\n");
  } else if (path.rfind("/static/", 0) == 0 && request.method() == beast::http::verb::get) {
    // Only the style sheet and scripts are static files; the templates are not served.
    const std::string name = path.substr(8);
    const std::string_view content =
        name.ends_with(".css") || name.ends_with(".js") ? WebFileContent(name) : "";
    response = content.empty() ? Make(status::not_found, "text/plain; charset=utf-8", "")
                               : Make(status::ok,
                                      path.ends_with(".css") ? "text/css; charset=utf-8"
                                                             : "application/javascript",
                                      std::string(content));
    response.set(field::cache_control, "max-age=3600");
  } else {
    Exchange exchange(request, remote_address, services_, options_);
    response = exchange.Route();
    // ?lang=sv|en is remembered in a cookie, so that the choice survives forms and sign-in.
    const std::string target(request.target());
    for (const char* language : {"sv", "en"}) {
      if (target.find(std::string("lang=") + language) != std::string::npos) {
        response.insert(field::set_cookie,
                        fmt::format("lang={}; Path=/; SameSite=Strict", language));
      }
    }
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  // The access log carries no personal data: no address, no account, no query string.
  spdlog::info("{} {} {} {}ms", std::string(request.method_string()), path, response.result_int(),
               elapsed.count());
  return response;
}

}  // namespace stegvis::http
