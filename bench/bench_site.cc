#include "bench_site.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "service/synthetic_forbund.h"
#include "store/sqlite/sqlite_store.h"

namespace stegvis::bench {

namespace fs = std::filesystem;
namespace beast = boost::beast;

namespace {

constexpr const char* kCoach = "bench.coach";
constexpr const char* kPassword = "benchmark-losenord-2026";

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void Die(const std::string& what) {
  std::fprintf(stderr, "stegvis_bench: %s\n", what.c_str());
  std::exit(3);
}

void Must(const util::Status& status, const char* what) {
  if (!status) Die(std::string(what) + ": " + status.error().Render());
}

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

const fs::path& BenchDir() {
  struct Dir {
    fs::path path;
    Dir() {
      std::random_device random;
      path =
          fs::temp_directory_path() / fmt::format("stegvis-bench-{:x}-{:x}", ::getpid(), random());
      fs::create_directories(path);
    }
    ~Dir() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  };
  static Dir dir;
  return dir.path;
}

double ThreadCpuSeconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

std::unique_ptr<service::Services> OpenServices(std::unique_ptr<store::StorePool> pool,
                                                const std::string& audit_head_file) {
  auto services = std::make_unique<service::Services>(
      std::move(pool), kKey, audit_head_file, service::Clocks{&Now, &service::SyntheticToday});
  Must(services->BindKey(kKey), "bind key");
  return services;
}

std::unique_ptr<service::Services> OpenSqliteServices(const fs::path& database) {
  auto open = store::sqlite::SqliteStore::PoolOpener(
      database.string(), store::sqlite::SqliteStore::OpenMode::kCreateIfMissing);
  return OpenServices(std::make_unique<store::StorePool>(open), database.string() + ".granskning");
}

http::Response Send(Site& site, beast::http::verb verb, const std::string& target,
                    const std::string& body) {
  http::Request request{verb, target, 11};
  request.set(beast::http::field::host, "127.0.0.1");
  if (!site.cookie.empty()) request.set(beast::http::field::cookie, site.cookie);
  if (!body.empty()) {
    request.set(beast::http::field::content_type, "application/x-www-form-urlencoded");
    request.body() = body;
  }
  request.prepare_payload();
  return site.app->Handle(request, "127.0.0.1");
}

std::unique_ptr<Site> BuildSite(std::string label, std::unique_ptr<service::Services> services,
                                std::size_t enrolments) {
  BenchDir();                              // Made first, removed last.
  spdlog::set_level(spdlog::level::warn);  // No access log line for every request.
  auto site = std::make_unique<Site>();
  site->label = std::move(label);
  site->enrolments = enrolments;
  site->services = std::move(services);
  const service::Actor op = service::Actor::LocalOperator();
  const auto started = Clock::now();
  Must(site->services->participants.CreateSyntheticForbund(op, {kForbund, enrolments, 1}, nullptr),
       "create synthetic förbund");
  std::fprintf(stderr, "stegvis_bench: %s: generated %zu enrolments in %.1f s\n",
               site->label.c_str(), enrolments, Seconds(Clock::now() - started));
  const core::Plan plan = Must(site->services->plans.Plan(op, kForbund), "plan");
  if (auto range = plan.MeasureRange(core::kMeasureSteg)) site->ladder = *range;
  Must(site->services->accounts.AddAccount(
           op, {kCoach, core::Role::kDeltagaransvarig, kForbund, {kInsats}, kPassword}),
       "add account");
  site->app = std::make_unique<http::WebApp>(*site->services,
                                             http::WebOptions{&service::SyntheticToday, false});

  // Sign in through the form, as a browser does, and take the CSRF token from the API.
  const http::Response signed_in = Send(*site, beast::http::verb::post, "/logga-in",
                                        fmt::format("namn={}&losenord={}", kCoach, kPassword));
  const auto set_cookie = signed_in.find(beast::http::field::set_cookie);
  if (signed_in.result_int() != 303 || set_cookie == signed_in.end()) {
    Die(fmt::format("sign-in answered {}: {}", signed_in.result_int(), signed_in.body()));
  }
  const std::string cookie(set_cookie->value());
  site->cookie = cookie.substr(0, cookie.find(';'));
  const http::Response session = Send(*site, beast::http::verb::get, "/api/v1/session");
  site->csrf = std::string(boost::json::parse(session.body()).at("csrf").as_string());

  service::RecordQuery query;
  query.filter = store::EnrolmentFilter::kOngoing;
  query.limit = 201;
  const service::InsatsRecords ongoing =
      Must(site->services->participants.ListRecords(op, kForbund, kInsats, query), "list records");
  for (const service::EnrolmentRecord& record : ongoing.records) {
    if (!record.identified) continue;
    if (site->shown == 0) {
      site->shown = record.enrolment.id;
    } else {
      site->written.emplace_back(record.enrolment.id, record.enrolment.start);
    }
  }
  if (site->shown == 0 || site->written.empty()) Die("no identified ongoing enrolment");
  return site;
}

http::Response GetRecordPage(Site& site) {
  return Send(site, beast::http::verb::get,
              fmt::format("/forbund/{}/deltagare/{}", kForbund, site.shown));
}

http::Response PostMeasurement(Site& site) {
  const std::int64_t post = site.posts++;
  const auto count = static_cast<std::int64_t>(site.written.size());
  const auto& [id, start] = site.written[static_cast<std::size_t>(post % count)];
  const int room = service::SyntheticToday().DaysSinceEpoch() - start.DaysSinceEpoch();
  const util::Date date = start.AddDays(1 + static_cast<int>((post / count) % std::max(room, 1)));
  const int value =
      site.ladder.first + static_cast<int>(post % (site.ladder.second - site.ladder.first + 1));
  return Send(
      site, beast::http::verb::post,
      fmt::format("/forbund/{}/deltagare/{}/matningar", kForbund, id),
      fmt::format("csrf={}&datum={}&matt=steg&varde={}", site.csrf, date.ToString(), value));
}

void BuildReport(service::Services& services, const char* name, report::Audience audience) {
  const service::ReportRequest request{kForbund, report::Period::Year(kReportYear), audience,
                                       std::nullopt};
  auto built = services.reports.Build(service::Actor::LocalOperator(), name, request);
  if (!built) Die(std::string("report ") + name + ": " + built.error().Render());
  benchmark::DoNotOptimize(*built);
}

void SetPairCounters(benchmark::State& state, const std::string& first_label, const Timing& first,
                     const std::string& second_label, const Timing& second) {
  if (state.iterations() == 0) return;
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["ms_" + first_label] = first.wall / iterations * 1000;
  state.counters["ms_" + second_label] = second.wall / iterations * 1000;
  state.counters["x_" + first_label] = second.wall / first.wall;
  state.counters["cpu_x_" + first_label] = second.cpu / first.cpu;
}

}  // namespace stegvis::bench
