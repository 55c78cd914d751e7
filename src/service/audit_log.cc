#include "service/audit_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <sodium.h>

#include <array>
#include <filesystem>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "privacy/database_key.h"

namespace stegvis::service {

namespace {

std::string IsoTime(std::int64_t seconds) {
  const std::chrono::sys_seconds time{std::chrono::seconds(seconds)};
  const auto days = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date{days};
  const std::chrono::hh_mm_ss clock{time - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

// A head file's line: "SEQ HASH MAC".
struct HeadLine {
  store::AuditHead head;
  std::string mac;
};

std::optional<HeadLine> ParseHead(const std::string& text) {
  std::istringstream stream(text);
  HeadLine line;
  if (!(stream >> line.head.seq >> line.head.hash >> line.mac) || line.head.seq <= 0) {
    return std::nullopt;
  }
  return line;
}

// What an entry's hash is taken over: its fields and previous_hash, length-prefixed so that
// no two different entries give the same text.
std::string HashedText(const core::AuditEntry& entry) {
  std::string message;
  for (const std::string& field : {entry.previous_hash, std::to_string(entry.seq), entry.at,
                                   entry.actor, entry.action, entry.target, entry.address}) {
    message += std::to_string(field.size()) + ":" + field + ";";
  }
  return message;
}

}  // namespace

std::string AuditLog::UnkeyedHashOf(const core::AuditEntry& entry) {
  const std::string message = HashedText(entry);
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(message.data()),
                     message.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

std::string AuditLog::HashOf(const core::AuditEntry& entry) const {
  return privacy::HmacHex(key_, HashedText(entry));
}

util::Status AuditLog::Record(store::UnitOfWork& work, const Actor& actor, std::string_view action,
                              std::string_view target) const {
  return RecordAll(work, actor, action, {std::string(target)});
}

util::Status AuditLog::RecordAll(store::UnitOfWork& work, const Actor& actor,
                                 std::string_view action,
                                 const std::vector<std::string>& targets) const {
  if (targets.empty()) return util::Ok();
  const std::string at = IsoTime(now_());
  std::vector<core::AuditEntry> entries;
  entries.reserve(targets.size());
  for (const std::string& target : targets) {
    core::AuditEntry entry;
    entry.at = at;
    entry.actor = actor.AuditName();
    entry.action = std::string(action);
    entry.target = target;
    entry.address = actor.address;
    entries.push_back(std::move(entry));
  }
  STEGVIS_ASSIGN_OR_RETURN(
      store::AuditHead head,
      work->AppendAudit(std::move(entries),
                        [this](const core::AuditEntry& entry) { return HashOf(entry); }));
  work.AfterCommit([this, head] { NoteHead(head); });
  return util::Ok();
}

util::Status AuditLog::Rechain(store::UnitOfWork& work) const {
  // The chain as it was made must hold before it is vouched for under the key.
  std::string previous(64, '0');
  std::int64_t after = 0;
  std::int64_t expected = 1;
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(std::vector<core::AuditEntry> batch, work->ListAudit(after, 1000));
    if (batch.empty()) break;
    for (const core::AuditEntry& entry : batch) {
      if (entry.seq != expected || entry.previous_hash != previous ||
          entry.hash != UnkeyedHashOf(entry)) {
        return util::Fail(
            util::Code::kFailedPrecondition, "granskningslogg",
            fmt::format("granskningsloggen är bruten vid post {} redan före uppgraderingen; "
                        "databasen knyts inte till nyckeln. Återställ den från säkerhetskopian",
                        entry.seq),
            fmt::format("the audit log is broken at entry {} from before the upgrade; the "
                        "database is not bound to the key. Restore it from the backup",
                        entry.seq));
      }
      previous = entry.hash;
      after = entry.seq;
      ++expected;
    }
  }
  STEGVIS_ASSIGN_OR_RETURN(
      store::AuditHead head,
      work->RechainAudit([this](const core::AuditEntry& entry) { return HashOf(entry); }));
  if (head.seq > 0) work.AfterCommit([this, head] { NoteHead(head); });
  return util::Ok();
}

util::Result<AuditVerification> AuditLog::Verify(store::StorePool& pool) const {
  // The head is read before the chain, so that an append in between cannot look like a
  // truncation.
  AuditVerification result;
  const std::optional<store::AuditHead> noted = ReadHead(&result.head_forged);
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool.Begin(store::TransactionMode::kRead));
  std::string previous(64, '0');
  std::int64_t after = 0;
  bool head_seen = false;
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(std::vector<core::AuditEntry> batch, work->ListAudit(after, 1000));
    if (batch.empty()) break;
    for (const core::AuditEntry& entry : batch) {
      if (!result.broken && (entry.seq != result.entries + 1 || entry.previous_hash != previous ||
                             entry.hash != HashOf(entry))) {
        result.broken = entry.seq;
      }
      if (noted && entry.seq == noted->seq && entry.hash == noted->hash) head_seen = true;
      previous = entry.hash;
      ++result.entries;
      after = entry.seq;
    }
  }
  result.head_hash = previous;
  if (noted) {
    result.truncated = !head_seen;
  } else {
    result.head_missing = result.entries > 0 && !result.head_forged;
  }
  return result;
}

std::string AuditLog::HeadMac(const store::AuditHead& head) const {
  return privacy::HmacHex(key_, fmt::format("granskningsände:{}:{}", head.seq, head.hash));
}

std::optional<store::AuditHead> AuditLog::ReadHead(bool* forged) const {
  std::ifstream file(head_path_);
  if (!file) return std::nullopt;
  std::stringstream text;
  text << file.rdbuf();
  const std::optional<HeadLine> line = ParseHead(text.str());
  if (!line || line->mac != HeadMac(line->head)) {
    if (forged != nullptr) *forged = true;
    return std::nullopt;
  }
  return line->head;
}

bool AuditLog::HeadNoted() const {
  std::error_code ignored;
  return std::filesystem::exists(head_path_, ignored);
}

util::Status AuditLog::CheckHeadWritable() const {
  const std::string probe = head_path_ + ".tmp";
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return util::Fail(util::Code::kUnavailable, head_path_,
                      "granskningsloggens ände kan inte skrivas bredvid nyckeln; mappen måste "
                      "vara skrivbar för stegvis",
                      "the audit log's head cannot be written beside the key; the folder must be "
                      "writable for stegvis");
  }
  ::close(fd);
  return util::Ok();
}

void AuditLog::NoteHead(const store::AuditHead& head) const {
  // Several processes (the server, an import) append to one chain: a lock on the head file
  // orders their notes, and an older head never replaces a newer one.
  const int lock = ::open((head_path_ + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) {
    spdlog::error("granskningsloggens ände kunde inte noteras i {}", head_path_);
    return;
  }
  ::flock(lock, LOCK_EX);
  const std::optional<store::AuditHead> current = ReadHead();
  if (!current || current->seq < head.seq) {
    const std::string temporary = head_path_ + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
      const std::string text = fmt::format("{} {} {}\n", head.seq, head.hash, HeadMac(head));
      // No fsync: like the database's own commits (WAL, synchronous=NORMAL) the head is
      // durable against a killed process; after a power cut it may be older than the chain,
      // which verify accepts (the chain may run past the noted head, never fall short of it).
      const bool written =
          ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
      ::close(fd);
      if (!written || std::rename(temporary.c_str(), head_path_.c_str()) != 0) {
        spdlog::error("granskningsloggens ände kunde inte noteras i {}", head_path_);
      }
    } else {
      spdlog::error("granskningsloggens ände kunde inte noteras i {}", head_path_);
    }
  }
  ::flock(lock, LOCK_UN);
  ::close(lock);
}

}  // namespace stegvis::service
