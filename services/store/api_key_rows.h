#pragma once

// The API key tables: a key's hashed secret, role and clinic list. Only a
// SHA-256 of each secret is stored, so the store never sees a secret.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// One stored key.
struct ApiKeyRow {
  std::string key_id;
  // The role's name as auth::RoleName writes it.
  std::string role;
  // When false, only `clinic_ids`.
  bool all_clinics = false;
  std::vector<std::string> clinic_ids;
  std::string description;
  absl::Time create_time;
  bool revoked = false;
};

// Inserts `key` (not revoked) with the SHA-256 of its secret, and its clinic
// list when not `all_clinics`; NOT_FOUND naming a clinic that does not exist.
absl::Status InsertApiKey(Transaction& tx, const ApiKeyRow& key, absl::string_view secret_sha256);

// Marks live key `key_id` revoked at `time`; false when no live key has that id.
absl::StatusOr<bool> RevokeApiKeyRow(Transaction& tx, absl::string_view key_id, absl::Time time);

// Every key with its clinics, by id.
absl::StatusOr<std::vector<ApiKeyRow>> ListApiKeyRows(Transaction& tx);

// The live key whose secret hashes to `secret_sha256` (its id, role and
// clinics read), if any.
absl::StatusOr<std::optional<ApiKeyRow>> FindLiveApiKey(Transaction& tx,
                                                       absl::string_view secret_sha256);

// True while key `key_id` exists and is not revoked.
absl::StatusOr<bool> IsApiKeyLive(Transaction& tx, absl::string_view key_id);

}  // namespace clinicd::store
