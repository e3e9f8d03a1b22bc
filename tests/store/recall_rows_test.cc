// The recall rows: which recalls each list view holds follows from their
// times at the moment asked (not from the stored state the clock may not
// have advanced yet), pages continue where the last one ended, and the clock
// finds exactly the recalls whose time has come.

#include "services/store/recall_rows.h"

#include <gtest/gtest.h>

#include "services/common/proto_time.h"
#include "services/store/resource_rows.h"
#include "services/store/tables.h"
#include "tests/testing/migrated_store_test.h"

namespace clinicd::store {
namespace {

class RecallRowsTest : public test_util::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (HasFatalFailure()) return;
    InsertBareClinic("c1");
    ASSERT_OK(ExecWrite(*db_,
                        "INSERT INTO patients(id, clinic_id, sort_key, search_names, revision, "
                        "data) VALUES ('p1', 'c1', '', '', 1, x''), ('p2', 'c1', '', '', 1, x'');"
                        "INSERT INTO series(id, clinic_id, patient_id, create_time, revision, "
                        "data) VALUES ('s1', 'c1', 'p1', 0, 1, x''), ('s2', 'c1', 'p2', 0, 1, x'')"));
  }

  // Stores recall `id` of patient `patient` in `state`, due `due_in` from now_.
  void Insert(const std::string& id, const std::string& patient, clinic::v1::RecallState state,
              absl::Duration due_in) {
    clinic::v1::Recall recall;
    recall.set_name("clinics/c1/recalls/" + id);
    recall.set_patient("clinics/c1/patients/" + patient);
    recall.set_series(patient == "p1" ? "clinics/c1/series/s1" : "clinics/c1/series/s2");
    recall.set_treatment_type("treatmentTypes/microneedling");
    recall.set_state(state);
    *recall.mutable_due_time() = ToProtoTime(now_ + due_in);
    *recall.mutable_lapse_time() = ToProtoTime(now_ + due_in + absl::Hours(24 * 30));
    ASSERT_OK(db_->Write([&](Transaction& tx) {
      return InsertRow(tx, kRecallsTable, {"c1"}, {id, 1, recall.SerializeAsString()},
                       RecallColumns(recall));
    }));
  }

  // The ids of one page of `view` for `patient` (empty: all) after `after`.
  std::vector<std::string> Page(clinic::v1::RecallView view, const std::string& patient,
                                const std::vector<std::string>& after, int limit,
                                std::vector<std::string>* next_after = nullptr) {
    std::vector<std::string> ids;
    EXPECT_OK(db_->Read([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<KeysetPage<ResourceRow>> page =
          ListRecallRows(tx, {"c1", patient, view, now_}, after, limit);
      if (!page.ok()) return page.status();
      for (const ResourceRow& row : page->items) ids.push_back(row.id);
      if (next_after != nullptr) *next_after = page->next_after;
      return absl::OkStatus();
    }));
    return ids;
  }

  const absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
};

using Ids = std::vector<std::string>;

TEST_F(RecallRowsTest, ViewsFollowTheTimesNotTheStoredState) {
  const absl::Duration day = absl::Hours(24);
  Insert("ahead", "p1", clinic::v1::RECALL_STATE_UPCOMING, 10 * day);
  Insert("due-unticked", "p1", clinic::v1::RECALL_STATE_UPCOMING, -1 * day);
  Insert("lapsed-unticked", "p1", clinic::v1::RECALL_STATE_DUE, -40 * day);
  Insert("lapsed", "p2", clinic::v1::RECALL_STATE_LAPSED, -50 * day);
  Insert("satisfied", "p2", clinic::v1::RECALL_STATE_SATISFIED, -2 * day);
  EXPECT_EQ(Page(clinic::v1::RECALL_VIEW_UPCOMING, "", {}, 10), Ids{"ahead"});
  EXPECT_EQ(Page(clinic::v1::RECALL_VIEW_DUE, "", {}, 10), Ids{"due-unticked"});
  EXPECT_EQ(Page(clinic::v1::RECALL_VIEW_LAPSED, "", {}, 10), (Ids{"lapsed", "lapsed-unticked"}));
  EXPECT_EQ(Page(clinic::v1::RECALL_VIEW_UNSPECIFIED, "p2", {}, 10), (Ids{"lapsed", "satisfied"}));
}

TEST_F(RecallRowsTest, APageEndsWithTheKeyTheNextStartsAfter) {
  for (int i = 0; i < 3; ++i) {
    Insert("r" + std::to_string(i), "p1", clinic::v1::RECALL_STATE_UPCOMING, absl::Hours(1 + i));
  }
  std::vector<std::string> next;
  EXPECT_EQ(Page(clinic::v1::RECALL_VIEW_UPCOMING, "", {}, 2, &next), (Ids{"r0", "r1"}));
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0], std::to_string(absl::ToUnixMicros(now_ + absl::Hours(2))));
  EXPECT_EQ(next[1], "r1");
  EXPECT_EQ(Page(clinic::v1::RECALL_VIEW_UPCOMING, "", next, 2, &next), Ids{"r2"});
  EXPECT_TRUE(next.empty()) << "the last page has no next key";
}

TEST_F(RecallRowsTest, TheUnfilteredViewListsEveryRecallPageByPage) {
  const absl::Duration day = absl::Hours(24);
  Insert("lapsed", "p2", clinic::v1::RECALL_STATE_LAPSED, -50 * day);
  Insert("due", "p1", clinic::v1::RECALL_STATE_DUE, -1 * day);
  Insert("satisfied", "p2", clinic::v1::RECALL_STATE_SATISFIED, 2 * day);
  Insert("ahead", "p1", clinic::v1::RECALL_STATE_UPCOMING, 10 * day);
  std::vector<std::string> next;
  EXPECT_EQ(Page(clinic::v1::RECALL_VIEW_UNSPECIFIED, "", {}, 3, &next),
            (Ids{"lapsed", "due", "satisfied"}));
  EXPECT_EQ(Page(clinic::v1::RECALL_VIEW_UNSPECIFIED, "", next, 3, &next), Ids{"ahead"});
  EXPECT_TRUE(next.empty());
}

TEST_F(RecallRowsTest, AnUnknownViewIsRefused) {
  EXPECT_OK(db_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<KeysetPage<ResourceRow>> page = ListRecallRows(
        tx, {"c1", "", static_cast<clinic::v1::RecallView>(99), now_}, {}, 10);
    EXPECT_TRUE(absl::IsInvalidArgument(page.status())) << page.status();
    return absl::OkStatus();
  }));
}

TEST_F(RecallRowsTest, TheClockFindsRecallsWhoseTimeHasCome) {
  Insert("ahead", "p1", clinic::v1::RECALL_STATE_UPCOMING, absl::Hours(1));
  Insert("due", "p1", clinic::v1::RECALL_STATE_UPCOMING, absl::ZeroDuration());
  Insert("lapsing", "p2", clinic::v1::RECALL_STATE_DUE, -absl::Hours(24 * 30));
  Insert("dismissed", "p2", clinic::v1::RECALL_STATE_DISMISSED, -absl::Hours(24 * 40));
  EXPECT_OK(db_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ids =
        RecallsToAdvance(tx, now_);
    if (!ids.ok()) return ids.status();
    std::set<std::string> found;
    for (const auto& [clinic, id] : *ids) found.insert(clinic + "/" + id);
    EXPECT_EQ(found, (std::set<std::string>{"c1/due", "c1/lapsing"}));
    return absl::OkStatus();
  }));
}

TEST_F(RecallRowsTest, OpenAndSatisfiedRecallsOfOnePatientsTreatment) {
  Insert("open", "p1", clinic::v1::RECALL_STATE_DUE, absl::Hours(1));
  Insert("done", "p1", clinic::v1::RECALL_STATE_SATISFIED, absl::Hours(2));
  Insert("other", "p2", clinic::v1::RECALL_STATE_UPCOMING, absl::Hours(3));
  EXPECT_OK(db_->Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<StoredRecall>> open =
        OpenRecallsOf(tx, "c1", "p1", "treatmentTypes/microneedling");
    absl::StatusOr<std::vector<StoredRecall>> satisfied =
        SatisfiedRecallsOf(tx, "c1", "p1", "treatmentTypes/microneedling");
    if (!open.ok()) return open.status();
    if (!satisfied.ok()) return satisfied.status();
    EXPECT_EQ(open->size(), 1u);
    EXPECT_EQ(open->front().id, "open");
    EXPECT_EQ(open->front().recall.name(), "clinics/c1/recalls/open");
    EXPECT_EQ(satisfied->size(), 1u);
    EXPECT_EQ(satisfied->front().id, "done");
    absl::StatusOr<StoredRecall> loaded = LoadStoredRecall(tx, "c1", "other");
    if (!loaded.ok()) return loaded.status();
    EXPECT_EQ(loaded->revision, 1);
    EXPECT_TRUE(absl::IsInternal(LoadStoredRecall(tx, "c1", "missing").status()));
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace clinicd::store
