#include "services/auth/api_keys.h"

#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/digest.h"
#include "services/common/errors.h"
#include "services/common/ids.h"

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

// Loads the clinic list of key `key_id` into `principal`.
absl::Status LoadClinics(store::Transaction& tx, absl::string_view key_id,
                         Principal& principal) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "SELECT clinic_id FROM api_key_clinics WHERE key_id = ?1 "
      "ORDER BY clinic_id");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, key_id);
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    principal.clinic_ids.push_back(stmt->ColumnText(0));
  }
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
  absl::Status status = db.Write([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::Statement> insert = tx.Prepare(
        "INSERT INTO api_keys (key_id, secret_sha256, role, all_clinics, "
        "description, create_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert.ok()) return insert.status();
    insert->BindText(1, key.key_id)
        .BindBlob(2, Sha256(key.secret))
        .BindText(3, RoleName(role))
        .Bind(4, clinic_ids.empty() ? 1 : 0)
        .BindText(5, description)
        .Bind(6, absl::Now());
    if (absl::Status s = insert->Run(); !s.ok()) return s;
    for (const std::string& clinic_id : clinic_ids) {
      absl::StatusOr<store::Statement> link = tx.Prepare(
          "INSERT INTO api_key_clinics (key_id, clinic_id) VALUES (?1, ?2)");
      if (!link.ok()) return link.status();
      link->BindText(1, key.key_id).BindText(2, clinic_id);
      absl::Status s = link->Run();
      if (absl::IsFailedPrecondition(s)) {
        return absl::NotFoundError(
            absl::StrCat("clinic `", clinic_id, "` does not exist"));
      }
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return key;
}

absl::Status RevokeApiKey(store::Database& db, absl::string_view key_id) {
  return db.Write([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::Statement> stmt = tx.Prepare(
        "UPDATE api_keys SET revoke_time = ?2 "
        "WHERE key_id = ?1 AND revoke_time IS NULL");
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, key_id).Bind(2, absl::Now());
    if (absl::Status s = stmt->Run(); !s.ok()) return s;
    if (tx.Changes() == 0) {
      return absl::NotFoundError(
          absl::StrCat("no live API key with id `", key_id, "`"));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ApiKeyInfo>> ListApiKeys(const store::Database& db) {
  std::vector<ApiKeyInfo> keys;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::Statement> stmt = tx.Prepare(
        "SELECT key_id, role, all_clinics, description, create_time, "
        "revoke_time IS NOT NULL FROM api_keys ORDER BY key_id");
    if (!stmt.ok()) return stmt.status();
    while (true) {
      absl::StatusOr<bool> row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      ApiKeyInfo info;
      info.principal.key_id = stmt->ColumnText(0);
      info.principal.role = ParseRole(stmt->ColumnText(1)).value_or(Role::kIntegration);
      info.principal.all_clinics = stmt->ColumnInt(2) != 0;
      info.description = stmt->ColumnText(3);
      info.create_time = stmt->ColumnTime(4);
      info.revoked = stmt->ColumnInt(5) != 0;
      keys.push_back(std::move(info));
    }
    for (ApiKeyInfo& info : keys) {
      absl::Status s = LoadClinics(tx, info.principal.key_id, info.principal);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return keys;
}

absl::StatusOr<Principal> AuthenticateSecret(const store::Database& db,
                                             absl::string_view secret) {
  const absl::Status invalid = ErrorWithReason(
      absl::StatusCode::kUnauthenticated, "INVALID_API_KEY",
      "the API key is not valid or has been revoked");
  if (!absl::StartsWith(secret, kSecretPrefix)) return invalid;
  Principal principal;
  bool found = false;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::Statement> stmt = tx.Prepare(
        "SELECT key_id, role, all_clinics FROM api_keys "
        "WHERE secret_sha256 = ?1 AND revoke_time IS NULL");
    if (!stmt.ok()) return stmt.status();
    stmt->BindBlob(1, Sha256(secret));
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    std::optional<Role> role = ParseRole(stmt->ColumnText(1));
    if (!role) return absl::InternalError("API key row has an unknown role");
    found = true;
    principal.key_id = stmt->ColumnText(0);
    principal.role = *role;
    principal.all_clinics = stmt->ColumnInt(2) != 0;
    return LoadClinics(tx, principal.key_id, principal);
  });
  if (!status.ok()) return status;
  if (!found) return invalid;
  return principal;
}

absl::Status CheckKeyStillValid(const store::Database& db, absl::string_view key_id) {
  bool live = false;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::Statement> stmt =
        tx.Prepare("SELECT 1 FROM api_keys WHERE key_id = ?1 AND revoke_time IS NULL");
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, key_id);
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    live = *row;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (live) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kUnauthenticated, "API_KEY_REVOKED",
                         "the API key of this call has been revoked",
                         {{"key_id", std::string(key_id)}});
}

}  // namespace clinicd::auth
