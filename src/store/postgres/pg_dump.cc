#include "store/postgres/pg_dump.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <libpq-fe.h>

#include "util/database_url.h"

namespace stegvis::store::postgres {

namespace {

using util::Code;
using util::Fail;

// pg_dump's exit code when exec failed: the shell's "command not found".
constexpr int kNotFoundExit = 127;

// The password `url` names (in its user part or as password=), decoded as libpq reads it;
// empty when none.
std::string PasswordOf(const std::string& url) {
  PQconninfoOption* options = PQconninfoParse(url.c_str(), nullptr);
  std::string password;
  for (PQconninfoOption* option = options; option != nullptr && option->keyword != nullptr;
       ++option) {
    if (std::strcmp(option->keyword, "password") == 0 && option->val != nullptr) {
      password = option->val;
    }
  }
  PQconninfoFree(options);
  return password;
}

// The last non-empty line of `text`.
std::string LastLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const std::size_t newline = text.rfind('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

// Runs pg_dump with standard out into `out`; returns its exit status (as waitpid gives it)
// and its standard error.
util::Result<std::pair<int, std::string>> RunPgDump(const std::string& url, int out) {
  // The password goes to pg_dump in its environment, never on its command line (which every
  // user of the machine can read).
  const std::string password = PasswordOf(url);
  const std::string dbname = "--dbname=" + util::WithoutPassword(url);
  // Everything the child needs is made before fork: after it only async-signal-safe calls.
  std::vector<std::string> arguments = {"pg_dump", "--format=custom", dbname};
  std::vector<char*> argv;
  argv.reserve(arguments.size() + 1);
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::vector<std::string> variables;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    if (!password.empty() && std::strncmp(*variable, "PGPASSWORD=", 11) == 0) continue;
    variables.emplace_back(*variable);
  }
  if (!password.empty()) variables.push_back("PGPASSWORD=" + password);
  std::vector<char*> envp;
  envp.reserve(variables.size() + 1);
  for (std::string& variable : variables) envp.push_back(variable.data());
  envp.push_back(nullptr);

  int errors[2];
  if (::pipe2(errors, O_CLOEXEC) != 0) {
    return Fail(Code::kUnavailable, "pg_dump", "kan inte starta pg_dump", "cannot start pg_dump");
  }
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(errors[0]);
    ::close(errors[1]);
    return Fail(Code::kUnavailable, "pg_dump", "kan inte starta pg_dump", "cannot start pg_dump");
  }
  if (child == 0) {
    ::dup2(out, STDOUT_FILENO);
    ::dup2(errors[1], STDERR_FILENO);
    ::execvpe("pg_dump", argv.data(), envp.data());
    ::_exit(kNotFoundExit);
  }
  ::close(errors[1]);
  std::string error_text;
  char buffer[4096];
  while (true) {
    const ssize_t got = ::read(errors[0], buffer, sizeof buffer);
    if (got > 0) {
      // The end is what explains a failure; keep at most the last 64 KB.
      error_text.append(buffer, static_cast<std::size_t>(got));
      if (error_text.size() > 65536) error_text.erase(0, error_text.size() - 65536);
    } else if (got == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(errors[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return std::make_pair(status, error_text);
}

}  // namespace

bool IsPostgresUrl(const std::string& database) {
  return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

util::Status DumpTo(const std::string& url, const std::string& to_path) {
  const int out = ::open(to_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) {
    if (errno == EEXIST) {
      return Fail(Code::kAlreadyExists, to_path, "filen finns redan; ingenting skrevs över",
                  "the file already exists; nothing was overwritten");
    }
    return Fail(Code::kUnavailable, to_path, "filen kan inte skapas", "the file cannot be created");
  }
  auto ran = RunPgDump(url, out);
  const bool synced = ::fsync(out) == 0;
  ::close(out);
  util::Status result = util::Ok();
  if (!ran) {
    result = Fail(ran.error());
  } else if (WIFEXITED(ran->first) && WEXITSTATUS(ran->first) == kNotFoundExit) {
    result = Fail(Code::kUnavailable, "pg_dump",
                  "pg_dump finns inte; installera PostgreSQL-klienten (Debian: postgresql-client) "
                  "i samma version som servern",
                  "pg_dump is missing; install the PostgreSQL client (Debian: postgresql-client) "
                  "of the server's version");
  } else if (!WIFEXITED(ran->first) || WEXITSTATUS(ran->first) != 0) {
    const std::string last = LastLine(ran->second);
    result = Fail(Code::kUnavailable, "pg_dump", "pg_dump misslyckades: " + last,
                  "pg_dump failed: " + last);
  } else if (!synced) {
    result = Fail(Code::kUnavailable, to_path, "säkerhetskopian kunde inte skrivas till disk",
                  "the backup could not be written to disk");
  }
  if (!result) std::remove(to_path.c_str());
  return result;
}

}  // namespace stegvis::store::postgres
