#include "test_support.h"

#include <iterator>

#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>

#include <sys/wait.h>
#include <unistd.h>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace stegvis::testing {

TempDir::TempDir() {
  std::random_device random;
  // Hex, so that no run of ten digits looks like a personnummer in a message.
  path_ = std::filesystem::temp_directory_path() /
          fmt::format("stegvis-test-{:x}-{:x}", ::getpid(), random());
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

namespace {

std::string Drain(int fd) {
  std::string text;
  std::array<char, 4096> buffer{};
  while (true) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n <= 0) break;
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

}  // namespace

CommandResult RunStegvis(const std::vector<std::string>& arguments, const std::string& input) {
  return RunProgram(STEGVIS_BINARY, arguments, input);
}

CommandResult RunProgram(const std::string& program, const std::vector<std::string>& arguments,
                         const std::string& input) {
  TempDir capture;
  const std::string in_path = (capture / "in").string();
  WriteFile(in_path, input);
  const std::string out_path = (capture / "out").string();
  const std::string err_path = (capture / "err").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  std::vector<std::string> argv_storage = {program};
  argv_storage.insert(argv_storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : argv_storage) argv.push_back(argument.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start " + program);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = Drain(::open(out_path.c_str(), O_RDONLY));
  result.err = Drain(::open(err_path.c_str(), O_RDONLY));
  return result;
}

void CompareJsonSubset(const boost::json::value& expected, const boost::json::value& actual,
                       const std::string& path, std::vector<std::string>& mismatches) {
  namespace json = boost::json;
  auto differ = [&] {
    mismatches.push_back(path + ": expected " + json::serialize(expected) + ", got " +
                         json::serialize(actual));
  };
  if (expected.is_number() && actual.is_number()) {
    if (expected.to_number<double>() != actual.to_number<double>()) differ();
  } else if (expected.kind() != actual.kind()) {
    differ();
  } else if (expected.is_object()) {
    for (const auto& [key, value] : expected.get_object()) {
      const json::value* found = actual.get_object().if_contains(key);
      if (found == nullptr) {
        mismatches.push_back(path + "." + std::string(key) + ": missing");
      } else {
        CompareJsonSubset(value, *found, path + "." + std::string(key), mismatches);
      }
    }
  } else if (expected.is_array()) {
    const auto& want = expected.get_array();
    const auto& got = actual.get_array();
    if (want.size() != got.size()) return differ();
    for (std::size_t i = 0; i < want.size(); ++i) {
      CompareJsonSubset(want[i], got[i], path + "[" + std::to_string(i) + "]", mismatches);
    }
  } else if (expected != actual) {
    differ();
  }
}

std::string DumpDatabase(const std::filesystem::path& database, AuditRows audit) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + database.string());
  }
  auto rows = [&](const std::string& sql) {
    std::vector<std::string> lines;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(db));
    }
    while (sqlite3_step(statement) == SQLITE_ROW) {
      std::string line;
      for (int i = 0; i < sqlite3_column_count(statement); ++i) {
        const unsigned char* text = sqlite3_column_text(statement, i);
        line += (i ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      lines.push_back(line);
    }
    sqlite3_finalize(statement);
    return lines;
  };
  std::ostringstream dump;
  for (const std::string& table :
       rows("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")) {
    if (audit == AuditRows::kExclude && table == "audit_log") continue;
    // Which enrolments were written at which revision: bookkeeping for readers, like the
    // revision itself, not content.
    if (table == "enrolment_change") continue;
    dump << "== " << table << "\n";
    // schema_migrations records when it ran; the version is what matters. A förbund's
    // revision counts writes (a re-import that changes nothing still writes), not content.
    const std::string columns =
        table == "schema_migrations" ? "version"
        : table == "forbund"         ? "id, name, formed, suppression_k, equity_year, equity_ore, "
                                       "socio_avoided_support_ore, socio_avoided_administration_ore, "
                                       "socio_tax_income_ore, socio_months"
                                     : "*";
    std::vector<std::string> lines = rows("SELECT " + columns + " FROM \"" + table + "\"");
    std::sort(lines.begin(), lines.end());
    for (const std::string& line : lines) dump << line << "\n";
  }
  sqlite3_close(db);
  return dump.str();
}

std::unique_ptr<service::Services> OpenServices(const std::filesystem::path& database,
                                                service::Clocks clocks, const privacy::Key& key,
                                                const std::string& audit_head) {
  auto open = store::sqlite::SqliteStore::PoolOpener(
      database.string(), store::sqlite::SqliteStore::OpenMode::kCreateIfMissing);
  auto services = std::make_unique<service::Services>(
      std::make_unique<store::StorePool>(open), key,
      audit_head.empty() ? database.string() + ".granskning" : audit_head, std::move(clocks));
  if (auto bound = services->BindKey(key); !bound) {
    throw std::runtime_error(bound.error().Render());
  }
  return services;
}

void ExpectSameContent(const std::string& before, const std::string& after,
                       const std::string& why) {
  if (before == after) return;
  auto lines = [](const std::string& dump) {
    std::vector<std::string> result;
    std::istringstream stream(dump);
    for (std::string line; std::getline(stream, line);) result.push_back(line);
    std::sort(result.begin(), result.end());
    return result;
  };
  const std::vector<std::string> old_lines = lines(before);
  const std::vector<std::string> new_lines = lines(after);
  std::vector<std::string> removed;
  std::vector<std::string> added;
  std::set_difference(old_lines.begin(), old_lines.end(), new_lines.begin(), new_lines.end(),
                      std::back_inserter(removed));
  std::set_difference(new_lines.begin(), new_lines.end(), old_lines.begin(), old_lines.end(),
                      std::back_inserter(added));
  std::string diff = fmt::format("{} rows removed, {} rows added\n", removed.size(), added.size());
  for (std::size_t i = 0; i < std::min<std::size_t>(removed.size(), 20); ++i) {
    diff += "- " + removed[i] + "\n";
  }
  for (std::size_t i = 0; i < std::min<std::size_t>(added.size(), 20); ++i) {
    diff += "+ " + added[i] + "\n";
  }
  ADD_FAILURE() << why << "; the database changed: " << diff;
}

void WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::ofstream stream(path, std::ios::binary);
  stream << content;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream content;
  content << stream.rdbuf();
  return content.str();
}

std::vector<std::filesystem::path> CaseFiles(const std::string& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath(folder))) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::filesystem::path SourcePath(const std::string& relative) {
  return std::filesystem::path(STEGVIS_SOURCE_DIR) / relative;
}

namespace {

std::string Pad(int value, std::size_t width) {
  const std::string digits = std::to_string(value);
  return std::string(width - std::min(width, digits.size()), '0') + digits;
}

}  // namespace

char LuhnCheckDigit(const std::string& nine_digits) {
  int sum = 0;
  for (std::size_t i = 0; i < nine_digits.size(); ++i) {
    int value = (nine_digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
    if (value > 9) value -= 9;
    sum += value;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

TestPersonnummer::TestPersonnummer(int year, int month, int day, int serial)
    : century_(Pad(year / 100, 2)),
      nine_(Pad(year % 100, 2) + Pad(month, 2) + Pad(day, 2) + Pad(serial, 3)),
      ten_(nine_ + LuhnCheckDigit(nine_)) {}

std::string TestPersonnummer::WrongCheckDigit() const {
  std::string wrong = Twelve();
  wrong.back() = static_cast<char>('0' + (wrong.back() - '0' + 1) % 10);
  return wrong;
}

std::vector<std::string> TestPersonnummer::Fragments() const {
  const std::string wrong = WrongCheckDigit();
  return {Twelve(),        TwelveDashed(),         Ten(), TenDashed(), nine_, Dashed(nine_), wrong,
          wrong.substr(2), Dashed(wrong.substr(2))};
}

void ExpectNoPersonnummer(const std::string& bytes, const std::string& what,
                          const std::vector<const TestPersonnummer*>& people) {
  for (std::size_t person = 0; person < people.size(); ++person) {
    for (const std::string& fragment : people[person]->Fragments()) {
      const std::size_t at = bytes.find(fragment);
      if (at == std::string::npos) continue;
      ADD_FAILURE() << what << " holds test person " << person << "'s personnummer as \""
                    << fragment << "\" at byte " << at << ":\n"
                    << bytes.substr(at < 80 ? 0 : at - 80, 200);
      break;
    }
  }
}

std::vector<std::string> EveryDemoReport(const std::string& database,
                                         const std::vector<std::string>& extra) {
  std::vector<std::string> reports;
  auto run = [&](const std::vector<std::string>& arguments) {
    std::vector<std::string> full = {"--lang", "sv"};
    full.insert(full.end(), arguments.begin(), arguments.end());
    full.insert(full.end(), {"--db", database});
    full.insert(full.end(), extra.begin(), extra.end());
    const CommandResult result = RunStegvis(full);
    std::string name;
    for (const std::string& argument : arguments) name += argument + " ";
    reports.push_back(
        fmt::format("{}-> {}\n{}\n{}", name, result.exit_code, result.out, result.err));
  };
  for (const char* forbund : {"hoglandet", "sodra-vatterbygden", "finnveden"}) {
    for (int year = 2019; year <= 2025; ++year) {
      const std::string ar = std::to_string(year);
      run({"report", "ekonomi", "--forbund", forbund, "--ar", ar, "--format", "json"});
      for (const char* name : {"deltagare", "steg", "uppfoljning", "mal", "socioekonomi"}) {
        for (bool publik : {false, true}) {
          std::vector<std::string> arguments = {"report", name, "--forbund", forbund,
                                                "--ar",   ar,   "--format",  "json"};
          if (publik) arguments.push_back("--publik");
          run(arguments);
        }
      }
    }
  }
  return reports;
}

}  // namespace stegvis::testing
