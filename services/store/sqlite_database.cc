#include "services/store/sqlite_database.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "services/store/run_guarded.h"
#include "services/store/sqlite_connection.h"
#include "services/store/sqlite_status.h"

namespace clinicd::store {
namespace {

using internal::RunGuarded;
using Connection = internal::SqliteConnection;

// Checks what Open cannot repair, before any file is touched.
absl::Status ValidateOptions(const DatabaseOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("database path is empty");
  }
  if (options.path == ":memory:") {
    return absl::InvalidArgumentError(
        "database path \":memory:\" would give every connection its own "
        "empty database; use a file");
  }
  if (options.read_connections < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "read_connections must be at least 1, got ", options.read_connections));
  }
  if (options.busy_timeout < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("busy_timeout must not be negative");
  }
  return absl::OkStatus();
}

// Each connection's page cache: SQLite's default of 2 MiB holds the upper
// levels of a few indexes; a booking touches seven indexes of appointments
// and more of notifications, and at a million appointments their pages no
// longer fit, so each check reads pages back from the OS. 16 MiB per
// connection (writer and readers: 80 MiB at most) keeps them.
constexpr char kCacheSize[] = "PRAGMA cache_size = -16384;";

// Readers also map the file (up to 2 GiB, Debian's SQLite's ceiling; pages
// past that are read as usual): a page then comes straight from the OS page cache that all readers
// share, where each connection's own cache would hold a copy and miss on
// pages another reader warmed. A search at a million appointments answered
// in 1.0 ms at the median instead of 1.2, p99 4.9 ms instead of 5.8. Readers
// only: the writer keeps plain I/O, so a full disk or an I/O error while
// writing stays an error, never a SIGBUS.
constexpr char kReaderMmapSize[] = "PRAGMA mmap_size = 2147418112;";

// Runs a PRAGMA that answers with one text value, such as journal_mode.
absl::StatusOr<std::string> QueryPragma(Connection& connection,
                                        absl::string_view sql) {
  absl::StatusOr<Statement> statement = connection.Prepare(sql);
  if (!statement.ok()) return statement.status();
  absl::StatusOr<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  if (!*row)
    return absl::InternalError(
        absl::StrCat(sql, " returned no row"));
  return statement->ColumnText(0);
}

// Puts the writer in WAL mode, which lets readers work alongside it, and
// turns on full syncs and foreign keys for clinical records.
absl::Status ConfigureWriter(Connection& writer) {
  absl::StatusOr<std::string> mode =
      QueryPragma(writer, "PRAGMA journal_mode = WAL");
  if (!mode.ok()) return mode.status();
  // SQLite answers with the mode it kept, e.g. on a filesystem without
  // shared memory; readers would then block the writer, so refuse.
  if (*mode != "wal") {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot enable WAL mode (journal_mode stays ", *mode, ")"));
  }
  if (absl::Status s = writer.Exec(kCacheSize); !s.ok()) return s;
  return writer.Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
}

// Makes a reader refuse writes, so a write slipped into Read fails at once
// instead of racing the writer for the lock.
absl::Status ConfigureReader(Connection& reader) {
  if (absl::Status s = reader.Exec(kCacheSize); !s.ok()) return s;
  if (absl::Status s = reader.Exec(kReaderMmapSize); !s.ok()) return s;
  return reader.Exec("PRAGMA query_only = ON; PRAGMA foreign_keys = ON;");
}

// Opens one connection and configures it; only the writer creates the file.
absl::StatusOr<std::unique_ptr<Connection>> OpenConnection(
    const DatabaseOptions& options, bool writer) {
  absl::StatusOr<std::unique_ptr<Connection>> connection =
      Connection::Open(options.path, /*create=*/writer, options.busy_timeout);
  if (!connection.ok()) return connection.status();
  absl::Status configured =
      writer ? ConfigureWriter(**connection) : ConfigureReader(**connection);
  if (!configured.ok()) {
    return internal::Annotate(configured, absl::StrCat(options.path, ": "));
  }
  return connection;
}

// The most writes one group commit carries: enough to share one fsync among
// every caller of a busy server, few enough that the first of a group does
// not wait long for the last.
constexpr size_t kMaxGroup = 32;

}  // namespace

// A Write waiting for its group: the leader sets status, then done (under
// queue_mu_), and the waiting caller returns status.
struct SqliteDatabase::QueuedWrite {
  absl::FunctionRef<absl::Status(Transaction&)> fn;
  absl::Status status;
  bool done = false;
};

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(
    const DatabaseOptions& options) {
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) return valid;
  absl::StatusOr<std::unique_ptr<Connection>> writer =
      OpenConnection(options, /*writer=*/true);
  if (!writer.ok()) return writer.status();
  std::vector<std::unique_ptr<Connection>> readers;
  readers.reserve(static_cast<size_t>(options.read_connections));
  for (int i = 0; i < options.read_connections; ++i) {
    absl::StatusOr<std::unique_ptr<Connection>> reader =
        OpenConnection(options, /*writer=*/false);
    if (!reader.ok()) return reader.status();
    readers.push_back(*std::move(reader));
  }
  return absl::WrapUnique(
      new SqliteDatabase(options, *std::move(writer), std::move(readers)));
}

SqliteDatabase::SqliteDatabase(DatabaseOptions options, std::unique_ptr<Connection> writer,
                   std::vector<std::unique_ptr<Connection>> readers)
    : options_(std::move(options)),
      writer_(std::move(writer)),
      readers_(std::move(readers)) {
  for (const std::unique_ptr<Connection>& reader : readers_) {
    idle_readers_.push_back(reader.get());
  }
}

SqliteDatabase::~SqliteDatabase() = default;

absl::Status SqliteDatabase::RunTransaction(
    Connection& connection, absl::string_view begin,
    absl::FunctionRef<absl::Status(Transaction&)> fn) {
  if (absl::Status begun = connection.Exec(begin); !begun.ok()) return begun;
  Transaction transaction(&connection);
  absl::Status status = RunGuarded(fn, transaction);
  if (status.ok()) status = connection.Exec("COMMIT");
  // Still open when fn failed, or when COMMIT did (a deferred foreign key or
  // a busy COMMIT leaves the transaction open). Roll back so the connection
  // is clean for its next user; the first error is the one worth reporting.
  if (connection.InTransaction()) connection.Exec("ROLLBACK").IgnoreError();
  return status;
}

absl::Status SqliteDatabase::WriteLocked(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  BeginWriteHealth();
  // IMMEDIATE takes the write lock up front, where the busy handler can wait
  // for another process; a deferred BEGIN that upgrades later could fail
  // with SQLITE_BUSY without waiting.
  absl::Status status = RunTransaction(*writer_, "BEGIN IMMEDIATE", fn);
  EndWriteHealth(status);
  return status;
}

size_t SqliteDatabase::WriteGroupLocked(const std::vector<QueuedWrite*>& group) {
  if (group.size() == 1) {
    // Alone: no savepoint to pay for.
    group[0]->status = WriteLocked(group[0]->fn);
    if (group[0]->status.ok()) commits_.Add(1);
    return 1;
  }
  BeginWriteHealth();
  Connection& writer = *writer_;
  absl::Status lost = writer.Exec("BEGIN IMMEDIATE");
  if (!lost.ok()) {
    // No transaction (another process kept the lock past the busy timeout):
    // nothing of the group ran, and every write in it fails with that.
    for (QueuedWrite* write : group) write->status = lost;
  }
  size_t decided = group.size();
  std::vector<bool> succeeded(group.size(), false);
  Transaction transaction(&writer);
  for (size_t i = 0; lost.ok() && i < group.size(); ++i) {
    QueuedWrite& write = *group[i];
    write.status = writer.Exec("SAVEPOINT clinicd_write");
    if (write.status.ok()) write.status = RunGuarded(write.fn, transaction);
    if (write.status.ok() && writer.InTransaction()) write.status = writer.CheckDeferredForeignKeys();
    absl::Status settled;
    if (!writer.InTransaction()) {
      // SQLite abandoned the whole transaction (SQLITE_FULL, an I/O error):
      // what the group wrote so far is gone.
      settled = write.status.ok()
                    ? absl::UnavailableError("the database rolled back the write transaction")
                    : write.status;
    } else if (write.status.ok()) {
      settled = writer.Exec("RELEASE clinicd_write");
    } else {
      // Refused: undo this write alone, keep the group's others.
      settled = writer.Exec("ROLLBACK TO clinicd_write");
      if (settled.ok()) settled = writer.Exec("RELEASE clinicd_write");
    }
    if (!settled.ok()) {
      if (write.status.ok()) write.status = settled;
      lost = settled;
      decided = i + 1;  // The rest never ran: they go on in the next group.
      break;
    }
    succeeded[i] = write.status.ok();
  }
  if (lost.ok()) lost = writer.Exec("COMMIT");
  if (writer.InTransaction()) writer.Exec("ROLLBACK").IgnoreError();
  EndWriteHealth(lost);
  uint64_t committed = 0;
  for (size_t i = 0; i < decided; ++i) {
    if (!succeeded[i]) continue;
    if (lost.ok()) {
      ++committed;
    } else {
      // Ran, but rolled back with its group: nothing of it is stored.
      group[i]->status = internal::Annotate(lost, "rolled back with the writes grouped with it: ");
    }
  }
  commits_.Add(committed);
  return decided;
}

void SqliteDatabase::BeginWriteHealth() {
  absl::MutexLock lock(&health_mu_);
  write_began_ = absl::Now();
}

void SqliteDatabase::EndWriteHealth(const absl::Status& status) {
  absl::MutexLock lock(&health_mu_);
  write_began_ = absl::InfiniteFuture();
  if (status.ok()) {
    storage_failure_ = absl::OkStatus();
  } else if (internal::IsStorageFailure(status)) {
    storage_failure_ = status;
  }
}

absl::Status SqliteDatabase::WriterHealth(absl::Duration wedged_after) const {
  absl::MutexLock lock(&health_mu_);
  if (!storage_failure_.ok()) return storage_failure_;
  const absl::Duration held = absl::Now() - write_began_;
  if (held > wedged_after) {
    return absl::UnavailableError(absl::StrCat("a write has held the database writer for ",
                                               absl::FormatDuration(held)));
  }
  return absl::OkStatus();
}

absl::Status SqliteDatabase::ProbeWriter() {
  absl::MutexLock lock(&write_mu_);
  return WriteLocked([](Transaction& tx) -> absl::Status {
    // Setting the header's user_version to the value it has dirties page 1,
    // so the commit appends a frame to the WAL and syncs it like any write,
    // and changes nothing.
    absl::StatusOr<Statement> read = tx.Prepare("PRAGMA user_version");
    if (!read.ok()) return read.status();
    absl::StatusOr<bool> row = read->Step();
    if (!row.ok()) return row.status();
    const int64_t version = read->ColumnInt(0);
    absl::StatusOr<Statement> write =
        tx.Prepare(absl::StrCat("PRAGMA user_version = ", version));
    if (!write.ok()) return write.status();
    return write->Step().status();
  });
}

absl::Status SqliteDatabase::Write(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  QueuedWrite write{fn, absl::OkStatus(), false};
  // Waits until this write is decided, or is the oldest still queued and so
  // leads the next group.
  struct Turn {
    const std::deque<QueuedWrite*>* queue;
    const QueuedWrite* write;
    bool Ready() const { return write->done || queue->front() == write; }
  } turn{&queue_, &write};
  queue_mu_.Lock();
  queue_.push_back(&write);
  queue_mu_.Await(absl::Condition(&turn, &Turn::Ready));
  if (!write.done) {
    const size_t size = std::min(queue_.size(), kMaxGroup);
    const std::vector<QueuedWrite*> group(queue_.begin(), queue_.begin() + static_cast<long>(size));
    // Writes that arrive meanwhile queue up for the next group.
    queue_mu_.Unlock();
    size_t decided = 0;
    {
      absl::MutexLock writer_lock(&write_mu_);
      decided = WriteGroupLocked(group);
    }
    queue_mu_.Lock();
    for (size_t i = 0; i < decided; ++i) group[i]->done = true;
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(decided));
  }
  queue_mu_.Unlock();
  return write.status;
}

size_t SqliteDatabase::QueuedWrites() const {
  absl::MutexLock lock(&queue_mu_);
  return queue_.size();
}

uint64_t SqliteDatabase::commits() const { return commits_.value(); }

uint64_t SqliteDatabase::WaitForCommit(uint64_t seen, absl::Duration timeout) const {
  return commits_.WaitPast(seen, timeout);
}

absl::Status SqliteDatabase::Read(
    absl::FunctionRef<absl::Status(Transaction&)> fn) const {
  // The reader goes back to the pool however the read ends.
  struct Lease {
    const SqliteDatabase& db;
    Connection* reader;
    ~Lease() { db.ReleaseReader(reader); }
  } lease{*this, AcquireReader()};
  return RunTransaction(*lease.reader, "BEGIN", fn);
}

const std::string& SqliteDatabase::path() const { return options_.path; }

Connection* SqliteDatabase::AcquireReader() const {
  absl::MutexLock lock(&readers_mu_);
  readers_mu_.Await(absl::Condition(
      +[](std::vector<Connection*>* idle) { return !idle->empty(); },
      &idle_readers_));
  Connection* reader = idle_readers_.back();
  idle_readers_.pop_back();
  return reader;
}

void SqliteDatabase::ReleaseReader(Connection* reader) const {
  absl::MutexLock lock(&readers_mu_);
  idle_readers_.push_back(reader);
}

}  // namespace clinicd::store
