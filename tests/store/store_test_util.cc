#include "tests/store/store_test_util.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <vector>

namespace clinicd::store {

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

void StoreTest::SetUp() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
      "/clinicd_store_XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  ASSERT_NE(mkdtemp(buffer.data()), nullptr) << std::strerror(errno);
  dir_ = buffer.data();
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(OptionsFor("clinic.db"));
  ASSERT_OK(db);
  db_ = *std::move(db);
}

void StoreTest::TearDown() {
  db_.reset();
  if (dir_.empty()) return;
  std::error_code error;
  std::filesystem::remove_all(dir_, error);
  EXPECT_FALSE(error) << "removing " << dir_ << ": " << error.message();
}

std::string StoreTest::PathFor(absl::string_view name) const {
  return dir_ + "/" + std::string(name);
}

DatabaseOptions StoreTest::OptionsFor(absl::string_view name) const {
  DatabaseOptions options;
  options.path = PathFor(name);
  return options;
}

absl::Status ExecWrite(Database& db, absl::string_view sql) {
  return db.Write([&](Transaction& txn) { return txn.Exec(sql); });
}

absl::StatusOr<int64_t> QueryInt(Transaction& txn, absl::string_view sql) {
  absl::StatusOr<Statement> statement = txn.Prepare(sql);
  if (!statement.ok()) return statement.status();
  absl::StatusOr<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError("query returned no row");
  return statement->ColumnInt(0);
}

absl::StatusOr<std::string> QueryText(Transaction& txn, absl::string_view sql) {
  absl::StatusOr<Statement> statement = txn.Prepare(sql);
  if (!statement.ok()) return statement.status();
  absl::StatusOr<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError("query returned no row");
  return statement->ColumnText(0);
}

int64_t ReadInt(const Database& db, absl::string_view sql) {
  int64_t value = std::numeric_limits<int64_t>::min();
  absl::Status status = db.Read([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<int64_t> result = QueryInt(txn, sql);
    if (!result.ok()) return result.status();
    value = *result;
    return absl::OkStatus();
  });
  EXPECT_OK(status) << "query: " << sql;
  return value;
}

std::string ReadText(const Database& db, absl::string_view sql) {
  std::string value = "<query failed>";
  absl::Status status = db.Read([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<std::string> result = QueryText(txn, sql);
    if (!result.ok()) return result.status();
    value = *result;
    return absl::OkStatus();
  });
  EXPECT_OK(status) << "query: " << sql;
  return value;
}

}  // namespace clinicd::store
