// The CTest fixture around the whole test run: `stegvis_test_postgres start FOLDER` starts
// one PostgreSQL server for every test process and writes its conninfo to FOLDER/conninfo
// (the tests find FOLDER in STEGVIS_TEST_POSTGRES); `stegvis_test_postgres stop FOLDER`
// stops it and removes its data.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "postgres_server.h"

namespace {

namespace fs = std::filesystem;

// Stops the server FOLDER names (in FOLDER/server), if any, and forgets it.
void StopShared(const fs::path& shared) {
  std::ifstream in(shared / "server");
  std::string server_folder;
  if (in && std::getline(in, server_folder) && !server_folder.empty()) {
    stegvis::testing::PostgresServer::Stop(server_folder);
  }
  std::error_code ignored;
  fs::remove(shared / "conninfo", ignored);
  fs::remove(shared / "server", ignored);
}

void WriteAtomically(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.string() + ".tmp";
  std::ofstream(temporary) << text << "\n";
  fs::rename(temporary, path);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string usage = "usage: stegvis_test_postgres start|stop FOLDER";
  if (argc != 3) {
    std::cerr << usage << "\n";
    return 2;
  }
  const std::string command = argv[1];
  const fs::path shared = argv[2];
  try {
    if (command == "start") {
      StopShared(shared);  // A server left behind by an interrupted run.
      fs::create_directories(shared);
      auto server = stegvis::testing::PostgresServer::Start();
      WriteAtomically(shared / "server", server->folder().string());
      WriteAtomically(shared / "conninfo", server->conninfo());
      server->Detach();
      std::cout << "PostgreSQL for the tests: " << server->conninfo() << " in "
                << server->folder().string() << "; CREATE DATABASE took "
                << server->create_database_time().count() << " ms\n";
      return 0;
    }
    if (command == "stop") {
      StopShared(shared);
      return 0;
    }
  } catch (const std::exception& error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
  std::cerr << usage << "\n";
  return 2;
}
