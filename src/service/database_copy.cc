#include "service/database_copy.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "privacy/database_key.h"

namespace stegvis::service {

namespace {

using util::Code;
using util::Fail;
using util::Result;
using util::Status;

// A table's content as a count and a digest over its rows in key order.
class TableDigest {
 public:
  TableDigest() { crypto_generichash_init(&state_, nullptr, 0, kBytes); }

  // Every value is written with a type tag and, for text, its length, so that no two
  // different rows (or splits of text between columns) give the same bytes.
  void Add(const store::Row& row) {
    ++rows_;
    for (const store::Value& value : row) {
      if (std::holds_alternative<std::monostate>(value)) {
        Update("N", 1);
      } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        Update("I", 1);
        UpdateNumber(static_cast<std::uint64_t>(*integer));
      } else if (const auto* real = std::get_if<double>(&value)) {
        Update("R", 1);
        UpdateNumber(std::bit_cast<std::uint64_t>(*real));
      } else {
        const auto& text = std::get<std::string>(value);
        Update("T", 1);
        UpdateNumber(text.size());
        Update(text.data(), text.size());
      }
    }
  }

  std::int64_t rows() const { return rows_; }

  std::array<unsigned char, crypto_generichash_BYTES> Final() {
    std::array<unsigned char, kBytes> digest{};
    crypto_generichash_final(&state_, digest.data(), digest.size());
    return digest;
  }

 private:
  static constexpr std::size_t kBytes = crypto_generichash_BYTES;

  void Update(const char* bytes, std::size_t size) {
    crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(bytes), size);
  }
  // Little-endian, whatever the machine.
  void UpdateNumber(std::uint64_t number) {
    std::array<char, 8> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      bytes[i] = static_cast<char>((number >> (8 * i)) & 0xff);
    }
    Update(bytes.data(), bytes.size());
  }

  crypto_generichash_state state_{};
  std::int64_t rows_ = 0;
};

// Rolls back a transaction that was begun unless it was committed.
class OpenTransaction {
 public:
  explicit OpenTransaction(store::Store& store) : store_(&store) {}
  OpenTransaction(const OpenTransaction&) = delete;
  OpenTransaction& operator=(const OpenTransaction&) = delete;
  ~OpenTransaction() {
    if (store_ != nullptr) store_->Rollback();
  }
  // A failed commit is rolled back: nothing of the transaction stays.
  Status Commit() {
    store::Store* store = std::exchange(store_, nullptr);
    Status committed = store->Commit();
    if (!committed) store->Rollback();
    return committed;
  }

 private:
  store::Store* store_;
};

util::Error TargetNotEmpty(std::string_view table) {
  return util::Error{
      Code::kFailedPrecondition, fmt::format("mål: {}", table),
      util::Text{"måldatabasen är inte tom; stegvis copy kopierar bara till en ny, tom "
                 "databas (ange en fil som inte finns)",
                 "the target database is not empty; stegvis copy copies only to a new, empty "
                 "database (give a file that does not exist)"}};
}

// Fails with TargetNotEmpty when `to` holds anything of any copied table.
Status CheckEmpty(store::Store& to) {
  STEGVIS_ASSIGN_OR_RETURN(const bool has_data, to.HasData());
  if (has_data) return Fail(TargetNotEmpty("forbund"));
  for (const store::Table& table : store::CopiedTables()) {
    bool found = false;
    // The first row stops the export: a failure is the only way to stop it early.
    const Status exported = to.ExportRows(table, [&found](const store::Row&) -> Status {
      found = true;
      return Fail(Code::kAlreadyExists, "", "", "");
    });
    if (found) return Fail(TargetNotEmpty(table.name));
    STEGVIS_TRY(exported);
  }
  return util::Ok();
}

// Streams one table from `from` to `to` in batches; returns the source's digest of it.
Result<TableDigest> CopyTable(store::Store& from, store::Store& to, const store::Table& table,
                              const CopyProgress& progress) {
  TableDigest digest;
  std::vector<store::Row> batch;
  batch.reserve(kCopyBatchRows);
  auto flush = [&]() -> Status {
    if (batch.empty()) return util::Ok();
    const Status imported = to.ImportRows(table, batch);
    if (!imported) return Fail(imported.error().Within(fmt::format("mål: {}", table.name)));
    batch.clear();
    if (progress) progress(table.name, digest.rows());
    return util::Ok();
  };
  STEGVIS_TRY(from.ExportRows(table, [&](const store::Row& row) -> Status {
    digest.Add(row);
    batch.push_back(row);
    if (batch.size() == kCopyBatchRows) return flush();
    return util::Ok();
  }));
  STEGVIS_TRY(flush());
  return digest;
}

// Reads `table` back from `to` and compares it with the source's count and digest.
Status VerifyTable(store::Store& to, const store::Table& table, TableDigest& source) {
  TableDigest target;
  STEGVIS_TRY(to.ExportRows(table, [&target](const store::Row& row) -> Status {
    target.Add(row);
    return util::Ok();
  }));
  const std::int64_t source_rows = source.rows();
  const std::int64_t target_rows = target.rows();
  if (source_rows != target_rows) {
    return Fail(Code::kInternal, fmt::format("mål: {}", table.name),
                fmt::format("kopian stämmer inte med källan: {} rader i källan, {} i målet; "
                            "inget har sparats i målet",
                            source_rows, target_rows),
                fmt::format("the copy does not match the source: {} rows in the source, {} in "
                            "the target; nothing was saved in the target",
                            source_rows, target_rows));
  }
  if (source.Final() != target.Final()) {
    return Fail(Code::kInternal, fmt::format("mål: {}", table.name),
                "kopian stämmer inte med källan: lika många rader men annat innehåll; inget "
                "har sparats i målet",
                "the copy does not match the source: as many rows but other content; nothing "
                "was saved in the target");
  }
  return util::Ok();
}

Result<std::optional<std::string>> ReadOptionalFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return std::optional<std::string>();
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    return Fail(Code::kUnavailable, path, "filen kan inte läsas", "the file cannot be read");
  }
  return std::optional<std::string>(
      std::string(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()));
}

// Writes a file that must not exist yet, readable by its owner only, and syncs it.
Status WriteNewFile(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Fail(Code::kFailedPrecondition, path, "filen finns redan", "the file already exists");
    }
    return Fail(Code::kUnavailable, path, "filen kan inte skapas", "the file cannot be created");
  }
  const bool written =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());
    return Fail(Code::kUnavailable, path, "filen kan inte skrivas", "the file cannot be written");
  }
  return util::Ok();
}

bool SameFile(const std::string& left, const std::string& right) {
  if (left == right) return true;
  std::error_code error;
  return std::filesystem::equivalent(left, right, error) && !error;
}

}  // namespace

Result<CopySummary> CopyDatabase(store::Store& from, store::Store& to,
                                 const CopyProgress& progress) {
  if (sodium_init() < 0) {
    return Fail(Code::kInternal, "libsodium", "kan inte starta libsodium",
                "cannot start libsodium");
  }
  STEGVIS_TRY(from.Begin(store::TransactionMode::kRead));
  OpenTransaction reading(from);
  STEGVIS_TRY(to.Begin(store::TransactionMode::kWrite));
  OpenTransaction writing(to);
  STEGVIS_TRY(CheckEmpty(to));

  // Only a count and a digest per table stay in memory, never the rows.
  std::vector<TableDigest> digests;
  CopySummary summary;
  for (const store::Table& table : store::CopiedTables()) {
    STEGVIS_ASSIGN_OR_RETURN(TableDigest digest, CopyTable(from, to, table, progress));
    summary.tables.push_back({std::string(table.name), digest.rows()});
    summary.rows += digest.rows();
    digests.push_back(digest);
  }
  // Verified inside the write transaction, before the commit: what the target reads back is
  // what it will commit, and a mismatch leaves it as empty as it was.
  std::size_t index = 0;
  for (const store::Table& table : store::CopiedTables()) {
    STEGVIS_TRY(VerifyTable(to, table, digests[index++]));
  }
  STEGVIS_TRY(writing.Commit());
  return summary;
}

Status CheckDatabaseKey(store::Store& store, const privacy::Key& key) {
  STEGVIS_ASSIGN_OR_RETURN(const std::optional<std::string> stored,
                           store.Setting(kKeyFingerprintSetting));
  if (!stored) {
    return Fail(Code::kFailedPrecondition, "nyckel",
                "databasen är inte bunden till någon nyckel än; öppna den en gång med sin "
                "nyckel (t.ex. stegvis audit verify) och försök igen",
                "the database is not bound to a key yet; open it once with its key (e.g. "
                "stegvis audit verify) and try again");
  }
  if (*stored != privacy::Fingerprint(key)) {
    return Fail(Code::kFailedPrecondition, "nyckel",
                "nyckelfilen hör inte till källdatabasen (fel fingeravtryck); ange källans "
                "egen nyckelfil med --key",
                "the key file does not belong to the source database (wrong fingerprint); give "
                "the source's own key file with --key");
  }
  return util::Ok();
}

Result<CopyFiles> CopyFiles::Prepare(const Configuration& from, const Configuration& to,
                                     store::Store& source) {
  if (SameFile(from.database, to.database)) {
    return Fail(Code::kInvalidArgument, "--to", "målet är samma databas som källan",
                "the target is the same database as the source");
  }
  const std::string from_key_file = from.KeyFile();
  const std::string to_key_file = to.KeyFile();
  if (SameFile(from_key_file, to_key_file)) {
    // The audit head noted beside a key belongs to one database.
    return Fail(Code::kFailedPrecondition, to_key_file,
                "kopian behöver en egen nyckelfil bredvid vilken dess granskningslogg noteras; "
                "ange en annan sökväg med --to-key",
                "the copy needs a key file of its own, beside which its audit log is noted; "
                "give another path with --to-key");
  }
  STEGVIS_ASSIGN_OR_RETURN(const privacy::Key key, privacy::ReadKeyFile(from_key_file));
  STEGVIS_TRY(CheckDatabaseKey(source, key));

  std::error_code error;
  const bool key_exists = std::filesystem::exists(to_key_file, error);
  if (key_exists) {
    STEGVIS_ASSIGN_OR_RETURN(const privacy::Key existing, privacy::ReadKeyFile(to_key_file));
    if (sodium_memcmp(existing.data(), key.data(), key.size()) != 0) {
      return Fail(Code::kFailedPrecondition, to_key_file,
                  "målets nyckelfil finns redan och innehåller en annan nyckel än källans; "
                  "kopian fungerar bara med källans nyckel. Ange en annan sökväg med --to-key",
                  "the target's key file already exists and holds another key than the "
                  "source's; the copy works with the source's key only. Give another path with "
                  "--to-key");
    }
  }
  if (std::filesystem::exists(to.AuditHeadFile(), error)) {
    return Fail(Code::kFailedPrecondition, to.AuditHeadFile(),
                "en granskningslogg har redan noterats bredvid målets nyckelfil: den hör till "
                "en annan databas. Ange en annan sökväg med --to-key",
                "an audit log has already been noted beside the target's key file: it belongs "
                "to another database. Give another path with --to-key");
  }
  // The head is read before the source's snapshot is taken (by CopyDatabase), so that it
  // can only be older than the copied chain, never newer: verify accepts a chain that runs
  // past its noted head.
  STEGVIS_ASSIGN_OR_RETURN(const std::optional<std::string> head,
                           ReadOptionalFile(from.AuditHeadFile()));

  CopyFiles files;
  if (!key_exists) {
    STEGVIS_TRY(WriteNewFile(
        to_key_file, std::string_view(reinterpret_cast<const char*>(key.data()), key.size())));
    files.created_.push_back(to_key_file);
  }
  if (head) {
    if (Status written = WriteNewFile(to.AuditHeadFile(), *head); !written) {
      files.RemoveCreated();
      return Fail(written.error());
    }
    files.created_.push_back(to.AuditHeadFile());
  }
  return files;
}

void CopyFiles::RemoveCreated() {
  for (const std::string& path : created_) ::unlink(path.c_str());
  created_.clear();
}

}  // namespace stegvis::service
