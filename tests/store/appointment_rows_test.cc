// The appointment list: every combination of its id and time filters picks
// exactly the appointments that match all of them, page after page. Each
// combination is its own statement with its own parameter numbers, so each
// is checked: an end time without a start time among them.

#include "services/store/appointment_rows.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/testing/migrated_store_test.h"

namespace clinicd::store {
namespace {

using Ids = std::vector<std::string>;

// One stored appointment, as the test placed it.
struct Placed {
  std::string id;
  std::string practitioner;
  std::string room;
  std::string patient;
  absl::Time start;
};

class AppointmentRowsTest : public test_util::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (HasFatalFailure()) return;
    InsertBareClinic("c1");
    ASSERT_OK(ExecWrite(*db_,
                        "INSERT INTO practitioners(id, clinic_id, revision, data) VALUES "
                        "('d1', 'c1', 1, x''), ('d2', 'c1', 1, x'');"
                        "INSERT INTO rooms(id, clinic_id, revision, data) VALUES "
                        "('r1', 'c1', 1, x''), ('r2', 'c1', 1, x'');"
                        "INSERT INTO patients(id, clinic_id, sort_key, search_names, revision, "
                        "data) VALUES ('p1', 'c1', '', '', 1, x''), ('p2', 'c1', '', '', 1, x'')"));
    // Each of the eight practitioner, room and patient combinations three
    // times, one appointment an hour: a0 at 0:00, a1 at 1:00, ...
    int hour = 0;
    for (int round = 0; round < 3; ++round) {
      for (const char* practitioner : {"d1", "d2"}) {
        for (const char* room : {"r1", "r2"}) {
          for (const char* patient : {"p1", "p2"}) {
            Placed& placed = placed_.emplace_back();
            placed.id = absl::StrCat("a", hour);
            placed.practitioner = practitioner;
            placed.room = room;
            placed.patient = patient;
            placed.start = day_ + absl::Hours(hour++);
          }
        }
      }
    }
    std::vector<std::string> values;
    for (const Placed& p : placed_) {
      const int64_t start = absl::ToUnixMicros(p.start);
      const int64_t end = start + 30 * 60 * int64_t{1'000'000};
      values.push_back(absl::StrCat("('", p.id, "', 'c1', '", p.patient, "', '", p.practitioner,
                                    "', '", p.room, "', 'treatmentTypes/microneedling', ", start,
                                    ", ", end, ", ", end, ", 1, 1, x'')"));
    }
    ASSERT_OK(ExecWrite(*db_, absl::StrCat("INSERT INTO appointments(id, clinic_id, patient_id, "
                                           "practitioner_id, room_id, treatment_type, start_time, "
                                           "end_time, room_end_time, state, revision, data) "
                                           "VALUES ",
                                           absl::StrJoin(values, ", "))));
  }

  // Every appointment `filter` lists, read `page_size` at a time.
  Ids ListAll(const AppointmentFilter& filter, int page_size) {
    Ids ids;
    std::vector<std::string> after;
    for (int pages = 0; pages < 100; ++pages) {
      KeysetPage<ResourceRow> page;
      EXPECT_OK(db_->Read([&](Transaction& tx) -> absl::Status {
        absl::StatusOr<KeysetPage<ResourceRow>> read =
            ListAppointmentRows(tx, filter, after, page_size);
        if (!read.ok()) return read.status();
        page = *std::move(read);
        return absl::OkStatus();
      }));
      for (const ResourceRow& row : page.items) ids.push_back(row.id);
      if (page.next_after.empty()) return ids;
      after = page.next_after;
    }
    ADD_FAILURE() << "the list did not end";
    return ids;
  }

  const absl::Time day_ = absl::FromUnixSeconds(1'800'000'000);
  std::vector<Placed> placed_;
};

TEST_F(AppointmentRowsTest, EveryCombinationOfFiltersListsExactlyTheMatchingAppointments) {
  const absl::Time from = day_ + absl::Hours(5);
  const absl::Time before = day_ + absl::Hours(19);
  for (int used = 0; used < 32; ++used) {
    AppointmentFilter filter;
    filter.clinic_id = "c1";
    if (used & 1) filter.practitioner_id = "d1";
    if (used & 2) filter.room_id = "r2";
    if (used & 4) filter.patient_id = "p1";
    if (used & 8) filter.start_from = from;
    if (used & 16) filter.start_before = before;
    Ids expected;
    for (const Placed& p : placed_) {
      if (!filter.practitioner_id.empty() && p.practitioner != filter.practitioner_id) continue;
      if (!filter.room_id.empty() && p.room != filter.room_id) continue;
      if (!filter.patient_id.empty() && p.patient != filter.patient_id) continue;
      if (filter.start_from && p.start < *filter.start_from) continue;
      if (filter.start_before && p.start >= *filter.start_before) continue;
      expected.push_back(p.id);
    }
    ASSERT_FALSE(expected.empty()) << "filters " << used;
    EXPECT_EQ(ListAll(filter, 100), expected) << "filters " << used;
    EXPECT_EQ(ListAll(filter, 2), expected) << "filters " << used << ", two to a page";
  }
}

TEST_F(AppointmentRowsTest, AnEndTimeAloneListsWhatStartsBeforeIt) {
  AppointmentFilter filter;
  filter.clinic_id = "c1";
  filter.start_before = day_ + absl::Hours(3);
  EXPECT_EQ(ListAll(filter, 100), (Ids{"a0", "a1", "a2"}));
  filter.patient_id = "p2";
  EXPECT_EQ(ListAll(filter, 100), (Ids{"a1"}));
}

}  // namespace
}  // namespace clinicd::store
