// End-to-end tests for participant data: `stegvis import deltagare|matningar|uppfoljningar`
// and `stegvis deltagare aterkalla`, run as the real binary on real SQLite files with the
// plan of demo/sodra-vatterbygden.json. They check exit codes, what the user reads on stdout
// and stderr, and what the database holds afterwards; a rejected import must name the file,
// row and column, say in Swedish what was expected, and leave the database unchanged.
//
// Privacy: the tests use only personnummer made up here from a birth date and a serial number
// (the check digit is computed), and Skatteverket's published example 19121212-1212. No
// personnummer in any notation may reach the database, its WAL, the key file or any output.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <iterator>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "test_support.h"

extern char** environ;

namespace stegvis::testing {
namespace {

// The exit codes the CLI documents.
constexpr int kExitOk = 0;
constexpr int kExitBadInput = 1;

constexpr char kForbund[] = "sodra-vatterbygden";

// The people in the tests. All are of working age in 2023 except as noted.
const TestPersonnummer kAnna(1990, 1, 1, 238);   // 33 in 2023.
const TestPersonnummer kBo(1985, 6, 15, 482);    // 38 in 2023.
const TestPersonnummer kCia(1995, 11, 30, 771);  // 28 in 2023: inside IT-spåret's 18–35.
const TestPersonnummer kDan(1980, 3, 12, 46);    // 43 in 2023: too old for IT-spåret.
const TestPersonnummer kEva(1987, 4, 74, 913);   // Samordningsnummer: born 14 April 1987.
const TestPersonnummer kIda(2010, 8, 20, 325);   // 13 in 2023: too young everywhere.
// Skatteverket's published example, 111 years old in 2023.
const TestPersonnummer kSkatteverket(1912, 12, 12, 121);

const std::vector<const TestPersonnummer*> kEveryone = {&kAnna, &kBo,  &kCia,         &kDan,
                                                        &kEva,  &kIda, &kSkatteverket};

void ExpectNoPersonnummer(const std::string& bytes, const std::string& what) {
  ::stegvis::testing::ExpectNoPersonnummer(bytes, what, kEveryone);
}

// Runs stegvis with Swedish messages whatever STEGVIS_LANG says, since the tests check the
// Swedish texts.
// `input` goes to standard input (deltagare aterkalla reads the identifier there).
CommandResult Stegvis(const std::vector<std::string>& arguments, const std::string& input = "") {
  std::vector<std::string> all = {"--lang", "sv"};
  all.insert(all.end(), arguments.begin(), arguments.end());
  return RunStegvis(all, input);
}

// One row of deltagare.csv with every column; designated initializers name the fields a
// test cares about.
struct DeltagareRow {
  std::string deltagare{};
  std::string insats = "enter";
  std::string kon = "kvinna";
  std::string fodelsear{};
  std::string kommun{};
  std::string samtycke = "ja";
  std::string startdatum = "2023-03-01";
  std::string remittent{};
  std::string forsorjning_start{};
  std::string steg_start{};
  std::string slutdatum{};
  std::string avslutsorsak{};
  std::string forsorjning_slut{};
  std::string steg_slut{};
};

constexpr char kDeltagareHeader[] =
    "deltagare;insats;kon;fodelsear;kommun;samtycke;startdatum;remittent;forsorjning_start;"
    "steg_start;slutdatum;avslutsorsak;forsorjning_slut;steg_slut\n";

std::string DeltagareCsv(const std::vector<DeltagareRow>& rows) {
  std::string text = kDeltagareHeader;
  for (const DeltagareRow& row : rows) {
    for (const std::string* field :
         {&row.deltagare, &row.insats, &row.kon, &row.fodelsear, &row.kommun, &row.samtycke,
          &row.startdatum, &row.remittent, &row.forsorjning_start, &row.steg_start, &row.slutdatum,
          &row.avslutsorsak, &row.forsorjning_slut, &row.steg_slut}) {
      text += (field == &row.deltagare ? "" : ";") + *field;
    }
    text += "\n";
  }
  return text;
}

// A semicolon-separated file: the header and one line per row.
std::string Csv(const std::string& header, const std::vector<std::vector<std::string>>& rows) {
  std::string text = header + "\n";
  for (const std::vector<std::string>& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) text += (i ? ";" : "") + row[i];
    text += "\n";
  }
  return text;
}

std::string MatningarCsv(const std::vector<std::vector<std::string>>& rows) {
  return Csv("deltagare;insats;datum;matt;varde", rows);
}

std::string UppfoljningarCsv(const std::vector<std::vector<std::string>>& rows) {
  return Csv("deltagare;insats;datum;manader;sysselsattning", rows);
}

// The rows of one table in a database dump, in the dump's (sorted) order.
std::vector<std::string> TableRows(const std::string& dump, const std::string& table) {
  std::vector<std::string> rows;
  const std::string heading = "== " + table + "\n";
  std::size_t at = dump.find(heading);
  if (at == std::string::npos) {
    ADD_FAILURE() << "the dump has no table " << table;
    return rows;
  }
  at += heading.size();
  while (at < dump.size() && dump.compare(at, 3, "== ") != 0) {
    const std::size_t end = dump.find('\n', at);
    rows.push_back(dump.substr(at, end - at));
    at = end + 1;
  }
  return rows;
}

const std::regex kPersonKey("[0-9a-f]{64}");

// Enrolment rows (id|forbund_id|insats_id|person_key|kon|birth_year|kommun|anonymous|
// start_date|remittent|income_at_start|exit_date|exit_reason|income_at_exit) with each
// pseudonym replaced by KEY, since its value depends on the database's random key.
std::vector<std::string> EnrolmentRows(const std::string& dump) {
  std::vector<std::string> rows;
  for (const std::string& row : TableRows(dump, "enrolment")) {
    rows.push_back(std::regex_replace(row, kPersonKey, "KEY"));
  }
  return rows;
}

// The pseudonym of enrolment `id`, or "NULL".
std::string PersonKeyOf(const std::string& dump, int id) {
  for (const std::string& row : TableRows(dump, "enrolment")) {
    if (row.rfind(std::to_string(id) + "|", 0) != 0) continue;
    std::smatch match;
    return std::regex_search(row, match, kPersonKey) ? match.str() : "NULL";
  }
  ADD_FAILURE() << "no enrolment " << id;
  return "";
}

// Rows of measurement (enrolment_id|date|measure|value) or follow_up
// (enrolment_id|date|months|status) without the storage position, sorted.
std::vector<std::string> RowsWithoutPosition(const std::string& dump, const std::string& table) {
  std::vector<std::string> rows;
  for (const std::string& row : TableRows(dump, table)) {
    const std::size_t first = row.find('|');
    const std::size_t second = row.find('|', first + 1);
    rows.push_back(row.substr(0, first) + row.substr(second));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> Sorted(std::vector<std::string> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Rows of `rows` that start with "ID|".
std::vector<std::string> RowsOfEnrolment(const std::vector<std::string>& rows, int id) {
  std::vector<std::string> found;
  for (const std::string& row : rows) {
    if (row.rfind(std::to_string(id) + "|", 0) == 0) found.push_back(row);
  }
  return found;
}

// A database with the Södra Vätterbygden plan and its pseudonym key, and helpers to import
// participant files written into the test's folder.
class ParticipantTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const CommandResult init = Stegvis({"init", "--db", database_});
    ASSERT_EQ(init.exit_code, kExitOk) << init.err;
    const CommandResult plan =
        Stegvis({"import", "plan", "--db", database_, SourcePath("demo/sodra-vatterbygden.json")});
    ASSERT_EQ(plan.exit_code, kExitOk) << plan.err;
  }

  std::string Path(const std::string& name) const { return (directory_ / name).string(); }

  // Writes `content` to `name` in the test's folder and runs `stegvis import KIND` on it.
  CommandResult Import(const std::string& kind, const std::string& name,
                       const std::string& content) {
    WriteFile(Path(name), content);
    return Stegvis({"import", kind, "--db", database_, "--forbund", kForbund, Path(name)});
  }

  // Imports and expects success with the summary line for `rows`, `created` and `updated`.
  void ImportOk(const std::string& kind, const std::string& name, const std::string& content,
                int rows, int created, int updated) {
    const CommandResult result = Import(kind, name, content);
    ASSERT_EQ(result.exit_code, kExitOk) << result.err;
    EXPECT_EQ(result.out, "Importerade " + Path(name) + ": " + std::to_string(rows) + " rader, " +
                              std::to_string(created) + " nya, " + std::to_string(updated) +
                              " uppdaterade.\n");
    EXPECT_EQ(result.err, "");
  }

  CommandResult Withdraw(const std::string& input) {
    return Stegvis({"deltagare", "aterkalla", "--db", database_, "--forbund", kForbund}, input);
  }

  // Replaces the plan by demo/sodra-vatterbygden.json with `key` set to `value`.
  void ReplacePlanWith(const std::string& key, const boost::json::value& value) {
    boost::json::value plan =
        boost::json::parse(ReadFile(SourcePath("demo/sodra-vatterbygden.json")));
    plan.as_object()[key] = value;
    WriteFile(Path("plan.json"), boost::json::serialize(plan));
    const CommandResult replaced =
        Stegvis({"import", "plan", "--db", database_, Path("plan.json")});
    ASSERT_EQ(replaced.exit_code, kExitOk) << replaced.err;
  }

  std::string Dump(AuditRows audit = AuditRows::kInclude) const {
    return DumpDatabase(database_, audit);
  }

  TempDir directory_;
  const std::string database_ = (directory_ / "stegvis.db").string();
  const std::string key_file_ = database_ + ".key";
};

// ---------------------------------------------------------------------------------------
// The happy path.

using ParticipantImport = ParticipantTest;

TEST(GeneratedPersonnummer, ComputesTheLuhnCheckDigitOverTheLastTenDigits) {
  EXPECT_EQ(kAnna.Twelve(), "199001012385");
  EXPECT_EQ(kAnna.TwelveDashed(), "19900101-2385");
  EXPECT_EQ(kAnna.Ten(), "9001012385");
  EXPECT_EQ(kAnna.TenDashed(), "900101-2385");
  EXPECT_EQ(kAnna.WrongCheckDigit(), "199001012386");
  // Skatteverket's published example.
  EXPECT_EQ(kSkatteverket.TwelveDashed(), "19121212-1212");
}

// The files of the happy path. The deltagare files are one with semicolons, a BOM and the
// headers as a spreadsheet writes them in Swedish, and one with commas, CRLF and a quoted
// field; their enrolments get the ids 1–9 in file order.
class ParticipantHappyPath : public ParticipantTest {
 protected:
  void ImportDeltagare() {
    const std::string semicolons =
        "\xEF\xBB\xBF"
        "Deltagare;Insats;Kön;Födelseår;Kommun;Samtycke;Startdatum;Remittent;Försörjning_start;"
        "Steg_start;Slutdatum;Avslutsorsak;Försörjning_slut;Steg_slut\n" +
        kAnna.Twelve() +
        ";enter;K;1990;habo;ja;2023-03-01;af;a_kassa|forsorjningsstod;2;2023-10-31;arbete;lon;6\n" +
        kBo.TwelveDashed() + ";nova;M;;jonkoping;Ja;2023-04-03;fk;sjukpenning;3;;;;\n" +
        kCia.TenDashed() +
        ";it-sparet;annat;;mullsjo;ja;2023-05-02;kommun;aktivitetsersattning;1;2023-12-15;"
        "studier;studiemedel;5\n" +
        kDan.Ten() + ";fia;kvinna;1980;vaggeryd;ja;2023-02-01;region;;;;;;\n" +
        "SE-0001;koll-pa-formaga;kvinna;1999;annan;ja;2023-06-01;egen;ingen;4;;;;\n"
        ";enter;man;;;nej;2023-05-10;;;;;;;\n";
    ImportOk("deltagare", "deltagare.csv", semicolons, 6, 6, 0);
    const std::string commas =
        "deltagare,insats,kon,samtycke,startdatum,kommun,forsorjning_start\r\n"
        "SE-0002,enter,man,ja,2023-08-14,Vaggeryd,\"a_kassa|forsorjningsstod\"\r\n" +
        kEva.TwelveDashed() + ",nova,kvinna,ja,2023-09-01,habo,\r\n" +
        ",fia,kvinna,nej,2023-11-20,,\r\n";
    ImportOk("deltagare", "deltagare-komma.csv", commas, 3, 3, 0);
  }

  void ImportMatningar() {
    // The same people in other notations than in deltagare.csv.
    const std::string matningar = MatningarCsv({
        {kAnna.TenDashed(), "enter", "2023-03-01", "halsa", "40"},
        {kAnna.Ten(), "ENTER", "2023-06-01", "livskvalitet", "6"},
        {kAnna.TwelveDashed(), "enter", "2023-06-01", "steg", "4"},
        {kBo.Twelve(), "nova", "2023-05-15", "Halsa", "70"},
        {"SE-0001", "koll-pa-formaga", "2023-07-01", "livskvalitet", "10"},
        // On the exit day, which the enrolment still covers.
        {kCia.Twelve(), "it-sparet", "2023-12-15", "halsa", "0"},
    });
    ImportOk("matningar", "matningar.csv", matningar, 6, 6, 0);
  }

  void ImportUppfoljningar() {
    const std::string uppfoljningar = "deltagare,insats,datum,manader,sysselsattning\n" +
                                      kAnna.Twelve() + ",enter,2024-04-30,6,arbete\n" +
                                      kAnna.Ten() + ",enter,2024-10-31,12,ARBETE_MED_STOD\n" +
                                      kCia.TwelveDashed() + ",it-sparet,2024-06-15,6,studier\n";
    ImportOk("uppfoljningar", "uppfoljningar.csv", uppfoljningar, 3, 3, 0);
  }
};

TEST_F(ParticipantHappyPath, ImportsDeltagareWithEitherSeparatorABomAndSwedishHeaders) {
  ASSERT_NO_FATAL_FAILURE(ImportDeltagare());
  const std::string dump = Dump();
  const std::string f = kForbund;
  EXPECT_EQ(
      EnrolmentRows(dump),
      Sorted({
          "1|" + f +
              "|enter|KEY|kvinna|1990|habo|0|2023-03-01|af|a_kassa|forsorjningsstod|2023-10-31|"
              "arbete|lon",
          // The birth year comes from the personnummer when the column is empty.
          "2|" + f + "|nova|KEY|man|1985|jonkoping|0|2023-04-03|fk|sjukpenning|NULL|NULL|",
          "3|" + f +
              "|it-sparet|KEY|annat|1995|mullsjo|0|2023-05-02|kommun|aktivitetsersattning|"
              "2023-12-15|studier|studiemedel",
          "4|" + f + "|fia|KEY|kvinna|1980|vaggeryd|0|2023-02-01|region||NULL|NULL|",
          "5|" + f + "|koll-pa-formaga|KEY|kvinna|1999|annan|0|2023-06-01|egen|ingen|NULL|NULL|",
          // Without consent: no person, birth year or kommun, and the start is 1 January.
          "6|" + f + "|enter|NULL|man|NULL|NULL|1|2023-01-01|NULL||NULL|NULL|",
          "7|" + f + "|enter|KEY|man|NULL|vaggeryd|0|2023-08-14|NULL|a_kassa|forsorjningsstod|" +
              "NULL|NULL|",
          // A samordningsnummer gives the birth year too.
          "8|" + f + "|nova|KEY|kvinna|1987|habo|0|2023-09-01|NULL||NULL|NULL|",
          "9|" + f + "|fia|NULL|kvinna|NULL|NULL|1|2023-01-01|NULL||NULL|NULL|",
      }));
  // Five people with a personnummer and two with a local code: seven different pseudonyms.
  std::vector<std::string> keys;
  for (int id : {1, 2, 3, 4, 5, 7, 8}) keys.push_back(PersonKeyOf(dump, id));
  std::sort(keys.begin(), keys.end());
  EXPECT_TRUE(std::adjacent_find(keys.begin(), keys.end()) == keys.end())
      << "two people share a pseudonym";
  // The steps at start and exit are measurements.
  EXPECT_EQ(RowsWithoutPosition(dump, "measurement"),
            Sorted({"1|2023-03-01|steg|2", "1|2023-10-31|steg|6", "2|2023-04-03|steg|3",
                    "3|2023-05-02|steg|1", "3|2023-12-15|steg|5", "5|2023-06-01|steg|4"}));
  EXPECT_EQ(TableRows(dump, "follow_up"), std::vector<std::string>{});
}

TEST_F(ParticipantHappyPath, ImportsMatningarForThePersonInAnyNotation) {
  ASSERT_NO_FATAL_FAILURE(ImportDeltagare());
  const std::vector<std::string> enrolments_before = EnrolmentRows(Dump());
  ASSERT_NO_FATAL_FAILURE(ImportMatningar());
  const std::string dump = Dump();
  EXPECT_EQ(
      RowsWithoutPosition(dump, "measurement"),
      Sorted({"1|2023-03-01|steg|2", "1|2023-10-31|steg|6", "1|2023-03-01|halsa|40",
              "1|2023-06-01|livskvalitet|6", "1|2023-06-01|steg|4", "2|2023-04-03|steg|3",
              "2|2023-05-15|halsa|70", "3|2023-05-02|steg|1", "3|2023-12-15|steg|5",
              "3|2023-12-15|halsa|0", "5|2023-06-01|steg|4", "5|2023-07-01|livskvalitet|10"}));
  EXPECT_EQ(EnrolmentRows(dump), enrolments_before);
}

TEST_F(ParticipantHappyPath, ImportsUppfoljningarAfterTheExit) {
  ASSERT_NO_FATAL_FAILURE(ImportDeltagare());
  ASSERT_NO_FATAL_FAILURE(ImportMatningar());
  ASSERT_NO_FATAL_FAILURE(ImportUppfoljningar());
  EXPECT_EQ(RowsWithoutPosition(Dump(), "follow_up"),
            Sorted({"1|2024-04-30|6|arbete", "1|2024-10-31|12|arbete_med_stod",
                    "3|2024-06-15|6|studier"}));
}

TEST_F(ParticipantHappyPath, AMeasurementOfTheSameMeasureAndDateReplacesTheStoredOne) {
  ASSERT_NO_FATAL_FAILURE(ImportDeltagare());
  ASSERT_NO_FATAL_FAILURE(ImportMatningar());
  ImportOk("matningar", "rattelse.csv",
           MatningarCsv({{kBo.TenDashed(), "nova", "2023-05-15", "halsa", "75"}}), 1, 0, 1);
  const std::vector<std::string> measurements =
      RowsOfEnrolment(RowsWithoutPosition(Dump(), "measurement"), 2);
  EXPECT_EQ(measurements, Sorted({"2|2023-04-03|steg|3", "2|2023-05-15|halsa|75"}));
}

TEST_F(ParticipantImport, ReimportingWithAnExitAddedUpdatesThatEnrolmentInPlace) {
  std::vector<DeltagareRow> rows = {
      {.deltagare = kAnna.Twelve(), .startdatum = "2023-03-01", .steg_start = "2"},
      {.deltagare = kBo.Twelve(),
       .insats = "nova",
       .kon = "man",
       .startdatum = "2023-04-03",
       .steg_start = "3"},
  };
  ImportOk("deltagare", "deltagare.csv", DeltagareCsv(rows), 2, 2, 0);
  ImportOk("matningar", "matningar.csv",
           MatningarCsv({{kBo.Twelve(), "nova", "2023-05-15", "halsa", "70"}}), 1, 1, 0);
  const std::string before = Dump();

  rows[1].slutdatum = "2023-12-20";
  rows[1].avslutsorsak = "arbetssokande";
  rows[1].forsorjning_slut = "a_kassa";
  rows[1].steg_slut = "4";
  ImportOk("deltagare", "deltagare.csv", DeltagareCsv(rows), 2, 0, 2);

  const std::string after = Dump();
  const std::string f = kForbund;
  EXPECT_EQ(EnrolmentRows(after),
            Sorted({"1|" + f + "|enter|KEY|kvinna|1990|NULL|0|2023-03-01|NULL||NULL|NULL|",
                    "2|" + f + "|nova|KEY|man|1985|NULL|0|2023-04-03|NULL||2023-12-20|" +
                        "arbetssokande|a_kassa"}));
  EXPECT_EQ(PersonKeyOf(after, 2), PersonKeyOf(before, 2));
  // The measurement from matningar.csv stays; the step at exit is added.
  EXPECT_EQ(RowsOfEnrolment(RowsWithoutPosition(after, "measurement"), 2),
            Sorted({"2|2023-04-03|steg|3", "2|2023-05-15|halsa|70", "2|2023-12-20|steg|4"}));
}

TEST_F(ParticipantImport, ReimportingTheSameFileLeavesTheContentUnchanged) {
  const std::string content = DeltagareCsv({
      {.deltagare = kAnna.Twelve(), .kommun = "habo", .steg_start = "2"},
      {.deltagare = "SE-0001",
       .insats = "fia",
       .fodelsear = "1999",
       .startdatum = "2023-02-01",
       .slutdatum = "2023-08-01",
       .avslutsorsak = "studier",
       .steg_slut = "5"},
  });
  ImportOk("deltagare", "deltagare.csv", content, 2, 2, 0);
  const std::string before = Dump(AuditRows::kExclude);
  ImportOk("deltagare", "deltagare.csv", content, 2, 0, 2);
  ExpectSameContent(before, Dump(AuditRows::kExclude), "a re-import of the same file");
}

TEST_F(ParticipantImport, ReimportingAFileWithAnAnonymousRowDoesNotCountItTwice) {
  const std::string content = DeltagareCsv({
      {.deltagare = kAnna.Twelve()},
      {.deltagare = "", .kon = "man", .samtycke = "nej", .startdatum = "2023-05-10"},
  });
  ImportOk("deltagare", "deltagare.csv", content, 2, 2, 0);
  const std::string before = Dump(AuditRows::kExclude);
  const CommandResult again = Import("deltagare", "deltagare.csv", content);
  EXPECT_EQ(again.exit_code, kExitOk) << again.err;
  EXPECT_EQ(EnrolmentRows(Dump()).size(), 2u) << again.out;
  ExpectSameContent(before, Dump(AuditRows::kExclude), "a re-import of the same file");
}

TEST_F(ParticipantImport, ReEnrolmentAfterTheExitAddsASecondEnrolmentForTheSamePerson) {
  std::vector<DeltagareRow> rows = {
      {.deltagare = kAnna.Twelve(),
       .startdatum = "2023-03-01",
       .slutdatum = "2023-10-31",
       .avslutsorsak = "sjukdom"},
  };
  ImportOk("deltagare", "deltagare.csv", DeltagareCsv(rows), 1, 1, 0);
  // The case system's next export holds both enrolments, the new one in another notation.
  rows.push_back({.deltagare = kAnna.TenDashed(), .startdatum = "2024-01-15", .steg_start = "3"});
  ImportOk("deltagare", "deltagare.csv", DeltagareCsv(rows), 2, 1, 1);
  const std::string dump = Dump();
  const std::string f = kForbund;
  EXPECT_EQ(
      EnrolmentRows(dump),
      Sorted({"1|" + f + "|enter|KEY|kvinna|1990|NULL|0|2023-03-01|NULL||2023-10-31|" + "sjukdom|",
              "2|" + f + "|enter|KEY|kvinna|1990|NULL|0|2024-01-15|NULL||NULL|NULL|"}));
  EXPECT_EQ(PersonKeyOf(dump, 1), PersonKeyOf(dump, 2));
  EXPECT_NE(PersonKeyOf(dump, 1), "NULL");
}

TEST_F(ParticipantImport, ReEnrolmentOnTheDayOfTheExitIsAllowed) {
  ImportOk(
      "deltagare", "deltagare.csv",
      DeltagareCsv({
          {.deltagare = kBo.Twelve(),
           .insats = "nova",
           .kon = "man",
           .startdatum = "2023-04-03",
           .slutdatum = "2023-09-30",
           .avslutsorsak = "ater_remittent"},
          {.deltagare = kBo.Twelve(), .insats = "nova", .kon = "man", .startdatum = "2023-09-30"},
      }),
      2, 2, 0);
  EXPECT_EQ(EnrolmentRows(Dump()).size(), 2u);
}

TEST_F(ParticipantImport, AMeasureTheForbundDefinesInItsPlanCanBeImported) {
  ASSERT_NO_FATAL_FAILURE(ReplacePlanWith(
      "matt", boost::json::array{boost::json::object{
                  {"id", "arbetsformaga"}, {"namn", "Arbetsförmåga"}, {"min", 0}, {"max", 100}}}));
  ASSERT_EQ(TableRows(Dump(), "measure_definition").size(), 1u) << "the plan stores the measure";
  ImportOk("deltagare", "deltagare.csv", DeltagareCsv({{.deltagare = kAnna.Twelve()}}), 1, 1, 0);
  ImportOk("matningar", "matningar.csv",
           MatningarCsv({{kAnna.Twelve(), "enter", "2023-04-01", "arbetsformaga", "25"}}), 1, 1, 0);
  EXPECT_EQ(RowsWithoutPosition(Dump(), "measurement"),
            std::vector<std::string>{"1|2023-04-01|arbetsformaga|25"});

  const std::string before = Dump();
  const CommandResult rejected =
      Import("matningar", "matningar2.csv",
             MatningarCsv({{kAnna.Twelve(), "enter", "2023-05-01", "arbetsformaga", "101"}}));
  EXPECT_EQ(rejected.exit_code, kExitBadInput);
  EXPECT_EQ(rejected.err.rfind("fel: " + Path("matningar2.csv") +
                                   ": rad 2, kolumn varde: arbetsformaga ska vara 0–100, fick 101",
                               0),
            0u)
      << rejected.err;
  ExpectSameContent(before, Dump(), "a rejected import must change nothing");
}

TEST_F(ParticipantImport, AForbundsOwnLadderSetsTheRangeOfSteg) {
  boost::json::array ladder;
  for (int level = 1; level <= 5; ++level) {
    ladder.push_back(
        boost::json::object{{"niva", level}, {"namn", "Steg " + std::to_string(level)}});
  }
  ASSERT_NO_FATAL_FAILURE(ReplacePlanWith("trappa", ladder));
  ASSERT_EQ(TableRows(Dump(), "ladder_step").size(), 5u) << "the plan stores the ladder";
  ImportOk("deltagare", "deltagare.csv",
           DeltagareCsv({{.deltagare = kAnna.Twelve(), .steg_start = "5"}}), 1, 1, 0);
  const std::string before = Dump();
  const CommandResult rejected =
      Import("deltagare", "deltagare2.csv",
             DeltagareCsv({{.deltagare = kBo.Twelve(), .steg_start = "6"}}));
  EXPECT_EQ(rejected.exit_code, kExitBadInput) << rejected.out;
  EXPECT_EQ(rejected.err.rfind("fel: " + Path("deltagare2.csv") +
                                   ": rad 2, kolumn steg_start: steg ska vara 1–5, fick 6",
                               0),
            0u)
      << rejected.err;
  ExpectSameContent(before, Dump(), "a rejected import must change nothing");
}

// ---------------------------------------------------------------------------------------
// Rejections. The database already holds participants, so that "unchanged" means something:
//   1  Anna   enter  2023-03-01 –            step 2 at start, halsa 50 on 2023-04-01
//   2  Bo     nova   2023-04-03 – 2023-09-30 (arbete)
//   3  SE-0001 fia   2023-02-01 –
//   4  anonymous, enter 2023

class ParticipantRejection : public ParticipantTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ParticipantTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(ImportOk("deltagare", "start.csv",
                                     DeltagareCsv({
                                         {.deltagare = kAnna.Twelve(),
                                          .kommun = "habo",
                                          .remittent = "af",
                                          .forsorjning_start = "a_kassa",
                                          .steg_start = "2"},
                                         {.deltagare = kBo.Twelve(),
                                          .insats = "nova",
                                          .kon = "man",
                                          .kommun = "jonkoping",
                                          .startdatum = "2023-04-03",
                                          .slutdatum = "2023-09-30",
                                          .avslutsorsak = "arbete"},
                                         {.deltagare = "SE-0001",
                                          .insats = "fia",
                                          .fodelsear = "1999",
                                          .startdatum = "2023-02-01"},
                                         {.kon = "man", .samtycke = "nej"},
                                     }),
                                     4, 4, 0));
    ASSERT_NO_FATAL_FAILURE(
        ImportOk("matningar", "start-matningar.csv",
                 MatningarCsv({{kAnna.Twelve(), "enter", "2023-04-01", "halsa", "50"}}), 1, 1, 0));
    before_ = Dump();
  }

  // Expects the import to have been refused with exit 1, one line on stderr that starts with
  // "fel: FILE: rad ROW, kolumn COLUMN: MESSAGE" (no column part when `column` is empty), no
  // personnummer in the output, and the database unchanged.
  void ExpectRejected(const CommandResult& result, const std::string& file, int row,
                      const std::string& column, const std::string& message) {
    const std::string where =
        Path(file) + ": rad " + std::to_string(row) + (column.empty() ? "" : ", kolumn " + column);
    EXPECT_EQ(result.exit_code, kExitBadInput) << result.out << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err.rfind("fel: " + where + ": " + message, 0), 0u)
        << "expected: fel: " << where << ": " << message << "...\ngot:      " << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    ExpectNoPersonnummer(result.out + result.err, "the output of the rejected import");
    ExpectSameContent(before_, Dump(), "a rejected import must change nothing");
  }

  void ExpectDeltagareRejected(const std::vector<DeltagareRow>& rows, int row,
                               const std::string& column, const std::string& message) {
    ExpectRejected(Import("deltagare", "deltagare.csv", DeltagareCsv(rows)), "deltagare.csv", row,
                   column, message);
  }

  std::string before_;
};

constexpr char kAlreadyEnrolled[] =
    "deltagaren har redan en inskrivning i insatsen som pågår eller överlappar (avsluta den "
    "först)";

TEST_F(ParticipantRejection, RejectsAnExitBeforeTheStart) {
  ExpectDeltagareRejected({{.deltagare = kCia.Twelve(),
                            .insats = "nova",
                            .startdatum = "2023-05-01",
                            .slutdatum = "2023-04-01",
                            .avslutsorsak = "arbete"}},
                          2, "slutdatum", "slutdatum 2023-04-01 är före startdatum 2023-05-01");
}

TEST_F(ParticipantRejection, RejectsASecondOpenEnrolmentOfTheSamePersonWithinOneFile) {
  ExpectDeltagareRejected(
      {{.deltagare = kCia.Twelve(), .insats = "nova", .startdatum = "2023-02-01"},
       {.deltagare = kCia.TenDashed(), .insats = "nova", .startdatum = "2023-04-01"}},
      3, "startdatum", kAlreadyEnrolled);
}

TEST_F(ParticipantRejection, RejectsASecondOpenEnrolmentAgainstOneAlreadyStored) {
  // Anna is enrolled in Enter since 2023-03-01 and has not left.
  ExpectDeltagareRejected(
      {{.deltagare = kCia.Twelve(), .insats = "nova", .startdatum = "2023-02-01"},
       {.deltagare = kAnna.Ten(), .startdatum = "2023-08-01"}},
      3, "startdatum", kAlreadyEnrolled);
}

TEST_F(ParticipantRejection, RejectsAnEnrolmentThatOverlapsAStoredOne) {
  // Bo was in NOVA 2023-04-03 – 2023-09-30.
  ExpectDeltagareRejected({{.deltagare = kBo.TwelveDashed(),
                            .insats = "nova",
                            .kon = "man",
                            .startdatum = "2023-09-01",
                            .slutdatum = "2023-12-01",
                            .avslutsorsak = "annat"}},
                          2, "startdatum", kAlreadyEnrolled);
}

TEST_F(ParticipantRejection, RejectsOverlappingEnrolmentsWithinOneFile) {
  ExpectDeltagareRejected({{.deltagare = kCia.Twelve(),
                            .insats = "fia",
                            .startdatum = "2023-02-01",
                            .slutdatum = "2023-06-30",
                            .avslutsorsak = "annat"},
                           {.deltagare = kCia.Twelve(),
                            .insats = "fia",
                            .startdatum = "2023-06-01",
                            .slutdatum = "2023-12-31",
                            .avslutsorsak = "studier"}},
                          3, "startdatum", kAlreadyEnrolled);
}

TEST_F(ParticipantRejection, RejectsTheSameEnrolmentTwiceInOneFile) {
  ExpectDeltagareRejected({{.deltagare = kCia.Twelve(), .insats = "nova"},
                           {.deltagare = kCia.TwelveDashed(), .insats = "nova"}},
                          3, "startdatum",
                          "samma inskrivning (deltagare, insats, startdatum) finns två gånger i "
                          "filen");
}

TEST_F(ParticipantRejection, RejectsAMeasurementBeforeTheStartOfTheEnrolment) {
  ExpectRejected(Import("matningar", "matningar.csv",
                        MatningarCsv({{kAnna.Twelve(), "enter", "2023-02-28", "halsa", "50"}})),
                 "matningar.csv", 2, "datum",
                 "ingen inskrivning av deltagaren i insatsen omfattar datumet");
}

TEST_F(ParticipantRejection, RejectsAMeasurementAfterTheExit) {
  ExpectRejected(Import("matningar", "matningar.csv",
                        MatningarCsv({{kBo.Twelve(), "nova", "2023-10-01", "halsa", "50"}})),
                 "matningar.csv", 2, "datum",
                 "ingen inskrivning av deltagaren i insatsen omfattar datumet");
}

TEST_F(ParticipantRejection, RejectsAMeasurementOfAPersonNotEnrolled) {
  // Cia is enrolled nowhere; Anna is enrolled in Enter but not in NOVA.
  for (const std::vector<std::string>& row :
       std::vector<std::vector<std::string>>{{kCia.Twelve(), "enter", "2023-04-01", "halsa", "50"},
                                             {kAnna.Twelve(), "nova", "2023-04-01", "halsa", "50"},
                                             {"SE-9999", "fia", "2023-04-01", "halsa", "50"}}) {
    SCOPED_TRACE(row[1]);
    ExpectRejected(Import("matningar", "matningar.csv", MatningarCsv({row})), "matningar.csv", 2,
                   "datum", "deltagaren är inte inskriven i insatsen");
  }
}

TEST_F(ParticipantRejection, RejectsValuesOutsideTheRangeOfTheMeasure) {
  struct Case {
    const char* measure;
    const char* value;
    const char* message;
  };
  for (const Case& bad : {Case{"steg", "8", "steg ska vara 1–7, fick 8"},
                          Case{"steg", "0", "steg ska vara 1–7, fick 0"},
                          Case{"halsa", "101", "halsa ska vara 0–100, fick 101"},
                          Case{"halsa", "-1", "halsa ska vara 0–100, fick -1"},
                          Case{"livskvalitet", "0", "livskvalitet ska vara 1–10, fick 0"},
                          Case{"livskvalitet", "11", "livskvalitet ska vara 1–10, fick 11"}}) {
    SCOPED_TRACE(bad.message);
    ExpectRejected(
        Import("matningar", "matningar.csv",
               MatningarCsv({{kAnna.Twelve(), "enter", "2023-05-01", "halsa", "60"},
                             {kAnna.Twelve(), "enter", "2023-05-02", bad.measure, bad.value}})),
        "matningar.csv", 3, "varde", bad.message);
  }
}

TEST_F(ParticipantRejection, RejectsAValueThatIsNotAWholeNumber) {
  ExpectRejected(Import("matningar", "matningar.csv",
                        MatningarCsv({{kAnna.Twelve(), "enter", "2023-05-01", "halsa", "5,5"}})),
                 "matningar.csv", 2, "varde", "förväntade ett heltal, fick \"5,5\"");
}

TEST_F(ParticipantRejection, RejectsALadderStepOutsideTheLadderInDeltagare) {
  ExpectDeltagareRejected({{.deltagare = kCia.Twelve(), .insats = "nova", .steg_start = "8"}}, 2,
                          "steg_start", "steg ska vara 1–7, fick 8");
  ExpectDeltagareRejected({{.deltagare = kCia.Twelve(),
                            .insats = "nova",
                            .steg_start = "3",
                            .slutdatum = "2023-09-01",
                            .avslutsorsak = "arbete",
                            .steg_slut = "9"}},
                          2, "steg_slut", "steg ska vara 1–7, fick 9");
}

TEST_F(ParticipantRejection, NamesStegStartWhenOnlyTheStartStepIsOutOfRange) {
  ExpectDeltagareRejected({{.deltagare = kCia.Twelve(),
                            .insats = "nova",
                            .steg_start = "8",
                            .slutdatum = "2023-09-01",
                            .avslutsorsak = "arbete",
                            .steg_slut = "5"}},
                          2, "steg_start", "steg ska vara 1–7, fick 8");
}

TEST_F(ParticipantRejection, RejectsAnUnknownMeasure) {
  ExpectRejected(Import("matningar", "matningar.csv",
                        MatningarCsv({{kAnna.Twelve(), "enter", "2023-05-01", "vikt", "70"}})),
                 "matningar.csv", 2, "matt",
                 "okänt mått \"vikt\"; kända mått är steg, halsa, livskvalitet");
}

TEST_F(ParticipantRejection, RejectsAnAgeAtStartOutsideTheInterventionsRange) {
  // IT-spåret takes 18–35: Dan is 43.
  ExpectDeltagareRejected(
      {{.deltagare = kDan.Ten(), .insats = "it-sparet", .startdatum = "2023-03-01"}}, 2,
      "fodelsear", "åldern vid start, 43 år, ligger utanför insatsens målgrupp 18–35 år");
  // Enter takes 18–64: Skatteverket's example is 111, Ida is 13.
  ExpectDeltagareRejected({{.deltagare = kSkatteverket.TwelveDashed()}}, 2, "fodelsear",
                          "åldern vid start, 111 år, ligger utanför insatsens målgrupp 18–64 år");
  ExpectDeltagareRejected({{.deltagare = kIda.Twelve()}}, 2, "fodelsear",
                          "åldern vid start, 13 år, ligger utanför insatsens målgrupp 18–64 år");
  // With a local code the age comes from fodelsear.
  ExpectDeltagareRejected({{.deltagare = "SE-0002", .insats = "it-sparet", .fodelsear = "1970"}}, 2,
                          "fodelsear",
                          "åldern vid start, 53 år, ligger utanför insatsens målgrupp 18–35 år");
}

TEST_F(ParticipantRejection, RejectsABirthYearThatContradictsThePersonnummer) {
  ExpectDeltagareRejected({{.deltagare = kCia.Twelve(), .insats = "nova", .fodelsear = "1996"}}, 2,
                          "fodelsear", "födelseåret stämmer inte med personnumret");
}

TEST_F(ParticipantRejection, RejectsAStartOutsideTheInterventionsDates) {
  // NOVA started 2022-01-01; Koll på förmåga ended 2024-12-31.
  ExpectDeltagareRejected(
      {{.deltagare = kCia.Twelve(), .insats = "nova", .startdatum = "2021-06-01"}}, 2, "startdatum",
      "startdatum 2021-06-01 ligger utanför insatsens tid (2022-01-01 – )");
  ExpectDeltagareRejected(
      {{.deltagare = kCia.Twelve(), .insats = "koll-pa-formaga", .startdatum = "2025-02-03"}}, 2,
      "startdatum", "startdatum 2025-02-03 ligger utanför insatsens tid (2022-01-01 – 2024-12-31)");
}

TEST_F(ParticipantRejection, RejectsAnUnknownIntervention) {
  ExpectDeltagareRejected({{.deltagare = kCia.Twelve(), .insats = "jobbsparet"}}, 2, "insats",
                          "okänd insats \"jobbsparet\"");
  ExpectDeltagareRejected({{.insats = "jobbsparet", .kon = "man", .samtycke = "nej"}}, 2, "insats",
                          "okänd insats \"jobbsparet\"");
}

TEST_F(ParticipantRejection, RejectsAStructuralIntervention) {
  ExpectDeltagareRejected(
      {{.deltagare = kCia.Twelve(), .insats = "kompetensutveckling"}}, 2, "insats",
      "insatsen \"kompetensutveckling\" är strukturövergripande och har inga deltagare");
  ExpectDeltagareRejected({{.insats = "arenasamverkan", .samtycke = "nej"}}, 2, "insats",
                          "insatsen \"arenasamverkan\" är strukturövergripande och har inga "
                          "deltagare");
}

TEST_F(ParticipantRejection, RejectsUnknownCodes) {
  DeltagareRow row{.deltagare = kCia.Twelve(), .insats = "nova"};
  {
    DeltagareRow bad = row;
    bad.kon = "x";
    ExpectDeltagareRejected({bad}, 2, "kon",
                            "okänd kod \"x\"; förväntade en av kvinna, man, annat (K/M)");
  }
  {
    DeltagareRow bad = row;
    bad.remittent = "skolan";
    ExpectDeltagareRejected(
        {bad}, 2, "remittent",
        "okänd kod \"skolan\"; förväntade en av fk, af, kommun, region, egen, annan");
  }
  {
    DeltagareRow bad = row;
    bad.slutdatum = "2023-09-01";
    bad.avslutsorsak = "pension";
    ExpectDeltagareRejected({bad}, 2, "avslutsorsak",
                            "okänd kod \"pension\"; förväntade en av arbete, arbete_med_stod, "
                            "studier, arbetsinriktad, arbetssokande, sjukdom, egen_begaran, "
                            "ater_remittent, flytt, annat, felregistrering");
  }
  {
    DeltagareRow bad = row;
    bad.forsorjning_start = "lon|bidrag";
    ExpectDeltagareRejected({bad}, 2, "forsorjning_start",
                            "okänd försörjning \"bidrag\"; förväntade koder skilda med | ur lon, ");
  }
  {
    DeltagareRow bad = row;
    bad.slutdatum = "2023-09-01";
    bad.avslutsorsak = "arbete";
    bad.forsorjning_slut = "pension";
    ExpectDeltagareRejected({bad}, 2, "forsorjning_slut", "okänd försörjning \"pension\"");
  }
  {
    DeltagareRow bad = row;
    bad.kommun = "gislaved";
    ExpectDeltagareRejected({bad}, 2, "kommun",
                            "okänd kommun \"gislaved\"; ange en medlemskommuns id eller annan");
  }
  ExpectRejected(Import("uppfoljningar", "uppfoljningar.csv",
                        UppfoljningarCsv({{kBo.Twelve(), "nova", "2024-03-30", "6", "semester"}})),
                 "uppfoljningar.csv", 2, "sysselsattning",
                 "okänd kod \"semester\"; förväntade en av arbete, arbete_med_stod, studier, "
                 "arbetssokande, ingen, okand");
}

TEST_F(ParticipantRejection, RejectsAPersonnummerWithAWrongCheckDigit) {
  const std::string message = "personnumrets kontrollsiffra stämmer inte";
  ExpectDeltagareRejected({{.deltagare = kCia.WrongCheckDigit(), .insats = "nova"}}, 2, "deltagare",
                          message);
  ExpectRejected(
      Import("matningar", "matningar.csv",
             MatningarCsv({{kAnna.WrongCheckDigit(), "enter", "2023-05-01", "halsa", "50"}})),
      "matningar.csv", 2, "deltagare", message);
  ExpectRejected(Import("uppfoljningar", "uppfoljningar.csv",
                        UppfoljningarCsv({{kBo.WrongCheckDigit().substr(2), "nova", "2024-03-30",
                                           "6", "arbete"}})),
                 "uppfoljningar.csv", 2, "deltagare", message);
}

TEST_F(ParticipantRejection, TreatsTenOrTwelveDigitsAlwaysAsAPersonnummer) {
  // Neither is accepted as a local code.
  ExpectDeltagareRejected({{.deltagare = "1234567890"}}, 2, "deltagare",
                          "personnumret har inget giltigt födelsedatum");
  ExpectDeltagareRejected({{.deltagare = "123456789012"}}, 2, "deltagare",
                          "personnumret har inget giltigt födelsedatum");
  ExpectDeltagareRejected({{.deltagare = "123456-7890"}}, 2, "deltagare",
                          "personnumret har inget giltigt födelsedatum");
}

TEST_F(ParticipantRejection, RejectsALocalCodeWithoutALetter) {
  for (const char* code : {"12345", "12345678901", "0001-02"}) {
    SCOPED_TRACE(code);
    ExpectDeltagareRejected({{.deltagare = code}}, 2, "deltagare",
                            "förväntade ett personnummer (10 eller 12 siffror) eller en lokal kod "
                            "med minst en bokstav (högst 64 tecken)");
  }
}

TEST_F(ParticipantRejection, RejectsAnIdentifierWhenSamtyckeIsNej) {
  ExpectDeltagareRejected({{.deltagare = kCia.Twelve(), .insats = "nova", .samtycke = "nej"}}, 2,
                          "deltagare", "lämna deltagare tom när samtycke är nej");
  ExpectDeltagareRejected({{.deltagare = "SE-0003", .samtycke = "NEJ"}}, 2, "deltagare",
                          "lämna deltagare tom när samtycke är nej");
}

TEST_F(ParticipantRejection, RejectsAMissingOrUnknownSamtycke) {
  for (const char* consent : {"", "kanske", "j"}) {
    SCOPED_TRACE(consent);
    ExpectDeltagareRejected({{.deltagare = kCia.Twelve(), .insats = "nova", .samtycke = consent}},
                            2, "samtycke", "förväntade ja eller nej");
  }
}

TEST_F(ParticipantRejection, RejectsAMissingIdentifierWhenSamtyckeIsJa) {
  ExpectDeltagareRejected({{.deltagare = "", .insats = "nova"}}, 2, "deltagare", "värde saknas");
}

TEST_F(ParticipantRejection, RejectsAnExitWithoutBothDateAndReason) {
  const std::string message = "slutdatum och avslutsorsak anges tillsammans";
  ExpectDeltagareRejected(
      {{.deltagare = kCia.Twelve(), .insats = "nova", .slutdatum = "2023-09-01"}}, 2,
      "avslutsorsak", message);
  ExpectDeltagareRejected(
      {{.deltagare = kCia.Twelve(), .insats = "nova", .avslutsorsak = "arbete"}}, 2, "slutdatum",
      message);
  ExpectDeltagareRejected({{.deltagare = kCia.Twelve(), .insats = "nova", .steg_slut = "5"}}, 2,
                          "slutdatum", "uppgifter vid avslut kräver slutdatum");
}

TEST_F(ParticipantRejection, RejectsAnUnknownColumn) {
  const CommandResult result = Import(
      "deltagare", "deltagare.csv",
      "deltagare;insats;kon;samtyke;startdatum\n" + kCia.Twelve() + ";nova;kvinna;ja;2023-03-01\n");
  // The column has no known name, so it is named by its position.
  ExpectRejected(result, "deltagare.csv", 1, "4",
                 "okänd kolumn \"samtyke\"; kända kolumner är deltagare, insats, kon, samtycke, "
                 "startdatum, fodelsear");
}

TEST_F(ParticipantRejection, RejectsAMissingRequiredColumn) {
  ExpectRejected(
      Import("deltagare", "deltagare.csv",
             "deltagare;insats;kon;startdatum\n" + kCia.Twelve() + ";nova;kvinna;2023-03-01\n"),
      "deltagare.csv", 1, "", "kolumnen samtycke saknas i rubrikraden");
  ExpectRejected(
      Import("matningar", "matningar.csv",
             "deltagare;insats;datum;matt\n" + kAnna.Twelve() + ";enter;2023-05-01;halsa\n"),
      "matningar.csv", 1, "", "kolumnen varde saknas i rubrikraden");
  ExpectRejected(Import("uppfoljningar", "uppfoljningar.csv",
                        "deltagare;insats;datum;sysselsattning\n" + kBo.Twelve() +
                            ";nova;2024-03-30;arbete\n"),
                 "uppfoljningar.csv", 1, "", "kolumnen manader saknas i rubrikraden");
}

TEST_F(ParticipantRejection, RejectsARowWithTooFewFields) {
  const std::string content = DeltagareCsv({{.deltagare = kCia.Twelve(), .insats = "nova"}}) +
                              kDan.Twelve() + ";fia;man;ja\n";
  ExpectRejected(Import("deltagare", "deltagare.csv", content), "deltagare.csv", 3, "",
                 "raden har 4 fält men rubrikraden 14; avgränsare ';'");
}

TEST_F(ParticipantRejection, RejectsAFollowUpBeforeAnyExit) {
  const std::string message = "deltagaren har inget avslut i insatsen före uppföljningsdatumet";
  // Anna has not left Enter.
  ExpectRejected(Import("uppfoljningar", "uppfoljningar.csv",
                        UppfoljningarCsv({{kAnna.Twelve(), "enter", "2024-01-01", "6", "arbete"}})),
                 "uppfoljningar.csv", 2, "datum", message);
  // Bo left NOVA on 2023-09-30; a follow-up dated before that has no exit to follow.
  ExpectRejected(Import("uppfoljningar", "uppfoljningar.csv",
                        UppfoljningarCsv({{kBo.Twelve(), "nova", "2023-06-01", "6", "arbete"}})),
                 "uppfoljningar.csv", 2, "datum", message);
}

TEST_F(ParticipantRejection, RejectsAnInvalidDate) {
  ExpectDeltagareRejected(
      {{.deltagare = kCia.Twelve(), .insats = "nova", .startdatum = "2023-02-30"}}, 2, "startdatum",
      "förväntade ett datum ÅÅÅÅ-MM-DD, fick \"2023-02-30\"");
  ExpectDeltagareRejected({{.deltagare = kCia.Twelve(),
                            .insats = "nova",
                            .startdatum = "2023-03-01",
                            .slutdatum = "2023-13-01",
                            .avslutsorsak = "arbete"}},
                          2, "slutdatum", "förväntade ett datum ÅÅÅÅ-MM-DD, fick \"2023-13-01\"");
  ExpectRejected(Import("matningar", "matningar.csv",
                        MatningarCsv({{kAnna.Twelve(), "enter", "2023-02-30", "halsa", "50"}})),
                 "matningar.csv", 2, "datum",
                 "förväntade ett datum ÅÅÅÅ-MM-DD, fick \"2023-02-30\"");
}

TEST_F(ParticipantRejection, TheFirstBadRowWinsAndNothingOfTheGoodRowsIsStored) {
  // Row 2 is good, rows 3 and 4 are bad; an empty line still counts as a line.
  const std::string deltagare = kDeltagareHeader + kCia.Twelve() +
                                ";nova;kvinna;;;ja;2023-03-01;;;;;;;\n\n" + kDan.Twelve() +
                                ";fia;x;;;ja;2023-03-01;;;;;;;\n" + kEva.Twelve() +
                                ";nova;kvinna;;;ja;2023-03-01;skolan;;;;;;\n";
  ExpectRejected(Import("deltagare", "deltagare.csv", deltagare), "deltagare.csv", 4, "kon",
                 "okänd kod \"x\"");
  ExpectRejected(Import("matningar", "matningar.csv",
                        MatningarCsv({{kAnna.Twelve(), "enter", "2023-05-01", "halsa", "60"},
                                      {kAnna.Twelve(), "enter", "2023-05-01", "livskvalitet", "0"},
                                      {kAnna.Twelve(), "enter", "2023-05-01", "vikt", "70"}})),
                 "matningar.csv", 3, "varde", "livskvalitet ska vara 1–10, fick 0");
  ExpectRejected(Import("uppfoljningar", "uppfoljningar.csv",
                        UppfoljningarCsv({{kBo.Twelve(), "nova", "2024-03-30", "6", "arbete"},
                                          {kBo.Twelve(), "nova", "2024-09-30", "12", "pension"}})),
                 "uppfoljningar.csv", 3, "sysselsattning", "okänd kod \"pension\"");
}

// ---------------------------------------------------------------------------------------
// Privacy.

using ParticipantPrivacy = ParticipantTest;

TEST_F(ParticipantPrivacy, NoPersonnummerReachesTheDatabaseTheKeyFileOrAnyOutput) {
  std::vector<CommandResult> results;
  auto run = [&](const std::string& kind, const std::string& name, const std::string& content,
                 int expected_exit) {
    results.push_back(Import(kind, name, content));
    EXPECT_EQ(results.back().exit_code, expected_exit) << name << ": " << results.back().err;
  };
  run("deltagare", "deltagare.csv",
      DeltagareCsv({
          {.deltagare = kAnna.Twelve(), .steg_start = "2"},
          {.deltagare = kBo.TwelveDashed(),
           .insats = "nova",
           .kon = "man",
           .startdatum = "2023-04-03",
           .slutdatum = "2023-09-30",
           .avslutsorsak = "arbete"},
          {.deltagare = kCia.TenDashed(), .insats = "it-sparet", .startdatum = "2023-05-02"},
          {.deltagare = kDan.Ten(), .insats = "fia", .startdatum = "2023-02-01"},
          {.deltagare = kEva.Twelve(), .insats = "koll-pa-formaga"},
      }),
      kExitOk);
  run("matningar", "matningar.csv",
      MatningarCsv({{kAnna.TenDashed(), "enter", "2023-04-01", "halsa", "50"},
                    {kBo.Ten(), "nova", "2023-05-01", "steg", "3"},
                    {kEva.TenDashed(), "koll-pa-formaga", "2023-04-01", "livskvalitet", "5"}}),
      kExitOk);
  run("uppfoljningar", "uppfoljningar.csv",
      UppfoljningarCsv({{kBo.TwelveDashed(), "nova", "2024-03-30", "6", "arbete"}}), kExitOk);
  // Rejected files whose bad row holds a personnummer.
  run("deltagare", "kontrollsiffra.csv",
      DeltagareCsv({{.deltagare = kCia.WrongCheckDigit(), .insats = "nova"}}), kExitBadInput);
  run("deltagare", "for-gammal.csv", DeltagareCsv({{.deltagare = kSkatteverket.TwelveDashed()}}),
      kExitBadInput);
  run("deltagare", "it-sparet.csv",
      DeltagareCsv({{.deltagare = kDan.TwelveDashed(), .insats = "it-sparet"}}), kExitBadInput);
  run("deltagare", "for-ung.csv", DeltagareCsv({{.deltagare = kIda.Ten()}}), kExitBadInput);
  run("deltagare", "utan-samtycke.csv",
      DeltagareCsv({{.deltagare = kCia.Ten(), .insats = "nova", .samtycke = "nej"}}),
      kExitBadInput);
  run("deltagare", "dubbel.csv",
      DeltagareCsv({{.deltagare = kAnna.TenDashed(), .startdatum = "2023-06-01"}}), kExitBadInput);
  run("deltagare", "fel-kod.csv",
      DeltagareCsv({{.deltagare = kEva.TenDashed(), .insats = "nova", .kon = "x"}}), kExitBadInput);
  run("deltagare", "fel-ar.csv",
      DeltagareCsv({{.deltagare = kCia.Twelve(), .insats = "nova", .fodelsear = "1990"}}),
      kExitBadInput);
  run("deltagare", "for-fa-falt.csv",
      std::string(kDeltagareHeader) + kCia.Twelve() + ";nova;kvinna;ja\n", kExitBadInput);
  run("matningar", "ej-inskriven.csv",
      MatningarCsv({{kDan.Twelve(), "enter", "2023-04-01", "halsa", "50"}}), kExitBadInput);
  run("matningar", "utanfor.csv",
      MatningarCsv({{kBo.TwelveDashed(), "nova", "2023-12-01", "halsa", "101"}}), kExitBadInput);
  run("uppfoljningar", "inget-avslut.csv",
      UppfoljningarCsv({{kAnna.Ten(), "enter", "2024-03-30", "6", "arbete"}}), kExitBadInput);
  // Withdrawal reads the identifier from standard input.
  results.push_back(Withdraw(kCia.TenDashed() + "\n"));
  EXPECT_EQ(results.back().exit_code, kExitOk) << results.back().err;
  results.push_back(Withdraw(kCia.TenDashed() + "\n"));  // Already withdrawn: unknown now.
  EXPECT_EQ(results.back().exit_code, kExitBadInput);
  results.push_back(Withdraw(kDan.WrongCheckDigit() + "\n"));
  EXPECT_EQ(results.back().exit_code, kExitBadInput);

  for (std::size_t i = 0; i < results.size(); ++i) {
    ExpectNoPersonnummer(results[i].out, "stdout of command " + std::to_string(i));
    ExpectNoPersonnummer(results[i].err, "stderr of command " + std::to_string(i));
  }
  // The database, its WAL and shared memory if present, a rollback journal, and the key.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory_.path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("stegvis.db", 0) != 0) continue;
    ++files;
    ExpectNoPersonnummer(ReadFile(entry.path()), name);
  }
  EXPECT_GE(files, 2) << "expected at least the database and the key file";
  ExpectNoPersonnummer(Dump(), "the database dump");
  // The imports did store people, under pseudonyms.
  EXPECT_EQ(TableRows(Dump(), "enrolment").size(), 5u);
}

TEST_F(ParticipantPrivacy, ARejectedRowNeverEchoesAPersonnummerFromAnyColumn) {
  const std::string pnr = kAnna.Twelve();
  struct Case {
    std::string kind;
    std::string content;
  };
  const std::vector<Case> cases = {
      {"deltagare", pnr + ";enter;kvinna;;;ja;2023-03-01;;;;;;;\n"},  // No header row.
      {"deltagare", DeltagareCsv({{.deltagare = "SE-1", .startdatum = pnr}})},
      {"deltagare", DeltagareCsv({{.deltagare = "SE-1", .kon = pnr}})},
      {"deltagare", DeltagareCsv({{.deltagare = "SE-1", .fodelsear = pnr}})},
      {"deltagare", DeltagareCsv({{.deltagare = "SE-1", .kommun = pnr}})},
      {"deltagare", DeltagareCsv({{.deltagare = "SE-1", .insats = kAnna.TenDashed()}})},
      {"deltagare", DeltagareCsv({{.deltagare = "SE-1", .remittent = kAnna.TwelveDashed()}})},
      {"matningar", MatningarCsv({{"SE-1", "enter", pnr, "halsa", "50"}})},
      {"matningar", MatningarCsv({{"SE-1", "enter", "2023-04-01", pnr, "50"}})},
      {"matningar", MatningarCsv({{"SE-1", "enter", "2023-04-01", "halsa", pnr}})},
      {"uppfoljningar", UppfoljningarCsv({{"SE-1", "enter", "2024-01-01", pnr, "arbete"}})},
      {"uppfoljningar", UppfoljningarCsv({{"SE-1", "enter", "2024-01-01", "6", pnr}})},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i) + " (" + cases[i].kind + ")");
    const CommandResult result = Import(cases[i].kind, "fel.csv", cases[i].content);
    EXPECT_EQ(result.exit_code, kExitBadInput);
    ExpectNoPersonnummer(result.out + result.err, "the output of the rejected import");
  }
}

TEST_F(ParticipantPrivacy, ThePseudonymDependsOnTheDatabasesKey) {
  const std::string content = DeltagareCsv({{.deltagare = kAnna.Twelve()}});
  ImportOk("deltagare", "deltagare.csv", content, 1, 1, 0);
  TempDir other;
  const std::string other_database = (other / "annan.db").string();
  ASSERT_EQ(Stegvis({"init", "--db", other_database}).exit_code, kExitOk);
  ASSERT_EQ(Stegvis({"import", "plan", "--db", other_database,
                     SourcePath("demo/sodra-vatterbygden.json")})
                .exit_code,
            kExitOk);
  ASSERT_EQ(Stegvis({"import", "deltagare", "--db", other_database, "--forbund", kForbund,
                     Path("deltagare.csv")})
                .exit_code,
            kExitOk);
  const std::string here = PersonKeyOf(Dump(), 1);
  const std::string there = PersonKeyOf(DumpDatabase(other_database), 1);
  EXPECT_NE(here, "NULL");
  EXPECT_NE(here, there) << "the same person must get different pseudonyms under different keys";
}

// ---------------------------------------------------------------------------------------
// Withdrawal of consent. Anna was in Enter twice (2023, then again from 2024) with
// measurements and follow-ups; Bo is in NOVA; SE-0001 in FIA.

class ParticipantConsent : public ParticipantTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ParticipantTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(ImportOk("deltagare", "deltagare.csv",
                                     DeltagareCsv({
                                         {.deltagare = kAnna.Twelve(),
                                          .fodelsear = "1990",
                                          .kommun = "habo",
                                          .remittent = "af",
                                          .forsorjning_start = "a_kassa",
                                          .steg_start = "2",
                                          .slutdatum = "2023-10-31",
                                          .avslutsorsak = "arbete",
                                          .forsorjning_slut = "lon",
                                          .steg_slut = "6"},
                                         {.deltagare = kAnna.Twelve(),
                                          .kommun = "habo",
                                          .startdatum = "2024-02-01",
                                          .remittent = "fk",
                                          .steg_start = "4"},
                                         {.deltagare = kBo.Twelve(),
                                          .insats = "nova",
                                          .kon = "man",
                                          .kommun = "mullsjo",
                                          .startdatum = "2023-04-03",
                                          .steg_start = "3"},
                                         {.deltagare = "SE-0001",
                                          .insats = "fia",
                                          .fodelsear = "1999",
                                          .kommun = "annan",
                                          .startdatum = "2023-02-01"},
                                     }),
                                     4, 4, 0));
    ASSERT_NO_FATAL_FAILURE(
        ImportOk("matningar", "matningar.csv",
                 MatningarCsv({{kAnna.Twelve(), "enter", "2023-05-01", "halsa", "40"},
                               {kAnna.Twelve(), "enter", "2024-03-01", "livskvalitet", "7"},
                               {kBo.Twelve(), "nova", "2023-05-01", "halsa", "60"},
                               {"SE-0001", "fia", "2023-05-01", "halsa", "80"}}),
                 4, 4, 0));
    ASSERT_NO_FATAL_FAILURE(ImportOk(
        "uppfoljningar", "uppfoljningar.csv",
        UppfoljningarCsv({{kAnna.Twelve(), "enter", "2024-04-30", "6", "arbete"}}), 1, 1, 0));
    before_ = Dump();
  }

  std::string before_;
};

TEST_F(ParticipantConsent, WithdrawingConsentAnonymisesEveryEnrolmentOfThePersonOnly) {
  // Another notation than in the files, with the trailing newline of an interactive terminal.
  const CommandResult withdrawn = Withdraw(kAnna.TenDashed() + "\n");
  ASSERT_EQ(withdrawn.exit_code, kExitOk) << withdrawn.err;
  EXPECT_EQ(withdrawn.out, "Samtycket återkallat: 2 inskrivningar anonymiserade.\n");
  EXPECT_EQ(withdrawn.err, "");
  ExpectNoPersonnummer(withdrawn.out + withdrawn.err, "the output of deltagare aterkalla");

  const std::string after = Dump();
  const std::string f = kForbund;
  // Kön, insats, start and exit stay, so the counts remain.
  EXPECT_EQ(RowsOfEnrolment(EnrolmentRows(after), 1),
            std::vector<std::string>{"1|" + f +
                                     "|enter|NULL|kvinna|NULL|NULL|1|2023-03-01|NULL||2023-10-31|"
                                     "arbete|"});
  EXPECT_EQ(RowsOfEnrolment(EnrolmentRows(after), 2),
            std::vector<std::string>{"2|" + f +
                                     "|enter|NULL|kvinna|NULL|NULL|1|2024-02-01|NULL||NULL|NULL|"});
  for (int id : {1, 2}) {
    EXPECT_EQ(RowsOfEnrolment(RowsWithoutPosition(after, "measurement"), id),
              std::vector<std::string>{})
        << id;
    EXPECT_EQ(RowsOfEnrolment(RowsWithoutPosition(after, "follow_up"), id),
              std::vector<std::string>{})
        << id;
  }
  // Bo and SE-0001 are untouched.
  for (int id : {3, 4}) {
    EXPECT_EQ(RowsOfEnrolment(TableRows(after, "enrolment"), id),
              RowsOfEnrolment(TableRows(before_, "enrolment"), id));
    EXPECT_EQ(RowsOfEnrolment(TableRows(after, "measurement"), id),
              RowsOfEnrolment(TableRows(before_, "measurement"), id));
  }
  // Anna is no longer known: a measurement for her is refused.
  const CommandResult measurement =
      Import("matningar", "efter.csv",
             MatningarCsv({{kAnna.Twelve(), "enter", "2024-05-01", "halsa", "50"}}));
  EXPECT_EQ(measurement.exit_code, kExitBadInput);
  EXPECT_NE(measurement.err.find("deltagaren är inte inskriven i insatsen"), std::string::npos)
      << measurement.err;
}

TEST_F(ParticipantConsent, WithdrawingConsentWorksForALocalCodeWithoutANewline) {
  const CommandResult withdrawn = Withdraw("SE-0001");
  ASSERT_EQ(withdrawn.exit_code, kExitOk) << withdrawn.err;
  EXPECT_EQ(withdrawn.out.rfind("Samtycket återkallat: 1 inskrivning", 0), 0u) << withdrawn.out;
  EXPECT_EQ(withdrawn.out.find("SE-0001"), std::string::npos);
  const std::string after = Dump();
  EXPECT_EQ(RowsOfEnrolment(EnrolmentRows(after), 4),
            std::vector<std::string>{std::string("4|") + kForbund +
                                     "|fia|NULL|kvinna|NULL|NULL|1|2023-02-01|NULL||NULL|NULL|"});
  EXPECT_EQ(RowsOfEnrolment(TableRows(after, "measurement"), 4), std::vector<std::string>{});
  EXPECT_EQ(PersonKeyOf(after, 1), PersonKeyOf(before_, 1));
}

TEST_F(ParticipantConsent, WithdrawingConsentOfAnUnknownPersonChangesNothing) {
  const CommandResult withdrawn = Withdraw(kDan.TwelveDashed() + "\n");
  EXPECT_EQ(withdrawn.exit_code, kExitBadInput);
  EXPECT_EQ(withdrawn.out, "");
  EXPECT_EQ(withdrawn.err, "fel: deltagare: ingen inskrivning för deltagaren i förbundet\n");
  ExpectNoPersonnummer(withdrawn.out + withdrawn.err, "the output of deltagare aterkalla");
  ExpectSameContent(before_, Dump(), "a refused command must change nothing");
}

TEST_F(ParticipantConsent, WithdrawingConsentWithAWrongCheckDigitChangesNothing) {
  const CommandResult withdrawn = Withdraw(kAnna.WrongCheckDigit() + "\n");
  EXPECT_EQ(withdrawn.exit_code, kExitBadInput);
  EXPECT_EQ(withdrawn.out, "");
  EXPECT_NE(withdrawn.err.find("personnumrets kontrollsiffra stämmer inte"), std::string::npos)
      << withdrawn.err;
  ExpectNoPersonnummer(withdrawn.out + withdrawn.err, "the output of deltagare aterkalla");
  ExpectSameContent(before_, Dump(), "a refused command must change nothing");
}

TEST_F(ParticipantConsent, WithdrawingConsentWithNothingOnStandardInputChangesNothing) {
  const CommandResult withdrawn = Withdraw("");
  EXPECT_EQ(withdrawn.exit_code, kExitBadInput);
  EXPECT_EQ(withdrawn.out, "");
  ExpectSameContent(before_, Dump(), "a refused command must change nothing");
}

// ---------------------------------------------------------------------------------------
// The pseudonym key file beside the database.

using ParticipantKeyFile = ParticipantTest;

TEST_F(ParticipantKeyFile, InitCreatesAKeyOnlyTheOwnerCanReadAndKeepsItOnASecondInit) {
  ASSERT_TRUE(std::filesystem::exists(key_file_));
  EXPECT_EQ(std::filesystem::status(key_file_).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const std::string key = ReadFile(key_file_);
  EXPECT_EQ(key.size(), 32u);
  // A new key would make every stored pseudonym unreachable.
  ASSERT_EQ(Stegvis({"init", "--db", database_}).exit_code, kExitOk);
  EXPECT_EQ(ReadFile(key_file_), key);
}

TEST_F(ParticipantKeyFile, AMissingKeyFileStopsEveryParticipantCommand) {
  ImportOk("deltagare", "start.csv", DeltagareCsv({{.deltagare = kAnna.Twelve()}}), 1, 1, 0);
  std::filesystem::remove(key_file_);
  const std::string before = Dump();
  // The message never suggests stegvis init: a new key cannot recognise anyone stored.
  const std::string message =
      "nyckelfilen saknas. En ny databas får sin nyckel av stegvis init; till en befintlig "
      "databas hör bara dess egen nyckel: återställ den från säkerhetskopian (utan den känns "
      "deltagarna inte igen)";
  std::vector<CommandResult> results = {
      Import("deltagare", "deltagare.csv", DeltagareCsv({{.deltagare = kBo.Twelve()}})),
      Import("matningar", "matningar.csv",
             MatningarCsv({{kAnna.Twelve(), "enter", "2023-04-01", "halsa", "50"}})),
      Import("uppfoljningar", "uppfoljningar.csv",
             UppfoljningarCsv({{kAnna.Twelve(), "enter", "2024-04-01", "6", "arbete"}})),
      Withdraw(kAnna.Twelve() + "\n"),
  };
  for (std::size_t i = 0; i < results.size(); ++i) {
    SCOPED_TRACE("command " + std::to_string(i));
    EXPECT_EQ(results[i].exit_code, kExitBadInput);
    EXPECT_EQ(results[i].out, "");
    EXPECT_EQ(results[i].err, "fel: " + key_file_ + ": " + message + "\n");
  }
  EXPECT_FALSE(std::filesystem::exists(key_file_)) << "only stegvis init may create the key";
  ExpectSameContent(before, Dump(), "a refused command must change nothing");
}

TEST_F(ParticipantKeyFile, AKeyFileOthersCanReadIsRefused) {
  const std::string before = Dump();
  std::filesystem::permissions(
      key_file_,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
          std::filesystem::perms::group_read | std::filesystem::perms::others_read,
      std::filesystem::perm_options::replace);
  const std::string message = "nyckelfilen får bara kunna läsas av ägaren (chmod 600)";
  for (const CommandResult& result :
       {Import("deltagare", "deltagare.csv", DeltagareCsv({{.deltagare = kBo.Twelve()}})),
        Withdraw(kBo.Twelve() + "\n")}) {
    EXPECT_EQ(result.exit_code, kExitBadInput);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err, "fel: " + key_file_ + ": " + message + "\n");
  }
  ExpectSameContent(before, Dump(), "a refused command must change nothing");
}

}  // namespace
}  // namespace stegvis::testing
