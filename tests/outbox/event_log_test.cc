// The event log: sequence numbers in commit order, opaque cursors that
// round-trip and refuse anything else, and the clinic filter.

#include "services/outbox/event_log.h"

#include <gtest/gtest.h>

#include "tests/testing/migrated_store_test.h"
#include "tests/testing/status_details.h"

namespace clinicd::outbox {
namespace {

class EventLogTest : public test_util::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (HasFatalFailure()) return;
    InsertBareClinic("c1");
    InsertBareClinic("c2");
    ASSERT_OK(db_->Write([&](store::Transaction& tx) -> absl::Status {
      for (const char* clinic : {"c1", "c2", "c1"}) {
        if (absl::Status s = AppendEvent(tx, clinic, clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED,
                                         std::string("clinics/") + clinic + "/appointments/a",
                                         std::string("clinics/") + clinic + "/patients/p", now_);
            !s.ok()) {
          return s;
        }
      }
      return absl::OkStatus();
    }));
  }

  std::vector<clinic::v1::Event> Read(int64_t after, bool all,
                                      const std::vector<std::string>& clinics, int limit = 100) {
    std::vector<clinic::v1::Event> events;
    EXPECT_OK(db_->Read([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<std::vector<clinic::v1::Event>> read = ReadEvents(tx, after, all, clinics, limit);
      if (!read.ok()) return read.status();
      events = *read;
      return absl::OkStatus();
    }));
    return events;
  }

  const absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
};

TEST_F(EventLogTest, AllClinicsInOrderWithIncreasingCursors) {
  std::vector<clinic::v1::Event> events = Read(0, true, {});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].resource(), "clinics/c1/appointments/a");
  EXPECT_EQ(events[1].resource(), "clinics/c2/appointments/a");
  EXPECT_EQ(events[1].patient(), "clinics/c2/patients/p");
  EXPECT_EQ(events[1].kind(), clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED);
  EXPECT_LT(*DecodeCursor(events[0].cursor()), *DecodeCursor(events[1].cursor()));
  EXPECT_LT(*DecodeCursor(events[1].cursor()), *DecodeCursor(events[2].cursor()));
}

TEST_F(EventLogTest, ResumesExactlyAfterACursor) {
  std::vector<clinic::v1::Event> all = Read(0, true, {});
  std::vector<clinic::v1::Event> rest = Read(*DecodeCursor(all[0].cursor()), true, {});
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].cursor(), all[1].cursor());
  EXPECT_EQ(Read(0, true, {}, 1).size(), 1u);
}

TEST_F(EventLogTest, OnlyTheListedClinics) {
  std::vector<clinic::v1::Event> c1 = Read(0, false, {"c1"});
  ASSERT_EQ(c1.size(), 2u);
  for (const auto& event : c1) EXPECT_EQ(event.resource(), "clinics/c1/appointments/a");
  EXPECT_TRUE(Read(0, false, {}).empty()) << "a key limited to no clinic sees nothing";
}

TEST_F(EventLogTest, AResumePointIsACursorTheFeedStillHoldsEverythingAfter) {
  // Events 1..3 exist; prune 1 and 2, as the retention job would.
  ASSERT_OK(store::ExecWrite(*db_, "DELETE FROM events WHERE seq <= 2"));
  auto resume = [&](std::optional<int64_t> after) {
    absl::StatusOr<int64_t> point = absl::UnknownError("not read");
    EXPECT_OK(db_->Read([&](store::Transaction& tx) {
      point = ResumePoint(tx, after);
      return absl::OkStatus();
    }));
    return point;
  };
  EXPECT_EQ(*resume(std::nullopt), 2) << "from the beginning: from the oldest kept event";
  EXPECT_EQ(*resume(2), 2);
  EXPECT_EQ(*resume(3), 3);

  const absl::StatusOr<int64_t> expired = resume(1);
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(test_util::ReasonOf(expired.status()), "CURSOR_EXPIRED");
  EXPECT_EQ(test_util::ErrorInfoOf(expired.status()).metadata().at("earliest_cursor"),
            EncodeCursor(2));
  EXPECT_EQ(resume(0).status().code(), absl::StatusCode::kOutOfRange);

  const absl::StatusOr<int64_t> ahead = resume(4);
  EXPECT_EQ(ahead.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(test_util::ReasonOf(ahead.status()), "CURSOR_AHEAD_OF_FEED");
  EXPECT_EQ(test_util::ErrorInfoOf(ahead.status()).metadata().at("last_cursor"), EncodeCursor(3));
}

TEST_F(EventLogTest, AFeedWhoseEventsWereAllPrunedKeepsItsNumbering) {
  ASSERT_OK(store::ExecWrite(*db_, "DELETE FROM events"));
  EXPECT_OK(db_->Read([&](store::Transaction& tx) -> absl::Status {
    EXPECT_EQ(*NewestSequence(tx), 3);
    EXPECT_EQ(*ResumePoint(tx, std::nullopt), 3);
    EXPECT_EQ(*ResumePoint(tx, 3), 3) << "a client that saw every event is up to date";
    EXPECT_EQ(ResumePoint(tx, 2).status().code(), absl::StatusCode::kOutOfRange);
    return absl::OkStatus();
  }));
}

TEST(CursorTest, RoundTripsAndRefusesAnythingElse) {
  EXPECT_EQ(*DecodeCursor(EncodeCursor(42)), 42);
  EXPECT_EQ(*DecodeCursor(EncodeCursor(0)), 0);
  for (const char* bad : {"42", "ev1-", "ev1-x", "ev1--3", "ev2-4", "ev1-+1", "ev1- 1", "ev1-01",
                          "ev1-99999999999999999999"}) {
    absl::StatusOr<int64_t> decoded = DecodeCursor(bad);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(test_util::ViolationFields(decoded.status()), std::vector<std::string>{"after_cursor"})
        << bad;
  }
}

}  // namespace
}  // namespace clinicd::outbox
