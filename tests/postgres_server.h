// A real PostgreSQL server for the tests, started by the tests themselves from the Debian
// packages' binaries (/usr/lib/postgresql/<version>/bin), in a fresh folder, listening on
// 127.0.0.1 only, with trust authentication and, for the tests, without durability (fsync
// off): a throwaway. The benchmarks start theirs durable, as PostgreSQL runs by default. CTest
// starts one for its whole run (the postgres_start and postgres_stop fixture tests run
// tests/postgres_server_main.cc) and names its folder in STEGVIS_TEST_POSTGRES, since every gtest
// case runs in a process of its own; run alone, the test binary starts one for itself and stops it
// at exit.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

namespace stegvis::testing {

class PostgresServer {
 public:
  // Whether a commit waits for the disk.
  enum class Durability {
    // fsync, synchronous_commit and full_page_writes off: fast, and lost with the machine.
    kThrowaway,
    // PostgreSQL's defaults (fsync, synchronous_commit and full_page_writes on): a commit
    // returns once its WAL is flushed to the disk, as in production.
    kDurable,
  };

  // Initialises a new cluster in a fresh folder under $TMPDIR (or /tmp) and starts it on a
  // free port; as root, the server runs as the user nobody (PostgreSQL refuses root).
  // Throws std::runtime_error, with the server's log, when it cannot.
  static std::unique_ptr<PostgresServer> Start(Durability durability = Durability::kThrowaway);

  // Stops the server whose folder is `folder` (at once, without a checkpoint) and removes
  // the folder with everything in it.
  static void Stop(const std::filesystem::path& folder);

  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  // Stops the server and removes its folder, unless Detach() was called.
  ~PostgresServer();

  // key=value pairs naming the server's test database, e.g.
  // "host=127.0.0.1 port=40123 user=stegvis dbname=stegvis_test".
  const std::string& conninfo() const { return conninfo_; }
  const std::filesystem::path& folder() const { return folder_; }
  // Leaves the server running after this object is gone (for the CTest fixture).
  void Detach() { detached_ = true; }
  // How long creating the test database took (CREATE DATABASE ... TEMPLATE template0).
  std::chrono::milliseconds create_database_time() const { return create_database_time_; }

 private:
  PostgresServer(std::filesystem::path folder, std::string conninfo)
      : folder_(std::move(folder)), conninfo_(std::move(conninfo)) {}
  std::filesystem::path folder_;
  std::string conninfo_;
  bool detached_ = false;
  std::chrono::milliseconds create_database_time_{0};
};

// The conninfo of the tests' server: the one whose folder STEGVIS_TEST_POSTGRES names (read
// from the file "conninfo" there), else one started at the first call for this process.
// Throws std::runtime_error when there is none.
const std::string& TestPostgresConninfo();

// A conninfo for a database of its own for `folder` (a test's TempDir): the same for the
// same folder, another for another folder. Each is a schema of the test database, created
// at the first call; see the .cc file for why a schema rather than a database.
std::string PostgresConninfoFor(const std::filesystem::path& folder);

// A new, empty database of its own on the tests' server, as the postgresql:// URL that
// `stegvis --db` takes: for tests of whole programs (several servers, pg_dump and
// pg_restore) that need a database rather than a schema.
std::string NewPostgresDatabaseUrl();

}  // namespace stegvis::testing
