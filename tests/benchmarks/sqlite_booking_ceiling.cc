// sqlite-booking-ceiling: the fastest a booking could be stored by SQLite
// alone, as a ceiling for clinicd's CreateAppointment. One connection, WAL
// with synchronous=FULL (as clinicd), a bookings table indexed on
// (resource, start); each booking first checks for an overlapping one of
// its resource (bounded on both sides, as clinicd's store does), then
// inserts. --per_txn bookings share one BEGIN IMMEDIATE ... COMMIT, so one
// fsync. Prints one JSON line.
//
//   sqlite-booking-ceiling --db=/tmp/x.db --per_txn=32 --seconds=10 [--prefill=10000]
//
// A benchmark tool, not a test: see run_booking_bench.sh.

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// Sessions are an hour; slots 75 minutes apart on 64 resources.
constexpr int64_t kResources = 64;
constexpr int64_t kSlotSeconds = 75 * 60;
constexpr int64_t kSessionSeconds = 60 * 60;

[[noreturn]] void Die(sqlite3* db, const char* what) {
  std::fprintf(stderr, "sqlite-booking-ceiling: %s: %s\n", what, sqlite3_errmsg(db));
  std::exit(1);
}

void Exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) Die(db, sql);
}

sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    Die(db, sql);
  }
  return stmt;
}

// Booking n: resource n mod 64, the (n / 64)-th slot; never overlapping.
struct Booking {
  int64_t resource, start, end;
};
Booking Nth(int64_t n) {
  const int64_t start = 1900000000 + (n / kResources) * kSlotSeconds;
  return {n % kResources, start, start + kSessionSeconds};
}

// Checks for an overlap and inserts; true when inserted.
bool Book(sqlite3* db, sqlite3_stmt* overlap, sqlite3_stmt* insert, const Booking& b) {
  sqlite3_reset(overlap);
  sqlite3_bind_int64(overlap, 1, b.resource);
  sqlite3_bind_int64(overlap, 2, b.start - kSessionSeconds);
  sqlite3_bind_int64(overlap, 3, b.end);
  sqlite3_bind_int64(overlap, 4, b.start);
  const int found = sqlite3_step(overlap);
  if (found == SQLITE_ROW) return false;
  if (found != SQLITE_DONE) Die(db, "overlap check");
  sqlite3_reset(insert);
  sqlite3_bind_int64(insert, 1, b.resource);
  sqlite3_bind_int64(insert, 2, b.start);
  sqlite3_bind_int64(insert, 3, b.end);
  if (sqlite3_step(insert) != SQLITE_DONE) Die(db, "insert");
  return true;
}

const char* Flag(int argc, char** argv, const char* name, const char* fallback) {
  const size_t length = std::strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], name, length) == 0 && argv[i][length] == '=') {
      return argv[i] + length + 1;
    }
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = Flag(argc, argv, "--db", "");
  const int per_txn = std::atoi(Flag(argc, argv, "--per_txn", "1"));
  const double seconds = std::atof(Flag(argc, argv, "--seconds", "10"));
  const int64_t prefill = std::atoll(Flag(argc, argv, "--prefill", "10000"));
  if (path.empty() || per_txn < 1 || seconds <= 0 || prefill < 0) {
    std::fprintf(stderr,
                 "usage: sqlite-booking-ceiling --db=FILE [--per_txn=1] [--seconds=10] "
                 "[--prefill=10000]\n");
    return 2;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) Die(db, "open");
  Exec(db, "PRAGMA journal_mode=WAL");
  Exec(db, "PRAGMA synchronous=FULL");
  Exec(db,
       "CREATE TABLE IF NOT EXISTS bookings (id INTEGER PRIMARY KEY, resource INTEGER NOT NULL, "
       "start_time INTEGER NOT NULL, end_time INTEGER NOT NULL)");
  Exec(db, "CREATE INDEX IF NOT EXISTS bookings_by_resource ON bookings (resource, start_time)");
  sqlite3_stmt* overlap =
      Prepare(db,
              "SELECT 1 FROM bookings WHERE resource = ?1 AND start_time > ?2 AND start_time < ?3 "
              "AND end_time > ?4 LIMIT 1");
  sqlite3_stmt* insert =
      Prepare(db, "INSERT INTO bookings (resource, start_time, end_time) VALUES (?1, ?2, ?3)");

  int64_t next = 0;
  Exec(db, "BEGIN IMMEDIATE");
  for (; next < prefill; ++next) Book(db, overlap, insert, Nth(next));
  Exec(db, "COMMIT");

  int64_t booked = 0;
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    Exec(db, "BEGIN IMMEDIATE");
    for (int i = 0; i < per_txn; ++i) {
      if (!Book(db, overlap, insert, Nth(next++))) Die(db, "a free slot was found taken");
      ++booked;
    }
    Exec(db, "COMMIT");
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"per_txn\":%d,\"seconds\":%.3f,\"bookings\":%lld,\"bookings_per_s\":%.1f}\n",
              per_txn, elapsed, static_cast<long long>(booked),
              static_cast<double>(booked) / elapsed);
  sqlite3_finalize(overlap);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return 0;
}
