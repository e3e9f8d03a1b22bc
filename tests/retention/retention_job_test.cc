// The retention job: prunes to its clock's time on each run (a test clock
// moved past a boundary is followed on the next run), and its thread stops
// promptly when the server shuts down, also in the middle of a backlog.

#include "services/retention/retention_job.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "tests/retention/retention_fixture.h"

namespace clinicd::retention {
namespace {

class RetentionJobTest : public RetentionFixture {
 protected:
  std::unique_ptr<Clock> clock_ = Clock::StandingAt(now_);
};

TEST_F(RetentionJobTest, EachRunPrunesToTheClocksTimeThen) {
  const RetentionPolicy policy;
  AddRecord("r", now_ - policy.idempotency_window + absl::Hours(1));
  AddEvent(now_ - policy.events + absl::Hours(1));
  RetentionJob job(*db_, *clock_, policy, absl::Hours(1));
  job.RunNow();
  EXPECT_EQ(CountRows("idempotency_records"), 1);
  EXPECT_EQ(CountRows("events"), 1);

  ASSERT_OK(clock_->Advance(absl::Hours(1) + absl::Microseconds(1)));
  job.RunNow();
  EXPECT_EQ(CountRows("idempotency_records"), 0);
  EXPECT_EQ(CountRows("events"), 0);
}

TEST_F(RetentionJobTest, StopsPromptlyWhileWorkingThroughABacklog) {
  ASSERT_OK(store::ExecWrite(*db_,
                             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                             "WHERE i < 100000) INSERT INTO idempotency_records "
                             "SELECT 's', i, x'00', x'00', 0 FROM n"));
  RetentionPolicy policy;
  policy.batch_size = 10;  // 10,000 commits, each with its fsync: far longer than the wait below.
  const absl::Time started = absl::Now();
  {
    RetentionJob job(*db_, *clock_, policy, absl::Hours(1));
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_LT(absl::Now() - started, absl::Seconds(2));
  EXPECT_GT(CountRows("idempotency_records"), 0) << "the backlog was not left unfinished";
  EXPECT_LT(CountRows("idempotency_records"), 100000) << "the job did not start at once";
}

}  // namespace
}  // namespace clinicd::retention
