#include "services/store/database.h"

#include <exception>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "services/store/connection.h"
#include "services/store/sqlite_status.h"

namespace clinicd::store {
namespace {

using internal::Connection;

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
  return writer.Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
}

// Makes a reader refuse writes, so a write slipped into Read fails at once
// instead of racing the writer for the lock.
absl::Status ConfigureReader(Connection& reader) {
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

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
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
      new Database(options, *std::move(writer), std::move(readers)));
}

Database::Database(DatabaseOptions options, std::unique_ptr<Connection> writer,
                   std::vector<std::unique_ptr<Connection>> readers)
    : options_(std::move(options)),
      writer_(std::move(writer)),
      readers_(std::move(readers)) {
  for (const std::unique_ptr<Connection>& reader : readers_) {
    idle_readers_.push_back(reader.get());
  }
}

Database::~Database() = default;

absl::Status Database::RunTransaction(
    Connection& connection, absl::string_view begin,
    absl::FunctionRef<absl::Status(Transaction&)> fn) {
  if (absl::Status begun = connection.Exec(begin); !begun.ok()) return begun;
  Transaction transaction(&connection);
  absl::Status status;
  // Nothing thrown inside a transaction (a plugin, bad_alloc, a library's
  // check) may leave the connection inside it: every later user would fail
  // or wait. The exception ends here, as an error, and the work rolls back.
  try {
    status = fn(transaction);
  } catch (const std::exception& e) {
    status = absl::InternalError(absl::StrCat("unexpected exception in a transaction: ", e.what()));
  } catch (...) {
    status = absl::InternalError("unexpected exception in a transaction");
  }
  if (status.ok()) status = connection.Exec("COMMIT");
  // Still open when fn failed, or when COMMIT did (a deferred foreign key or
  // a busy COMMIT leaves the transaction open). Roll back so the connection
  // is clean for its next user; the first error is the one worth reporting.
  if (connection.InTransaction()) connection.Exec("ROLLBACK").IgnoreError();
  return status;
}

absl::Status Database::WriteLocked(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  {
    absl::MutexLock lock(&health_mu_);
    write_began_ = absl::Now();
  }
  // IMMEDIATE takes the write lock up front, where the busy handler can wait
  // for another process; a deferred BEGIN that upgrades later could fail
  // with SQLITE_BUSY without waiting.
  absl::Status status = RunTransaction(*writer_, "BEGIN IMMEDIATE", fn);
  absl::MutexLock lock(&health_mu_);
  write_began_ = absl::InfiniteFuture();
  if (status.ok()) {
    storage_failure_ = absl::OkStatus();
  } else if (internal::IsStorageFailure(status)) {
    storage_failure_ = status;
  }
  return status;
}

absl::Status Database::WriterHealth(absl::Duration wedged_after) const {
  absl::MutexLock lock(&health_mu_);
  if (!storage_failure_.ok()) return storage_failure_;
  const absl::Duration held = absl::Now() - write_began_;
  if (held > wedged_after) {
    return absl::UnavailableError(absl::StrCat("a write has held the database writer for ",
                                               absl::FormatDuration(held)));
  }
  return absl::OkStatus();
}

absl::Status Database::ProbeWriter() {
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

absl::Status Database::Write(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  absl::MutexLock lock(&write_mu_);
  absl::Status status = WriteLocked(fn);
  if (status.ok()) {
    absl::MutexLock commits_lock(&commits_mu_);
    ++commits_;
    commits_cv_.SignalAll();
  }
  return status;
}

uint64_t Database::commits() const {
  absl::MutexLock lock(&commits_mu_);
  return commits_;
}

uint64_t Database::WaitForCommit(uint64_t seen, absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&commits_mu_);
  while (commits_ == seen) {
    if (commits_cv_.WaitWithDeadline(&commits_mu_, deadline)) break;  // Timed out.
  }
  return commits_;
}

absl::Status Database::Read(
    absl::FunctionRef<absl::Status(Transaction&)> fn) const {
  // The reader goes back to the pool however the read ends.
  struct Lease {
    const Database& db;
    Connection* reader;
    ~Lease() { db.ReleaseReader(reader); }
  } lease{*this, AcquireReader()};
  return RunTransaction(*lease.reader, "BEGIN", fn);
}

absl::StatusOr<int> Database::UserVersion() const {
  int version = 0;
  absl::Status status = Read([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<Statement> statement = txn.Prepare("PRAGMA user_version");
    if (!statement.ok()) return statement.status();
    absl::StatusOr<bool> row = statement->Step();
    if (!row.ok()) return row.status();
    version = static_cast<int>(statement->ColumnInt(0));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return version;
}

const std::string& Database::path() const { return options_.path; }

Connection* Database::AcquireReader() const {
  absl::MutexLock lock(&readers_mu_);
  readers_mu_.Await(absl::Condition(
      +[](std::vector<Connection*>* idle) { return !idle->empty(); },
      &idle_readers_));
  Connection* reader = idle_readers_.back();
  idle_readers_.pop_back();
  return reader;
}

void Database::ReleaseReader(Connection* reader) const {
  absl::MutexLock lock(&readers_mu_);
  idle_readers_.push_back(reader);
}

}  // namespace clinicd::store
