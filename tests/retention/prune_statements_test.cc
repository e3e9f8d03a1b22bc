// Every pruning statement finds its rows through an index (migration 7, or
// the events' primary key) rather than reading its whole table, and deletes
// them by primary key, so a batch costs the same on a database of ten years
// as on a new one.

#include <gtest/gtest.h>

#include "services/store/retention.h"
#include "tests/retention/retention_fixture.h"

namespace clinicd::retention {
namespace {

class PruneStatementsTest : public RetentionFixture {
 protected:
  // SQLite's plan for `sql`, one step a line.
  std::string PlanOf(const std::string& sql) {
    std::string plan;
    EXPECT_OK(db_->Read([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<store::Statement> explain = tx.Prepare("EXPLAIN QUERY PLAN " + sql);
      if (!explain.ok()) return explain.status();
      while (true) {
        absl::StatusOr<bool> row = explain->Step();
        if (!row.ok()) return row.status();
        if (!*row) return absl::OkStatus();
        plan += explain->ColumnText(3) + "\n";
      }
    }));
    return plan;
  }
};

TEST_F(PruneStatementsTest, IdempotencyRecordsAreFoundByTheirCreateTimeIndex) {
  const std::string plan = PlanOf(store::internal::kPruneIdempotencySql);
  EXPECT_NE(plan.find("INDEX idempotency_records_by_time (create_time<?)"), std::string::npos)
      << plan;
  EXPECT_NE(plan.find("INDEX sqlite_autoindex_idempotency_records_1 (scope=? AND request_id=?)"),
            std::string::npos)
      << plan;
  EXPECT_EQ(plan.find("SCAN idempotency_records\n"), std::string::npos) << plan;
}

TEST_F(PruneStatementsTest, FinishedMessagesAreFoundByTheirPartialIndex) {
  const std::string plan = PlanOf(store::internal::kPruneMessagesSql);
  EXPECT_NE(plan.find("USING INDEX notifications_finished (update_time<?)"), std::string::npos)
      << plan;
  EXPECT_NE(plan.find("INDEX sqlite_autoindex_notifications_1 (id=?)"),
            std::string::npos)
      << plan;
  EXPECT_EQ(plan.find("SCAN notifications\n"), std::string::npos) << plan;
}

TEST_F(PruneStatementsTest, EventsAreFoundByTheirPrimaryKey) {
  const std::string plan = PlanOf(store::internal::kPruneEventsSql);
  EXPECT_NE(plan.find("SEARCH events USING INTEGER PRIMARY KEY (rowid<?)"), std::string::npos)
      << plan;
}

}  // namespace
}  // namespace clinicd::retention
