#pragma once

// The recalls table: the rows a recall's life reads and rewrites (open or
// satisfied recalls of a patient's treatment, those whose time has come),
// the columns stored beside each recall, and the recall list by view.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/follow_up_service.pb.h"
#include "services/store/keyset_page.h"
#include "services/store/resource_rows.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// A stored recall with its id and revision, for rewriting it with UpdateRow
// and RecallColumns.
struct StoredRecall {
  clinic::v1::Recall recall;
  int64_t revision = 0;
  std::string id;
};

// The indexed columns stored beside `recall` (state as its stored number);
// also what the recall's ResourceKind writes.
std::vector<Column> RecallColumns(const clinic::v1::Recall& recall);

// The open (upcoming or due as stored) recalls of patient `patient_id` for
// treatment type `type`.
absl::StatusOr<std::vector<StoredRecall>> OpenRecallsOf(Transaction& tx,
                                                        const std::string& clinic_id,
                                                        const std::string& patient_id,
                                                        const std::string& type);

// The satisfied recalls of patient `patient_id` for treatment type `type`.
absl::StatusOr<std::vector<StoredRecall>> SatisfiedRecallsOf(Transaction& tx,
                                                             const std::string& clinic_id,
                                                             const std::string& patient_id,
                                                             const std::string& type);

// Recall `id` of clinic `clinic_id`; INTERNAL when it is not stored (callers
// pass ids they have just read).
absl::StatusOr<StoredRecall> LoadStoredRecall(Transaction& tx, const std::string& clinic_id,
                                              const std::string& id);

// (clinic id, recall id) of every open recall whose stored state `now` has
// overtaken: upcoming ones past their due time, open ones past their lapse time.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> RecallsToAdvance(
    Transaction& tx, absl::Time now);

// Which recalls a list shows.
struct RecallListFilter {
  std::string clinic_id;
  // Empty: every patient.
  std::string patient_id;
  // Views read open recalls by their times at `now`, so a stored state the
  // recall clock has not advanced yet never shows.
  clinic::v1::RecallView view = clinic::v1::RECALL_VIEW_UNSPECIFIED;
  absl::Time now;
};

// Up to `limit` recalls matching `filter` ordered by (due time, id), after
// the key `after` (due time micros, id) of the previous page;
// INVALID_ARGUMENT for a view that is not a RecallView value.
absl::StatusOr<KeysetPage<ResourceRow>> ListRecallRows(Transaction& tx,
                                                       const RecallListFilter& filter,
                                                       const std::vector<std::string>& after,
                                                       int limit);

}  // namespace clinicd::store
