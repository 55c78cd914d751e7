// Concurrent writers on one database, seen only from outside: a real `stegvis serve` on
// 127.0.0.1 taking many form and API posts at the same moment, and `stegvis import deltagare`
// processes running beside it or beside each other. The contract: every answer that says
// "saved" is true afterwards, a conflict is a 409 with a Swedish message rather than a lost
// or doubled write, no request fails with 5xx, and no import leaves duplicates behind or
// shows SQL to the user.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <latch>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "robustness/robustness_support.h"
#include "robustness/server_process.h"
#include "test_support.h"

namespace stegvis::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kCoach[] = "robust.coach";
constexpr char kMeasured[] = "registrerade matning";

// The date `days` after 2024-01-01, as ÅÅÅÅ-MM-DD.
std::string DayOf2024(int days) {
  const std::chrono::sys_days day =
      std::chrono::sys_days(std::chrono::year{2024} / 1 / 1) + std::chrono::days(days);
  const std::chrono::year_month_day date(day);
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

std::string RecordPath(std::int64_t id) {
  return fmt::format("/forbund/{}/deltagare/{}", kForbund, id);
}

// Whether a change of record `id` was accepted: a 2xx from the API, or from a form the 303
// back to the record (not, say, to the sign-in page).
bool Accepted(const HttpReply& reply, bool api, std::int64_t id) {
  if (api) return reply.status >= 200 && reply.status < 300;
  return reply.status == 303 && reply.location.starts_with(RecordPath(id));
}

// The text of a reply for a failure message: status, transport error and the start of the
// body.
std::string Describe(const HttpReply& reply) {
  return fmt::format("status {} {} {}", reply.status, reply.error, reply.body.substr(0, 600));
}

// A demo database with a coach for se-hoglandet, served by a real `stegvis serve` with eight
// worker threads, and the coach signed in.
class ConcurrentWrites : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = MakeDemoDatabase(folder_);
    AddCoach(database_, kCoach);
    server_ =
        std::make_unique<ServerProcess>(database_, std::vector<std::string>{"--threads", "8"});
    coach_ = SignIn(server_->port(), kCoach, kTestPassword);
  }

  unsigned short port() const { return server_->port(); }

  // Registers an open enrolment with consent for `code` through the API; returns its id.
  std::int64_t Register(const std::string& code, const std::string& start) {
    const json::object fields{{"insats", kInsats}, {"samtycke", "ja"},  {"deltagare", code},
                              {"kon", "kvinna"},   {"fodelsear", 1990}, {"startdatum", start},
                              {"kommun", "eksjo"}};
    const HttpReply reply =
        SendHttp(port(), JsonPost(coach_, fmt::format("/api/v1/forbund/{}/deltagare", kForbund),
                                  json::serialize(fields)));
    if (reply.status != 201) {
      ADD_FAILURE() << "registering " << code << ": " << Describe(reply);
      return 0;
    }
    return json::parse(reply.body).at("id").to_number<std::int64_t>();
  }

  // The record as the API shows it.
  json::value Record(std::int64_t id) {
    const HttpReply reply = SendHttp(port(), Get(coach_, "/api/v1" + RecordPath(id)));
    if (reply.status != 200) {
      ADD_FAILURE() << "reading record " << id << ": " << Describe(reply);
      return json::object{};
    }
    return json::parse(reply.body);
  }

  // The stored measurements of a record: date -> value, of the measure `measure`.
  std::map<std::string, std::int64_t> Measurements(std::int64_t id, const std::string& measure) {
    std::map<std::string, std::int64_t> values;
    const json::value record = Record(id);
    if (!record.is_object() || !record.as_object().contains("matningar")) return values;
    for (const json::value& item : record.at("matningar").as_array()) {
      if (item.at("matt").as_string() != measure) continue;
      values[std::string(item.at("datum").as_string())] =
          item.at("varde").to_number<std::int64_t>();
    }
    return values;
  }

  // A measurement post: the record's form (answered 303) or, with `api`, the JSON route.
  HttpRequest MeasurementPost(std::int64_t id, const std::string& date, int value, bool api) const {
    if (api) {
      return JsonPost(
          coach_, "/api/v1" + RecordPath(id) + "/matningar",
          json::serialize(json::object{{"datum", date}, {"matt", "halsa"}, {"varde", value}}));
    }
    return FormPost(coach_, RecordPath(id) + "/matningar",
                    {{"datum", date}, {"matt", "halsa"}, {"varde", std::to_string(value)}});
  }

  // Audit entries with `action` for the enrolment (target "… inskrivning:ID").
  std::int64_t AuditEntriesFor(const std::string& action, std::int64_t id) {
    const std::string table = AuditTable(database_);
    SqliteFile file(database_);
    return file.Int("SELECT count(*) FROM \"" + table +
                        "\" WHERE action = ? AND (' ' || target) LIKE ('% inskrivning:' || ?)",
                    {action, std::to_string(id)});
  }

  TempDir folder_;
  std::filesystem::path database_;
  std::unique_ptr<ServerProcess> server_;
  Session coach_;
};

TEST_F(ConcurrentWrites, TwentyFourMeasurementsPostedAtOnceToOneRecordAreAllStored) {
  const std::int64_t id = Register("PARALLELL-0001", "2024-01-01");
  ASSERT_GT(id, 0);
  constexpr int kPosts = 24;
  // Every connection is open before any request is written, so that all 24 arrive together.
  std::latch ready(kPosts);
  std::vector<HttpReply> replies(kPosts);
  std::vector<std::thread> threads;
  for (int i = 0; i < kPosts; ++i) {
    threads.emplace_back([&, i] {
      HttpConnection connection(port(), seconds(20));
      ready.arrive_and_wait();
      replies[i] = connection.Exchange(MeasurementPost(id, DayOf2024(i + 1), 50 + i, i % 2 == 1));
    });
  }
  for (std::thread& thread : threads) thread.join();

  for (int i = 0; i < kPosts; ++i) {
    EXPECT_TRUE(Accepted(replies[i], i % 2 == 1, id))
        << (i % 2 == 1 ? "API" : "form") << " post " << i << " (" << DayOf2024(i + 1)
        << "): " << Describe(replies[i]) << " " << replies[i].location;
  }
  const std::map<std::string, std::int64_t> stored = Measurements(id, "halsa");
  std::vector<std::string> missing;
  for (int i = 0; i < kPosts; ++i) {
    const auto found = stored.find(DayOf2024(i + 1));
    if (found == stored.end() || found->second != 50 + i) missing.push_back(DayOf2024(i + 1));
  }
  EXPECT_TRUE(missing.empty()) << "the record holds " << stored.size() << " of the " << kPosts
                               << " measurements posted; " << missing.size()
                               << " are lost, the first of " << (missing.empty() ? "" : missing[0]);
  SqliteFile file(database_);
  EXPECT_EQ(
      file.Int("SELECT count(*) FROM measurement WHERE enrolment_id = ?", {std::to_string(id)}),
      kPosts)
      << "measurement rows in the database";
  EXPECT_EQ(AuditEntriesFor(kMeasured, id), kPosts)
      << "audit entries \"" << kMeasured << "\" for enrolment " << id;
}

TEST_F(ConcurrentWrites, OfTwoExitsPostedAtOnceOneWinsAndTheOtherIsAConflict) {
  // Two rounds through the API and two through the record's exit form.
  for (int round = 0; round < 4; ++round) {
    const bool api = round % 2 == 0;
    SCOPED_TRACE(fmt::format("round {} through the {}", round, api ? "API" : "exit form"));
    const std::int64_t id = Register(fmt::format("AVSLUT-{:04}", round), "2024-01-01");
    ASSERT_GT(id, 0);
    struct Contender {
      std::string date;
      std::string reason;
    };
    const Contender contenders[2] = {{fmt::format("2024-06-{:02}", 10 + round), "arbete"},
                                     {fmt::format("2024-07-{:02}", 10 + round), "studier"}};
    std::latch ready(2);
    HttpReply replies[2];
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        const HttpRequest request =
            api ? JsonPost(coach_, "/api/v1" + RecordPath(id) + "/avslut",
                           json::serialize(json::object{{"slutdatum", contenders[i].date},
                                                        {"avslutsorsak", contenders[i].reason}}))
                : FormPost(
                      coach_, RecordPath(id) + "/avslut",
                      {{"slutdatum", contenders[i].date}, {"avslutsorsak", contenders[i].reason}});
        HttpConnection connection(port(), seconds(20));
        ready.arrive_and_wait();
        replies[i] = connection.Exchange(request);
      });
    }
    for (std::thread& thread : threads) thread.join();

    auto succeeded = [api, id](const HttpReply& reply) { return Accepted(reply, api, id); };
    const int winners = (succeeded(replies[0]) ? 1 : 0) + (succeeded(replies[1]) ? 1 : 0);
    ASSERT_EQ(winners, 1) << "exactly one exit must be accepted; the answers were\n  "
                          << Describe(replies[0]) << "\n  " << Describe(replies[1]);
    const int winner = succeeded(replies[0]) ? 0 : 1;
    const HttpReply& loser = replies[1 - winner];
    EXPECT_EQ(loser.status, 409u) << "the second exit: " << Describe(loser);
    EXPECT_FALSE(HasRawSql(loser.body)) << loser.body;
    if (api && loser.status == 409u) {
      // {"fel": {"kod": …, "plats": …, "meddelande": "…"}}, the message in Swedish.
      const json::value body = json::parse(loser.body);
      const std::string message(body.at("fel").at("meddelande").as_string());
      EXPECT_TRUE(message.find("å") != std::string::npos ||
                  message.find("ä") != std::string::npos || message.find("ö") != std::string::npos)
          << "not a Swedish message: " << message;
    } else if (loser.status == 409u) {
      EXPECT_NE(loser.body.find("lang=\"sv\""), std::string::npos) << loser.body.substr(0, 400);
    }
    const json::value record = Record(id);
    ASSERT_TRUE(record.is_object() && record.as_object().contains("avslut"));
    ASSERT_TRUE(record.at("avslut").is_object()) << json::serialize(record);
    EXPECT_EQ(record.at("avslut").at("slutdatum").as_string(), contenders[winner].date)
        << "the stored exit is not the accepted one";
    EXPECT_EQ(record.at("avslut").at("avslutsorsak").as_string(), contenders[winner].reason);
  }
}

TEST_F(ConcurrentWrites, AnImportBesideACoachLosesNoAcceptedMeasurementAndStoresEveryRow) {
  const std::int64_t id = Register("KOACH-0001", "2024-01-01");
  ASSERT_GT(id, 0);
  constexpr int kRows = 8000;
  const std::filesystem::path csv = folder_ / "deltagare.csv";
  WriteFile(csv, GeneratedDeltagareCsv("GEN", kRows, Ending::kOpen));
  const std::int64_t before = CountEnrolments(database_);

  struct Post {
    std::string date;
    int value = 0;
    bool api = false;
    bool during_import = false;
    HttpReply reply;
  };
  std::vector<Post> posts;
  std::atomic<bool> import_running = false;
  std::atomic<bool> stop = false;
  std::atomic<int> posted = 0;
  // The coach posts one measurement after another, alternately by form and by API, on
  // consecutive days, until told to stop (at most 650 posts, dates up to October 2025, and
  // 45 s).
  const auto deadline = std::chrono::steady_clock::now() + seconds(45);
  std::thread coach([&] {
    for (int i = 0; i < 650 && !stop && std::chrono::steady_clock::now() < deadline; ++i) {
      Post post{DayOf2024(i + 1), i % 101, i % 2 == 1, import_running.load(), {}};
      post.reply = SendHttp(port(), MeasurementPost(id, post.date, post.value, post.api));
      posts.push_back(std::move(post));
      ++posted;
      std::this_thread::sleep_for(milliseconds(5));
    }
  });
  while (posted < 2) std::this_thread::sleep_for(milliseconds(2));
  std::optional<int> import_exit;
  std::string import_err;
  {
    ChildProcess import({"--lang", "sv", "import", "deltagare", "--db", database_.string(),
                         "--forbund", kForbund, csv.string()});
    import_running = true;
    import_exit = import.Wait(seconds(30));
    import_running = false;
    import_err = import.Err();
  }
  std::this_thread::sleep_for(milliseconds(200));
  stop = true;
  coach.join();

  ASSERT_TRUE(import_exit.has_value()) << "the import did not end within 30 s";
  EXPECT_EQ(*import_exit, 0) << import_err;
  EXPECT_EQ(CountEnrolments(database_), before + kRows) << "enrolments of the import are missing";

  int during = 0;
  int unanswered = 0;
  std::string first_unanswered;
  std::set<std::string> accepted;
  for (const Post& post : posts) {
    if (post.during_import) ++during;
    if (post.reply.status == 0 || post.reply.status >= 500) {
      if (unanswered++ == 0) first_unanswered = post.date + ": " + Describe(post.reply);
    }
    if (Accepted(post.reply, post.api, id)) accepted.insert(post.date);
  }
  EXPECT_EQ(unanswered, 0) << unanswered << " of " << posts.size()
                           << " posts got a 5xx or no answer, the first " << first_unanswered;
  RecordProperty("posts", static_cast<int>(posts.size()));
  RecordProperty("posts_during_import", during);
  ASSERT_GT(during, 0) << "no post was sent while the import ran; the test proved nothing";
  const std::map<std::string, std::int64_t> stored = Measurements(id, "halsa");
  int lost = 0;
  std::string first_lost;
  for (const Post& post : posts) {
    if (!Accepted(post.reply, post.api, id)) continue;
    const auto found = stored.find(post.date);
    if (found == stored.end() || found->second != post.value) {
      if (lost++ == 0) first_lost = post.date;
    }
  }
  EXPECT_EQ(lost, 0) << lost << " of " << accepted.size()
                     << " accepted measurements are not stored, the first of " << first_lost << " ("
                     << during << " posts were sent while the import ran)";
  for (const auto& [date, value] : stored) {
    EXPECT_TRUE(accepted.contains(date))
        << "a measurement of " << date << " is stored although its post was not accepted";
  }
}

// Two `stegvis import deltagare` processes of one file, started together, three times, each
// time with new people: the file's enrolments are stored once, and each process either
// succeeds or fails cleanly. Open enrolments meet the database's one-open-enrolment rule;
// ended ones have no such rule to catch a duplicate.
class SameFileTwiceAtOnce : public ::testing::TestWithParam<Ending> {};

TEST_P(SameFileTwiceAtOnce, StoresEachEnrolmentOnceAndEachImportSucceedsOrFailsCleanly) {
  TempDir folder;
  const std::filesystem::path database = MakeDemoDatabase(folder);
  constexpr int kRows = 2000;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(fmt::format("round {}", round));
    const std::filesystem::path csv = folder / fmt::format("deltagare-{}.csv", round);
    WriteFile(csv, GeneratedDeltagareCsv(fmt::format("GEN{}", round), kRows, GetParam()));
    const std::int64_t before = CountEnrolments(database);
    const std::vector<std::string> arguments = {"--lang",    "sv",     "import",
                                                "deltagare", "--db",   database.string(),
                                                "--forbund", kForbund, csv.string()};
    ChildProcess first(arguments);
    ChildProcess second(arguments);
    const std::optional<int> first_exit = first.Wait(seconds(30));
    const std::optional<int> second_exit = second.Wait(seconds(30));
    ASSERT_TRUE(first_exit && second_exit) << "an import did not end within 30 s";
    for (const auto& [exit_code, process] :
         {std::pair{*first_exit, &first}, std::pair{*second_exit, &second}}) {
      const CommandResult result{exit_code, process->Out(), process->Err()};
      if (exit_code != 0) ExpectCleanSwedishFailure(result, "a concurrent import");
    }
    SqliteFile file(database);
    const std::int64_t duplicates = file.Int(
        "SELECT count(*) FROM (SELECT 1 FROM enrolment WHERE forbund_id = ? AND person_key IS "
        "NOT NULL GROUP BY person_key, insats_id, start_date HAVING count(*) > 1)",
        {kForbund});
    EXPECT_EQ(duplicates, 0) << "people enrolled twice with the same start date";
    EXPECT_EQ(CountEnrolments(database), before + kRows)
        << "exits " << *first_exit << " and " << *second_exit;
  }
}

INSTANTIATE_TEST_SUITE_P(Enrolments, SameFileTwiceAtOnce,
                         ::testing::Values(Ending::kOpen, Ending::kEnded),
                         [](const ::testing::TestParamInfo<Ending>& case_info) {
                           return case_info.param == Ending::kOpen ? "Open" : "Ended";
                         });

}  // namespace
}  // namespace stegvis::testing
