#include "service/audit_log.h"

#include <sodium.h>

#include <array>
#include <chrono>

#include <fmt/format.h>

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

}  // namespace

std::string AuditLog::HashOf(const core::AuditEntry& entry) {
  // Length-prefixed fields, so that no two different entries hash the same text.
  std::string message;
  for (const std::string& field : {entry.previous_hash, std::to_string(entry.seq), entry.at,
                                   entry.actor, entry.action, entry.target, entry.address}) {
    message += std::to_string(field.size()) + ":" + field + ";";
  }
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(message.data()),
                     message.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

util::Status AuditLog::Record(const Actor& actor, std::string_view action,
                              std::string_view target) {
  return RecordAll(actor, action, {std::string(target)});
}

util::Status AuditLog::RecordAll(const Actor& actor, std::string_view action,
                                 const std::vector<std::string>& targets) {
  const std::string at = IsoTime(now_());
  std::vector<core::AuditEntry> entries;
  for (const std::string& target : targets) {
    core::AuditEntry entry;
    entry.at = at;
    entry.actor = actor.AuditName();
    entry.action = std::string(action);
    entry.target = target;
    entry.address = actor.address;
    entries.push_back(std::move(entry));
  }
  return store_.AppendAudit(std::move(entries), &AuditLog::HashOf);
}

util::Result<AuditVerification> AuditLog::Verify() {
  AuditVerification result;
  std::string previous(64, '0');
  std::int64_t after = 0;
  while (true) {
    STEGVIS_ASSIGN_OR_RETURN(std::vector<core::AuditEntry> batch, store_.ListAudit(after, 1000));
    if (batch.empty()) break;
    for (const core::AuditEntry& entry : batch) {
      if (!result.broken && (entry.seq != result.entries + 1 || entry.previous_hash != previous ||
                             entry.hash != HashOf(entry))) {
        result.broken = entry.seq;
      }
      previous = entry.hash;
      ++result.entries;
      after = entry.seq;
    }
  }
  result.head_hash = previous;
  return result;
}

}  // namespace stegvis::service
