#include "services/store/postgres_database.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <random>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/store/postgres_connection.h"
#include "services/store/postgres_status.h"
#include "services/store/run_guarded.h"

namespace clinicd::store {
namespace {

using internal::PostgresConnection;

// The channel every commit that changed rows notifies.
constexpr char kCommitChannel[] = "clinicd_commit";

// How often one write is run again after losing to a concurrent one before
// the caller is told to retry. Each loss means another write committed, so
// the clinic as a whole moves on; one write can still lose many times in a
// row when others keep changing what it read (a churn of moves on the same
// practitioners lost 25 in a row), so the budget is generous: with the
// backoff below, about 8 s of trying.
constexpr int kMaxAttempts = 100;

// Sleeps a random while that grows with `attempt`, so two transactions that
// keep colliding drift apart.
void BackOff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  const int ceiling_ms = std::min(1 << std::min(attempt, 7), 100);
  std::uniform_int_distribution<int> micros(100, ceiling_ms * 1000);
  absl::SleepFor(absl::Microseconds(micros(random)));
}

}  // namespace

bool IsPostgresAddress(absl::string_view path) {
  return absl::StartsWith(path, "postgresql://") || absl::StartsWith(path, "postgres://");
}

class PostgresDatabase::Pool {
 public:
  explicit Pool(std::vector<std::unique_ptr<PostgresConnection>> connections)
      : connections_(std::move(connections)) {
    for (const auto& connection : connections_) idle_.push_back(connection.get());
  }

  PostgresConnection* Acquire() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](std::vector<PostgresConnection*>* idle) { return !idle->empty(); }, &idle_));
    PostgresConnection* connection = idle_.back();
    idle_.pop_back();
    return connection;
  }

  void Release(PostgresConnection* connection) {
    absl::MutexLock lock(&mu_);
    idle_.push_back(connection);
  }

 private:
  const std::vector<std::unique_ptr<PostgresConnection>> connections_;
  absl::Mutex mu_;
  std::vector<PostgresConnection*> idle_ ABSL_GUARDED_BY(mu_);
};

namespace {

// A connection borrowed from a pool for one transaction.
template <typename PoolType>
struct Lease {
  PoolType& pool;
  PostgresConnection* connection;
  explicit Lease(PoolType& p) : pool(p), connection(p.Acquire()) {}
  ~Lease() { pool.Release(connection); }
};

// Ends whatever transaction `connection` still has open, so it is clean for
// its next user; the first error is the one worth reporting.
void RollBackIfOpen(PostgresConnection& connection) {
  if (connection.InTransaction()) connection.Exec("ROLLBACK").IgnoreError();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(
    const DatabaseOptions& options) {
  const std::string shown = AddressForLogs(options.path);
  if (options.read_connections < 1 || options.write_connections < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "read_connections and write_connections must be at least 1, got ",
        options.read_connections, " and ", options.write_connections));
  }
  auto connect = [&]() -> absl::StatusOr<std::unique_ptr<PostgresConnection>> {
    absl::StatusOr<std::unique_ptr<PostgresConnection>> connection =
        PostgresConnection::Open(options.path, options.busy_timeout);
    if (!connection.ok()) return internal::Annotate(connection.status(), absl::StrCat(shown, ": "));
    return connection;
  };
  std::vector<std::unique_ptr<PostgresConnection>> writers;
  for (int i = 0; i < options.write_connections; ++i) {
    absl::StatusOr<std::unique_ptr<PostgresConnection>> writer = connect();
    if (!writer.ok()) return writer.status();
    writers.push_back(*std::move(writer));
  }
  std::vector<std::unique_ptr<PostgresConnection>> readers;
  for (int i = 0; i < options.read_connections; ++i) {
    absl::StatusOr<std::unique_ptr<PostgresConnection>> reader = connect();
    if (!reader.ok()) return reader.status();
    readers.push_back(*std::move(reader));
  }
  absl::StatusOr<std::unique_ptr<PostgresConnection>> listener = connect();
  if (!listener.ok()) return listener.status();
  if (absl::Status s = (*listener)->Exec(absl::StrCat("LISTEN ", kCommitChannel)); !s.ok()) {
    return internal::Annotate(s, absl::StrCat(shown, ": "));
  }
  return absl::WrapUnique(new PostgresDatabase(options, shown, std::move(writers),
                                               std::move(readers), *std::move(listener)));
}

PostgresDatabase::PostgresDatabase(DatabaseOptions options, std::string display_address,
                                   std::vector<std::unique_ptr<PostgresConnection>> writers,
                                   std::vector<std::unique_ptr<PostgresConnection>> readers,
                                   std::unique_ptr<PostgresConnection> listener)
    : options_(std::move(options)),
      display_address_(std::move(display_address)),
      writers_(std::make_unique<Pool>(std::move(writers))),
      readers_(std::make_unique<Pool>(std::move(readers))),
      listener_(std::move(listener)) {
  listen_thread_ = std::thread([this] { Listen(); });
}

PostgresDatabase::~PostgresDatabase() {
  stopping_ = true;
  listen_thread_.join();
}

void PostgresDatabase::Listen() {
  PostgresConnection& connection = *listener_;
  while (!stopping_) {
    pg_conn* conn = connection.handle();
    if (PQstatus(conn) != CONNECTION_OK) {
      // Reconnect, listen again, and wake every waiter: notifications sent
      // while the connection was down are lost, so they re-read.
      if (!connection.EnsureConnected().ok() ||
          !connection.Exec(absl::StrCat("LISTEN ", kCommitChannel)).ok()) {
        absl::SleepFor(absl::Milliseconds(500));
        continue;
      }
      commits_.Add(1);
    }
    pollfd watched{PQsocket(conn), POLLIN, 0};
    if (watched.fd >= 0) ::poll(&watched, 1, /*timeout_ms=*/200);
    if (PQconsumeInput(conn) == 0) continue;  // Broken: reconnected above.
    uint64_t heard = 0;
    while (PGnotify* notice = PQnotifies(conn)) {
      ++heard;
      PQfreemem(notice);
    }
    commits_.Add(heard);
  }
}

absl::Status PostgresDatabase::WriteOnce(PostgresConnection& connection,
                                         absl::FunctionRef<absl::Status(Transaction&)> fn) {
  connection.ForgetTransaction();
  absl::Status status = connection.Exec("BEGIN ISOLATION LEVEL SERIALIZABLE");
  if (!status.ok() && PQstatus(connection.handle()) != CONNECTION_OK) {
    // The session died between transactions (nothing of this write ran):
    // connect again and begin once more.
    status = connection.EnsureConnected();
    if (status.ok()) status = connection.Exec("BEGIN ISOLATION LEVEL SERIALIZABLE");
  }
  if (status.ok()) {
    Transaction transaction(&connection);
    status = internal::RunGuarded(fn, transaction);
  }
  if (status.ok() && PQtransactionStatus(connection.handle()) == PQTRANS_INERROR) {
    // A statement failed and fn went on as if it had not: COMMIT would
    // quietly roll back, so say so instead of acknowledging.
    status = absl::InternalError("a statement failed inside the write; nothing was written");
  }
  // Sent at COMMIT, to every listening clinicd (this one included).
  if (status.ok() && connection.wrote()) {
    status = connection.Exec(absl::StrCat("NOTIFY ", kCommitChannel));
  }
  if (status.ok()) status = connection.Exec("COMMIT");
  RollBackIfOpen(connection);
  return status;
}

absl::Status PostgresDatabase::Write(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  ++writes_in_flight_;
  Lease<Pool> lease(*writers_);
  PostgresConnection& connection = *lease.connection;
  const uint64_t id = ++write_ids_;
  absl::Status status;
  for (int attempt = 1;; ++attempt) {
    {
      // Each attempt's own start: waiting for a connection or backing off
      // between attempts is not a write holding the database.
      absl::MutexLock lock(&health_mu_);
      write_began_[id] = absl::Now();
    }
    status = connection.EnsureConnected();
    if (status.ok()) status = WriteOnce(connection, fn);
    {
      absl::MutexLock lock(&health_mu_);
      write_began_.erase(id);
    }
    if (connection.retry_sqlstate().empty() || attempt == kMaxAttempts) break;
    BackOff(attempt);
  }
  if (status.ok() && !connection.retry_sqlstate().empty()) {
    status = internal::PostgresStatus(connection.retry_sqlstate(), "write conflicts kept repeating");
  }
  NoteWriteOutcome(status);
  if (status.ok()) commits_.Add(1);
  --writes_in_flight_;
  return status;
}

void PostgresDatabase::NoteWriteOutcome(const absl::Status& status) {
  absl::MutexLock lock(&health_mu_);
  if (status.ok()) {
    storage_failure_ = absl::OkStatus();
  } else if (internal::IsStorageFailure(status)) {
    storage_failure_ = status;
  }
}

absl::Status PostgresDatabase::Read(absl::FunctionRef<absl::Status(Transaction&)> fn) const {
  Lease<Pool> lease(*readers_);
  PostgresConnection& connection = *lease.connection;
  constexpr char kBegin[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  absl::Status status = connection.EnsureConnected();
  if (status.ok()) status = connection.Exec(kBegin);
  if (!status.ok() && PQstatus(connection.handle()) != CONNECTION_OK) {
    status = connection.EnsureConnected();
    if (status.ok()) status = connection.Exec(kBegin);
  }
  if (status.ok()) {
    Transaction transaction(&connection);
    status = internal::RunGuarded(fn, transaction);
  }
  if (status.ok()) status = connection.Exec("COMMIT");
  RollBackIfOpen(connection);
  return status;
}

size_t PostgresDatabase::QueuedWrites() const { return writes_in_flight_.load(); }

uint64_t PostgresDatabase::commits() const { return commits_.value(); }

uint64_t PostgresDatabase::WaitForCommit(uint64_t seen, absl::Duration timeout) const {
  return commits_.WaitPast(seen, timeout);
}

absl::Status PostgresDatabase::WriterHealth(absl::Duration wedged_after) const {
  absl::MutexLock lock(&health_mu_);
  if (!storage_failure_.ok()) return storage_failure_;
  if (!write_began_.empty()) {
    absl::Time oldest = absl::InfiniteFuture();
    for (const auto& [id, began] : write_began_) oldest = std::min(oldest, began);
    const absl::Duration held = absl::Now() - oldest;
    if (held > wedged_after) {
      return absl::UnavailableError(
          absl::StrCat("a write has been running for ", absl::FormatDuration(held)));
    }
  }
  return absl::OkStatus();
}

absl::Status PostgresDatabase::ProbeWriter() {
  Lease<Pool> lease(*writers_);
  PostgresConnection& connection = *lease.connection;
  absl::Status status = connection.EnsureConnected();
  // A transaction with an id writes and flushes a commit record: the WAL
  // is written and synced as for any write, and no row changes.
  if (status.ok()) status = connection.Exec("BEGIN; SELECT pg_current_xact_id(); COMMIT");
  RollBackIfOpen(connection);
  NoteWriteOutcome(status);
  return status;
}

}  // namespace clinicd::store
