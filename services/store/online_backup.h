#pragma once

// A consistent copy of a live clinicd database, taken with SQLite's online
// backup API while the server goes on writing.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace clinicd::store {

struct OnlineBackupOptions {
  // Pages copied per step (1024 × 4 KiB pages = 4 MiB). Between steps the
  // copy pauses, so a large copy reads the disk in bursts rather than
  // saturating it while the server serves.
  int pages_per_step = 1024;
  absl::Duration pause_between_steps = absl::Milliseconds(5);
  // How long opening the source may wait for a lock another process holds
  // (e.g. a running migration).
  absl::Duration busy_timeout = absl::Seconds(10);
};

// What was copied.
struct BackupCopy {
  int64_t pages = 0;
  int64_t page_size = 0;
};

// Copies the database at `source_path`, which must exist (it is never
// created), into `copy_path`, an empty or missing file, as one snapshot: the
// copy holds exactly the transactions committed when it started, however
// long it takes. Then checks the copy with PRAGMA integrity_check and turns
// it into a self-contained file (rollback journal mode, no -wal beside it);
// clinicd puts it back into WAL mode when it opens it.
//
// The source is read inside one read transaction; in WAL mode (clinicd's)
// that never blocks the server's writer, and its commits meanwhile are not
// in the copy. DATA_LOSS when the copy fails its integrity check; other
// errors name the file.
absl::StatusOr<BackupCopy> CopyLiveDatabase(const std::string& source_path,
                                            const std::string& copy_path,
                                            const OnlineBackupOptions& options);

}  // namespace clinicd::store
