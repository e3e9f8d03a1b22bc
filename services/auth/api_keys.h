#pragma once

// API keys: created and revoked by the operator (`clinicd keys ...`), checked
// on every RPC. Only a SHA-256 of each secret is stored; secrets carry 256
// random bits, so an unsalted hash is as strong as the secret itself.

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/auth/principal.h"
#include "services/auth/role.h"
#include "services/store/database.h"

namespace clinicd::auth {

// A key just created: the only moment its secret is known.
struct NewApiKey {
  std::string key_id;
  std::string secret;
};

// What is stored about a key (never its secret).
struct ApiKeyInfo {
  Principal principal;
  std::string description;
  absl::Time create_time;
  bool revoked = false;
};

// Creates a key for `role` limited to `clinic_ids` (which must exist); an
// empty list means every clinic.
absl::StatusOr<NewApiKey> CreateApiKey(store::Database& db, Role role,
                                       const std::vector<std::string>& clinic_ids,
                                       absl::string_view description);

// Revokes a key by id; NOT_FOUND when there is no such key.
absl::Status RevokeApiKey(store::Database& db, absl::string_view key_id);

// Every key, oldest first.
absl::StatusOr<std::vector<ApiKeyInfo>> ListApiKeys(const store::Database& db);

// The principal of a live key with this secret; UNAUTHENTICATED otherwise.
absl::StatusOr<Principal> AuthenticateSecret(const store::Database& db,
                                             absl::string_view secret);

// OK while the key `key_id` is live; UNAUTHENTICATED `API_KEY_REVOKED` once
// it has been revoked (or removed). Long-lived calls (event streams) check
// it as they go, so access ends with the key.
absl::Status CheckKeyStillValid(const store::Database& db, absl::string_view key_id);

}  // namespace clinicd::auth
