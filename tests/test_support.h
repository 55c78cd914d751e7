// Helpers for the integration tests: temporary folders, running the real binary, and a
// content dump of a SQLite file for "the database is unchanged" checks.
#pragma once

#include <filesystem>

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <vector>

#include "service/services.h"

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
// The same for any program, found on PATH when `program` has no slash.
CommandResult RunProgram(const std::string& program, const std::vector<std::string>& arguments,
                         const std::string& input = "");

// Every report of the demo database's förbund for every year from 2019 to 2025 (the demo
// plans run from 2020, its participants from 2021 to 2024, and a year without data must be
// answered alike too): ekonomi and the five participant reports, published and with record
// access, as JSON, as the command line prints them (exit code, standard out and standard
// error), one entry per report. `extra` goes to every command (e.g. --key).
std::vector<std::string> EveryDemoReport(const std::string& database,
                                         const std::vector<std::string>& extra = {});

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

// Every service on the SQLite file `database` (created and migrated when missing), built as
// app/ builds them, with the test's key and clocks. The audit head is noted in `audit_head`
// (empty: beside the database).
std::unique_ptr<service::Services> OpenServices(const std::filesystem::path& database,
                                                service::Clocks clocks,
                                                const privacy::Key& key = {42, 7, 1},
                                                const std::string& audit_head = "");

// Expects two database dumps to be equal, showing the rows that differ (at most 20 of each).
void ExpectSameContent(const std::string& before, const std::string& after, const std::string& why);

void WriteFile(const std::filesystem::path& path, const std::string& content);
std::string ReadFile(const std::filesystem::path& path);

// The .json files of a folder of the source tree, sorted: the cases of a data-driven test.
std::vector<std::filesystem::path> CaseFiles(const std::string& folder);

// A path inside the source tree, e.g. SourcePath("demo/hoglandet.json").
std::filesystem::path SourcePath(const std::string& relative);

// The Luhn check digit over the nine digits YYMMDDNNN.
char LuhnCheckDigit(const std::string& nine_digits);

// A personnummer made up for the tests from a birth date and a three-digit serial number,
// with its check digit computed, so that no real person's number is written in a test. A
// day above 60 makes a samordningsnummer.
class TestPersonnummer {
 public:
  TestPersonnummer(int year, int month, int day, int serial);

  std::string Twelve() const { return century_ + ten_; }                // 199001012385
  std::string TwelveDashed() const { return century_ + Dashed(ten_); }  // 19900101-2385
  std::string Ten() const { return ten_; }                              // 9001012385
  std::string TenDashed() const { return Dashed(ten_); }                // 900101-2385
  // The same number with a check digit that is off by one.
  std::string WrongCheckDigit() const;

  // Every text that would betray the person: each notation, the birth date with the serial
  // (with and without '-'), and the wrongly checked variant used in rejected input.
  std::vector<std::string> Fragments() const;

 private:
  static std::string Dashed(const std::string& digits) {
    return digits.substr(0, 6) + "-" + digits.substr(6);
  }

  std::string century_;
  std::string nine_;  // YYMMDDNNN
  std::string ten_;   // YYMMDDNNNC
};

// Expects that none of `people`'s numbers, in any notation, occurs in `bytes`; reports the
// first notation found for each person, with the bytes around it.
void ExpectNoPersonnummer(const std::string& bytes, const std::string& what,
                          const std::vector<const TestPersonnummer*>& people);

}  // namespace stegvis::testing
