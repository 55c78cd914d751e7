// What the benchmarks of the web app share: a synthetic förbund behind http::WebApp, built
// as `stegvis gen` builds it on a given store pool, with a coach (deltagaransvarig) signed in
// through the form; the requests the benchmarks send to it; and the paired runner that
// sends one request to two sites in turn, so that the ratio between them is measured within
// one run. store_bench.cc pairs a small and a big site on SQLite, backend_bench.cc the same
// site on SQLite and on PostgreSQL.
//
// Nothing here reports failures as values: a benchmark that cannot build its site prints why
// and exits (Die), since its figures would mean nothing.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <boost/beast/http.hpp>

#include "http/web_app.h"
#include "privacy/pseudonymizer.h"
#include "report/participants.h"
#include "service/services.h"
#include "store/unit_of_work.h"

namespace stegvis::bench {

using Clock = std::chrono::steady_clock;

inline constexpr privacy::Key kKey = {42, 7, 1, 9, 13};
inline constexpr const char* kForbund = "syn";
inline constexpr const char* kInsats = "se-hoglandet";  // The largest individual intervention.
inline constexpr int kReportYear = 2024;  // The last budget year: the most enrolments cover it.
// The five participant reports of one förbund-year, in the order the benchmarks build them.
inline constexpr const char* kReports[] = {"deltagare", "steg", "uppfoljning", "mal",
                                           "socioekonomi"};

// Prints `what` and ends the process with status 3.
[[noreturn]] void Die(const std::string& what);

// The value of `result`, or Die with `what` and the error.
template <typename T>
T Must(util::Result<T> result, const char* what) {
  if (!result) Die(std::string(what) + ": " + result.error().Render());
  return std::move(*result);
}
void Must(const util::Status& status, const char* what);

double Seconds(Clock::duration duration);

// The folder of every file the benchmarks make; removed at exit (it is a function-local
// static made before every other, so it is destroyed after them).
const std::filesystem::path& BenchDir();

// CPU seconds of the calling thread: every request runs on it, SQLite included, so that
// this leaves out the time spent waiting for the disk, for another process (a PostgreSQL
// server) and for other work on the machine.
double ThreadCpuSeconds();

// Wall-clock and CPU seconds summed over the iterations of one side of a pair.
struct Timing {
  double wall = 0;
  double cpu = 0;
};

// Runs `work`, adds its wall-clock and CPU time to `timing` and returns its result.
template <typename Work>
auto Timed(Timing& timing, Work work) {
  const auto wall = Clock::now();
  const double cpu = ThreadCpuSeconds();
  auto result = work();
  timing.cpu += ThreadCpuSeconds() - cpu;
  timing.wall += Seconds(Clock::now() - wall);
  return result;
}

// Every service on `pool`, built as app/ builds them, with the benchmarks' key, the audit
// head in `audit_head_file` and a "today" of the synthetic data. Dies when the database
// belongs to another key.
std::unique_ptr<service::Services> OpenServices(std::unique_ptr<store::StorePool> pool,
                                                const std::string& audit_head_file);

// The same on the SQLite file `database` (created when missing), with the audit head beside
// it.
std::unique_ptr<service::Services> OpenSqliteServices(const std::filesystem::path& database);

// A synthetic förbund behind the web app, with a signed-in coach.
struct Site {
  std::string label;  // Names the site in counters and messages: "5000", "sqlite", ...
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

// Generates förbund kForbund with `enrolments` enrolments (seed 1) through `services`, whose
// database must not hold it yet, adds the coach, signs in through POST /logga-in and takes
// the CSRF token from /api/v1/session. Prints how long the generation took.
std::unique_ptr<Site> BuildSite(std::string label, std::unique_ptr<service::Services> services,
                                std::size_t enrolments);

// Sends one request to the site's web app in-process, with its session cookie.
http::Response Send(Site& site, boost::beast::http::verb verb, const std::string& target,
                    const std::string& body = "");

// GET of the record page of the site's shown enrolment (the coach's page with its forms).
http::Response GetRecordPage(Site& site);

// POST of the measurement form: each a new step measured on another day (or, once every day
// up to today has one, a changed value), so each is a commit with its audit entry.
http::Response PostMeasurement(Site& site);

// Builds one report of kReportYear for the whole förbund as the local operator; dies when
// it fails.
void BuildReport(service::Services& services, const char* name, report::Audience audience);

// Runs every iteration of `state` as work(false) and work(true) (the first and the second
// side of a pair), alternating which goes first, so that other work on the machine weighs
// on both sides alike. Stops when `work` returns false, having called state.SkipWithError.
template <typename Work>
void Alternate(benchmark::State& state, Work work) {
  bool second_first = false;
  for (auto _ : state) {
    for (const bool is_second : {second_first, !second_first}) {
      if (!work(is_second)) return;
    }
    second_first = !second_first;
  }
}

// The counters of a pair whose sides are labelled A and B, each time summed over the
// iterations: ms_A and ms_B (the mean wall-clock time of one iteration's work), x_A (B's
// wall-clock time over A's) and cpu_x_A (the same for the thread's CPU time).
void SetPairCounters(benchmark::State& state, const std::string& first_label, const Timing& first,
                     const std::string& second_label, const Timing& second);

// Each iteration sends `request` to `first` and to `second` (see Alternate), and each answer
// must be `expected`. Counters: those of SetPairCounters, and bytes_A, bytes_B (the sizes of
// the answers).
template <typename Request>
void RunPaired(benchmark::State& state, Site& first, Site& second, unsigned expected,
               Request request) {
  Timing first_time;
  Timing second_time;
  Alternate(state, [&](bool is_second) {
    Site& site = is_second ? second : first;
    const http::Response response =
        Timed(is_second ? second_time : first_time, [&] { return request(site); });
    if (response.result_int() != expected) {
      state.SkipWithError(fmt::format("{}: answered {} instead of {}: {}", site.label,
                                      response.result_int(), expected,
                                      response.body().substr(0, 300))
                              .c_str());
      return false;
    }
    state.counters["bytes_" + site.label] = static_cast<double>(response.body().size());
    return true;
  });
  SetPairCounters(state, first.label, first_time, second.label, second_time);
}

}  // namespace stegvis::bench
