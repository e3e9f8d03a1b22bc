#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "services/store/database.h"
#include "services/store/transaction.h"

// Asserts that a Status or StatusOr is OK, printing the status otherwise.
#define ASSERT_OK(expr) \
  ASSERT_EQ(::clinicd::store::StatusOf(expr), ::absl::OkStatus())

// Expects that a Status or StatusOr is OK, printing the status otherwise.
#define EXPECT_OK(expr) \
  EXPECT_EQ(::clinicd::store::StatusOf(expr), ::absl::OkStatus())

namespace clinicd::store {

// Lets ASSERT_OK take a Status.
inline const absl::Status& StatusOf(const absl::Status& status) {
  return status;
}

// Lets ASSERT_OK take a StatusOr.
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// A status message as std::string, which gmock matchers accept (Debian's
// absl::string_view is not absl::string_view).
std::string Message(const absl::Status& status);

// Gives each test a fresh directory for real database files, with db_ open
// on "clinic.db" in it; everything is removed afterwards.
class StoreTest : public ::testing::Test {
 protected:
  // Creates the directory with mkdtemp and opens db_.
  void SetUp() override;

  // Closes db_ and removes the directory.
  void TearDown() override;

  // A path inside this test's directory.
  std::string PathFor(absl::string_view name) const;

  // Default options for a file inside this test's directory.
  DatabaseOptions OptionsFor(absl::string_view name) const;

  std::string dir_;
  std::unique_ptr<Database> db_;
};

// Runs a parameterless script in its own write transaction.
absl::Status ExecWrite(Database& db, absl::string_view sql);

// Returns the first column of the first row of `sql`.
absl::StatusOr<int64_t> QueryInt(Transaction& txn, absl::string_view sql);

// Returns the first column of the first row of `sql` as text.
absl::StatusOr<std::string> QueryText(Transaction& txn, absl::string_view sql);

// Runs QueryInt on a reader; records a test failure and returns INT64_MIN
// when the query fails, so callers can compare against exact values.
int64_t ReadInt(const Database& db, absl::string_view sql);

// Runs QueryText on a reader; records a test failure and returns
// "<query failed>" when the query fails.
std::string ReadText(const Database& db, absl::string_view sql);

}  // namespace clinicd::store
