#include "services/store/online_backup.h"

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "services/store/sqlite_connection.h"
#include "services/store/sqlite_status.h"

namespace clinicd::store {
namespace {

using Connection = internal::SqliteConnection;

// Ends sqlite3_backup on every path; sqlite3_backup_finish is what reports
// an error a step left behind.
struct BackupDeleter {
  void operator()(sqlite3_backup* backup) const { sqlite3_backup_finish(backup); }
};

// Every row PRAGMA integrity_check answers; a sound file answers one "ok".
absl::Status CheckIntegrity(Connection& copy, const std::string& copy_path) {
  absl::StatusOr<Statement> check = copy.Prepare("PRAGMA integrity_check");
  if (!check.ok()) return check.status();
  std::vector<std::string> problems;
  while (true) {
    absl::StatusOr<bool> row = check->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (std::string line = check->ColumnText(0); line != "ok") problems.push_back(line);
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat("the copy ", copy_path, " failed its integrity check: ",
                                          absl::StrJoin(problems, "; ")));
}

// The copy's page size; its statement is finished before the caller goes on.
absl::StatusOr<int64_t> PageSize(Connection& copy) {
  absl::StatusOr<Statement> pragma = copy.Prepare("PRAGMA page_size");
  if (!pragma.ok()) return pragma.status();
  absl::StatusOr<bool> row = pragma->Step();
  if (!row.ok()) return row.status();
  return pragma->ColumnInt(0);
}

// Copies every page of `source` into `copy` in steps, all from the one
// snapshot `source` holds.
absl::StatusOr<BackupCopy> CopyPages(sqlite3* source, sqlite3* copy,
                                     const OnlineBackupOptions& options) {
  std::unique_ptr<sqlite3_backup, BackupDeleter> backup(
      sqlite3_backup_init(copy, "main", source, "main"));
  if (backup == nullptr) {
    return internal::SqliteStatus(sqlite3_extended_errcode(copy), sqlite3_errmsg(copy), "");
  }
  const int pages = std::max(1, options.pages_per_step);
  while (true) {
    const int code = sqlite3_backup_step(backup.get(), pages);
    if (code == SQLITE_DONE) break;
    if (code != SQLITE_OK && code != SQLITE_BUSY && code != SQLITE_LOCKED) {
      return internal::SqliteStatus(code, sqlite3_errstr(code), "");
    }
    absl::SleepFor(options.pause_between_steps);
  }
  BackupCopy copied;
  copied.pages = sqlite3_backup_pagecount(backup.get());
  const int code = sqlite3_backup_finish(backup.release());
  if (code != SQLITE_OK) return internal::SqliteStatus(code, sqlite3_errmsg(copy), "");
  return copied;
}

}  // namespace

absl::StatusOr<BackupCopy> CopyLiveDatabase(const std::string& source_path,
                                            const std::string& copy_path,
                                            const OnlineBackupOptions& options) {
  // Read-write without create: a mistyped --db must not become a new, empty
  // database that is then backed up as if it were the clinic's.
  absl::StatusOr<std::unique_ptr<Connection>> source =
      Connection::Open(source_path, /*create=*/false, options.busy_timeout);
  if (!source.ok()) return source.status();
  absl::StatusOr<std::unique_ptr<Connection>> copy =
      Connection::Open(copy_path, /*create=*/true, options.busy_timeout);
  if (!copy.ok()) return copy.status();
  // One read transaction for the whole copy: the backup's steps use it
  // instead of taking a snapshot each, so the server's commits between steps
  // neither restart the copy nor end up half in it.
  if (absl::Status s = (*source)->Exec("BEGIN; SELECT count(*) FROM sqlite_schema;"); !s.ok()) {
    return internal::Annotate(s, absl::StrCat(source_path, ": "));
  }
  absl::StatusOr<BackupCopy> copied = CopyPages((*source)->handle(), (*copy)->handle(), options);
  (*source)->Exec("ROLLBACK").IgnoreError();
  if (!copied.ok()) return internal::Annotate(copied.status(), "copying the database: ");
  if (absl::Status s = CheckIntegrity(**copy, copy_path); !s.ok()) return s;
  absl::StatusOr<int64_t> page_size = PageSize(**copy);
  if (!page_size.ok()) return page_size.status();
  copied->page_size = *page_size;
  // The source page 1 says WAL; a backup file is better alone, without a
  // -wal beside it that a copy could leave behind.
  if (absl::Status s = (*copy)->Exec("PRAGMA journal_mode = DELETE"); !s.ok()) return s;
  return copied;
}

}  // namespace clinicd::store
