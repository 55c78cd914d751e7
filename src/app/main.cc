// The composition root: builds the real implementations and hands them to the CLI. The
// only place that names a storage backend.
#include <chrono>
#include <iostream>

#include "cli/cli.h"
#include "store/sqlite/sqlite_store.h"

int main(int argc, char** argv) {
  using stegvis::store::sqlite::SqliteStore;
  stegvis::cli::Environment environment{
      [](const std::string& path, stegvis::cli::StoreMode mode)
          -> stegvis::util::Result<std::unique_ptr<stegvis::store::Store>> {
        auto store = SqliteStore::Open(path, mode == stegvis::cli::StoreMode::kCreateIfMissing
                                                 ? SqliteStore::OpenMode::kCreateIfMissing
                                                 : SqliteStore::OpenMode::kMustExist);
        if (!store) return tl::unexpected(store.error());
        return std::unique_ptr<stegvis::store::Store>(std::move(*store));
      },
      [] {
        const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
        const std::chrono::year_month_day ymd{today};
        return *stegvis::util::Date::FromYmd(static_cast<int>(ymd.year()),
                                             static_cast<unsigned>(ymd.month()),
                                             static_cast<unsigned>(ymd.day()));
      },
      [] {
        return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
      },
      std::cin,
      std::cout,
      std::cerr};
  return stegvis::cli::Run(argc, argv, environment);
}
