// Several `stegvis serve` processes on one database, as an installation behind a proxy runs
// them: a session opened on one server is valid on the other, failed sign-ins count across
// both, writes posted through both at the same moment are all kept, and the audit chain that
// both append to stays whole. On PostgreSQL (the backend for several servers) and on one
// SQLite file (several processes on one machine).
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <latch>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "postgres_server.h"
#include "robustness/robustness_support.h"
#include "robustness/server_process.h"
#include "test_support.h"

namespace stegvis::testing {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

constexpr char kCoach[] = "tva.servrar";

enum class Database { kSqlite, kPostgres };

std::string NameOf(const ::testing::TestParamInfo<Database>& info) {
  return info.param == Database::kSqlite ? "sqlite" : "postgresql";
}

class TwoServers : public ::testing::TestWithParam<Database> {
 protected:
  void SetUp() override {
    key_ = (folder_ / "forbund.key").string();
    database_ = GetParam() == Database::kSqlite ? (folder_ / "forbund.db").string()
                                                : NewPostgresDatabaseUrl();
    const CommandResult demo = Run({"demo"});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    const CommandResult coach =
        Run({"user", "add", "--namn", kCoach, "--roll", "deltagaransvarig", "--forbund", kForbund,
             "--insats", kInsats, "--losenord-stdin"},
            kTestPassword);
    ASSERT_EQ(coach.exit_code, 0) << coach.err;
    for (auto& server : servers_) {
      server = std::make_unique<ServerProcess>(
          database_, std::vector<std::string>{"--key", key_, "--threads", "4"});
    }
  }

  CommandResult Run(std::vector<std::string> arguments, const std::string& input = "") {
    arguments.insert(arguments.end(), {"--db", database_, "--key", key_});
    return RunStegvis(arguments, input);
  }

  unsigned short Port(int server) const { return servers_[server]->port(); }

  TempDir folder_;
  std::string key_;
  std::string database_;
  std::unique_ptr<ServerProcess> servers_[2];
};

std::string Describe(const HttpReply& reply) {
  return fmt::format("status {} {} {}", reply.status, reply.error, reply.body.substr(0, 400));
}

TEST_P(TwoServers, WritesPostedThroughBothAtOnceAreAllKeptAndTheAuditChainStaysWhole) {
  // Signed in on the first server; the same session works on the second.
  const Session coach = SignIn(Port(0), kCoach, kTestPassword);
  const HttpReply about = SendHttp(Port(1), Get(coach, "/api/v1/session"));
  ASSERT_EQ(about.status, 200) << "the second server does not know the session: "
                               << Describe(about);

  // Twenty people registered and twenty measurements of one record posted at the same
  // moment, alternating between the servers.
  const HttpReply first =
      SendHttp(Port(0), JsonPost(coach, fmt::format("/api/v1/forbund/{}/deltagare", kForbund),
                                 json::serialize(json::object{{"insats", kInsats},
                                                              {"samtycke", "ja"},
                                                              {"deltagare", "TVA-SERVRAR-00"},
                                                              {"kon", "man"},
                                                              {"fodelsear", 1985},
                                                              {"startdatum", "2024-01-02"},
                                                              {"kommun", "eksjo"}})));
  ASSERT_EQ(first.status, 201) << Describe(first);
  const std::int64_t record = json::parse(first.body).at("id").to_number<std::int64_t>();
  const std::string record_path = fmt::format("/api/v1/forbund/{}/deltagare/{}", kForbund, record);

  constexpr int kEach = 20;
  std::latch ready(2 * kEach);
  std::vector<HttpReply> registered(kEach), measured(kEach);
  std::vector<std::thread> threads;
  for (int i = 0; i < kEach; ++i) {
    threads.emplace_back([&, i] {
      HttpConnection connection(Port(i % 2), seconds(30));
      ready.arrive_and_wait();
      registered[i] = connection.Exchange(JsonPost(
          coach, fmt::format("/api/v1/forbund/{}/deltagare", kForbund),
          json::serialize(json::object{{"insats", kInsats},
                                       {"samtycke", "ja"},
                                       {"deltagare", fmt::format("TVA-SERVRAR-{:02}", i + 1)},
                                       {"kon", i % 3 == 0 ? "kvinna" : "man"},
                                       {"fodelsear", 1980 + i},
                                       {"startdatum", "2024-02-01"},
                                       {"kommun", "eksjo"}})));
    });
    threads.emplace_back([&, i] {
      HttpConnection connection(Port((i + 1) % 2), seconds(30));
      ready.arrive_and_wait();
      measured[i] = connection.Exchange(JsonPost(
          coach, record_path + "/matningar",
          json::serialize(json::object{
              {"datum", fmt::format("2024-03-{:02}", i + 1)}, {"matt", "halsa"}, {"varde", i}})));
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::set<std::int64_t> ids;
  for (int i = 0; i < kEach; ++i) {
    ASSERT_EQ(registered[i].status, 201) << "registration " << i << ": " << Describe(registered[i]);
    ids.insert(json::parse(registered[i].body).at("id").to_number<std::int64_t>());
    EXPECT_EQ(measured[i].status / 100, 2) << "measurement " << i << ": " << Describe(measured[i]);
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kEach)) << "every registration got its own id";

  // Each server shows every measurement, whichever server took it.
  for (int server : {0, 1}) {
    const HttpReply shown = SendHttp(Port(server), Get(coach, record_path));
    ASSERT_EQ(shown.status, 200) << Describe(shown);
    std::map<std::string, std::int64_t> halsa;
    const json::value shown_record = json::parse(shown.body);
    for (const json::value& item : shown_record.at("matningar").as_array()) {
      if (item.at("matt").as_string() == "halsa") {
        halsa[std::string(item.at("datum").as_string())] =
            item.at("varde").to_number<std::int64_t>();
      }
    }
    EXPECT_EQ(halsa.size(), static_cast<std::size_t>(kEach)) << "on server " << server;
    for (int i = 0; i < kEach; ++i) {
      EXPECT_EQ(halsa[fmt::format("2024-03-{:02}", i + 1)], i) << "on server " << server;
    }
  }

  // The chain both servers appended to, checked while they still run and after.
  const CommandResult running = Run({"audit", "verify"});
  EXPECT_EQ(running.exit_code, 0) << running.out << running.err;
  servers_[0].reset();
  servers_[1].reset();
  const CommandResult stopped = Run({"audit", "verify"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.out << stopped.err;
}

TEST_P(TwoServers, FailedSignInsCountAcrossBothServers) {
  // Five wrong passwords, alternating between the servers, throttle the account on both.
  for (int i = 0; i < 5; ++i) {
    HttpRequest wrong;
    wrong.method = "POST";
    wrong.target = "/logga-in";
    wrong.headers["Content-Type"] = "application/x-www-form-urlencoded";
    wrong.body = FormBody({{"namn", kCoach}, {"losenord", "fel-losenord-" + std::to_string(i)}});
    EXPECT_EQ(SendHttp(Port(i % 2), wrong).status, 401) << "attempt " << i;
  }
  for (int server : {0, 1}) {
    HttpRequest right;
    right.method = "POST";
    right.target = "/logga-in";
    right.headers["Content-Type"] = "application/x-www-form-urlencoded";
    right.body = FormBody({{"namn", kCoach}, {"losenord", kTestPassword}});
    EXPECT_EQ(SendHttp(Port(server), right).status, 429)
        << "server " << server << " lets the throttled account in";
  }
}

INSTANTIATE_TEST_SUITE_P(Databases, TwoServers,
                         ::testing::Values(Database::kSqlite, Database::kPostgres), NameOf);

}  // namespace
}  // namespace stegvis::testing
