#include <sys/stat.h>

#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/server/commands.h"
#include "services/server/flags.h"
#include "services/server/staged_file.h"
#include "services/store/online_backup.h"
#include "services/store/postgres_database.h"

namespace clinicd::server {
namespace {

constexpr char kUsage[] = "usage: clinicd backup --db=PATH --to=FILE [--overwrite]\n";

int Fail(const absl::Status& status) {
  std::cerr << "clinicd backup: " << status.message() << "\n";
  return 1;
}

// Refuses a target that is the database itself (say, through a symlink):
// replacing a live database with its own copy would lose every write since.
absl::Status CheckNotTheDatabase(const std::string& db, const std::string& target) {
  struct stat source {};
  struct stat existing {};
  if (stat(db.c_str(), &source) != 0 || stat(target.c_str(), &existing) != 0) {
    return absl::OkStatus();
  }
  if (source.st_dev == existing.st_dev && source.st_ino == existing.st_ino) {
    return absl::InvalidArgumentError(
        absl::StrCat("--to=", target, " is the database itself; write the backup elsewhere"));
  }
  return absl::OkStatus();
}

// Refuses an existing target before any copying, unless it is to be replaced;
// Publish checks again at the end, atomically.
absl::Status CheckTarget(const std::string& target, bool overwrite) {
  struct stat existing {};
  if (overwrite || stat(target.c_str(), &existing) != 0) return absl::OkStatus();
  return absl::AlreadyExistsError(
      absl::StrCat(target, " already exists; pass --overwrite to replace it"));
}

}  // namespace

int BackupCommand(const clinicd::config::v1::ServerConfig& config,
                  const std::vector<std::string>& args) {
  const std::string target = absl::GetFlag(FLAGS_to);
  if (!args.empty() || target.empty() || config.db().empty()) {
    std::cerr << kUsage;
    return 2;
  }
  if (store::IsPostgresAddress(config.db())) {
    // PostgreSQL has its own tools for a consistent copy of a live database.
    return Fail(absl::FailedPreconditionError(
        "clinicd backup copies a SQLite file; back up a PostgreSQL database with "
        "pg_dump --format=custom (one consistent snapshot, writers keep writing) or "
        "pg_basebackup with WAL archiving (README \"Scaling out\")"));
  }
  const bool overwrite = absl::GetFlag(FLAGS_overwrite);
  if (absl::Status s = CheckNotTheDatabase(config.db(), target); !s.ok()) return Fail(s);
  if (absl::Status s = CheckTarget(target, overwrite); !s.ok()) return Fail(s);
  absl::StatusOr<std::unique_ptr<StagedFile>> staged = StagedFile::Create(target);
  if (!staged.ok()) return Fail(staged.status());
  absl::StatusOr<store::BackupCopy> copied =
      store::CopyLiveDatabase(config.db(), (*staged)->path(), store::OnlineBackupOptions());
  if (!copied.ok()) return Fail(copied.status());
  if (absl::Status s = (*staged)->Publish(overwrite); !s.ok()) return Fail(s);
  std::cout << target << ": backup of " << config.db() << ", " << copied->pages << " pages of "
            << copied->page_size << " bytes, integrity ok" << std::endl;
  return 0;
}

}  // namespace clinicd::server
