#include "service/account_service.h"

#include <sodium.h>

#include <array>

#include <fmt/format.h>

#include "core/plan_validation.h"

namespace stegvis::service {

namespace {

using util::Code;
using util::Fail;

std::string Hex(const unsigned char* data, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

util::Error WrongCredentials() {
  return util::Error{Code::kUnauthenticated,
                     "",
                     {"fel användarnamn eller lösenord", "wrong user name or password"}};
}

}  // namespace

std::string RandomToken() {
  if (sodium_init() < 0) return {};
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return Hex(bytes.data(), bytes.size());
}

std::string GeneratePassword() {
  if (sodium_init() < 0) return {};
  constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string password;
  for (int i = 0; i < 16; ++i) {
    password.push_back(
        kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))]);
  }
  return password;
}

std::string AccountService::HashToken(std::string_view token) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  return Hex(digest.data(), digest.size());
}

util::Result<std::string> AccountService::HashPassword(std::string_view password) const {
  if (password.size() < policy_.min_password_length) {
    return Fail(
        Code::kInvalidArgument, "losenord",
        fmt::format("lösenordet måste ha minst {} tecken", policy_.min_password_length),
        fmt::format("the password must have at least {} characters", policy_.min_password_length));
  }
  if (sodium_init() < 0) return Fail(Code::kInternal, "libsodium", "libsodium", "libsodium");
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  // crypto_pwhash_str uses Argon2id in libsodium 1.0.18.
  if (crypto_pwhash_str_alg(hash.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(Code::kUnavailable, "", "minnet räckte inte för lösenordshashen",
                "out of memory hashing the password");
  }
  return std::string(hash.data());
}

util::Result<std::string> AccountService::AddAccount(const Actor& actor, NewAccount account) {
  STEGVIS_TRY(Authorize(actor, Action::kManageAccounts, {}));
  if (!core::IsValidAccountName(account.name)) {
    return Fail(Code::kInvalidArgument, "--namn",
                "förväntade 3–64 tecken a–z, å, ä, ö, 0–9, punkt, - eller _",
                "expected 3–64 characters a–z, å, ä, ö, 0–9, dot, - or _");
  }
  if (core::RoleNeedsForbund(account.role) != account.forbund_id.has_value()) {
    return Fail(Code::kInvalidArgument, "--forbund",
                core::RoleNeedsForbund(account.role) ? "rollen kräver ett förbund"
                                                     : "rollen hör inte till ett förbund",
                core::RoleNeedsForbund(account.role) ? "the role needs a förbund"
                                                     : "the role belongs to no förbund");
  }
  if ((account.role == core::Role::kDeltagaransvarig) == account.insats_ids.empty()) {
    return Fail(Code::kInvalidArgument, "--insats",
                account.insats_ids.empty() ? "en deltagaransvarig behöver minst en insats"
                                           : "bara en deltagaransvarig har insatser",
                account.insats_ids.empty() ? "a deltagaransvarig needs at least one intervention"
                                           : "only a deltagaransvarig has interventions");
  }
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  if (account.forbund_id) {
    STEGVIS_ASSIGN_OR_RETURN(core::Plan plan, work->LoadPlan(*account.forbund_id));
    for (const std::string& insats_id : account.insats_ids) {
      const core::Insats* insats = plan.FindInsats(insats_id);
      if (insats == nullptr || insats->kind != core::InsatsKind::kIndivid) {
        return Fail(Code::kInvalidArgument, "--insats",
                    fmt::format("\"{}\" är ingen individinriktad insats i förbundet", insats_id),
                    fmt::format("\"{}\" is no individual intervention of the förbund", insats_id));
      }
    }
  }
  const std::string password = account.password.empty() ? GeneratePassword() : account.password;
  core::Account stored;
  stored.name = account.name;
  stored.role = account.role;
  stored.forbund_id = account.forbund_id;
  stored.insats_ids = account.insats_ids;
  stored.created_at = now_();
  STEGVIS_ASSIGN_OR_RETURN(stored.password_hash, HashPassword(password));
  STEGVIS_TRY(work->AddAccount(stored));
  STEGVIS_TRY(
      audit_.Record(work, actor, "lade till konto",
                    fmt::format("konto:{} roll:{}", account.name, core::RoleCode(account.role))));
  STEGVIS_TRY(work.Commit());
  return password;
}

util::Status AccountService::CheckThrottle(store::Store& store, const std::string& subject,
                                           int limit) {
  STEGVIS_ASSIGN_OR_RETURN(auto failures, store.SignInFailures(subject));
  const auto [count, window_start] = failures;
  const std::int64_t now = now_();
  if (count >= limit && window_start > now - policy_.failure_window_seconds) {
    const std::int64_t minutes = (window_start + policy_.failure_window_seconds - now + 59) / 60;
    return Fail(
        Code::kUnavailable, "",
        fmt::format("för många misslyckade inloggningar; försök igen om {} minuter", minutes),
        fmt::format("too many failed sign-ins; try again in {} minutes", minutes));
  }
  return util::Ok();
}

util::Result<SignedIn> AccountService::SignIn(std::string_view name, std::string_view password,
                                              std::string_view address) {
  const std::string account_subject = "konto:" + std::string(name);
  const std::string address_subject = "adress:" + std::string(address);
  util::Result<core::Account> account = [&]() -> util::Result<core::Account> {
    // Read what the check needs, then let go of the database while the password hash is
    // computed (it is slow by design).
    STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kRead));
    STEGVIS_TRY(CheckThrottle(work.store(), address_subject, policy_.max_failures_per_address));
    STEGVIS_TRY(CheckThrottle(work.store(), account_subject, policy_.max_failures_per_account));
    return work->FindAccountByName(name);
  }();
  if (!account && account.error().code != Code::kNotFound) return Fail(account.error());
  // An unknown name costs the same time as a wrong password, so names cannot be probed.
  static const std::string kDummyHash = [] {
    std::array<char, crypto_pwhash_STRBYTES> hash{};
    const std::string dummy = "dummy-password-for-timing";
    if (sodium_init() < 0 || crypto_pwhash_str_alg(hash.data(), dummy.data(), dummy.size(),
                                                   crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                   crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                                   crypto_pwhash_ALG_ARGON2ID13) != 0) {
      return std::string();
    }
    return std::string(hash.data());
  }();
  const std::string& hash = account ? account->password_hash : kDummyHash;
  const bool verified =
      crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  if (!account || !verified) {
    const std::int64_t now = now_();
    STEGVIS_TRY(work->RecordSignInFailure(account_subject, now, policy_.failure_window_seconds));
    STEGVIS_TRY(work->RecordSignInFailure(address_subject, now, policy_.failure_window_seconds));
    STEGVIS_TRY(work.Commit());
    return Fail(WrongCredentials());
  }
  STEGVIS_TRY(work->ClearSignInFailures(account_subject));
  SignedIn signed_in{RandomToken(), RandomToken(), *account};
  const std::int64_t now = now_();
  STEGVIS_TRY(work->AddSession(core::Session{HashToken(signed_in.session_token), account->id,
                                             signed_in.csrf_token, now, now}));
  STEGVIS_TRY(audit_.Record(work, Actor{*account, std::string(address)}, "loggade in",
                            "konto:" + account->name));
  STEGVIS_TRY(work.Commit());
  return signed_in;
}

util::Result<SessionContext> AccountService::Resume(std::string_view session_token) {
  const std::string token_hash = HashToken(session_token);
  std::optional<core::Session> session;
  core::Account account;
  {
    STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kRead));
    STEGVIS_ASSIGN_OR_RETURN(session, work->FindSession(token_hash));
    if (session) {
      STEGVIS_ASSIGN_OR_RETURN(account, work->FindAccount(session->account_id));
    }
  }
  const util::Error expired{Code::kUnauthenticated, "", {"logga in igen", "please sign in again"}};
  if (!session) return Fail(expired);
  const std::int64_t now = now_();
  const bool timed_out = now - session->last_seen_at > policy_.idle_timeout_seconds ||
                         now - session->created_at > policy_.absolute_timeout_seconds;
  // The idle timer is refreshed at most once a minute, so that reading pages does not queue
  // behind writers.
  if (timed_out || now - session->last_seen_at >= 60) {
    STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
    STEGVIS_TRY(timed_out ? work->RemoveSession(token_hash) : work->TouchSession(token_hash, now));
    STEGVIS_TRY(work.Commit());
    if (timed_out) return Fail(expired);
    session->last_seen_at = now;
  }
  return SessionContext{std::move(account), std::move(*session)};
}

util::Status AccountService::SignOut(std::string_view session_token) {
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_TRY(work->RemoveSession(HashToken(session_token)));
  return work.Commit();
}

util::Status AccountService::ChangePassword(const SessionContext& context, std::string_view current,
                                            std::string_view replacement,
                                            std::string_view address) {
  if (crypto_pwhash_str_verify(context.account.password_hash.c_str(), current.data(),
                               current.size()) != 0) {
    return Fail(Code::kInvalidArgument, "nuvarande", "det nuvarande lösenordet stämmer inte",
                "the current password is wrong");
  }
  STEGVIS_ASSIGN_OR_RETURN(std::string hash, HashPassword(replacement));
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kWrite));
  STEGVIS_TRY(work->SetPasswordHash(context.account.id, hash));
  STEGVIS_TRY(work->RemoveSessionsOf(context.account.id));
  STEGVIS_TRY(audit_.Record(work, Actor{context.account, std::string(address)}, "bytte lösenord",
                            "konto:" + context.account.name));
  return work.Commit();
}

util::Result<std::vector<core::Account>> AccountService::ListAccounts(const Actor& actor) {
  STEGVIS_TRY(Authorize(actor, Action::kManageAccounts, {}));
  STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_.Begin(store::TransactionMode::kRead));
  return work->ListAccounts();
}

}  // namespace stegvis::service
