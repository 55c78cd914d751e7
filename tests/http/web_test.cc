// The web application through a real server on 127.0.0.1 and a real SQLite file: sign-in,
// cookies, CSRF, throttling, every API route × every role, and a graceful shutdown.
#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <spdlog/spdlog.h>

#include <sqlite3.h>

#include <future>
#include <map>
#include <thread>

#include "http/server.h"
#include "http/web_app.h"
#include "privacy/database_key.h"
#include "service/account_service.h"
#include "service/audit_log.h"
#include "store/sqlite/sqlite_store.h"
#include "test_support.h"

namespace stegvis::http {
namespace {

namespace beast = boost::beast;
using tcp = boost::asio::ip::tcp;

constexpr const char* kPassword = "ett långt lösenord";

struct Reply {
  unsigned status = 0;
  std::string body;
  std::string set_cookie;
  std::string location;
  std::string csp;
};

class Web : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::warn);  // Keep the access log out of test output.
    ASSERT_EQ(testing::RunStegvis({"demo", "--db", db_}).exit_code, 0);
    // The services as `stegvis serve` builds them, on the demo database and its own key.
    const service::Configuration config{db_, ""};
    services_ = testing::OpenServices(
        db_,
        {[] {
           return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count());
         },
         [] { return *util::Date::FromYmd(2026, 11, 23); }},
        *privacy::ReadKeyFile(config.KeyFile()), config.AuditHeadFile());
    service::AccountService& accounts = services_->accounts;
    const service::Actor op = service::Actor::LocalOperator();
    ASSERT_TRUE(accounts.AddAccount(
        op, {"t.system", core::Role::kSystemadministrator, std::nullopt, {}, kPassword}));
    ASSERT_TRUE(accounts.AddAccount(
        op, {"t.admin", core::Role::kForbundsadministrator, "hoglandet", {}, kPassword}));
    ASSERT_TRUE(accounts.AddAccount(
        op, {"t.coach", core::Role::kDeltagaransvarig, "hoglandet", {"se-hoglandet"}, kPassword}));
    ASSERT_TRUE(accounts.AddAccount(
        op, {"t.lasare", core::Role::kRapportlasare, "hoglandet", {}, kPassword}));
    ASSERT_TRUE(accounts.AddAccount(
        op, {"t.nationell", core::Role::kNationell, std::nullopt, {}, kPassword}));
    app_ = std::make_unique<WebApp>(
        *services_, WebOptions{[] { return *util::Date::FromYmd(2026, 11, 23); }, false});
    ServerOptions options;
    options.port = 0;
    options.threads = 8;  // Parallel requests reach the store in parallel.
    auto server = Server::Start(options, [this](const Request& request, const std::string& ip) {
      return app_->Handle(request, ip);
    });
    ASSERT_TRUE(server);
    server_ = std::move(*server);
  }

  // Rows of a table in the database matching `where`, counted through a connection of the
  // test's own.
  std::int64_t CountRows(const std::string& table, const std::string& where) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    const std::string sql = "SELECT count(*) FROM " + table + " WHERE " + where;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sql;
    std::int64_t count = -1;
    if (sqlite3_step(statement) == SQLITE_ROW) count = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return count;
  }

  Reply Send(beast::http::verb verb, const std::string& target, const std::string& cookie = "",
             const std::string& body = "", const std::map<std::string, std::string>& headers = {}) {
    boost::asio::io_context context;
    tcp::socket socket(context);
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), server_->port()));
    beast::http::request<beast::http::string_body> request{verb, target, 11};
    request.set(beast::http::field::host, "127.0.0.1");
    if (!cookie.empty()) request.set(beast::http::field::cookie, cookie);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!body.empty()) {
      request.set(beast::http::field::content_type, "application/x-www-form-urlencoded");
      request.body() = body;
    }
    request.prepare_payload();
    beast::http::write(socket, request);
    beast::flat_buffer buffer;
    beast::http::response<beast::http::string_body> response;
    beast::http::read(socket, buffer, response);
    Reply reply{response.result_int(), response.body(), "", "", ""};
    if (auto it = response.find(beast::http::field::set_cookie); it != response.end()) {
      reply.set_cookie = std::string(it->value());
    }
    if (auto it = response.find(beast::http::field::location); it != response.end()) {
      reply.location = std::string(it->value());
    }
    if (auto it = response.find("Content-Security-Policy"); it != response.end()) {
      reply.csp = std::string(it->value());
    }
    return reply;
  }

  // Signs in and returns the cookie header value.
  std::string SignIn(const std::string& name) {
    const Reply reply = Send(beast::http::verb::post, "/logga-in", "",
                             "namn=" + name + "&losenord=ett+l%C3%A5ngt+l%C3%B6senord");
    EXPECT_EQ(reply.status, 303u) << reply.body;
    return reply.set_cookie.substr(0, reply.set_cookie.find(';'));
  }

  // The session's CSRF token, as the API hands it out.
  std::string Csrf(const std::string& cookie) {
    const Reply reply = Send(beast::http::verb::get, "/api/v1/session", cookie);
    EXPECT_EQ(reply.status, 200u);
    return std::string(boost::json::parse(reply.body).at("csrf").as_string());
  }

  // The id of one enrolment of the intervention in Höglandet's demo data.
  std::int64_t EnrolmentOf(const std::string& insats) {
    auto store =
        store::sqlite::SqliteStore::Open(db_, store::sqlite::SqliteStore::OpenMode::kMustExist);
    EXPECT_TRUE(store);
    auto enrolments = (*store)->LoadEnrolments("hoglandet");
    EXPECT_TRUE(enrolments);
    for (const core::Enrolment& enrolment : *enrolments) {
      if (enrolment.insats_id == insats && enrolment.person_key && !enrolment.exit) {
        return enrolment.id;
      }
    }
    ADD_FAILURE() << "no open identified enrolment in " << insats;
    return 0;
  }

  std::size_t EnrolmentCount() {
    auto store =
        store::sqlite::SqliteStore::Open(db_, store::sqlite::SqliteStore::OpenMode::kMustExist);
    return (*store)->LoadEnrolments("hoglandet")->size();
  }

  testing::TempDir folder_;
  std::string db_ = (folder_ / "web.db").string();
  std::unique_ptr<service::Services> services_;
  std::unique_ptr<WebApp> app_;
  std::unique_ptr<Server> server_;
};

TEST_F(Web, AnswersHealthChecksAndSendsAStrictContentSecurityPolicy) {
  const Reply health = Send(beast::http::verb::get, "/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_NE(health.csp.find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(health.csp.find("unsafe-inline"), std::string::npos);
  const Reply page = Send(beast::http::verb::get, "/logga-in");
  EXPECT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("<html lang=\"sv\""), std::string::npos);
  EXPECT_NE(page.body.find("Lösenord"), std::string::npos);
  EXPECT_NE(Send(beast::http::verb::get, "/logga-in?lang=en").body.find("Password"),
            std::string::npos);
}

TEST_F(Web, SignsInWithAnHttpOnlyStrictCookieAndRefusesWrongPasswords) {
  const Reply wrong =
      Send(beast::http::verb::post, "/logga-in", "", "namn=t.coach&losenord=fel+fel+fel+fel");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_TRUE(wrong.set_cookie.empty());
  const Reply right = Send(beast::http::verb::post, "/logga-in", "",
                           "namn=t.coach&losenord=ett+l%C3%A5ngt+l%C3%B6senord");
  EXPECT_EQ(right.status, 303u);
  EXPECT_NE(right.set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(right.set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(Send(beast::http::verb::get, "/api/v1/forbund").status, 401u);
  const std::string cookie = right.set_cookie.substr(0, right.set_cookie.find(';'));
  EXPECT_EQ(Send(beast::http::verb::get, "/api/v1/forbund", cookie).status, 200u);
}

TEST_F(Web, RefusesStateChangesWithoutTheSessionsCsrfToken) {
  const std::string cookie = SignIn("t.lasare");
  EXPECT_EQ(Send(beast::http::verb::post, "/logga-ut", cookie).status, 403u);
  EXPECT_EQ(Send(beast::http::verb::post, "/logga-ut", cookie, "csrf=fel").status, 403u);
  // The token is on the page for the signed-in account.
  const Reply start = Send(beast::http::verb::get, "/", cookie);
  const std::size_t at = start.body.find("name=\"csrf\" value=\"");
  ASSERT_NE(at, std::string::npos);
  const std::string token = start.body.substr(at + 19, 64);
  EXPECT_EQ(Send(beast::http::verb::post, "/logga-ut", cookie, "csrf=" + token).status, 303u);
  EXPECT_EQ(Send(beast::http::verb::get, "/api/v1/forbund", cookie).status, 401u);
}

TEST_F(Web, ThrottlesRepeatedFailedSignIns) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Send(beast::http::verb::post, "/logga-in", "", "namn=t.coach&losenord=x").status,
              401u);
  }
  const Reply throttled = Send(beast::http::verb::post, "/logga-in", "",
                               "namn=t.coach&losenord=ett+l%C3%A5ngt+l%C3%B6senord");
  EXPECT_EQ(throttled.status, 429u);
  EXPECT_NE(throttled.body.find("för många"), std::string::npos);
}

TEST_F(Web, EveryApiRouteAnswersEveryRoleExactlyAsThePermissionsSay) {
  const std::vector<std::string> routes = {
      "/api/v1/forbund",
      "/api/v1/forbund/hoglandet",
      "/api/v1/forbund/sodra-vatterbygden",
      "/api/v1/forbund/hoglandet/ekonomi?ar=2023",
      "/api/v1/forbund/hoglandet/rapporter/deltagare?ar=2023",
      "/api/v1/forbund/sodra-vatterbygden/rapporter/deltagare?ar=2023",
      "/",
      "/forbund/hoglandet",
      "/forbund/sodra-vatterbygden",
      "/forbund/hoglandet/ekonomi?ar=2023",
      "/forbund/hoglandet/insatser/se-hoglandet",
      "/forbund/hoglandet/rapporter/deltagare?ar=2023",
      "/forbund/hoglandet/rapporter/uppfoljning?ar=2023&format=csv",
      "/api/v1/forbund/hoglandet/rapporter/steg?ar=2023&insats=se-hoglandet",
      "/forbund/hoglandet/insatser/se-hoglandet/deltagare",
      "/forbund/hoglandet/insatser/it-sparet/deltagare",
      "/forbund/hoglandet/insatser/se-hoglandet/deltagare/ny",
      "/forbund/hoglandet/deltagare/" + std::to_string(EnrolmentOf("se-hoglandet")),
      "/forbund/hoglandet/deltagare/" + std::to_string(EnrolmentOf("it-sparet")),
      "/api/v1/forbund/hoglandet/insatser/se-hoglandet/deltagare",
      "/api/v1/forbund/hoglandet/deltagare/" + std::to_string(EnrolmentOf("se-hoglandet")),
      "/api/v1/forbund/hoglandet/uppgifter",
      "/forbund/hoglandet/deltagare/999999",
      "/konto/losenord",
      "/api/v1/session",
  };
  // 200 or 403 per route, in the order above; "publik" says whether a 200 report is the
  // published view.
  struct Expected {
    std::vector<unsigned> statuses;
    bool record_access_on_last;
  };
  const std::map<std::string, Expected> expected = {
      //            api/forbund, plan hog, plan svb, eko, rapp hog, rapp svb,
      //            /, sida hog, sida svb, eko, insats, rapport, csv, steg,
      //            lista se, lista it, ny, post se, post it, api lista, api post, uppgifter,
      //            post finns inte, lösenord, session
      {"t.system",
       {{200, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403,
         403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200},
        false}},
      {"t.admin",
       {{200, 200, 403, 200, 200, 403, 200, 200, 403, 200, 200, 200, 200,
         200, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200},
        false}},
      {"t.coach",
       {{200, 200, 403, 200, 200, 403, 200, 200, 403, 200, 200, 200, 200,
         200, 200, 403, 200, 200, 403, 200, 200, 200, 403, 200, 200},
        true}},
      {"t.lasare",
       {{200, 200, 403, 200, 200, 403, 200, 200, 403, 200, 200, 200, 200,
         200, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200},
        false}},
      {"t.nationell",
       {{200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
         200, 403, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200},
        false}},
  };
  for (const auto& [account, want] : expected) {
    const std::string cookie = SignIn(account);
    for (std::size_t i = 0; i < routes.size(); ++i) {
      const Reply reply = Send(beast::http::verb::get, routes[i], cookie);
      EXPECT_EQ(reply.status, want.statuses[i]) << account << " " << routes[i] << reply.body;
    }
    const Reply last = Send(beast::http::verb::get, routes[13], cookie);
    if (last.status == 200) {
      const auto report = boost::json::parse(last.body);
      EXPECT_EQ(report.at("publik").as_bool(), !want.record_access_on_last) << account;
    }
  }
  // Without a session the API answers 401 and a page sends to the sign-in page.
  for (const std::string& route : routes) {
    const Reply reply = Send(beast::http::verb::get, route);
    if (route.rfind("/api/", 0) == 0) {
      EXPECT_EQ(reply.status, 401u) << route;
    } else {
      EXPECT_EQ(reply.status, 303u) << route;
      EXPECT_EQ(reply.location, "/logga-in") << route;
    }
  }
}

TEST_F(Web, EveryChangingRouteAnswersEveryRoleExactlyAsThePermissionsSay) {
  const std::string se = std::to_string(EnrolmentOf("se-hoglandet"));
  const std::string it = std::to_string(EnrolmentOf("it-sparet"));
  struct Route {
    std::string target;
    std::string body;  // A form; JSON when the target is under /api/.
    unsigned coach;    // What the coach of se-hoglandet gets; everyone else gets 403.
  };
  const std::vector<Route> routes = {
      {"/forbund/hoglandet/insatser/se-hoglandet/deltagare",
       "samtycke=nej&kon=man&startdatum=2026-02-01", 303},
      {"/forbund/hoglandet/insatser/it-sparet/deltagare",
       "samtycke=nej&kon=man&startdatum=2026-02-01", 403},
      {"/forbund/hoglandet/deltagare/" + se + "/matningar", "datum=2024-06-30&matt=halsa&varde=60",
       303},
      {"/forbund/hoglandet/deltagare/" + it + "/matningar", "datum=2024-06-30&matt=halsa&varde=60",
       403},
      {"/forbund/hoglandet/insatser/se-hoglandet/deltagare/sok", "deltagare=SE-0000", 303},
      {"/api/v1/forbund/hoglandet/deltagare",
       R"({"samtycke":"nej","insats":"se-hoglandet","kon":"kvinna","startdatum":"2026-03-01"})",
       201},
      {"/api/v1/forbund/hoglandet/deltagare",
       R"({"samtycke":"nej","insats":"it-sparet","kon":"kvinna","startdatum":"2026-03-01"})", 403},
      {"/api/v1/forbund/hoglandet/deltagare/" + it + "/avslut",
       R"({"slutdatum":"2026-01-01","avslutsorsak":"annat"})", 403},
      {"/api/v1/forbund/hoglandet/deltagare/" + se + "/uppfoljningar",
       R"({"datum":"2026-01-01","manader":6,"sysselsattning":"arbete"})", 400},
  };
  for (const std::string account : {"t.system", "t.admin", "t.coach", "t.lasare", "t.nationell"}) {
    const std::string cookie = SignIn(account);
    const std::string csrf = Csrf(cookie);
    for (const Route& route : routes) {
      const bool api = route.target.rfind("/api/", 0) == 0;
      const std::size_t before = EnrolmentCount();
      const Reply reply =
          api ? Send(beast::http::verb::post, route.target, cookie, route.body,
                     {{"X-CSRF-Token", csrf}})
              : Send(beast::http::verb::post, route.target, cookie, route.body + "&csrf=" + csrf);
      const unsigned want = account == "t.coach" ? route.coach : 403u;
      EXPECT_EQ(reply.status, want) << account << " " << route.target << "\n" << reply.body;
      if (want == 403u) {
        EXPECT_EQ(EnrolmentCount(), before) << account << " " << route.target;
      }
    }
  }
  // Without the CSRF token nothing changes, even for the coach.
  const std::string coach = SignIn("t.coach");
  const std::size_t before = EnrolmentCount();
  EXPECT_EQ(Send(beast::http::verb::post, "/forbund/hoglandet/insatser/se-hoglandet/deltagare",
                 coach, "samtycke=nej&kon=man&startdatum=2026-02-01")
                .status,
            403u);
  EXPECT_EQ(
      Send(beast::http::verb::post, "/api/v1/forbund/hoglandet/deltagare", coach,
           R"({"samtycke":"nej","insats":"se-hoglandet","kon":"man","startdatum":"2026-02-01"})")
          .status,
      403u);
  EXPECT_EQ(EnrolmentCount(), before);
}

TEST_F(Web, TheCoachsFormsKeepNoPersonnummerAndShowErrorsBesideTheirField) {
  const testing::TestPersonnummer person(1990, 1, 1, 238);
  const std::string cookie = SignIn("t.coach");
  const std::string csrf = Csrf(cookie);
  const std::string list = "/forbund/hoglandet/insatser/se-hoglandet/deltagare";
  std::string pages;
  // A wrong start date: the form comes back with the error beside the field and the
  // identifier field empty, and nothing is stored.
  const std::size_t before = EnrolmentCount();
  const Reply wrong = Send(beast::http::verb::post, list, cookie,
                           "csrf=" + csrf + "&samtycke=ja&deltagare=" + person.TwelveDashed() +
                               "&kon=kvinna&startdatum=2026-02-30&kommun=eksjo");
  EXPECT_EQ(wrong.status, 400u);
  EXPECT_NE(wrong.body.find("id=\"ny-startdatum-fel\""), std::string::npos) << wrong.body;
  EXPECT_NE(wrong.body.find("aria-describedby=\"ny-startdatum-hjalp ny-startdatum-fel\""),
            std::string::npos);
  EXPECT_NE(wrong.body.find("<option value=\"eksjo\" selected>"), std::string::npos);
  EXPECT_EQ(EnrolmentCount(), before);
  pages += wrong.body;
  // The same form, right: to the new record.
  const Reply right = Send(beast::http::verb::post, list, cookie,
                           "csrf=" + csrf + "&samtycke=ja&deltagare=" + person.TwelveDashed() +
                               "&kon=kvinna&startdatum=2026-02-02&steg_start=2&forsorjning_start="
                               "a_kassa&forsorjning_start=forsorjningsstod");
  ASSERT_EQ(right.status, 303u) << right.body;
  EXPECT_EQ(EnrolmentCount(), before + 1);
  const std::string record = right.location.substr(0, right.location.find('?'));
  const Reply shown = Send(beast::http::verb::get, right.location, cookie);
  EXPECT_NE(shown.body.find("Deltagaren är registrerad."), std::string::npos);
  EXPECT_NE(shown.body.find("A-kassa, Försörjningsstöd"), std::string::npos);
  pages += shown.body;
  // A measurement out of range is refused beside "varde".
  const Reply measured = Send(beast::http::verb::post, record + "/matningar", cookie,
                              "csrf=" + csrf + "&datum=2026-03-01&matt=steg&varde=9");
  EXPECT_EQ(measured.status, 400u);
  EXPECT_NE(measured.body.find("id=\"matningar-varde-fel\""), std::string::npos);
  pages += measured.body;
  // Finding the person again by another notation of the number leads to the record.
  const Reply found = Send(beast::http::verb::post, list + "/sok", cookie,
                           "csrf=" + csrf + "&deltagare=" + person.Ten());
  EXPECT_EQ(found.status, 303u);
  EXPECT_EQ(found.location, record);
  // A mistyped number is refused beside the search field, without repeating it.
  const Reply mistyped = Send(beast::http::verb::post, list + "/sok", cookie,
                              "csrf=" + csrf + "&deltagare=" + person.WrongCheckDigit());
  EXPECT_EQ(mistyped.status, 400u);
  EXPECT_NE(mistyped.body.find("id=\"sok-deltagare-fel\""), std::string::npos);
  pages += mistyped.body;
  // Registering the same enrolment again is refused beside the start date.
  const Reply again = Send(beast::http::verb::post, list, cookie,
                           "csrf=" + csrf + "&samtycke=ja&deltagare=" + person.Twelve() +
                               "&kon=kvinna&startdatum=2026-02-02");
  EXPECT_EQ(again.status, 409u);
  EXPECT_NE(again.body.find("id=\"ny-startdatum-fel\""), std::string::npos);
  pages += again.body;
  pages += Send(beast::http::verb::get, list + "?status=alla", cookie).body;
  pages += Send(beast::http::verb::get, "/api/v1" + record, cookie).body;
  pages += Send(beast::http::verb::get, "/api/v1" + list, cookie).body;
  pages += Send(beast::http::verb::get, "/", cookie).body;
  for (const std::string& fragment : person.Fragments()) {
    EXPECT_EQ(pages.find(fragment), std::string::npos) << fragment;
  }
}

TEST_F(Web, ServesHtmxAndTheStyleSheetButNoTemplate) {
  const Reply htmx = Send(beast::http::verb::get, "/static/htmx.min.js");
  EXPECT_EQ(htmx.status, 200u);
  EXPECT_NE(htmx.body.find("htmx"), std::string::npos);
  EXPECT_EQ(Send(beast::http::verb::get, "/static/stegvis.css").status, 200u);
  EXPECT_EQ(Send(beast::http::verb::get, "/static/layout.mustache").status, 404u);
}

TEST_F(Web, ThePublishedViewSuppressesSmallCellsForReportReaders) {
  const std::string cookie = SignIn("t.lasare");
  const auto report = boost::json::parse(
      Send(beast::http::verb::get, "/api/v1/forbund/hoglandet/rapporter/deltagare?ar=2023", cookie)
          .body);
  EXPECT_TRUE(report.at("publik").as_bool());
  bool any_suppressed = false;
  for (const auto& row : report.at("rader").as_array()) {
    for (const auto& [key, value] : row.as_object()) {
      if (value.is_null()) any_suppressed = true;
      if (value.is_int64()) {
        EXPECT_FALSE(value.as_int64() >= 1 && value.as_int64() <= 4) << key;
      }
    }
  }
  EXPECT_TRUE(any_suppressed);  // IT-spåret's small counts.
}

TEST_F(Web, APublishedReportCoversAYearOrAHalfYearAndNoOtherSpan) {
  const std::string cookie = SignIn("t.lasare");
  const std::string base = "/api/v1/forbund/hoglandet/rapporter/deltagare";
  const Reply first_half = Send(beast::http::verb::get, base + "?ar=2023&halvar=1", cookie);
  ASSERT_EQ(first_half.status, 200u) << first_half.body;
  const auto report = boost::json::parse(first_half.body);
  EXPECT_EQ(report.at("fran"), "2023-01-01");
  EXPECT_EQ(report.at("till"), "2023-06-30");
  EXPECT_EQ(Send(beast::http::verb::get, base + "?fran=2023-07-01&till=2023-12-31", cookie).status,
            200u);
  // The spans whose difference gave a day's exits away.
  for (const char* query : {"?fran=2023-01-01&till=2023-04-24", "?fran=2023-01-01&till=2023-04-23",
                            "?ar=2023&halvar=3"}) {
    const Reply refused = Send(beast::http::verb::get, base + query, cookie);
    EXPECT_EQ(refused.status, 400u) << query;
  }
}

TEST_F(Web, APublishedReportForOneInterventionIsItsRowOfTheWholePublishedReport) {
  // Otherwise the row shown in full for one intervention, subtracted from the sums of the
  // report for all, gives the suppressed counts of the others.
  const std::string cookie = SignIn("t.lasare");
  for (const std::string report : {"deltagare", "steg", "uppfoljning", "socioekonomi"}) {
    const std::string base = "/api/v1/forbund/hoglandet/rapporter/" + report + "?ar=2023";
    const auto all = boost::json::parse(Send(beast::http::verb::get, base, cookie).body);
    const auto one = boost::json::parse(
        Send(beast::http::verb::get, base + "&insats=se-hoglandet", cookie).body);
    const boost::json::value* row_in_all = nullptr;
    for (const auto& row : all.at("rader").as_array()) {
      if (row.at("insats") == "se-hoglandet") row_in_all = &row;
    }
    ASSERT_NE(row_in_all, nullptr) << report;
    ASSERT_EQ(one.at("rader").as_array().size(), 1u) << report;
    EXPECT_EQ(one.at("rader").at(0), *row_in_all) << report;
  }
}

TEST(Server, FinishesARequestInFlightWhenShutDown) {
  std::promise<void> started;
  ServerOptions options;
  options.port = 0;
  auto server = Server::Start(options, [&started](const Request&, const std::string&) {
    started.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    Response response{beast::http::status::ok, 11};
    response.body() = "klar";
    return response;
  });
  ASSERT_TRUE(server);
  const unsigned short port = (*server)->port();
  auto pending = std::async(std::launch::async, [port] {
    boost::asio::io_context context;
    tcp::socket socket(context);
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    beast::http::request<beast::http::string_body> request{beast::http::verb::get, "/", 11};
    beast::http::write(socket, request);
    beast::flat_buffer buffer;
    beast::http::response<beast::http::string_body> response;
    beast::http::read(socket, buffer, response);
    return response.body();
  });
  started.get_future().wait();
  (*server)->Shutdown();  // Returns only after the answer went out.
  EXPECT_EQ(pending.get(), "klar");
  // And nothing listens any more.
  boost::asio::io_context context;
  tcp::socket socket(context);
  boost::system::error_code error;
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), error);
  EXPECT_TRUE(error);
}

TEST(Server, RefusesABodyOverTheLimit) {
  ServerOptions options;
  options.port = 0;
  options.body_limit = 1000;
  auto server = Server::Start(options, [](const Request&, const std::string&) {
    return Response{beast::http::status::ok, 11};
  });
  ASSERT_TRUE(server);
  boost::asio::io_context context;
  tcp::socket socket(context);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), (*server)->port()));
  beast::http::request<beast::http::string_body> request{beast::http::verb::post, "/", 11};
  request.body() = std::string(5000, 'x');
  request.prepare_payload();
  beast::http::write(socket, request);
  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> response;
  beast::http::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 413u);
}

TEST_F(Web, ParallelMeasurementsOfOneEnrolmentAreAllStoredAndAudited) {
  const std::string cookie = SignIn("t.coach");
  const std::string csrf = Csrf(cookie);
  const std::int64_t id = EnrolmentOf("se-hoglandet");
  const std::string target = fmt::format("/forbund/hoglandet/deltagare/{}/matningar", id);
  const std::int64_t before = CountRows("measurement", fmt::format("enrolment_id = {}", id));
  constexpr int kPosts = 24;
  std::vector<std::future<unsigned>> answers;
  for (int i = 0; i < kPosts; ++i) {
    answers.push_back(std::async(std::launch::async, [&, i] {
      // A different day each, all after the demo data and before the test's today.
      const std::string body =
          fmt::format("csrf={}&datum=2026-10-{:02}&matt=halsa&varde={}", csrf, i + 1, 40 + i);
      return Send(beast::http::verb::post, target, cookie, body).status;
    }));
  }
  for (auto& answer : answers) EXPECT_EQ(answer.get(), 303u);
  EXPECT_EQ(CountRows("measurement", fmt::format("enrolment_id = {}", id)), before + kPosts)
      << "every accepted measurement is stored";
  EXPECT_EQ(CountRows("audit_log", fmt::format("action = 'registrerade matning' AND target LIKE "
                                               "'%inskrivning:{}'",
                                               id)),
            kPosts);
}

TEST_F(Web, OfTwoExitsAtOnceOneIsStoredAndTheOtherAnswers409) {
  const std::string cookie = SignIn("t.coach");
  const std::string csrf = Csrf(cookie);
  const std::int64_t id = EnrolmentOf("se-hoglandet");
  const std::string target = fmt::format("/api/v1/forbund/hoglandet/deltagare/{}/avslut", id);
  std::vector<std::future<Reply>> answers;
  for (const char* reason : {"arbete", "studier"}) {
    answers.push_back(std::async(std::launch::async, [&, reason] {
      return Send(beast::http::verb::post, target, cookie,
                  fmt::format(R"({{"slutdatum":"2026-11-20","avslutsorsak":"{}"}})", reason),
                  {{"X-CSRF-Token", csrf}});
    }));
  }
  const Reply first = answers[0].get();
  const Reply second = answers[1].get();
  std::vector<unsigned> statuses = {first.status, second.status};
  std::sort(statuses.begin(), statuses.end());
  ASSERT_EQ(statuses, (std::vector<unsigned>{200, 409})) << first.body << second.body;
  const Reply& refused = first.status == 409 ? first : second;
  EXPECT_NE(refused.body.find("redan avslutad"), std::string::npos) << refused.body;
  const std::string winner = first.status == 200 ? "arbete" : "studier";
  EXPECT_EQ(CountRows("enrolment", fmt::format("id = {} AND exit_reason = '{}'", id, winner)), 1);
  EXPECT_EQ(CountRows("audit_log", fmt::format("action = 'registrerade avslut' AND target LIKE "
                                               "'%inskrivning:{}'",
                                               id)),
            1);
}

TEST_F(Web, TheParticipantListIsPagedNewestFirstWithCountsOverAllPages) {
  const std::string cookie = SignIn("t.coach");
  const std::string list = "/forbund/hoglandet/insatser/se-hoglandet/deltagare";
  const std::int64_t all = CountRows("enrolment", "insats_id = 'se-hoglandet'");
  const std::int64_t ongoing =
      CountRows("enrolment", "insats_id = 'se-hoglandet' AND exit_date IS NULL");
  ASSERT_GT(all, 100);
  const Reply first = Send(beast::http::verb::get, list + "?status=alla", cookie);
  EXPECT_NE(first.body.find(fmt::format("Pågående: {}. Visas: 1–50 av {}.", ongoing, all)),
            std::string::npos)
      << first.body;
  EXPECT_NE(first.body.find("sida=2"), std::string::npos) << "a link to the next page";
  const Reply second = Send(beast::http::verb::get, list + "?status=alla&sida=2", cookie);
  EXPECT_NE(second.body.find(fmt::format("Visas: 51–100 av {}.", all)), std::string::npos);
  // The API pages the same way and says how many there are.
  const Reply api =
      Send(beast::http::verb::get,
           "/api/v1/forbund/hoglandet/insatser/se-hoglandet/deltagare?fran=10&antal=7", cookie);
  ASSERT_EQ(api.status, 200u) << api.body;
  const boost::json::value page = boost::json::parse(api.body);
  EXPECT_EQ(page.at("deltagare").as_array().size(), 7u);
  EXPECT_EQ(page.at("totalt").as_int64(), all);
  const Reply too_many =
      Send(beast::http::verb::get,
           "/api/v1/forbund/hoglandet/insatser/se-hoglandet/deltagare?antal=100000", cookie);
  EXPECT_EQ(too_many.status, 400u);
  for (const char* query : {"fran=18446744073709551615", "fran=-1", "status=x", "antal=0"}) {
    EXPECT_EQ(
        Send(beast::http::verb::get,
             std::string("/api/v1/forbund/hoglandet/insatser/se-hoglandet/deltagare?") + query,
             cookie)
            .status,
        400u)
        << query;
  }
}

}  // namespace
}  // namespace stegvis::http
