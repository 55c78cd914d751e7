// Helpers for the integration tests: temporary folders, running the real binary, and a
// content dump of a SQLite file for "the database is unchanged" checks.
#pragma once

#include <filesystem>

#include <boost/json/value.hpp>
#include <string>
#include <vector>

namespace stegvis::testing {

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs build/stegvis with `arguments` (no shell), capturing stdout and stderr; standard in
// reads `input` (empty: nothing).
CommandResult RunStegvis(const std::vector<std::string>& arguments, const std::string& input = "");

// Appends to `mismatches` every place where `actual` does not contain `expected`: every key
// of an expected object must match, lists must match in length and element by element,
// numbers compare by value. The rule of the report tests written as data.
void CompareJsonSubset(const boost::json::value& expected, const boost::json::value& actual,
                       const std::string& path, std::vector<std::string>& mismatches);

enum class AuditRows { kInclude, kExclude };

// Every row of every table, in a stable order, as text: equal dumps mean equal content. A
// successful import is audited, so "the same content after a re-import" leaves the audit
// log out; "a rejected import changes nothing" keeps it in.
std::string DumpDatabase(const std::filesystem::path& database,
                         AuditRows audit = AuditRows::kInclude);

void WriteFile(const std::filesystem::path& path, const std::string& content);
std::string ReadFile(const std::filesystem::path& path);

// The .json files of a folder of the source tree, sorted: the cases of a data-driven test.
std::vector<std::filesystem::path> CaseFiles(const std::string& folder);

// A path inside the source tree, e.g. SourcePath("demo/hoglandet.json").
std::filesystem::path SourcePath(const std::string& relative);

}  // namespace stegvis::testing
