#include "service/database_backup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <vector>

#include "privacy/database_key.h"

namespace stegvis::service {

namespace {

using util::Code;
using util::Fail;

// True when anything, even a dangling link, is at `path`.
bool Exists(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0;
}

// The whole file, or nullopt when there is none; fails when it is there but unreadable.
util::Result<std::optional<std::string>> ReadIfPresent(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return Fail(Code::kUnavailable, path, "filen kan inte läsas", "the file cannot be read");
  }
  std::string text;
  char buffer[4096];
  ssize_t got = 0;
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0) {
    text.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  if (got < 0) {
    return Fail(Code::kUnavailable, path, "filen kan inte läsas", "the file cannot be read");
  }
  return std::optional<std::string>(std::move(text));
}

// Writes `bytes` into the new file `path`, 0600, and flushes it to disk.
util::Status WriteNewFile(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Fail(Code::kAlreadyExists, path, "filen finns redan; ingenting skrevs över",
                  "the file already exists; nothing was overwritten");
    }
    return Fail(Code::kUnavailable, path, "filen kan inte skapas", "the file cannot be created");
  }
  const bool written =
      ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    std::remove(path.c_str());
    return Fail(Code::kUnavailable, path, "filen kan inte skrivas", "the file cannot be written");
  }
  return util::Ok();
}

util::Status RefuseExisting(const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    if (Exists(path)) {
      return Fail(Code::kAlreadyExists, path,
                  "filen finns redan; ingenting skrevs över (välj en ny sökväg eller flytta "
                  "undan den gamla)",
                  "the file already exists; nothing was overwritten (choose a new path or "
                  "move the old one away)");
    }
  }
  return util::Ok();
}

// Removes, on destruction, the files it was told were made here, unless dismissed: what a
// failed backup or restore leaves is nothing.
class MadeHere {
 public:
  MadeHere() = default;
  MadeHere(const MadeHere&) = delete;
  MadeHere& operator=(const MadeHere&) = delete;
  ~MadeHere() {
    if (keep_) return;
    for (const std::string& path : paths_) std::remove(path.c_str());
  }
  // Notes `path` when nothing is there yet, so that only what appears later is removed.
  void NoteIfAbsent(const std::string& path) {
    if (!Exists(path)) paths_.push_back(path);
  }
  void Note(const std::string& path) { paths_.push_back(path); }
  void Keep() { keep_ = true; }

 private:
  std::vector<std::string> paths_;
  bool keep_ = false;
};

std::string_view Bytes(const privacy::Key& key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
}

}  // namespace

Configuration BackupSet(const std::string& file) { return Configuration{file, ""}; }

util::Status BackUpDatabase(const Configuration& database, const std::string& to,
                            const DatabaseCopier& copy) {
  const Configuration target = BackupSet(to);
  STEGVIS_TRY(RefuseExisting({target.database, target.KeyFile(), target.AuditHeadFile()}));
  STEGVIS_ASSIGN_OR_RETURN(const privacy::Key key, privacy::ReadKeyFile(database.KeyFile()));
  // The head first: it is noted after each commit, so the copy taken after it holds at least
  // the entry it names, and the backup verifies.
  STEGVIS_ASSIGN_OR_RETURN(const std::optional<std::string> head,
                           ReadIfPresent(database.AuditHeadFile()));
  MadeHere made;
  STEGVIS_TRY(copy(database.database, target.database));
  made.Note(target.database);
  STEGVIS_TRY(WriteNewFile(target.KeyFile(), Bytes(key)));
  made.Note(target.KeyFile());
  if (head) {
    STEGVIS_TRY(WriteNewFile(target.AuditHeadFile(), *head));
    made.Note(target.AuditHeadFile());
  }
  made.Keep();
  return util::Ok();
}

util::Status RestoreDatabase(const std::string& from, const Configuration& database,
                             const DatabaseCopier& copy,
                             const std::function<util::Status(const Configuration&)>& check) {
  const std::string& path = database.database;
  STEGVIS_TRY(RefuseExisting({path, path + "-wal", path + "-shm", path + "-journal",
                              database.KeyFile(), database.AuditHeadFile()}));
  const Configuration source = BackupSet(from);
  if (!Exists(source.database)) {
    return Fail(Code::kNotFound, source.database, "säkerhetskopian finns inte",
                "the backup does not exist");
  }
  if (!Exists(source.KeyFile())) {
    return Fail(Code::kFailedPrecondition, source.KeyFile(),
                "säkerhetskopians nyckelfil saknas; utan den känns deltagarna inte igen och "
                "granskningsloggen kan inte styrkas. Lägg nyckeln från säkerhetskopian här "
                "(chmod 600) och försök igen",
                "the backup's key file is missing; without it the participants cannot be "
                "recognised and the audit log cannot be vouched for. Put the key from the "
                "backup here (chmod 600) and try again");
  }
  STEGVIS_ASSIGN_OR_RETURN(const privacy::Key key, privacy::ReadKeyFile(source.KeyFile()));
  STEGVIS_ASSIGN_OR_RETURN(const std::optional<std::string> head,
                           ReadIfPresent(source.AuditHeadFile()));

  MadeHere made;
  // What opening the restored database makes beside it goes too when the restore fails.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) made.NoteIfAbsent(path + suffix);
  for (const char* suffix : {".tmp", ".lock"}) {
    made.NoteIfAbsent(database.AuditHeadFile() + suffix);
  }
  STEGVIS_TRY(WriteNewFile(database.KeyFile(), Bytes(key)));
  made.Note(database.KeyFile());
  STEGVIS_TRY(copy(source.database, path));
  made.Note(path);
  if (head) {
    STEGVIS_TRY(WriteNewFile(database.AuditHeadFile(), *head));
    made.Note(database.AuditHeadFile());
  }
  STEGVIS_TRY(check(database));
  made.Keep();
  return util::Ok();
}

}  // namespace stegvis::service
