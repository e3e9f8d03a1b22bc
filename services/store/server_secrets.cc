#include "services/store/server_secrets.h"

#include <openssl/rand.h>

#include "absl/strings/str_cat.h"

namespace clinicd::store {

absl::StatusOr<std::string> LoadOrCreateSecret(Database& db, absl::string_view name) {
  std::string secret;
  absl::Status status = db.Write([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<Statement> read =
        tx.Prepare("SELECT secret FROM server_secrets WHERE name = ?");
    if (!read.ok()) return read.status();
    read->BindText(1, name);
    absl::StatusOr<bool> row = read->Step();
    if (!row.ok()) return row.status();
    if (*row) {
      secret = read->ColumnBlob(0);
      return absl::OkStatus();
    }
    secret.resize(32);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()),
                   static_cast<int>(secret.size())) != 1) {
      return absl::InternalError(absl::StrCat("no random bytes for the secret ", name));
    }
    absl::StatusOr<Statement> insert =
        tx.Prepare("INSERT INTO server_secrets (name, secret) VALUES (?, ?)");
    if (!insert.ok()) return insert.status();
    insert->BindText(1, name);
    insert->BindBlob(2, secret);
    return insert->Run();
  });
  if (!status.ok()) return status;
  return secret;
}

}  // namespace clinicd::store
