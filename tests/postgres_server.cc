#include "postgres_server.h"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace stegvis::testing {

namespace {

namespace fs = std::filesystem;

// The database every test's schema lives in (see PostgresConninfoFor).
constexpr const char* kTestDatabase = "stegvis_test";

std::string ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The folder of the newest PostgreSQL installed by Debian's packages.
fs::path BinaryFolder() {
  fs::path best;
  int best_version = -1;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
    const std::string name = entry.path().filename().string();
    const int version = std::atoi(name.c_str());
    const fs::path bin = entry.path() / "bin";
    if (version > best_version && fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl") &&
        fs::exists(bin / "postgres")) {
      best = bin;
      best_version = version;
    }
  }
  if (best.empty()) {
    throw std::runtime_error(
        "no PostgreSQL server under /usr/lib/postgresql/*/bin: install the Debian package "
        "postgresql (scripts/setup does)");
  }
  return best;
}

bool IsRoot() { return ::geteuid() == 0; }

// PostgreSQL refuses to run as root: then every server command runs as nobody.
std::vector<std::string> AsServerUser(std::vector<std::string> command) {
  if (!IsRoot()) return command;
  std::vector<std::string> prefix;
  if (::access("/usr/bin/setpriv", X_OK) == 0) {
    prefix = {"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"};
  } else {
    prefix = {"/usr/sbin/runuser", "-u", "nobody", "--"};
  }
  command.insert(command.begin(), prefix.begin(), prefix.end());
  return command;
}

// Runs `command` (no shell) with its output appended to `log`; returns its exit status.
int Run(const std::vector<std::string>& command, const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> storage = command;
  std::vector<char*> argv;
  argv.reserve(storage.size() + 1);
  for (std::string& argument : storage) argv.push_back(argument.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return 127;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A port on 127.0.0.1 that was free a moment ago (the server may still lose it to another
// program: Start then tries another).
int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  int port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  if (fd >= 0) ::close(fd);
  if (port == 0) throw std::runtime_error("no free port on 127.0.0.1");
  return port;
}

// Runs `sql` on `conninfo`; throws with the server's message when it fails.
void Execute(const std::string& conninfo, const std::string& sql) {
  PGconn* connection = PQconnectdb(conninfo.c_str());
  std::string error;
  if (PQstatus(connection) != CONNECTION_OK) {
    error = PQerrorMessage(connection);
  } else {
    PGresult* result = PQexec(connection, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) error = PQresultErrorMessage(result);
    PQclear(result);
  }
  PQfinish(connection);
  if (!error.empty()) throw std::runtime_error(sql + ": " + error);
}

// A fresh folder the server's user may write in, short enough for the socket's path.
fs::path MakeFolder() {
  std::string base = "/tmp";
  // As root the server runs as nobody, who must be able to reach the folder: /tmp it is.
  if (const char* tmp = std::getenv("TMPDIR");
      tmp != nullptr && *tmp != '\0' && !IsRoot() && std::string(tmp).size() < 60) {
    base = tmp;
  }
  std::string pattern = base + "/stegvis-pg-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a folder under " + base);
  }
  fs::path folder = pattern;
  ::chmod(folder.c_str(), 0755);
  if (IsRoot()) {
    const passwd* nobody = ::getpwnam("nobody");
    const group* nogroup = ::getgrnam("nogroup");
    if (nobody == nullptr) throw std::runtime_error("there is no user nobody to run PostgreSQL");
    if (::chown(folder.c_str(), nobody->pw_uid,
                nogroup != nullptr ? nogroup->gr_gid : nobody->pw_gid) != 0) {
      throw std::runtime_error("cannot give " + folder.string() + " to the user nobody");
    }
  }
  return folder;
}

}  // namespace

std::unique_ptr<PostgresServer> PostgresServer::Start(Durability durability) {
  const fs::path bin = BinaryFolder();
  const fs::path folder = MakeFolder();
  const fs::path data = folder / "data";
  const fs::path commands_log = folder / "commands.log";
  auto fail = [&](const std::string& what) {
    const std::string log = ReadWhole(commands_log) + ReadWhole(folder / "server.log");
    Stop(folder);
    throw std::runtime_error(what + "\n" + log);
  };
  if (Run(AsServerUser({(bin / "initdb").string(), "-D", data.string(), "--auth=trust",
                        "--username=stegvis", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"}),
          commands_log) != 0) {
    fail("initdb failed");
  }
  // A port taken between FreePort and the server's start: another one.
  for (int attempt = 1;; ++attempt) {
    const int port = FreePort();
    std::string options = "-c listen_addresses=127.0.0.1 -c port=" + std::to_string(port) +
                          " -c unix_socket_directories=" + folder.string() +
                          " -c max_connections=200";
    if (durability == Durability::kThrowaway) {
      options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
    }
    if (Run(AsServerUser({(bin / "pg_ctl").string(), "-D", data.string(), "-l",
                          (folder / "server.log").string(), "-w", "-t", "60", "-o", options,
                          "start"}),
            commands_log) == 0) {
      const std::string base = "host=127.0.0.1 port=" + std::to_string(port) +
                               " user=stegvis connect_timeout=10 dbname=";
      const std::string admin = base + "postgres";
      for (int wait = 0; PQping(admin.c_str()) != PQPING_OK; ++wait) {
        if (wait == 300) fail("PostgreSQL does not accept connections");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      const auto before = std::chrono::steady_clock::now();
      Execute(admin, std::string("CREATE DATABASE ") + kTestDatabase + " TEMPLATE template0");
      std::unique_ptr<PostgresServer> server(new PostgresServer(folder, base + kTestDatabase));
      server->create_database_time_ = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - before);
      return server;
    }
    if (attempt == 5) fail("pg_ctl start failed");
  }
}

void PostgresServer::Stop(const fs::path& folder) {
  const fs::path data = folder / "data";
  if (fs::exists(data / "postmaster.pid")) {
    (void)Run(AsServerUser({(BinaryFolder() / "pg_ctl").string(), "-D", data.string(), "-m",
                            "immediate", "-w", "stop"}),
              "/dev/null");
  }
  std::error_code ignored;
  fs::remove_all(folder, ignored);
}

PostgresServer::~PostgresServer() {
  if (!detached_) Stop(folder_);
}

const std::string& TestPostgresConninfo() {
  struct Shared {
    std::unique_ptr<PostgresServer> own;
    std::string conninfo;
    std::string error;  // Kept, so that every test reports it rather than starting again.
  };
  static Shared shared = [] {
    Shared result;
    try {
      if (const char* folder = std::getenv("STEGVIS_TEST_POSTGRES");
          folder != nullptr && *folder != '\0') {
        std::string conninfo = ReadWhole(fs::path(folder) / "conninfo");
        while (!conninfo.empty() && (conninfo.back() == '\n' || conninfo.back() == ' ')) {
          conninfo.pop_back();
        }
        if (conninfo.empty()) {
          throw std::runtime_error(std::string("STEGVIS_TEST_POSTGRES names ") + folder +
                                   ", which holds no conninfo file: did the ctest fixture "
                                   "postgres_start run?");
        }
        result.conninfo = conninfo;
      } else {
        result.own = PostgresServer::Start();
        result.conninfo = result.own->conninfo();
      }
    } catch (const std::exception& error) {
      result.error = error.what();
    }
    return result;
  }();
  if (!shared.error.empty()) throw std::runtime_error(shared.error);
  return shared.conninfo;
}

// A schema per store rather than a database: CREATE DATABASE ... TEMPLATE template0 took
// 35-45 ms on an idle machine but 340-490 ms on a busy one (two cores shared with builds),
// and copies 7 MB, where a whole ctest run opens some 250 stores on the one shared server
// (almost 2 GB). A schema costs under a millisecond and a few hundred kilobytes, and the
// store takes its write lock per schema, so stores side by side in one database never wait
// for each other. The store works in the first schema of its search_path, which the
// conninfo's options set.
std::string PostgresConninfoFor(const fs::path& folder) {
  const std::string& server = TestPostgresConninfo();
  std::ostringstream name;
  name << "store_" << std::hex << std::hash<std::string>{}(folder.string()) << "_" << ::getpid();
  const std::string schema = name.str();
  static std::mutex mutex;
  static std::set<std::string> created;
  std::lock_guard lock(mutex);
  if (created.count(schema) == 0) {
    Execute(server, "CREATE SCHEMA IF NOT EXISTS " + schema);
    created.insert(schema);
  }
  return server + " options='-csearch_path=" + schema + "'";
}

std::string NewPostgresDatabaseUrl() {
  const std::string& server = TestPostgresConninfo();
  static std::atomic<int> counter = 0;
  const std::string name =
      "program_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  Execute(server, "CREATE DATABASE " + name + " TEMPLATE template0");
  const std::size_t at = server.find("port=");
  if (at == std::string::npos) throw std::runtime_error("no port in " + server);
  const std::string port = server.substr(at + 5, server.find(' ', at) - at - 5);
  return "postgresql://stegvis@127.0.0.1:" + port + "/" + name;
}

}  // namespace stegvis::testing
