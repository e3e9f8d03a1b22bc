#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "services/auth/api_keys.h"
#include "services/server/commands.h"
#include "services/server/flags.h"
#include "services/server/open_database.h"

namespace clinicd::server {
namespace {

constexpr char kUsage[] =
    "usage: clinicd keys create --db=PATH --role=ROLE [--clinic=ID[,ID...]] "
    "[--description=TEXT]\n"
    "       clinicd keys revoke --db=PATH --key_id=ID\n"
    "       clinicd keys list --db=PATH\n";

int Fail(const absl::Status& status) {
  std::cerr << "clinicd keys: " << status.message() << "\n";
  return 1;
}

int Create(store::Database& db) {
  std::optional<auth::Role> role = auth::ParseRole(absl::GetFlag(FLAGS_role));
  if (!role) {
    std::cerr << "clinicd keys create: --role must be admin, front_desk, clinician, "
                 "reminder_worker or integration\n";
    return 2;
  }
  std::vector<std::string> clinics =
      absl::StrSplit(absl::GetFlag(FLAGS_clinic), ',', absl::SkipWhitespace());
  absl::StatusOr<auth::NewApiKey> key =
      auth::CreateApiKey(db, *role, clinics, absl::GetFlag(FLAGS_description));
  if (!key.ok()) return Fail(key.status());
  std::cout << "key_id: " << key->key_id << "\n"
            << "role: " << auth::RoleName(*role) << "\n"
            << "clinics: " << (clinics.empty() ? "all" : absl::StrJoin(clinics, ","))
            << "\n"
            << "# the secret below is shown once; only its hash is stored\n"
            << key->secret << std::endl;
  return 0;
}

int List(const store::Database& db) {
  absl::StatusOr<std::vector<auth::ApiKeyInfo>> keys = auth::ListApiKeys(db);
  if (!keys.ok()) return Fail(keys.status());
  for (const auth::ApiKeyInfo& info : *keys) {
    std::cout << info.principal.key_id << "  " << auth::RoleName(info.principal.role)
              << "  clinics="
              << (info.principal.all_clinics ? "all"
                                             : absl::StrJoin(info.principal.clinic_ids, ","))
              << "  created=" << absl::FormatTime(absl::RFC3339_sec, info.create_time,
                                                  absl::UTCTimeZone())
              << (info.revoked ? "  REVOKED" : "") << "  " << info.description << "\n";
  }
  return 0;
}

}  // namespace

int KeysCommand(const clinicd::config::v1::ServerConfig& config,
                const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  absl::StatusOr<std::unique_ptr<store::Database>> db = OpenAndMigrate(config);
  if (!db.ok()) return Fail(db.status());
  if (args[0] == "create") return Create(**db);
  if (args[0] == "list") return List(**db);
  if (args[0] == "revoke") {
    const std::string key_id = absl::GetFlag(FLAGS_key_id);
    if (key_id.empty()) {
      std::cerr << kUsage;
      return 2;
    }
    if (absl::Status s = auth::RevokeApiKey(**db, key_id); !s.ok()) return Fail(s);
    std::cout << "revoked " << key_id << std::endl;
    return 0;
  }
  std::cerr << kUsage;
  return 2;
}

}  // namespace clinicd::server
