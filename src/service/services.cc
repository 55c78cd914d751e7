#include "service/services.h"

#include "privacy/database_key.h"

namespace stegvis::service {

namespace {

// "sha256" for a chain made before it was keyed (set by the store's migration), then
// "hmac-sha256" once it has been re-hashed under the key.
constexpr std::string_view kUnkeyedChainSetting = "granskningskedja";

}  // namespace

Services::Services(std::unique_ptr<store::StorePool> pool, const privacy::Key& key,
                   const std::string& audit_head_file, Clocks clocks)
    : pool_(std::move(pool)),
      pseudonyms(privacy::Pseudonymizer::FromKey(key)),
      audit(clocks.now, privacy::DeriveKey(key, "granskning"), audit_head_file),
      plans(*pool_, audit),
      reports(*pool_, audit),
      accounts(*pool_, audit, clocks.now),
      participants(*pool_, pseudonyms, audit, clocks.today) {}

util::Status Services::BindKey(const privacy::Key& key) {
  STEGVIS_TRY(audit.CheckHeadWritable());
  const std::string fingerprint = privacy::Fingerprint(key);
  std::optional<std::string> stored;
  {
    STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_->Begin(store::TransactionMode::kRead));
    STEGVIS_ASSIGN_OR_RETURN(stored, work->Setting(kKeyFingerprintSetting));
  }
  if (!stored) {
    // Not bound yet: bind it under the write lock (another process may be binding too).
    STEGVIS_ASSIGN_OR_RETURN(store::UnitOfWork work, pool_->Begin(store::TransactionMode::kWrite));
    STEGVIS_ASSIGN_OR_RETURN(stored, work->Setting(kKeyFingerprintSetting));
    if (!stored) {
      STEGVIS_ASSIGN_OR_RETURN(const bool has_data, work->HasData());
      if (has_data) {
        // Only a database from before keys were bound may be bound now: its migration marked
        // its unkeyed chain, and no keyed head has been noted for it yet. Anything else that
        // has data but no fingerprint had it removed by someone without the key.
        STEGVIS_ASSIGN_OR_RETURN(std::optional<std::string> chain,
                                 work->Setting(kUnkeyedChainSetting));
        if (chain != "sha256" || audit.HeadNoted()) {
          return util::Fail(
              util::Code::kFailedPrecondition, "nyckel",
              "databasen har innehåll men saknar nyckelns fingeravtryck: den har ändrats "
              "utanför stegvis. Återställ databasen från säkerhetskopian",
              "the database has content but no key fingerprint: it was changed outside "
              "stegvis. Restore the database from the backup");
        }
        STEGVIS_TRY(audit.Rechain(work));
        STEGVIS_TRY(work->PutSetting(kUnkeyedChainSetting, "hmac-sha256"));
      }
      STEGVIS_TRY(work->PutSetting(kKeyFingerprintSetting, fingerprint));
      return work.Commit();
    }
  }
  if (*stored == fingerprint) return util::Ok();
  return util::Fail(util::Code::kFailedPrecondition, "nyckel",
                    "nyckelfilen hör inte till den här databasen (fel fingeravtryck). Använd "
                    "databasens egen nyckelfil från säkerhetskopian; en annan nyckel känner "
                    "inte igen deltagarna och kan inte styrka granskningsloggen",
                    "the key file does not belong to this database (wrong fingerprint). Use "
                    "the database's own key file from the backup; another key cannot "
                    "recognise the participants or vouch for the audit log");
}

}  // namespace stegvis::service
