// The configuration file (TOML) of an installation, so that every command and every server
// process of it uses the same database, key and pool without repeating them:
//
//   [database]
//   url = "postgresql://stegvis@db.example.se/stegvis"   # or the path of a SQLite file
//   key_file = "/etc/stegvis/stegvis.key"
//   pool_size = 16
//   [server]
//   listen = "127.0.0.1:8080"
//   threads = 8
//
// Given with --config FILE (or STEGVIS_CONFIG); what the command line gives wins.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "util/error.h"

namespace stegvis::cli {

struct ConfigFile {
  std::optional<std::string> database;
  std::optional<std::string> key_file;
  std::optional<std::size_t> pool_size;
  std::optional<std::string> listen;
  std::optional<int> threads;
};

// Reads and checks the file; an error names the file, the line and the key and says what is
// expected. An unknown key is an error, so that a misspelt one is not silently ignored.
util::Result<ConfigFile> ReadConfigFile(const std::string& path);

}  // namespace stegvis::cli
