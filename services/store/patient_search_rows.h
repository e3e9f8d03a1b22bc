#pragma once

// Patient search: a clinic's patients whose phone number is exactly one E.164
// number, or each of whose words starts one of their names, in the patient
// list's order (sort key, id), one keyset page at a time.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/store/keyset_page.h"
#include "services/store/resource_rows.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// What a search matches: a phone number, or else name prefixes.
struct PatientMatch {
  // An E.164 number; when set, `name_prefixes` is ignored.
  std::string phone_e164;
  // Folded words (letters and digits only, domain::SearchWords), each of
  // which must start one of the patient's names.
  std::vector<std::string> name_prefixes;
};

// Up to `limit` patients of clinic `clinic_id` matching `match`, after the
// key `after` (sort key, id) of the previous page.
absl::StatusOr<KeysetPage<ResourceRow>> SearchPatientRows(Transaction& tx,
                                                          const std::string& clinic_id,
                                                          const PatientMatch& match,
                                                          const std::vector<std::string>& after,
                                                          int limit);

}  // namespace clinicd::store
