// How the store, the web app and the imports scale: the same request over a synthetic förbund
// of 5 000 and of 100 000 enrolments, an import of 10 000 and of 100 000 deltagare rows beside
// the sqlite3 shell's .import of the same file, and the five participant reports for one year.
// The figures to read are the ratios, each measured within one run (counters x_5000,
// per_row_x_10000 and x_sqlite), not the absolute times of this machine; BENCHMARKS.md holds
// the targets and the last measured run.
//
// The two databases are built once per process with ParticipantService::CreateSyntheticForbund
// (as `stegvis gen` builds them) in a temporary folder that is removed at exit. Requests go
// through http::WebApp::Handle in-process, signed in as a coach (deltagaransvarig) with a real
// session cookie and CSRF token, so each one pays for its session, its authorisation, its
// unit of work, its audit entry and its rendering, and nothing for a socket.
#include <benchmark/benchmark.h>

#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "http/web_app.h"
#include "privacy/pseudonymizer.h"
#include "service/services.h"
#include "service/synthetic_forbund.h"
#include "store/sqlite/sqlite_store.h"

extern char** environ;

namespace stegvis {
namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;

constexpr privacy::Key kKey = {42, 7, 1, 9, 13};
constexpr const char* kForbund = "syn";
constexpr const char* kInsats = "se-hoglandet";  // The largest individual intervention.
constexpr const char* kCoach = "bench.coach";
constexpr const char* kPassword = "benchmark-losenord-2026";
constexpr int kReportYear = 2024;  // The last budget year: the most enrolments cover it.
constexpr std::size_t kSmallSite = 5'000;
constexpr std::size_t kBigSite = 100'000;
constexpr std::size_t kSmallImport = 10'000;
constexpr std::size_t kBigImport = 100'000;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "store_bench: %s\n", what.c_str());
  std::exit(3);
}

template <typename T>
T Must(util::Result<T> result, const char* what) {
  if (!result) Die(std::string(what) + ": " + result.error().Render());
  return std::move(*result);
}
void Must(const util::Status& status, const char* what) {
  if (!status) Die(std::string(what) + ": " + status.error().Render());
}

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double Seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

// The folder of every file the benchmarks make; removed at exit (it is a function-local
// static made before every other, so it is destroyed after them).
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

// Every service on the SQLite file `database` (created when missing), built as app/ builds
// them, with the benchmark's key and a "today" of the synthetic data.
std::unique_ptr<service::Services> OpenServices(const fs::path& database) {
  auto open = store::sqlite::SqliteStore::PoolOpener(
      database.string(), store::sqlite::SqliteStore::OpenMode::kCreateIfMissing);
  auto services = std::make_unique<service::Services>(
      std::make_unique<store::StorePool>(open), kKey, database.string() + ".granskning",
      service::Clocks{&Now, &service::SyntheticToday});
  Must(services->BindKey(kKey), "bind key");
  return services;
}

// CPU seconds of the calling thread: every request runs on it, SQLite included, so that
// this leaves out the time spent waiting for the disk (and for other work on the machine).
double ThreadCpuSeconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Wall-clock and CPU seconds summed over the iterations of one side of a pair.
struct Timing {
  double wall = 0;
  double cpu = 0;
};

template <typename Work>
auto Timed(Timing& timing, Work work) {
  const auto wall = Clock::now();
  const double cpu = ThreadCpuSeconds();
  auto result = work();
  timing.cpu += ThreadCpuSeconds() - cpu;
  timing.wall += Seconds(Clock::now() - wall);
  return result;
}

// ---- A synthetic förbund behind the web app, with a signed-in coach ----

struct Site {
  std::size_t enrolments = 0;
  std::unique_ptr<service::Services> services;
  std::unique_ptr<http::WebApp> app;
  std::string cookie;  // "stegvis_session=..." (and nothing else).
  std::string csrf;
  // Identified ongoing enrolments of kInsats (newest start first): the one the record page
  // shows, and the ones the measurement form writes to, in turn.
  std::int64_t shown = 0;
  std::vector<std::pair<std::int64_t, util::Date>> written;
  std::int64_t posts = 0;  // Measurement posts so far, over every run.
  std::pair<int, int> ladder{1, 7};
};

http::Response Send(Site& site, beast::http::verb verb, const std::string& target,
                    const std::string& body = "") {
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

std::unique_ptr<Site> BuildSite(std::size_t enrolments) {
  auto site = std::make_unique<Site>();
  site->enrolments = enrolments;
  const fs::path database = BenchDir() / fmt::format("site-{}.db", enrolments);
  site->services = OpenServices(database);
  const service::Actor op = service::Actor::LocalOperator();
  const auto started = Clock::now();
  Must(site->services->participants.CreateSyntheticForbund(op, {kForbund, enrolments, 1}, nullptr),
       "create synthetic förbund");
  std::fprintf(stderr, "store_bench: generated %zu enrolments in %.1f s\n", enrolments,
               Seconds(Clock::now() - started));
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

Site& SiteOf(std::size_t enrolments) {
  BenchDir();                              // Made first, removed last.
  spdlog::set_level(spdlog::level::warn);  // No access log line for every request.
  static std::map<std::size_t, std::unique_ptr<Site>> sites;
  auto& site = sites[enrolments];
  if (!site) site = BuildSite(enrolments);
  return *site;
}

// Each iteration sends `request` to the small and to the big site, in turn first, and each
// answer must be `expected`. The ratio is measured in one run, so that other work on the
// machine weighs on both sides alike: x_5000 (wall clock) and cpu_x_5000 (CPU time of the
// thread) are the big site's time over the small one's; ms_5000 and ms_100000 are the mean
// wall-clock times of one request.
template <typename Request>
void RunPaired(benchmark::State& state, unsigned expected, Request request) {
  Site& small = SiteOf(kSmallSite);
  Site& big = SiteOf(kBigSite);
  Timing small_time;
  Timing big_time;
  bool big_first = false;
  for (auto _ : state) {
    for (const bool is_big : {big_first, !big_first}) {
      Site& site = is_big ? big : small;
      const http::Response response =
          Timed(is_big ? big_time : small_time, [&] { return request(site); });
      if (response.result_int() != expected) {
        state.SkipWithError(fmt::format("{} enrolments: answered {} instead of {}: {}",
                                        site.enrolments, response.result_int(), expected,
                                        response.body().substr(0, 300))
                                .c_str());
        return;
      }
      state.counters[fmt::format("bytes_{}", site.enrolments)] =
          static_cast<double>(response.body().size());
    }
    big_first = !big_first;
  }
  const auto iterations = static_cast<double>(state.iterations());
  state.counters[fmt::format("ms_{}", kSmallSite)] = small_time.wall / iterations * 1000;
  state.counters[fmt::format("ms_{}", kBigSite)] = big_time.wall / iterations * 1000;
  state.counters[fmt::format("x_{}", kSmallSite)] = big_time.wall / small_time.wall;
  state.counters[fmt::format("cpu_x_{}", kSmallSite)] = big_time.cpu / small_time.cpu;
}

// GET of one participant record (the coach's record page with its three forms).
void BM_RecordPage(benchmark::State& state) {
  RunPaired(state, 200, [](Site& site) {
    return Send(site, beast::http::verb::get,
                fmt::format("/forbund/{}/deltagare/{}", kForbund, site.shown));
  });
}
BENCHMARK(BM_RecordPage)->Unit(benchmark::kMillisecond);

// POST of the measurement form: each a new step measured on another day (or, once every day
// up to today has one, a changed value), so each is a commit with its audit entry.
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

void BM_MeasurementPost(benchmark::State& state) { RunPaired(state, 303, &PostMeasurement); }
BENCHMARK(BM_MeasurementPost)->Unit(benchmark::kMillisecond);

// GET of the intervention's participant list, first page (ongoing enrolments, newest first).
void BM_ListFirstPage(benchmark::State& state) {
  RunPaired(state, 200, [](Site& site) {
    return Send(site, beast::http::verb::get,
                fmt::format("/forbund/{}/insatser/{}/deltagare", kForbund, kInsats));
  });
}
BENCHMARK(BM_ListFirstPage)->Unit(benchmark::kMillisecond);

// ---- The five participant reports for one förbund-year ----

constexpr const char* kReports[] = {"deltagare", "steg", "uppfoljning", "mal", "socioekonomi"};

void BuildReport(Site& site, const char* name, report::Audience audience) {
  const service::ReportRequest request{kForbund, report::Period::Year(kReportYear), audience,
                                       std::nullopt};
  auto built = site.services->reports.Build(service::Actor::LocalOperator(), name, request);
  if (!built) Die(std::string("report ") + name + ": " + built.error().Render());
  benchmark::DoNotOptimize(*built);
}

// All five, warm: the förbund is loaded by one untimed round first.
void BM_Reports(benchmark::State& state) {
  Site& site = SiteOf(static_cast<std::size_t>(state.range(0)));
  const auto audience = static_cast<report::Audience>(state.range(1));
  for (const char* name : kReports) BuildReport(site, name, audience);
  for (auto _ : state) {
    for (const char* name : kReports) BuildReport(site, name, audience);
  }
  state.SetLabel(audience == report::Audience::kPublic ? "publik" : "med uppgifter");
}
BENCHMARK(BM_Reports)
    ->ArgNames({"enrolments", "public"})
    ->ArgsProduct({{kBigSite}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

// All five, published, right after a measurement was registered (untimed): every write
// moves the förbund's revision, so this is what the first reader after a change waits for.
void BM_ReportsAfterWrite(benchmark::State& state) {
  Site& site = SiteOf(kBigSite);
  for (auto _ : state) {
    state.PauseTiming();
    if (const http::Response posted = PostMeasurement(site); posted.result_int() != 303) {
      state.SkipWithError("the measurement was not stored");
      return;
    }
    state.ResumeTiming();
    for (const char* name : kReports) BuildReport(site, name, report::Audience::kPublic);
  }
}
BENCHMARK(BM_ReportsAfterWrite)->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);

// Each report alone, warm, with record access: where the time of BM_Reports goes.
void BM_Report(benchmark::State& state) {
  Site& site = SiteOf(kBigSite);
  const char* name = kReports[state.range(0)];
  BuildReport(site, name, report::Audience::kRecordAccess);
  for (auto _ : state) BuildReport(site, name, report::Audience::kRecordAccess);
  state.SetLabel(name);
}
BENCHMARK(BM_Report)->ArgName("report")->DenseRange(0, 4)->Unit(benchmark::kMillisecond);

// ---- Import of deltagare.csv beside sqlite3's .import ----

std::string Join(const std::vector<core::Forsorjning>& codes) {
  std::string text;
  for (core::Forsorjning code : codes) {
    if (!text.empty()) text += '|';
    text += core::ForsorjningCode(code);
  }
  return text;
}

std::string StepOn(const core::Enrolment& enrolment, util::Date date) {
  for (const core::Measurement& measurement : enrolment.measurements) {
    if (measurement.measure == core::kMeasureSteg && measurement.date == date) {
      return std::to_string(measurement.value);
    }
  }
  return "";
}

// A deltagare.csv of `rows` enrolments in Höglandet's interventions, as the demo files are
// written (local codes, ';' between fields): the synthetic generator's enrolments, each
// person given a local code BN-000001... in order of appearance.
const fs::path& DeltagareFile(std::size_t rows) {
  static std::map<std::size_t, fs::path> files;
  fs::path& file = files[rows];
  if (!file.empty()) return file;
  file = BenchDir() / fmt::format("deltagare-{}.csv", rows);
  const service::SyntheticOptions options{"bench", rows, 7};
  const core::Plan plan = Must(service::SyntheticPlan(options), "synthetic plan");
  const privacy::Pseudonymizer pseudonyms = privacy::Pseudonymizer::FromKey(kKey);
  std::map<std::string, std::string> codes;
  std::string text =
      "deltagare;insats;kon;fodelsear;kommun;samtycke;startdatum;remittent;forsorjning_start;"
      "steg_start;slutdatum;avslutsorsak;forsorjning_slut;steg_slut\n";
  Must(service::GenerateEnrolments(
           plan, options, pseudonyms, 5000,
           [&](std::vector<core::Enrolment>&& enrolments, std::size_t) -> util::Status {
             for (const core::Enrolment& e : enrolments) {
               std::string code;
               if (e.person_key) {
                 auto [found, added] = codes.emplace(*e.person_key, "");
                 if (added) found->second = fmt::format("BN-{:06}", codes.size());
                 code = found->second;
               }
               text += fmt::format(
                   "{};{};{};{};{};{};{};{};{};{};{};{};{};{}\n", code, e.insats_id,
                   core::KonCode(e.kon), e.birth_year ? std::to_string(*e.birth_year) : "",
                   e.kommun.value_or(""), e.person_key ? "ja" : "nej", e.start.ToString(),
                   e.remittent ? std::string(core::RemittentCode(*e.remittent)) : "",
                   Join(e.income_at_start), StepOn(e, e.start),
                   e.exit ? e.exit->date.ToString() : "",
                   e.exit ? std::string(core::ExitReasonCode(e.exit->reason)) : "",
                   e.exit ? Join(e.exit->income) : "", e.exit ? StepOn(e, e.exit->date) : "");
             }
             return util::Ok();
           }),
       "generate enrolments");
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream content;
  content << stream.rdbuf();
  return content.str();
}

void RemoveDatabase(const fs::path& database) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal", ".granskning", ".granskning.lock"}) {
    std::error_code ignored;
    fs::remove(database.string() + suffix, ignored);
  }
}

// The sqlite3 shell imports `file` into a new bare table of a new database; returns the
// seconds it took, process start included.
double SqliteImport(const fs::path& file, const fs::path& database) {
  RemoveDatabase(database);
  std::vector<std::string> arguments = {"sqlite3",         "-batch",
                                        database.string(), ".mode csv",
                                        ".separator ;",    ".import " + file.string() + " t"};
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const auto started = Clock::now();
  pid_t pid = 0;
  if (posix_spawnp(&pid, "sqlite3", nullptr, nullptr, argv.data(), environ) != 0) {
    Die("cannot start sqlite3");
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  const double seconds = Seconds(Clock::now() - started);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) Die("sqlite3 .import failed");
  return seconds;
}

// Imports deltagare.csv of `rows` rows into a new database holding only the förbund's plan
// (made untimed); `timing` gets reading the file, parsing, validating, pseudonymising and
// storing every row with its audit entry in one unit of work.
void ImportOnce(std::size_t rows, Timing& timing) {
  const fs::path& file = DeltagareFile(rows);
  const fs::path database = BenchDir() / "import.db";
  const service::Actor op = service::Actor::LocalOperator();
  RemoveDatabase(database);
  auto services = OpenServices(database);
  Must(services->participants.CreateSyntheticForbund(op, {"bench", 0, 7}, nullptr), "plan");
  const service::ParticipantImportSummary summary = Timed(timing, [&] {
    const std::string content = ReadAll(file);
    return Must(
        services->participants.ImportDeltagare(op, "bench", file.filename().string(), content),
        "import deltagare");
  });
  if (summary.rows != rows) Die(fmt::format("imported {} rows of {}", summary.rows, rows));
  services.reset();
  RemoveDatabase(database);
}

// One import of the file per iteration (the benchmark's time), beside the sqlite3 shell's
// .import of the same file, so that x_sqlite (our time over sqlite3's) is measured in one
// run. At the big size each iteration also imports the small file: per_row_x_10000 is the
// time per row at the big size over the time per row at the small one (1 is linear).
void BM_ImportDeltagare(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const fs::path& file = DeltagareFile(rows);
  if (rows != kSmallImport) DeltagareFile(kSmallImport);
  const fs::path peer = BenchDir() / "import-sqlite3.db";
  Timing ours;
  Timing small;
  double theirs = 0;
  for (auto _ : state) {
    const double before = ours.wall;
    ImportOnce(rows, ours);
    state.SetIterationTime(ours.wall - before);
    theirs += SqliteImport(file, peer);
    if (rows != kSmallImport) ImportOnce(kSmallImport, small);
  }
  RemoveDatabase(peer);
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["rows_per_s"] = static_cast<double>(rows) * iterations / ours.wall;
  state.counters["sqlite3_ms"] = theirs / iterations * 1000;
  state.counters["x_sqlite"] = ours.wall / theirs;
  state.counters["cpu_ms"] = ours.cpu / iterations * 1000;
  if (small.wall > 0) {
    const double scale = static_cast<double>(rows) / static_cast<double>(kSmallImport);
    state.counters[fmt::format("per_row_x_{}", kSmallImport)] = ours.wall / small.wall / scale;
    state.counters[fmt::format("cpu_per_row_x_{}", kSmallImport)] = ours.cpu / small.cpu / scale;
  }
}
BENCHMARK(BM_ImportDeltagare)
    ->ArgName("rows")
    ->Arg(kSmallImport)
    ->Arg(kBigImport)
    ->UseManualTime()
    ->Iterations(1)
    ->Repetitions(3)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace stegvis
