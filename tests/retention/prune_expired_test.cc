// One retention run at a test clock's time: each kind of row is deleted one
// microsecond past its retention and kept at it exactly; only finished
// messages go, and only once their due time has passed by the retention too;
// the feed loses its oldest events in order and never opens a gap; every
// kind is deleted in batches of the policy's size, each its own commit.

#include "services/retention/prune_expired.h"

#include <gtest/gtest.h>

#include "services/common/clock.h"
#include "services/store/retention.h"
#include "tests/retention/retention_fixture.h"

namespace clinicd::retention {
namespace {

class PruneExpiredTest : public RetentionFixture {
 protected:
  PrunedCounts Prune(const RetentionPolicy& policy = RetentionPolicy()) {
    absl::StatusOr<PrunedCounts> counts = PruneExpired(*db_, policy, clock_->Now(), stop_);
    EXPECT_OK(counts);
    return counts.value_or(PrunedCounts());
  }

  std::unique_ptr<Clock> clock_ = Clock::StandingAt(now_);
  absl::Notification stop_;
  const RetentionPolicy policy_ = RetentionPolicy();
};

TEST_F(PruneExpiredTest, AnIdempotencyRecordIsKeptForItsWindowExactly) {
  const absl::Time cutoff = now_ - policy_.idempotency_window;
  AddRecord("older", cutoff - kMicro);
  AddRecord("at-the-boundary", cutoff);
  AddRecord("recent", now_ - absl::Minutes(1));
  EXPECT_EQ(Prune().idempotency_records, 1);
  EXPECT_FALSE(Has("idempotency_records", "request_id = 'older'"));
  EXPECT_TRUE(Has("idempotency_records", "request_id = 'at-the-boundary'"));
  EXPECT_TRUE(Has("idempotency_records", "request_id = 'recent'"));

  ASSERT_OK(clock_->Advance(kMicro));
  EXPECT_EQ(Prune().idempotency_records, 1);
  EXPECT_FALSE(Has("idempotency_records", "request_id = 'at-the-boundary'"));
}

TEST_F(PruneExpiredTest, EveryFinishedStateIsDeletedPastItsRetentionAndKeptAtIt) {
  const absl::Time cutoff = now_ - policy_.finished_messages;
  for (const std::string state : {"delivered", "failed", "cancelled", "suppressed"}) {
    AddMessage(state + "-older", state, cutoff - kMicro, cutoff - absl::Hours(1));
    AddMessage(state + "-at", state, cutoff, cutoff - absl::Hours(1));
  }
  EXPECT_EQ(Prune().finished_messages, 4);
  for (const std::string state : {"delivered", "failed", "cancelled", "suppressed"}) {
    EXPECT_FALSE(Has("notifications", "id = '" + state + "-older'")) << state;
    EXPECT_TRUE(Has("notifications", "id = '" + state + "-at'")) << state;
  }
  ASSERT_OK(clock_->Advance(kMicro));
  EXPECT_EQ(Prune().finished_messages, 4);
  EXPECT_EQ(CountRows("notifications"), 0);
}

TEST_F(PruneExpiredTest, AMessageStillToBeSentIsNeverDeleted) {
  const absl::Time long_ago = now_ - policy_.finished_messages - absl::Hours(24 * 365);
  AddMessage("pending", "pending", long_ago, long_ago);
  AddMessage("leased", "leased", long_ago, long_ago);
  EXPECT_EQ(Prune().finished_messages, 0);
  EXPECT_EQ(CountRows("notifications"), 2);
}

TEST_F(PruneExpiredTest, ACancelledMessageIsKeptUntilItsDueTimeIsPastTheRetentionToo) {
  // Cancelled long ago but due later: ReviveCancelled could still bring it
  // back while its time is to come.
  const absl::Time cutoff = now_ - policy_.finished_messages;
  AddMessage("due-at-cutoff", "cancelled", cutoff - absl::Hours(24), cutoff);
  AddMessage("due-before", "cancelled", cutoff - absl::Hours(24), cutoff - kMicro);
  EXPECT_EQ(Prune().finished_messages, 1);
  EXPECT_TRUE(Has("notifications", "id = 'due-at-cutoff'"));
  EXPECT_FALSE(Has("notifications", "id = 'due-before'"));
}

TEST_F(PruneExpiredTest, TheFeedLosesItsOldestEventsUpToTheBoundary) {
  const absl::Time cutoff = now_ - policy_.events;
  AddEvent(cutoff - absl::Hours(1));
  AddEvent(cutoff - kMicro);
  AddEvent(cutoff);
  AddEvent(now_);
  EXPECT_EQ(Prune().events, 2);
  EXPECT_EQ(store::ReadInt(*db_, "SELECT min(seq) FROM events"), 3);
  ASSERT_OK(clock_->Advance(kMicro));
  EXPECT_EQ(Prune().events, 1);
  EXPECT_EQ(store::ReadInt(*db_, "SELECT min(seq) FROM events"), 4);
}

TEST_F(PruneExpiredTest, AnOldEventBehindANewerOneWaitsRatherThanOpenAGap) {
  // The system clock stepped back between two commits: event 2 is older than
  // event 1. Deleting it alone would leave a hole a cursor could fall into.
  const absl::Time cutoff = now_ - policy_.events;
  AddEvent(cutoff);
  AddEvent(cutoff - absl::Hours(1));
  EXPECT_EQ(Prune().events, 0);
  EXPECT_EQ(CountRows("events"), 2);
}

TEST_F(PruneExpiredTest, DeletesInBatchesOfThePolicysSizeEachItsOwnCommit) {
  const absl::Time long_ago = now_ - absl::Hours(24 * 1000);
  for (int i = 0; i < 25; ++i) {
    AddRecord("r" + std::to_string(i), long_ago);
    AddMessage("m" + std::to_string(i), "delivered", long_ago, long_ago);
    AddEvent(long_ago);
  }
  RetentionPolicy policy;
  policy.batch_size = 10;
  const uint64_t commits_before = db_->commits();
  const PrunedCounts counts = Prune(policy);
  EXPECT_EQ(counts.idempotency_records, 25);
  EXPECT_EQ(counts.finished_messages, 25);
  EXPECT_EQ(counts.events, 25);
  // 10 + 10 + 5 for each kind: the short batch ends that kind.
  EXPECT_EQ(db_->commits() - commits_before, 9u);
  EXPECT_EQ(CountRows("idempotency_records") + CountRows("notifications") + CountRows("events"),
            0);
}

TEST_F(PruneExpiredTest, AStoppedRunDeletesNothingMore) {
  AddRecord("old", now_ - absl::Hours(24 * 1000));
  stop_.Notify();
  const PrunedCounts counts = Prune();
  EXPECT_EQ(counts.idempotency_records, 0);
  EXPECT_EQ(CountRows("idempotency_records"), 1);
}

TEST_F(PruneExpiredTest, TheFeedRangeOutlivesItsEvents) {
  auto range = [&] {
    store::FeedRange read;
    EXPECT_OK(db_->Read([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<store::FeedRange> feed = store::ReadFeedRange(tx);
      if (!feed.ok()) return feed.status();
      read = *feed;
      return absl::OkStatus();
    }));
    return std::make_pair(read.pruned_through, read.last);
  };
  EXPECT_EQ(range(), std::make_pair(int64_t{0}, int64_t{0}));
  const absl::Time old = now_ - policy_.events - absl::Hours(1);
  for (int i = 0; i < 3; ++i) AddEvent(old);
  AddEvent(now_);
  EXPECT_EQ(range(), std::make_pair(int64_t{0}, int64_t{4}));
  Prune();
  EXPECT_EQ(range(), std::make_pair(int64_t{3}, int64_t{4}));
  ASSERT_OK(clock_->Advance(policy_.events + absl::Hours(1)));
  Prune();
  EXPECT_EQ(CountRows("events"), 0);
  EXPECT_EQ(range(), std::make_pair(int64_t{4}, int64_t{4})) << "the numbering is not reused";
  AddEvent(clock_->Now());
  EXPECT_EQ(range(), std::make_pair(int64_t{4}, int64_t{5}));
}

}  // namespace
}  // namespace clinicd::retention
