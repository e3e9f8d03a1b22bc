#include "clients/reminder_worker/backoff.h"

#include "gtest/gtest.h"

namespace clinicd::reminder_worker {
namespace {

TEST(BackoffTest, DoublesWithJitterUpToTheCap) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Backoff backoff(absl::Seconds(1), absl::Seconds(10), seed);
    absl::Duration step = absl::Seconds(1);
    for (int i = 0; i < 8; ++i) {
      const absl::Duration wait = backoff.Next();
      EXPECT_GE(wait, step / 2) << "seed " << seed << " call " << i;
      EXPECT_LE(wait, step) << "seed " << seed << " call " << i;
      step = std::min(step * 2, absl::Seconds(10));
    }
  }
}

TEST(BackoffTest, ResetStartsOver) {
  Backoff backoff(absl::Seconds(1), absl::Seconds(60), 7);
  for (int i = 0; i < 5; ++i) backoff.Next();
  backoff.Reset();
  EXPECT_LE(backoff.Next(), absl::Seconds(1));
}

TEST(BackoffTest, WorkersDrawDifferentWaits) {
  Backoff one(absl::Seconds(1), absl::Seconds(60), 1);
  Backoff two(absl::Seconds(1), absl::Seconds(60), 2);
  EXPECT_NE(one.Next(), two.Next());
}

}  // namespace
}  // namespace clinicd::reminder_worker
