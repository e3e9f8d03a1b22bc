#pragma once

// The series list: a clinic's (or one patient's) treatment series by
// creation, one keyset page at a time.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/store/keyset_page.h"
#include "services/store/resource_rows.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// Up to `limit` series of clinic `clinic_id` (of patient `patient_id` only,
// unless empty) ordered by (create time, id), after the key `after`
// (create time micros, id) of the previous page.
absl::StatusOr<KeysetPage<ResourceRow>> ListSeriesRows(Transaction& tx,
                                                       const std::string& clinic_id,
                                                       const std::string& patient_id,
                                                       const std::vector<std::string>& after,
                                                       int limit);

}  // namespace clinicd::store
