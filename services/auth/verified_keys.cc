#include "services/auth/verified_keys.h"

#include "services/auth/api_keys.h"
#include "services/common/digest.h"

namespace clinicd::auth {

VerifiedKeys::VerifiedKeys(absl::Duration ttl, size_t capacity)
    : ttl_(absl::ToChronoNanoseconds(ttl)), capacity_(capacity) {}

absl::StatusOr<Principal> VerifiedKeys::Authenticate(const store::Database& db,
                                                     absl::string_view secret) {
  const std::string digest = Sha256(secret);
  const auto now = std::chrono::steady_clock::now();
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(digest);
    if (it != entries_.end()) {
      if (now - it->second.verified < ttl_) return it->second.principal;
      entries_.erase(it);
    }
  }
  absl::StatusOr<Principal> principal = AuthenticateSecret(db, secret);
  if (!principal.ok()) return principal;
  absl::MutexLock lock(&mu_);
  if (entries_.size() >= capacity_) entries_.clear();
  entries_[digest] = Entry{*principal, now};
  return principal;
}

}  // namespace clinicd::auth
