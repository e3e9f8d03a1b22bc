#include "services/auth/api_keys.h"

#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/digest.h"
#include "services/common/errors.h"
#include "services/common/ids.h"
#include "services/store/api_key_rows.h"

namespace clinicd::auth {
namespace {

// Secrets start with this so they are recognisable in configs and scanners.
constexpr absl::string_view kSecretPrefix = "clinicd_";

absl::StatusOr<std::string> RandomBytes(int count) {
  std::string bytes(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), count) != 1) {
    return absl::InternalError("the system random generator failed");
  }
  return bytes;
}

// The principal a stored key acts as, once its role is known.
Principal PrincipalOf(const store::ApiKeyRow& key, Role role) {
  Principal principal;
  principal.key_id = key.key_id;
  principal.role = role;
  principal.all_clinics = key.all_clinics;
  principal.clinic_ids = key.clinic_ids;
  return principal;
}

}  // namespace

absl::StatusOr<NewApiKey> CreateApiKey(store::Database& db, Role role,
                                       const std::vector<std::string>& clinic_ids,
                                       absl::string_view description) {
  absl::StatusOr<std::string> random = RandomBytes(32);
  if (!random.ok()) return random.status();
  NewApiKey key;
  key.key_id = absl::StrCat("key_", NewResourceId());
  key.secret = absl::StrCat(kSecretPrefix, absl::WebSafeBase64Escape(*random));
  store::ApiKeyRow row;
  row.key_id = key.key_id;
  row.role = std::string(RoleName(role));
  row.all_clinics = clinic_ids.empty();
  row.clinic_ids = clinic_ids;
  row.description = std::string(description);
  // Read once, outside fn, which may run again after a rollback.
  row.create_time = absl::Now();
  absl::Status status = db.Write([&](store::Transaction& tx) -> absl::Status {
    return store::InsertApiKey(tx, row, Sha256(key.secret));
  });
  if (!status.ok()) return status;
  return key;
}

absl::Status RevokeApiKey(store::Database& db, absl::string_view key_id) {
  // Read once, outside fn, which may run again after a rollback.
  const absl::Time now = absl::Now();
  return db.Write([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<bool> revoked = store::RevokeApiKeyRow(tx, key_id, now);
    if (!revoked.ok()) return revoked.status();
    if (!*revoked) {
      return absl::NotFoundError(absl::StrCat("no live API key with id `", key_id, "`"));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ApiKeyInfo>> ListApiKeys(const store::Database& db) {
  absl::StatusOr<std::vector<store::ApiKeyRow>> rows;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    rows = store::ListApiKeyRows(tx);
    return rows.status();
  });
  if (!status.ok()) return status;
  std::vector<ApiKeyInfo> keys;
  for (const store::ApiKeyRow& row : *rows) {
    ApiKeyInfo& info = keys.emplace_back();
    info.principal = PrincipalOf(row, ParseRole(row.role).value_or(Role::kIntegration));
    info.description = row.description;
    info.create_time = row.create_time;
    info.revoked = row.revoked;
  }
  return keys;
}

absl::StatusOr<Principal> AuthenticateSecret(const store::Database& db,
                                             absl::string_view secret) {
  const absl::Status invalid = ErrorWithReason(
      absl::StatusCode::kUnauthenticated, "INVALID_API_KEY",
      "the API key is not valid or has been revoked");
  if (!absl::StartsWith(secret, kSecretPrefix)) return invalid;
  absl::StatusOr<std::optional<store::ApiKeyRow>> row;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    row = store::FindLiveApiKey(tx, Sha256(secret));
    return row.status();
  });
  if (!status.ok()) return status;
  if (!row->has_value()) return invalid;
  std::optional<Role> role = ParseRole((*row)->role);
  if (!role) return absl::InternalError("API key row has an unknown role");
  return PrincipalOf(**row, *role);
}

absl::Status CheckKeyStillValid(const store::Database& db, absl::string_view key_id) {
  absl::StatusOr<bool> live;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    live = store::IsApiKeyLive(tx, key_id);
    return live.status();
  });
  if (!status.ok()) return status;
  if (*live) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kUnauthenticated, "API_KEY_REVOKED",
                         "the API key of this call has been revoked",
                         {{"key_id", std::string(key_id)}});
}

}  // namespace clinicd::auth
