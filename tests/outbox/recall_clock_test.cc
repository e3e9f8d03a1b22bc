// Recalls move on with time: an upcoming recall becomes due at its due time
// (with a RECALL_DUE event on the feed) and lapses at its lapse time; the
// state lists show follows from the times even between clock ticks.

#include <gtest/gtest.h>

#include "services/common/proto_time.h"
#include "services/follow_up/recalls.h"
#include "services/outbox/event_log.h"
#include "tests/testing/migrated_store_test.h"

namespace clinicd::follow_up {
namespace {

class RecallClockTest : public test_util::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (HasFatalFailure()) return;
    InsertBareClinic("c1");
    ASSERT_OK(store::ExecWrite(*db_,
                               "INSERT INTO patients(id, clinic_id, sort_key, search_names, "
                               "revision, data) VALUES ('p1', 'c1', '', '', 1, x'');"
                               "INSERT INTO series(id, clinic_id, patient_id, create_time, "
                               "revision, data) VALUES ('s1', 'c1', 'p1', 0, 1, x'')"));
  }

  // Stores an open recall due at `due` that lapses at `lapse`.
  void InsertRecall(const std::string& id, absl::Time due, absl::Time lapse) {
    clinic::v1::Recall recall;
    recall.set_name("clinics/c1/recalls/" + id);
    recall.set_patient("clinics/c1/patients/p1");
    recall.set_series("clinics/c1/series/s1");
    recall.set_treatment_type("treatmentTypes/microneedling");
    *recall.mutable_due_time() = ToProtoTime(due);
    *recall.mutable_lapse_time() = ToProtoTime(lapse);
    recall.set_state(clinic::v1::RECALL_STATE_UPCOMING);
    ASSERT_OK(db_->Write([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<store::Statement> stmt = tx.Prepare(
          "INSERT INTO recalls(id, clinic_id, patient_id, series_id, treatment_type, state, "
          "due_time, lapse_time, revision, data) VALUES (?1, 'c1', 'p1', 's1', "
          "'treatmentTypes/microneedling', 1, ?2, ?3, 1, ?4)");
      if (!stmt.ok()) return stmt.status();
      stmt->BindText(1, id).Bind(2, due).Bind(3, lapse).BindBlob(4, recall.SerializeAsString());
      return stmt->Run();
    }));
  }

  int Advance(absl::Time now) {
    int changed = -1;
    EXPECT_OK(db_->Write([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<int> advanced = AdvanceRecalls(tx, now);
      if (!advanced.ok()) return advanced.status();
      changed = *advanced;
      return absl::OkStatus();
    }));
    return changed;
  }

  int64_t StateOf(const std::string& id) {
    return store::ReadInt(*db_, "SELECT state FROM recalls WHERE id = '" + id + "'");
  }

  const absl::Time due_ = absl::FromUnixSeconds(1'800'000'000);
  const absl::Time lapse_ = due_ + absl::Hours(24 * 180);
};

TEST_F(RecallClockTest, BecomesDueAtItsDueTimeWithOneFeedEvent) {
  InsertRecall("r1", due_, lapse_);
  EXPECT_EQ(Advance(due_ - absl::Seconds(1)), 0);
  EXPECT_EQ(StateOf("r1"), clinic::v1::RECALL_STATE_UPCOMING);
  EXPECT_EQ(Advance(due_), 1);
  EXPECT_EQ(StateOf("r1"), clinic::v1::RECALL_STATE_DUE);
  EXPECT_EQ(Advance(due_ + absl::Hours(1)), 0) << "a due recall is not due again";
  EXPECT_EQ(CountRows("events"), 1);
  EXPECT_EQ(store::ReadInt(*db_, "SELECT kind FROM events"), clinic::v1::EVENT_KIND_RECALL_DUE);
}

TEST_F(RecallClockTest, LapsesAtItsLapseTime) {
  InsertRecall("r1", due_, lapse_);
  Advance(due_);
  EXPECT_EQ(Advance(lapse_ - absl::Seconds(1)), 0);
  EXPECT_EQ(Advance(lapse_), 1);
  EXPECT_EQ(StateOf("r1"), clinic::v1::RECALL_STATE_LAPSED);
}

TEST_F(RecallClockTest, ARecallWhoseWholeWindowPassedUnseenLapsesWithoutADueEvent) {
  InsertRecall("r1", due_, lapse_);
  EXPECT_EQ(Advance(lapse_ + absl::Hours(1)), 1);
  EXPECT_EQ(StateOf("r1"), clinic::v1::RECALL_STATE_LAPSED);
  EXPECT_EQ(CountRows("events"), 0);
}

TEST(EffectiveRecallStateTest, FollowsTheTimesForOpenRecallsOnly) {
  clinic::v1::Recall recall;
  const absl::Time due = absl::FromUnixSeconds(1'800'000'000);
  *recall.mutable_due_time() = ToProtoTime(due);
  *recall.mutable_lapse_time() = ToProtoTime(due + absl::Hours(1));
  recall.set_state(clinic::v1::RECALL_STATE_UPCOMING);
  EXPECT_EQ(EffectiveRecallState(recall, due - absl::Seconds(1)), clinic::v1::RECALL_STATE_UPCOMING);
  EXPECT_EQ(EffectiveRecallState(recall, due), clinic::v1::RECALL_STATE_DUE);
  EXPECT_EQ(EffectiveRecallState(recall, due + absl::Hours(1)), clinic::v1::RECALL_STATE_LAPSED);
  recall.set_state(clinic::v1::RECALL_STATE_SATISFIED);
  EXPECT_EQ(EffectiveRecallState(recall, due + absl::Hours(2)), clinic::v1::RECALL_STATE_SATISFIED);
  recall.set_state(clinic::v1::RECALL_STATE_DISMISSED);
  EXPECT_EQ(EffectiveRecallState(recall, due), clinic::v1::RECALL_STATE_DISMISSED);
}

}  // namespace
}  // namespace clinicd::follow_up
