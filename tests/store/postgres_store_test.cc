// What only the PostgreSQL store has to show (the shared behaviour is the store contract in
// store_contract_*_test.cc): a schema newer than the program is refused, and a pooled
// connection the server has ended serves again from the next unit of work, and a writer kept
// waiting past the lock timeout hears that the database is busy. Needs the
// tests' PostgreSQL server (tests/postgres_server.h).
#include <libpq-fe.h>

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "postgres_server.h"
#include "store/postgres/postgres_store.h"
#include "store/unit_of_work.h"
#include "test_support.h"

namespace stegvis::store::postgres {
namespace {

// Runs `sql` on its own connection to `conninfo`; returns the server's error, if any.
std::string Execute(const std::string& conninfo, const std::string& sql) {
  PGconn* connection = PQconnectdb(conninfo.c_str());
  std::string error = PQstatus(connection) == CONNECTION_OK ? "" : PQerrorMessage(connection);
  if (error.empty()) {
    PGresult* result = PQexec(connection, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(result);
    }
    PQclear(result);
  }
  PQfinish(connection);
  return error;
}

TEST(PostgresStore, RefusesASchemaNewerThanItKnows) {
  testing::TempDir folder;
  const std::string conninfo = testing::PostgresConninfoFor(folder.path());
  ASSERT_TRUE(PostgresStore::Open(conninfo));
  ASSERT_EQ(Execute(conninfo, "INSERT INTO schema_migrations VALUES (99, 'framtiden')"), "");
  auto reopened = PostgresStore::Open(conninfo);
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, util::Code::kFailedPrecondition);
  EXPECT_NE(reopened.error().text.english.find("upgrade stegvis"), std::string::npos)
      << reopened.error().Render(util::Language::kEnglish);
}

TEST(PostgresStore, APooledConnectionTheServerEndedServesAgainFromTheNextUnitOfWork) {
  testing::TempDir folder;
  // Named, so that this test ends its own connections only (the server is shared).
  const std::string name = "stegvis_reconnect_" + std::to_string(::getpid());
  const std::string conninfo =
      testing::PostgresConninfoFor(folder.path()) + " application_name=" + name;
  StorePool pool(PostgresStore::PoolOpener(conninfo));
  {
    auto work = pool.Begin(TransactionMode::kWrite);
    ASSERT_TRUE(work) << work.error().Render();
    ASSERT_TRUE((*work)->PutSetting("före", "1"));
    ASSERT_TRUE(work->Commit());
  }
  auto work = pool.Begin(TransactionMode::kWrite);
  ASSERT_TRUE(work) << work.error().Render();
  ASSERT_EQ(Execute(conninfo,
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                    "application_name = '" +
                        name + "' AND pid <> pg_backend_pid()"),
            "");
  // Inside the transaction the loss is reported, never papered over.
  auto lost = (*work)->PutSetting("under", "1");
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, util::Code::kUnavailable) << lost.error().Render();
  // A later write of the same unit of work does not reconnect and commit on its own.
  auto later = (*work)->PutSetting("senare", "1");
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().code, util::Code::kUnavailable) << later.error().Render();
  EXPECT_FALSE(work->Commit());

  auto again = pool.Begin(TransactionMode::kWrite);
  ASSERT_TRUE(again) << again.error().Render();
  EXPECT_EQ(*(*again)->Setting("före"), std::optional<std::string>("1"));
  EXPECT_EQ(*(*again)->Setting("under"), std::nullopt);
  EXPECT_EQ(*(*again)->Setting("senare"), std::nullopt);
  ASSERT_TRUE((*again)->PutSetting("efter", "1"));
  ASSERT_TRUE(again->Commit());
}

TEST(PostgresStore, AWriterThatWaitsPastTheLockTimeoutIsToldTheDatabaseIsBusy) {
  testing::TempDir folder;
  const std::string conninfo = testing::PostgresConninfoFor(folder.path());
  ASSERT_TRUE(PostgresStore::Open(conninfo));
  auto holder = Connection::Open(conninfo);
  auto waiter = Connection::Open(conninfo);
  ASSERT_TRUE(holder && waiter);
  ASSERT_TRUE(holder->Execute("BEGIN; " + holder->WriteLockSql()));
  // Shorter than the store's own minute, for the test.
  ASSERT_TRUE(waiter->Execute("SET lock_timeout = 100"));
  const util::Status written = InTransaction(*waiter, [] { return util::Ok(); });
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, util::Code::kUnavailable);
  EXPECT_NE(written.error().text.swedish.find("upptagen"), std::string::npos)
      << written.error().Render();
  // The waiter's connection is clean again: once the lock is free, it writes.
  EXPECT_FALSE(waiter->InTransaction());
  ASSERT_TRUE(holder->Commit());
  EXPECT_TRUE(InTransaction(*waiter, [] { return util::Ok(); }));
}

}  // namespace
}  // namespace stegvis::store::postgres
