// The configuration file: one place for an installation's database, key, pool and server, so
// that every command and server process uses the same; the command line wins over it, and a
// wrong file is refused with its line and key named.
#include <fstream>

#include <gtest/gtest.h>

#include "cli/config_file.h"
#include "test_support.h"

namespace stegvis {
namespace {

using testing::RunStegvis;
using testing::TempDir;

std::string Write(const TempDir& folder, const std::string& name, const std::string& text) {
  const std::string path = (folder / name).string();
  std::ofstream(path) << text;
  return path;
}

TEST(ConfigFile, ReadsTheDatabaseKeyPoolAndServer) {
  TempDir folder;
  const std::string path = Write(folder, "stegvis.toml", R"toml(
# An installation on PostgreSQL.
[database]
url = "postgresql://stegvis@127.0.0.1:5432/stegvis"
key_file = "/etc/stegvis/stegvis.key"
pool_size = 16

[server]
listen = "0.0.0.0:8081"
threads = 8
)toml");
  auto config = cli::ReadConfigFile(path);
  ASSERT_TRUE(config) << config.error().Render();
  EXPECT_EQ(config->database, "postgresql://stegvis@127.0.0.1:5432/stegvis");
  EXPECT_EQ(config->key_file, "/etc/stegvis/stegvis.key");
  EXPECT_EQ(config->pool_size, 16u);
  EXPECT_EQ(config->listen, "0.0.0.0:8081");
  EXPECT_EQ(config->threads, 8);
}

TEST(ConfigFile, NamesTheLineAndKeyOfAWrongOrUnknownSetting) {
  TempDir folder;
  struct Case {
    std::string text;
    std::string place;
    std::string message;
  };
  for (const Case& wrong : std::vector<Case>{
           {"[database]\nurl = \"x.db\"\npool_size = 0\n", ":3", "database.pool_size"},
           {"[database]\nurl = 5\n", ":2", "database.url: ska vara en text"},
           {"[database]\nurl = \"x.db\"\nkeyfile = \"k\"\n", ":3", "database.keyfile: okänd"},
           {"[servr]\nthreads = 2\n", ":1", "servr: okänd del"},
           {"[database\nurl = \"x\"\n", ":1", "ogiltig TOML"}}) {
    SCOPED_TRACE(wrong.text);
    const std::string path = Write(folder, "wrong.toml", wrong.text);
    auto config = cli::ReadConfigFile(path);
    ASSERT_FALSE(config);
    EXPECT_EQ(config.error().code, util::Code::kInvalidArgument);
    const std::string rendered = config.error().Render();
    EXPECT_NE(rendered.find("wrong.toml" + wrong.place), std::string::npos) << rendered;
    EXPECT_NE(rendered.find(wrong.message), std::string::npos) << rendered;
  }
  EXPECT_EQ(cli::ReadConfigFile((folder / "saknas.toml").string()).error().code,
            util::Code::kNotFound);
}

TEST(ConfigFile, EveryCommandTakesTheDatabaseFromItAndTheCommandLineWins) {
  TempDir folder;
  const std::string db = (folder / "forbund.db").string();
  const std::string key = (folder / "nycklar" / "forbund.key").string();
  std::filesystem::create_directories(folder / "nycklar");
  const std::string config = Write(
      folder, "stegvis.toml", "[database]\nurl = \"" + db + "\"\nkey_file = \"" + key + "\"\n");
  const auto init = RunStegvis({"init", "--config", config});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_TRUE(std::filesystem::exists(db));
  EXPECT_TRUE(std::filesystem::exists(key));  // The configured key, not one beside the file.
  EXPECT_FALSE(std::filesystem::exists(db + ".key"));
  const auto verified = RunStegvis({"audit", "verify", "--config", config});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  // --db on the command line wins: another database, which does not exist.
  const auto other =
      RunStegvis({"audit", "verify", "--config", config, "--db", (folder / "annan.db").string()});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("annan.db"), std::string::npos) << other.err;
  // Without --db and without a configuration: a usage error that says what to give.
  const auto missing = RunStegvis({"audit", "verify"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--db"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace stegvis
