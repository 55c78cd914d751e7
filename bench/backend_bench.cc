// What the store's backend costs: the same synthetic förbund (as `stegvis gen` makes it:
// förbund syn, seed 1, 50 000 enrolments) on SQLite and on PostgreSQL, side by side in one
// process, with the same clicks and reports sent to both in turn. The figures to read are the
// ratios measured within one run: x_sqlite is PostgreSQL's wall-clock time over SQLite's and
// cpu_x_sqlite the same for the CPU time of the benchmark's thread (which leaves out the
// server's own work: server_cpu_ms is the PostgreSQL server's CPU time per iteration).
//
// The PostgreSQL server is started by the benchmark itself (tests/postgres_server.h) in a
// temporary folder on the same disk as the SQLite file, durable as PostgreSQL runs by default
// (fsync and synchronous_commit on), listening on 127.0.0.1; the store reaches it over TCP
// through libpq, with a pool of ten connections as `stegvis serve` opens one. The server and
// its folder are removed at exit. BENCHMARKS.md holds the last measured run.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "bench_site.h"
#include "postgres_server.h"
#include "store/postgres/postgres_store.h"

namespace stegvis {
namespace {

namespace fs = std::filesystem;
using bench::BenchDir;
using bench::Die;
using bench::Must;
using bench::Site;
using bench::Timed;
using bench::Timing;

// 50 000 rather than store_bench's 100 000: generating the förbund in one transaction on
// PostgreSQL grows faster than its size (the insert trigger updates the same forbund and
// insats_tally rows once per enrolment, and PostgreSQL walks every version of a row that the
// open transaction has made), and 100 000 had not finished after eleven minutes where SQLite
// took half a minute (BENCHMARKS.md).
constexpr std::size_t kEnrolments = 100'000;
constexpr std::size_t kPostgresPool = 10;  // What `stegvis serve` opens unless configured.
constexpr const char* kSqlite = "sqlite";
constexpr const char* kPostgresql = "postgresql";

// The first row of `sql` on `conninfo`; dies when it fails.
std::vector<std::string> QueryRow(const std::string& conninfo, const std::string& sql) {
  PGconn* connection = PQconnectdb(conninfo.c_str());
  if (PQstatus(connection) != CONNECTION_OK) Die(PQerrorMessage(connection));
  PGresult* result = PQexec(connection, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    Die(sql + ": " + PQresultErrorMessage(result));
  }
  std::vector<std::string> row;
  for (int column = 0;
       status == PGRES_TUPLES_OK && PQntuples(result) > 0 && column < PQnfields(result); ++column) {
    row.emplace_back(PQgetvalue(result, 0, column));
  }
  PQclear(result);
  PQfinish(connection);
  return row;
}

// CPU seconds the PostgreSQL server whose postmaster is `postmaster` has used so far: the
// postmaster's own, its live children's (every connection's backend, the WAL writer, the
// checkpointer...) and those of the children it has reaped.
double ServerCpuSeconds(pid_t postmaster) {
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  // Fields 14 and 15 of /proc/PID/stat are utime and stime, 16 and 17 the reaped children's.
  auto fields = [](const fs::path& stat) {
    std::ifstream in(stat);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> after_name;
    const std::size_t end = text.rfind(')');  // The name may hold spaces.
    if (end == std::string::npos) return after_name;
    std::istringstream rest(text.substr(end + 2));
    for (std::string field; rest >> field;) after_name.push_back(field);
    return after_name;  // after_name[0] is field 3 (the state).
  };
  double ticks = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::vector<std::string> stat = fields(entry.path() / "stat");
    if (stat.size() < 15) continue;
    const pid_t pid = std::stoi(name);
    if (pid == postmaster) {
      ticks +=
          std::stod(stat[11]) + std::stod(stat[12]) + std::stod(stat[13]) + std::stod(stat[14]);
    } else if (std::stoi(stat[1]) == postmaster) {
      ticks += std::stod(stat[11]) + std::stod(stat[12]);
    }
  }
  return ticks / tick;
}

// The PostgreSQL server and the two sites, built at the first call; at exit the sites go
// before the server (members are destroyed in reverse order).
struct Backends {
  std::unique_ptr<testing::PostgresServer> server;
  pid_t postmaster = 0;
  std::string version;  // E.g. "PostgreSQL 15.10".
  fs::path sqlite_database;
  std::unique_ptr<Site> sqlite;
  std::unique_ptr<Site> postgresql;
};

// A new pool of connections to the server's database and every service on it.
std::unique_ptr<service::Services> OpenPostgresServices(const std::string& conninfo) {
  return bench::OpenServices(
      std::make_unique<store::StorePool>(store::postgres::PostgresStore::PoolOpener(conninfo),
                                         kPostgresPool),
      (BenchDir() / "postgresql.granskning").string());
}

Backends& TheBackends() {
  static const std::unique_ptr<Backends> backends = [] {
    BenchDir();  // Made first, removed last.
    auto made = std::make_unique<Backends>();
    try {
      made->server = testing::PostgresServer::Start(testing::PostgresServer::Durability::kDurable);
    } catch (const std::exception& error) {
      Die(std::string("cannot start PostgreSQL: ") + error.what());
    }
    const std::string& conninfo = made->server->conninfo();
    std::ifstream pid_file(made->server->folder() / "data" / "postmaster.pid");
    pid_file >> made->postmaster;
    const std::vector<std::string> settings = QueryRow(
        conninfo,
        "SELECT 'PostgreSQL ' || current_setting('server_version'), current_setting('fsync'), "
        "current_setting('synchronous_commit'), current_setting('full_page_writes'), "
        "current_setting('wal_sync_method'), current_setting('shared_buffers')");
    made->version = settings.at(0);
    std::fprintf(stderr,
                 "backend_bench: %s in %s: fsync=%s synchronous_commit=%s full_page_writes=%s "
                 "wal_sync_method=%s shared_buffers=%s\n",
                 made->version.c_str(), made->server->folder().c_str(), settings.at(1).c_str(),
                 settings.at(2).c_str(), settings.at(3).c_str(), settings.at(4).c_str(),
                 settings.at(5).c_str());
    made->sqlite_database = BenchDir() / "backend.db";
    made->sqlite =
        bench::BuildSite(kSqlite, bench::OpenSqliteServices(made->sqlite_database), kEnrolments);
    // Opening once migrates the schema before the pool opens more connections (as app/ does).
    Must(store::postgres::PostgresStore::Open(conninfo), "migrate the PostgreSQL schema");
    made->postgresql = bench::BuildSite(kPostgresql, OpenPostgresServices(conninfo), kEnrolments);
    return made;
  }();
  return *backends;
}

// How many statements `work` sends to the server: counted in the server's log, with
// log_statement = all while it runs (a setting every connection takes up before its next
// command once the server has been told to reload). Prints them by their first word under
// `what`, e.g. "record page: 23 statements (BEGIN 1, SELECT 14, ...)".
int StatementsOf(Backends& backends, const char* what, const std::function<void()>& work) {
  const std::string& conninfo = backends.server->conninfo();
  const fs::path log = backends.server->folder() / "server.log";
  auto set = [&](const char* sql) {
    QueryRow(conninfo, sql);
    QueryRow(conninfo, "SELECT pg_reload_conf()");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  };
  set("ALTER SYSTEM SET log_statement = 'all'");
  const auto before = static_cast<std::streamoff>(fs::file_size(log));
  work();
  set("ALTER SYSTEM RESET log_statement");
  std::ifstream in(log);
  in.seekg(before);
  int statements = 0;
  std::map<std::string, int> by_word;
  for (std::string line; std::getline(in, line);) {
    // "LOG:  statement: SQL" (simple protocol) or "LOG:  execute NAME: SQL" (prepared).
    std::size_t at = line.find("LOG:  statement: ");
    if (at != std::string::npos) {
      at += 17;
    } else if ((at = line.find("LOG:  execute ")) != std::string::npos) {
      at = line.find(": ", at + 14);
      if (at == std::string::npos) continue;
      at += 2;
    } else {
      continue;
    }
    std::istringstream sql(line.substr(at));
    std::string word;
    sql >> word;
    // Leave out this function's own statements, which run on connections of their own.
    if (word == "ALTER" || line.find("pg_reload_conf") != std::string::npos) continue;
    ++statements;
    ++by_word[word];
  }
  std::string words;
  for (const auto& [word, count] : by_word) {
    words += fmt::format("{}{} {}", words.empty() ? "" : ", ", word, count);
  }
  std::fprintf(stderr, "backend_bench: %s: %d statements on PostgreSQL (%s)\n", what, statements,
               words.c_str());
  return statements;
}

// StatementsOf for `name`, counted once per process (on the first repetition).
int CountOnce(Backends& backends, const char* name, const std::function<void()>& work) {
  static std::map<std::string, int> counted;
  auto [found, added] = counted.emplace(name, 0);
  if (added) found->second = StatementsOf(backends, name, work);
  return found->second;
}

// Sends `request` to the SQLite and to the PostgreSQL site in turn (bench::RunPaired); adds
// server_cpu_ms (the server's CPU time per iteration) and pg_statements (how many
// statements one request, named `what`, sends to the server).
template <typename Request>
void RunBackends(benchmark::State& state, const char* what, unsigned expected, Request request) {
  Backends& backends = TheBackends();
  const int statements = CountOnce(backends, what, [&] { request(*backends.postgresql); });
  const double server_cpu = ServerCpuSeconds(backends.postmaster);
  bench::RunPaired(state, *backends.sqlite, *backends.postgresql, expected, request);
  if (state.iterations() > 0) {
    state.counters["server_cpu_ms"] = (ServerCpuSeconds(backends.postmaster) - server_cpu) /
                                      static_cast<double>(state.iterations()) * 1000;
  }
  state.counters["pg_statements"] = statements;
  state.SetLabel(backends.version);
}

// GET of one participant record: a click that reads.
void BM_BackendRecordPage(benchmark::State& state) {
  RunBackends(state, "record page", 200, &bench::GetRecordPage);
}
BENCHMARK(BM_BackendRecordPage)->Unit(benchmark::kMillisecond);

// POST of the measurement form: a click that commits a measurement with its audit entry.
void BM_BackendMeasurementPost(benchmark::State& state) {
  RunBackends(state, "measurement post", 303, &bench::PostMeasurement);
}
BENCHMARK(BM_BackendMeasurementPost)->Unit(benchmark::kMillisecond);

// Whether the reports find the förbund in their cache.
enum class Cache {
  // Each round of five is built by fresh services on a new pool on the same database, so the
  // first report reads the whole förbund from the store.
  kCold,
  // Each round is built by the site's own services, which one untimed round has loaded.
  kWarm,
};

// The five participant reports of kReportYear for the whole förbund, with record access, on
// each backend in turn (counters as RunBackends, `what` naming the round). Making and
// dropping the fresh services of a cold round is not timed.
void RunReports(benchmark::State& state, const char* what, Cache cache) {
  Backends& backends = TheBackends();
  auto build_all = [](service::Services& services) {
    for (const char* name : bench::kReports) {
      bench::BuildReport(services, name, report::Audience::kRecordAccess);
    }
    return true;
  };
  if (cache == Cache::kWarm) {
    build_all(*backends.sqlite->services);
    build_all(*backends.postgresql->services);
  }
  auto counted =
      cache == Cache::kCold ? OpenPostgresServices(backends.server->conninfo()) : nullptr;
  const int statements = CountOnce(
      backends, what, [&] { build_all(counted ? *counted : *backends.postgresql->services); });
  counted.reset();
  const double server_cpu = ServerCpuSeconds(backends.postmaster);
  Timing sqlite_time;
  Timing postgresql_time;
  bench::Alternate(state, [&](bool is_postgresql) {
    Site& site = is_postgresql ? *backends.postgresql : *backends.sqlite;
    std::unique_ptr<service::Services> fresh;
    if (cache == Cache::kCold) {
      state.PauseTiming();
      fresh = is_postgresql ? OpenPostgresServices(backends.server->conninfo())
                            : bench::OpenSqliteServices(backends.sqlite_database);
      state.ResumeTiming();
    }
    service::Services& services = fresh ? *fresh : *site.services;
    Timed(is_postgresql ? postgresql_time : sqlite_time, [&] { return build_all(services); });
    if (fresh) {
      state.PauseTiming();
      fresh.reset();
      state.ResumeTiming();
    }
    return true;
  });
  bench::SetPairCounters(state, kSqlite, sqlite_time, kPostgresql, postgresql_time);
  state.counters["server_cpu_ms"] = (ServerCpuSeconds(backends.postmaster) - server_cpu) /
                                    static_cast<double>(state.iterations()) * 1000;
  state.counters["pg_statements"] = statements;
  state.SetLabel(backends.version);
}

// Cold: what the first reader after a start (or a change by another server) waits for; the
// förbund is read from the store, which is where the backends differ. Two iterations, so
// that each backend goes first once.
void BM_BackendReportsCold(benchmark::State& state) {
  RunReports(state, "five reports, cold", Cache::kCold);
}
BENCHMARK(BM_BackendReportsCold)->Iterations(2)->Unit(benchmark::kMillisecond);

// Warm: once the förbund is loaded, the reports are built from memory on either backend.
void BM_BackendReportsWarm(benchmark::State& state) {
  RunReports(state, "five reports, warm", Cache::kWarm);
}
BENCHMARK(BM_BackendReportsWarm)->Unit(benchmark::kMillisecond);

// One round trip: a prepared `SELECT 1` on one connection of each backend (sqlite3_step in
// the process against a message to the server over TCP and its answer). This is the fixed
// cost of every statement a click runs.
void BM_BackendRoundTrip(benchmark::State& state) {
  Backends& backends = TheBackends();
  sqlite3* sqlite = nullptr;
  sqlite3_stmt* select = nullptr;
  if (sqlite3_open_v2(backends.sqlite_database.c_str(), &sqlite, SQLITE_OPEN_READONLY, nullptr) !=
          SQLITE_OK ||
      sqlite3_prepare_v2(sqlite, "SELECT 1", -1, &select, nullptr) != SQLITE_OK) {
    Die("cannot open the SQLite database");
  }
  PGconn* postgresql = PQconnectdb(backends.server->conninfo().c_str());
  PGresult* prepared = PQprepare(postgresql, "one", "SELECT 1", 0, nullptr);
  if (PQresultStatus(prepared) != PGRES_COMMAND_OK) Die(PQerrorMessage(postgresql));
  PQclear(prepared);
  Timing sqlite_time;
  Timing postgresql_time;
  auto ask_postgresql = [&] {
    PGresult* result = PQexecPrepared(postgresql, "one", 0, nullptr, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
    PQclear(result);
    return ok;
  };
  auto ask_sqlite = [&] {
    const bool ok = sqlite3_step(select) == SQLITE_ROW;
    sqlite3_reset(select);
    return ok;
  };
  bench::Alternate(state, [&](bool is_postgresql) {
    const bool answered =
        is_postgresql ? Timed(postgresql_time, ask_postgresql) : Timed(sqlite_time, ask_sqlite);
    if (!answered) state.SkipWithError(is_postgresql ? kPostgresql : kSqlite);
    return answered;
  });
  sqlite3_finalize(select);
  sqlite3_close(sqlite);
  PQfinish(postgresql);
  bench::SetPairCounters(state, kSqlite, sqlite_time, kPostgresql, postgresql_time);
  state.SetLabel(backends.version);
}
BENCHMARK(BM_BackendRoundTrip)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace stegvis
