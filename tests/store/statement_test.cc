#include "services/store/statement.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/store/store_test_util.h"

namespace clinicd::store {
namespace {

constexpr absl::string_view kInsert = "INSERT INTO v(a, b) VALUES (?1, ?2)";
constexpr absl::string_view kSelect = "SELECT a, b FROM v ORDER BY rowid";

// Puts a two-column table in db_ and gives each test a write transaction.
class StatementTest : public StoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreTest::SetUp());
    ASSERT_OK(ExecWrite(*db_, "CREATE TABLE v(a, b)"));
  }

  // Runs `fn` in a write transaction, failing the test on error.
  void InWrite(absl::FunctionRef<void(Transaction&)> fn) {
    ASSERT_OK(db_->Write([&](Transaction& txn) {
      fn(txn);
      return absl::OkStatus();
    }));
  }
};

// How many statements with exactly this SQL the connection holds, idle or
// in use, from SQLite's own sqlite_stmt table.
int64_t PreparedCount(Transaction& txn, absl::string_view sql) {
  absl::StatusOr<Statement> count =
      txn.Prepare("SELECT count(*) FROM sqlite_stmt WHERE sql = ?1");
  if (!count.ok()) return -1;
  count->BindText(1, sql);
  absl::StatusOr<bool> row = count->Step();
  return row.ok() && *row ? count->ColumnInt(0) : -1;
}

TEST_F(StatementTest, IntegersAndDoublesRoundTrip) {
  InWrite([](Transaction& txn) {
    absl::StatusOr<Statement> statement = txn.Prepare("SELECT ?1, ?2, ?3, ?4");
    ASSERT_OK(statement);
    statement->Bind(1, std::numeric_limits<int64_t>::max())
        .Bind(2, std::numeric_limits<int64_t>::min())
        .Bind(3, 0.1)
        .Bind(4, -7);
    ASSERT_EQ(statement->Step().value_or(false), true);
    EXPECT_EQ(statement->ColumnInt(0), std::numeric_limits<int64_t>::max());
    EXPECT_EQ(statement->ColumnInt(1), std::numeric_limits<int64_t>::min());
    EXPECT_EQ(statement->ColumnDouble(2), 0.1);
    EXPECT_EQ(statement->ColumnInt(3), -7);
    EXPECT_EQ(statement->Step().value_or(true), false);
  });
}

TEST_F(StatementTest, TextAndBlobsRoundTripByteForByte) {
  const std::string text = "Zoë Åkesson — 日本語";
  const std::string blob("\0a\0b\xff\0", 6);
  InWrite([&](Transaction& txn) {
    absl::StatusOr<Statement> insert = txn.Prepare(kInsert);
    ASSERT_OK(insert);
    ASSERT_OK(insert->BindText(1, text).BindBlob(2, blob).Run());
    absl::StatusOr<Statement> select =
        txn.Prepare("SELECT a, b, typeof(a), typeof(b), length(b) FROM v");
    ASSERT_OK(select);
    ASSERT_EQ(select->Step().value_or(false), true);
    EXPECT_EQ(select->ColumnText(0), text);
    EXPECT_EQ(select->ColumnBlob(1), blob);
    EXPECT_EQ(select->ColumnText(2), "text");
    EXPECT_EQ(select->ColumnText(3), "blob");
    EXPECT_EQ(select->ColumnInt(4), 6);
  });
}

TEST_F(StatementTest, ListsBindAsJsonArraysThatJsonEachReadsBack) {
  const std::vector<std::string> texts = {"plain", "quote\" back\\slash", "tab\tnew\nline", ""};
  InWrite([&](Transaction& txn) {
    absl::StatusOr<Statement> select =
        txn.Prepare("SELECT value, type FROM json_each(?1) ORDER BY key");
    ASSERT_OK(select);
    select->BindTextList(1, texts);
    for (const std::string& text : texts) {
      ASSERT_EQ(select->Step().value_or(false), true) << text;
      EXPECT_EQ(select->ColumnText(0), text);
      EXPECT_EQ(select->ColumnText(1), "text");
    }
    EXPECT_EQ(select->Step().value_or(true), false);

    absl::StatusOr<Statement> in = txn.Prepare(
        "SELECT count(*) FROM (SELECT 1 AS n UNION SELECT 2 UNION SELECT 3) "
        "WHERE n IN (SELECT value FROM json_each(?1))");
    ASSERT_OK(in);
    in->BindIntList(1, {1, 3, 7});
    ASSERT_EQ(in->Step().value_or(false), true);
    EXPECT_EQ(in->ColumnInt(0), 2);
  });
}

TEST_F(StatementTest, EmptyTextAndBlobAreNotNull) {
  InWrite([](Transaction& txn) {
    absl::StatusOr<Statement> statement =
        txn.Prepare("SELECT typeof(?1), typeof(?2), typeof(?3), ?1");
    ASSERT_OK(statement);
    statement->BindText(1, "")
        .BindText(2, absl::string_view())
        .BindBlob(3, absl::string_view());
    ASSERT_EQ(statement->Step().value_or(false), true);
    EXPECT_EQ(statement->ColumnText(0), "text");
    EXPECT_EQ(statement->ColumnText(1), "text");
    EXPECT_EQ(statement->ColumnText(2), "blob");
    EXPECT_FALSE(statement->ColumnIsNull(3));
  });
}

TEST_F(StatementTest, NullAndOptionalTextRoundTrip) {
  InWrite([](Transaction& txn) {
    absl::StatusOr<Statement> statement =
        txn.Prepare("SELECT ?1, ?2, ?3, typeof(?2)");
    ASSERT_OK(statement);
    statement->BindNull(1).BindOptionalText(2, "").BindOptionalText(3, "set");
    ASSERT_EQ(statement->Step().value_or(false), true);
    EXPECT_TRUE(statement->ColumnIsNull(0));
    EXPECT_TRUE(statement->ColumnIsNull(1));
    EXPECT_EQ(statement->ColumnText(3), "null");
    EXPECT_FALSE(statement->ColumnIsNull(2));
    EXPECT_EQ(statement->ColumnText(2), "set");
    EXPECT_EQ(statement->ColumnText(0), "");
    EXPECT_EQ(statement->ColumnInt(0), 0);
    EXPECT_EQ(statement->ColumnBlob(0), "");
  });
}

TEST_F(StatementTest, TimeIsStoredAsIntegerUnixMicros) {
  const absl::Time after_epoch = absl::FromUnixMicros(1700000000123456);
  const absl::Time before_epoch =
      absl::FromCivil(absl::CivilSecond(1955, 3, 14, 9, 30, 0),
                      absl::UTCTimeZone()) +
      absl::Microseconds(7);
  InWrite([&](Transaction& txn) {
    absl::StatusOr<Statement> insert = txn.Prepare(kInsert);
    ASSERT_OK(insert);
    ASSERT_OK(insert->Bind(1, after_epoch).Bind(2, before_epoch).Run());
    absl::StatusOr<Statement> select =
        txn.Prepare("SELECT a, b, typeof(a), a FROM v");
    ASSERT_OK(select);
    ASSERT_EQ(select->Step().value_or(false), true);
    EXPECT_EQ(select->ColumnTime(0), after_epoch);
    EXPECT_EQ(select->ColumnTime(1), before_epoch);
    EXPECT_EQ(select->ColumnText(2), "integer");
    EXPECT_EQ(select->ColumnInt(3), 1700000000123456);
  });
}

TEST_F(StatementTest, SubMicrosecondTimeIsRoundedDown) {
  const absl::Time whole = absl::FromUnixMicros(1700000000123456);
  InWrite([&](Transaction& txn) {
    absl::StatusOr<Statement> statement = txn.Prepare("SELECT ?1");
    ASSERT_OK(statement);
    statement->Bind(1, whole + absl::Nanoseconds(999));
    ASSERT_EQ(statement->Step().value_or(false), true);
    EXPECT_EQ(statement->ColumnTime(0), whole);
  });
}

TEST_F(StatementTest, FirstBindFailureIsReportedByRun) {
  InWrite([](Transaction& txn) {
    absl::StatusOr<Statement> insert = txn.Prepare(kInsert);
    ASSERT_OK(insert);
    absl::Status status = insert->Bind(1, 1).Bind(3, 3).Bind(9, 9).Run();
    EXPECT_EQ(status, absl::InternalError("binding parameter 3: column index "
                                          "out of range (sqlite code 25)"));
    EXPECT_EQ(QueryInt(txn, "SELECT count(*) FROM v").value_or(-1), 0);
  });
}

TEST_F(StatementTest, StepWalksRowsInOrderThenReportsDone) {
  InWrite([](Transaction& txn) {
    ASSERT_OK(txn.Exec("INSERT INTO v VALUES (1, 'one'), (2, 'two')"));
    absl::StatusOr<Statement> select = txn.Prepare(kSelect);
    ASSERT_OK(select);
    ASSERT_EQ(select->Step().value_or(false), true);
    EXPECT_EQ(select->ColumnText(1), "one");
    ASSERT_EQ(select->Step().value_or(false), true);
    EXPECT_EQ(select->ColumnText(1), "two");
    EXPECT_EQ(select->Step().value_or(true), false);
  });
}

TEST_F(StatementTest, RunCanBeRepeatedWithNewBindings) {
  InWrite([](Transaction& txn) {
    absl::StatusOr<Statement> insert = txn.Prepare(kInsert);
    ASSERT_OK(insert);
    for (int i = 1; i <= 5; ++i) ASSERT_OK(insert->Bind(1, i).Bind(2, i).Run());
    EXPECT_EQ(QueryInt(txn, "SELECT sum(a) FROM v").value_or(-1), 15);
  });
}

TEST_F(StatementTest, ResetAllowsRebindingAfterReadingRows) {
  InWrite([](Transaction& txn) {
    ASSERT_OK(txn.Exec("INSERT INTO v VALUES (1, 'one'), (2, 'two')"));
    absl::StatusOr<Statement> select =
        txn.Prepare("SELECT b FROM v WHERE a = ?1");
    ASSERT_OK(select);
    select->Bind(1, 1);
    ASSERT_EQ(select->Step().value_or(false), true);
    EXPECT_EQ(select->ColumnText(0), "one");
    select->Reset();
    select->Bind(1, 2);
    ASSERT_EQ(select->Step().value_or(false), true);
    EXPECT_EQ(select->ColumnText(0), "two");
  });
}

TEST_F(StatementTest, CachedStatementIsReusedWithBindingsCleared) {
  InWrite([](Transaction& txn) {
    {
      absl::StatusOr<Statement> insert = txn.Prepare(kInsert);
      ASSERT_OK(insert);
      ASSERT_OK(insert->Bind(1, 1).BindText(2, "first").Run());
    }
    {
      // Same SQL: the cached statement comes back with ?2 unbound (NULL), not
      // still holding "first".
      absl::StatusOr<Statement> insert = txn.Prepare(kInsert);
      ASSERT_OK(insert);
      ASSERT_OK(insert->Bind(1, 2).Run());
    }
    EXPECT_EQ(PreparedCount(txn, kInsert), 1);
    EXPECT_EQ(QueryInt(txn, "SELECT count(*) FROM v WHERE a = 2 AND b IS NULL")
                  .value_or(-1),
              1);
  });
}

TEST_F(StatementTest, SameSqlNestedGetsTwoStatementsThatBothWork) {
  InWrite([](Transaction& txn) {
    ASSERT_OK(txn.Exec("INSERT INTO v VALUES (1, 'x'), (2, 'y')"));
    std::vector<std::pair<int64_t, int64_t>> pairs;
    {
      absl::StatusOr<Statement> outer = txn.Prepare(kSelect);
      ASSERT_OK(outer);
      while (outer->Step().value_or(false)) {
        absl::StatusOr<Statement> inner = txn.Prepare(kSelect);
        ASSERT_OK(inner);
        while (inner->Step().value_or(false)) {
          pairs.emplace_back(outer->ColumnInt(0), inner->ColumnInt(0));
        }
        EXPECT_EQ(PreparedCount(txn, kSelect), 2);
      }
    }
    const std::vector<std::pair<int64_t, int64_t>> expected = {
        {1, 1}, {1, 2}, {2, 1}, {2, 2}};
    EXPECT_EQ(pairs, expected);
    // Both went back to the cache; preparing again makes no third one.
    absl::StatusOr<Statement> again = txn.Prepare(kSelect);
    ASSERT_OK(again);
    EXPECT_EQ(PreparedCount(txn, kSelect), 2);
  });
}

TEST_F(StatementTest, MovedStatementKeepsWorkingAndTheSourceRefuses) {
  InWrite([](Transaction& txn) {
    absl::StatusOr<Statement> prepared = txn.Prepare("SELECT ?1");
    ASSERT_OK(prepared);
    Statement statement = *std::move(prepared);
    statement.Bind(1, 5);
    Statement moved = std::move(statement);
    ASSERT_EQ(moved.Step().value_or(false), true);
    EXPECT_EQ(moved.ColumnInt(0), 5);
    EXPECT_EQ(statement.Step().status(),  // NOLINT(bugprone-use-after-move)
              absl::FailedPreconditionError("statement was moved from"));
    statement.Bind(1, 1);
    EXPECT_EQ(statement.Run(),
              absl::FailedPreconditionError("statement was moved from"));
  });
}

}  // namespace
}  // namespace clinicd::store
