#include "cli/config_file.h"

#include <fstream>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace stegvis::cli {

namespace {

util::Error Wrong(const std::string& path, const toml::source_region& where, std::string_view key,
                  std::string_view sv, std::string_view en) {
  return util::Error{util::Code::kInvalidArgument, fmt::format("{}:{}", path, where.begin.line),
                     util::Text{fmt::format("{}: {}", key, sv), fmt::format("{}: {}", key, en)}};
}

// The text of `node`, or an error naming it.
util::Result<std::string> TextOf(const std::string& path, const toml::node& node,
                                 std::string_view key) {
  if (const auto* text = node.as_string(); text != nullptr && !text->get().empty()) {
    return text->get();
  }
  return util::Fail(Wrong(path, node.source(), key, "ska vara en text inom citattecken",
                          "must be a quoted text"));
}

util::Result<std::int64_t> NumberOf(const std::string& path, const toml::node& node,
                                    std::string_view key, std::int64_t low, std::int64_t high) {
  if (const auto* number = node.as_integer();
      number != nullptr && number->get() >= low && number->get() <= high) {
    return number->get();
  }
  return util::Fail(Wrong(path, node.source(), key,
                          fmt::format("ska vara ett heltal från {} till {}", low, high),
                          fmt::format("must be a whole number from {} to {}", low, high)));
}

}  // namespace

util::Result<ConfigFile> ReadConfigFile(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    return util::Fail(util::Code::kNotFound, path, "konfigurationsfilen kan inte läsas",
                      "the configuration file cannot be read");
  }
  toml::table root;
  try {
    root = toml::parse(stream, path);
  } catch (const toml::parse_error& error) {
    return util::Fail(
        util::Code::kInvalidArgument,
        fmt::format("{}:{}:{}", path, error.source().begin.line, error.source().begin.column),
        fmt::format("ogiltig TOML: {}", error.description()),
        fmt::format("invalid TOML: {}", error.description()));
  }
  ConfigFile config;
  for (const auto& [section_key, section] : root) {
    const std::string section_name(section_key.str());
    const toml::table* table = section.as_table();
    if (table == nullptr || (section_name != "database" && section_name != "server")) {
      return util::Fail(Wrong(path, section.source(), section_name,
                              "okänd del; filen har bara [database] och [server]",
                              "unknown section; the file has only [database] and [server]"));
    }
    for (const auto& [item_key, node] : *table) {
      const std::string key = section_name + "." + std::string(item_key.str());
      if (key == "database.url") {
        STEGVIS_ASSIGN_OR_RETURN(config.database, TextOf(path, node, key));
      } else if (key == "database.key_file") {
        STEGVIS_ASSIGN_OR_RETURN(config.key_file, TextOf(path, node, key));
      } else if (key == "database.pool_size") {
        STEGVIS_ASSIGN_OR_RETURN(std::int64_t size, NumberOf(path, node, key, 1, 1000));
        config.pool_size = static_cast<std::size_t>(size);
      } else if (key == "server.listen") {
        STEGVIS_ASSIGN_OR_RETURN(config.listen, TextOf(path, node, key));
      } else if (key == "server.threads") {
        STEGVIS_ASSIGN_OR_RETURN(std::int64_t threads, NumberOf(path, node, key, 1, 64));
        config.threads = static_cast<int>(threads);
      } else {
        return util::Fail(Wrong(path, node.source(), key, "okänd inställning", "unknown setting"));
      }
    }
  }
  return config;
}

}  // namespace stegvis::cli
