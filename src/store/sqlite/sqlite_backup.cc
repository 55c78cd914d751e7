#include "store/sqlite/sqlite_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include <fmt/format.h>

namespace stegvis::store::sqlite {

namespace {

using util::Code;
using util::Fail;

// Pages copied per step (4 MB at SQLite's default page size): small enough that a step is
// quick, large enough that a big database is not copied in a million calls.
constexpr int kPagesPerStep = 1024;
// How long the copy waits for a lock it cannot get at once (a checkpoint, a recovery).
constexpr int kBusyTimeoutMs = 60'000;

constexpr const char* kSideFiles[] = {"-journal", "-wal", "-shm"};

// A connection opened here and closed when it goes out of scope.
class Handle {
 public:
  Handle() = default;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { Close(); }
  void Close() {
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
  sqlite3** out() { return &db_; }
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

bool Exists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

// The error of the last call on `db`, for the file at `path`.
util::Error ErrorOf(sqlite3* db, const std::string& path) {
  const int code = db == nullptr ? SQLITE_NOMEM : sqlite3_errcode(db) & 0xff;
  const std::string message = db == nullptr ? "out of memory" : sqlite3_errmsg(db);
  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT || code == SQLITE_FORMAT) {
    return util::Error{
        Code::kFailedPrecondition, path,
        util::Text{"filen är ingen hel databasfil (den är skadad, avkortad eller av annat "
                   "slag)",
                   "the file is not a whole database file (it is damaged, truncated or of "
                   "another kind)"}};
  }
  const bool system = code == SQLITE_CANTOPEN || code == SQLITE_IOERR || code == SQLITE_FULL ||
                      code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_PERM ||
                      code == SQLITE_READONLY;
  return util::Error{system ? Code::kUnavailable : Code::kInternal, path,
                     util::Text{fmt::format("databasen kan inte kopieras: {}", message),
                                fmt::format("the database cannot be copied: {}", message)}};
}

util::Status Execute(sqlite3* db, const std::string& path, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Fail(ErrorOf(db, path));
  }
  return util::Ok();
}

// The first column of the first row of `sql`, as text.
util::Result<std::string> Single(sqlite3* db, const std::string& path, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) {
    return Fail(ErrorOf(db, path));
  }
  const int step = sqlite3_step(statement);
  std::string text;
  if (step == SQLITE_ROW) {
    const unsigned char* value = sqlite3_column_text(statement, 0);
    if (value != nullptr) text = reinterpret_cast<const char*>(value);
  }
  sqlite3_finalize(statement);
  if (step != SQLITE_ROW && step != SQLITE_DONE) return Fail(ErrorOf(db, path));
  return text;
}

// Copies page by page from a read transaction on `from_path` into the empty file `to_path`.
util::Status CopyPages(const std::string& from_path, const std::string& to_path) {
  Handle source;
  // Read-only: copying never changes the source, be it a live database or a backup.
  if (sqlite3_open_v2(from_path.c_str(), source.out(), SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return Fail(ErrorOf(source.get(), from_path));
  }
  sqlite3_busy_timeout(source.get(), kBusyTimeoutMs);
  sqlite3_extended_result_codes(source.get(), 1);
  // One read transaction for the whole copy: every step reads the same snapshot, so what
  // others commit meanwhile neither enters the copy nor makes it start over (WAL lets them
  // commit while the snapshot is held).
  STEGVIS_TRY(Execute(source.get(), from_path, "BEGIN"));
  STEGVIS_TRY(Single(source.get(), from_path, "SELECT count(*) FROM sqlite_schema"));

  Handle target;
  if (sqlite3_open_v2(to_path.c_str(), target.out(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return Fail(ErrorOf(target.get(), to_path));
  }
  sqlite3_busy_timeout(target.get(), kBusyTimeoutMs);
  sqlite3_backup* backup = sqlite3_backup_init(target.get(), "main", source.get(), "main");
  if (backup == nullptr) return Fail(ErrorOf(target.get(), to_path));
  int step = SQLITE_OK;
  while (step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED) {
    if (step != SQLITE_OK) sqlite3_sleep(10);
    step = sqlite3_backup_step(backup, kPagesPerStep);
  }
  // A failed step leaves its error on the target connection; name the source when the
  // source was what could not be read.
  const int source_code = sqlite3_errcode(source.get()) & 0xff;
  if (sqlite3_backup_finish(backup) != SQLITE_OK || step != SQLITE_DONE) {
    if (source_code != SQLITE_OK) return Fail(ErrorOf(source.get(), from_path));
    util::Error error = ErrorOf(target.get(), to_path);
    if (error.code == Code::kFailedPrecondition) error.location = from_path;
    return Fail(error);
  }
  (void)Execute(source.get(), from_path, "COMMIT");
  source.Close();
  target.Close();

  // The pages carry the source's journal mode (WAL) in the file header. A backup is a
  // single file: reopened, it is switched to a rollback journal, which takes its -wal and
  // -shm files away again, and the pages are checked on the way.
  Handle copy;
  if (sqlite3_open_v2(to_path.c_str(), copy.out(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return Fail(ErrorOf(copy.get(), to_path));
  }
  sqlite3_busy_timeout(copy.get(), kBusyTimeoutMs);
  STEGVIS_ASSIGN_OR_RETURN(const std::string mode,
                           Single(copy.get(), to_path, "PRAGMA journal_mode = DELETE"));
  if (mode != "delete") {
    return Fail(Code::kInternal, to_path,
                "kopian kunde inte göras till en enda fil (journal " + mode + ")",
                "the copy could not be made a single file (journal " + mode + ")");
  }
  auto check = Single(copy.get(), to_path, "PRAGMA quick_check");
  if (!check || *check != "ok") {
    // Pages that a damaged or truncated source gave as zeros show here.
    return Fail(Code::kFailedPrecondition, from_path,
                "filen är ingen hel databasfil (den är skadad, avkortad eller av annat "
                "slag)",
                "the file is not a whole database file (it is damaged, truncated or of "
                "another kind)");
  }
  return util::Ok();
}

}  // namespace

util::Status BackupTo(const std::string& from_path, const std::string& to_path) {
  if (!Exists(from_path)) {
    return Fail(Code::kNotFound, from_path, "databasfilen finns inte",
                "the database file does not exist");
  }
  for (const char* suffix : kSideFiles) {
    if (Exists(to_path + suffix)) {
      return Fail(Code::kAlreadyExists, to_path + suffix,
                  "filen finns redan; ingenting skrevs över",
                  "the file already exists; nothing "
                  "was overwritten");
    }
  }
  // Created here, exclusively and 0600, before SQLite opens it: SQLite would create it 0644.
  const int fd = ::open(to_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Fail(Code::kAlreadyExists, to_path, "filen finns redan; ingenting skrevs över",
                  "the file already exists; nothing was overwritten");
    }
    return Fail(Code::kUnavailable, to_path, "filen kan inte skapas", "the file cannot be created");
  }
  ::close(fd);
  util::Status copied = CopyPages(from_path, to_path);
  if (!copied) {
    // Nothing half-made is left behind.
    std::remove(to_path.c_str());
    for (const char* suffix : kSideFiles) std::remove((to_path + suffix).c_str());
  }
  return copied;
}

}  // namespace stegvis::store::sqlite
