#include "services/store/api_key_rows.h"

#include "absl/strings/str_cat.h"

namespace clinicd::store {
namespace {

// Loads the clinic list of `key`.
absl::Status LoadClinics(Transaction& tx, ApiKeyRow& key) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "SELECT clinic_id FROM api_key_clinics WHERE key_id = ?1 "
      "ORDER BY clinic_id");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, key.key_id);
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    key.clinic_ids.push_back(stmt->ColumnText(0));
  }
}

}  // namespace

absl::Status InsertApiKey(Transaction& tx, const ApiKeyRow& key, absl::string_view secret_sha256) {
  absl::StatusOr<Statement> insert = tx.Prepare(
      "INSERT INTO api_keys (key_id, secret_sha256, role, all_clinics, "
      "description, create_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert.ok()) return insert.status();
  insert->BindText(1, key.key_id)
      .BindBlob(2, secret_sha256)
      .BindText(3, key.role)
      .Bind(4, key.all_clinics ? 1 : 0)
      .BindText(5, key.description)
      .Bind(6, key.create_time);
  if (absl::Status s = insert->Run(); !s.ok()) return s;
  for (const std::string& clinic_id : key.clinic_ids) {
    absl::StatusOr<Statement> link = tx.Prepare(
        "INSERT INTO api_key_clinics (key_id, clinic_id) VALUES (?1, ?2)");
    if (!link.ok()) return link.status();
    link->BindText(1, key.key_id).BindText(2, clinic_id);
    absl::Status s = link->Run();
    // The foreign key to clinics refuses an unknown clinic.
    if (absl::IsFailedPrecondition(s)) {
      return absl::NotFoundError(absl::StrCat("clinic `", clinic_id, "` does not exist"));
    }
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> RevokeApiKeyRow(Transaction& tx, absl::string_view key_id, absl::Time time) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "UPDATE api_keys SET revoke_time = ?2 "
      "WHERE key_id = ?1 AND revoke_time IS NULL");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, key_id).Bind(2, time);
  if (absl::Status s = stmt->Run(); !s.ok()) return s;
  return tx.Changes() != 0;
}

absl::StatusOr<std::vector<ApiKeyRow>> ListApiKeyRows(Transaction& tx) {
  // The revoked flag as an integer in both dialects: PostgreSQL's
  // `revoke_time IS NOT NULL` is a boolean, which ColumnInt would read as 0.
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "SELECT key_id, role, all_clinics, description, create_time, "
      "CASE WHEN revoke_time IS NULL THEN 0 ELSE 1 END FROM api_keys ORDER BY key_id");
  if (!stmt.ok()) return stmt.status();
  std::vector<ApiKeyRow> keys;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ApiKeyRow& key = keys.emplace_back();
    key.key_id = stmt->ColumnText(0);
    key.role = stmt->ColumnText(1);
    key.all_clinics = stmt->ColumnInt(2) != 0;
    key.description = stmt->ColumnText(3);
    key.create_time = stmt->ColumnTime(4);
    key.revoked = stmt->ColumnInt(5) != 0;
  }
  for (ApiKeyRow& key : keys) {
    if (absl::Status s = LoadClinics(tx, key); !s.ok()) return s;
  }
  return keys;
}

absl::StatusOr<std::optional<ApiKeyRow>> FindLiveApiKey(Transaction& tx,
                                                       absl::string_view secret_sha256) {
  absl::StatusOr<Statement> stmt = tx.Prepare(
      "SELECT key_id, role, all_clinics FROM api_keys "
      "WHERE secret_sha256 = ?1 AND revoke_time IS NULL");
  if (!stmt.ok()) return stmt.status();
  stmt->BindBlob(1, secret_sha256);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<ApiKeyRow>();
  ApiKeyRow key;
  key.key_id = stmt->ColumnText(0);
  key.role = stmt->ColumnText(1);
  key.all_clinics = stmt->ColumnInt(2) != 0;
  if (absl::Status s = LoadClinics(tx, key); !s.ok()) return s;
  return std::optional<ApiKeyRow>(std::move(key));
}

absl::StatusOr<bool> IsApiKeyLive(Transaction& tx, absl::string_view key_id) {
  absl::StatusOr<Statement> stmt =
      tx.Prepare("SELECT 1 FROM api_keys WHERE key_id = ?1 AND revoke_time IS NULL");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, key_id);
  return stmt->Step();
}

}  // namespace clinicd::store
