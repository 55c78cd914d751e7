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

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <boost/beast/http.hpp>

#include "bench_site.h"
#include "privacy/pseudonymizer.h"
#include "service/services.h"
#include "service/synthetic_forbund.h"

extern char** environ;

namespace stegvis {
namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
using bench::BenchDir;
using bench::Clock;
using bench::Die;
using bench::kForbund;
using bench::kKey;
using bench::kReports;
using bench::Must;
using bench::Site;
using bench::Timed;
using bench::Timing;

constexpr std::size_t kSmallSite = 5'000;
constexpr std::size_t kBigSite = 100'000;
constexpr std::size_t kSmallImport = 10'000;
constexpr std::size_t kBigImport = 100'000;

// The site of `enrolments` enrolments on a SQLite file of its own, built at the first call.
Site& SiteOf(std::size_t enrolments) {
  static std::map<std::size_t, std::unique_ptr<Site>> sites;
  auto& site = sites[enrolments];
  if (!site) {
    site = bench::BuildSite(
        std::to_string(enrolments),
        bench::OpenSqliteServices(BenchDir() / fmt::format("site-{}.db", enrolments)), enrolments);
  }
  return *site;
}

// Each iteration sends `request` to the small and to the big site, in turn first (see
// bench::RunPaired): x_5000 (wall clock) and cpu_x_5000 (CPU time of the thread) are the big
// site's time over the small one's; ms_5000 and ms_100000 are the mean wall-clock times of
// one request.
template <typename Request>
void RunPaired(benchmark::State& state, unsigned expected, Request request) {
  Site& small = SiteOf(kSmallSite);
  Site& big = SiteOf(kBigSite);
  bench::RunPaired(state, small, big, expected, request);
}

// GET of one participant record (the coach's record page with its three forms).
void BM_RecordPage(benchmark::State& state) { RunPaired(state, 200, &bench::GetRecordPage); }
BENCHMARK(BM_RecordPage)->Unit(benchmark::kMillisecond);

// POST of the measurement form, a commit with its audit entry (bench::PostMeasurement).
void BM_MeasurementPost(benchmark::State& state) { RunPaired(state, 303, &bench::PostMeasurement); }
BENCHMARK(BM_MeasurementPost)->Unit(benchmark::kMillisecond);

// GET of the intervention's participant list, first page (ongoing enrolments, newest first).
void BM_ListFirstPage(benchmark::State& state) {
  RunPaired(state, 200, [](Site& site) {
    return bench::Send(site, beast::http::verb::get,
                       fmt::format("/forbund/{}/insatser/{}/deltagare", kForbund, bench::kInsats));
  });
}
BENCHMARK(BM_ListFirstPage)->Unit(benchmark::kMillisecond);

// ---- The five participant reports for one förbund-year ----

void BuildReport(Site& site, const char* name, report::Audience audience) {
  bench::BuildReport(*site.services, name, audience);
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
    if (const http::Response posted = bench::PostMeasurement(site); posted.result_int() != 303) {
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
  const double seconds = bench::Seconds(Clock::now() - started);
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
  auto services = bench::OpenSqliteServices(database);
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
