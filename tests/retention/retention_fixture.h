#pragma once

// A migrated database with one clinic and helpers that put rows of each kind
// the retention job prunes at a chosen time, and count what is left.

#include <string>

#include "absl/time/time.h"
#include "services/outbox/event_log.h"
#include "services/store/idempotency.h"
#include "tests/testing/migrated_store_test.h"

namespace clinicd::retention {

class RetentionFixture : public test_util::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (HasFatalFailure()) return;
    InsertBareClinic("c1");
  }

  // An idempotency record for `request_id` created at `time`.
  void AddRecord(const std::string& request_id, absl::Time time) {
    ASSERT_OK(db_->Write([&](store::Transaction& tx) {
      return store::RecordIdempotentResponse(tx, "test", request_id, "digest", "response", time);
    }));
  }

  // A message `id` in `state` that last changed at `updated` and was due at `due`.
  void AddMessage(const std::string& id, const std::string& state, absl::Time updated,
                  absl::Time due) {
    ASSERT_OK(db_->Write([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<store::Statement> stmt = tx.Prepare(
          "INSERT INTO notifications (id, clinic_id, resource, kind, channel, recipient, "
          "subject, body, dedupe_key, due_time, state, create_time, update_time) "
          "VALUES (?1, 'c1', 'clinics/c1', 1, 1, 'a@example.org', 's', 'b', ?1, ?2, ?3, ?2, ?4)");
      if (!stmt.ok()) return stmt.status();
      stmt->BindText(1, id).Bind(2, due).BindText(3, state).Bind(4, updated);
      return stmt->Run();
    }));
  }

  // An event at `time`; events are numbered in the order they are added.
  void AddEvent(absl::Time time) {
    ASSERT_OK(db_->Write([&](store::Transaction& tx) {
      return outbox::AppendEvent(tx, "c1", clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED,
                                 "clinics/c1/appointments/a", "clinics/c1/patients/p", time);
    }));
  }

  // Whether a row of `table` matches `where` (fixed test SQL).
  bool Has(const std::string& table, const std::string& where) const {
    return store::ReadInt(*db_, "SELECT count(*) FROM " + table + " WHERE " + where) > 0;
  }

  const absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  static constexpr absl::Duration kMicro = absl::Microseconds(1);
};

}  // namespace clinicd::retention
