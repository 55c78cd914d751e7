// Accounts and sessions: adding accounts (argon2id password hashes via libsodium), signing in
// with throttling of failed attempts per account and per address, sessions with idle and
// absolute timeouts and a CSRF token, signing out and changing the password.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "service/access.h"
#include "service/audit_log.h"
#include "store/unit_of_work.h"
#include "util/error.h"

namespace stegvis::service {

struct NewAccount {
  std::string name;
  core::Role role = core::Role::kRapportlasare;
  std::optional<std::string> forbund_id;
  std::vector<std::string> insats_ids;
  // The password; when empty one is generated and returned.
  std::string password;
};

struct SignedIn {
  std::string session_token;  // Goes into the cookie only; the store keeps its hash.
  std::string csrf_token;
  core::Account account;
};

struct SessionContext {
  core::Account account;
  core::Session session;
};

// Limits, in one place.
struct AccountPolicy {
  std::int64_t idle_timeout_seconds = 30 * 60;
  std::int64_t absolute_timeout_seconds = 12 * 60 * 60;
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  std::int64_t failure_window_seconds = 15 * 60;
  std::size_t min_password_length = 12;
};

class AccountService {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix seconds.

  AccountService(store::StorePool& pool, const AuditLog& audit, Clock now,
                 AccountPolicy policy = {})
      : pool_(pool), audit_(audit), now_(std::move(now)), policy_(policy) {}

  // Adds an account; returns the password (the generated one, or the given one). Fails with
  // kInvalidArgument for a bad name, role/förbund/intervention combination or a short
  // password, kAlreadyExists for a taken name, kPermissionDenied unless the actor may manage
  // accounts.
  util::Result<std::string> AddAccount(const Actor& actor, NewAccount account);

  // Signs in. kUnauthenticated for a wrong name or password (the same message for both);
  // kUnavailable while the account or the address is throttled after too many failures.
  util::Result<SignedIn> SignIn(std::string_view name, std::string_view password,
                                std::string_view address);

  // The session behind a cookie token; kUnauthenticated when unknown or timed out (a timed
  // out session is removed). Refreshes the idle timer.
  util::Result<SessionContext> Resume(std::string_view session_token);

  util::Status SignOut(std::string_view session_token);

  // Changes the password after checking the current one; every session of the account ends.
  util::Status ChangePassword(const SessionContext& context, std::string_view current,
                              std::string_view replacement, std::string_view address);

  util::Result<std::vector<core::Account>> ListAccounts(const Actor& actor);

  static std::string HashToken(std::string_view token);

 private:
  util::Status CheckThrottle(store::Store& store, const std::string& subject, int limit);
  util::Result<std::string> HashPassword(std::string_view password) const;

  store::StorePool& pool_;
  const AuditLog& audit_;
  Clock now_;
  AccountPolicy policy_;
};

// A random password of 16 characters from an alphabet without look-alikes.
std::string GeneratePassword();
// A random token of 32 bytes as 64 hex characters.
std::string RandomToken();

}  // namespace stegvis::service
