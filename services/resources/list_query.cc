#include "services/resources/list_query.h"

#include "services/common/pagination.h"
#include "services/common/resource_name.h"

namespace clinicd::resources {

absl::StatusOr<std::string> ParseClinicParent(const auth::Principal& principal,
                                              absl::string_view parent, absl::string_view field) {
  std::vector<absl::string_view> pattern = {"clinics"};
  absl::StatusOr<std::vector<std::string>> ids = ParseResourceName(field, parent, pattern);
  if (!ids.ok()) return ids.status();
  if (absl::Status s = auth::CheckClinicAccess(principal, ids->front()); !s.ok()) return s;
  return ids->front();
}

std::string NextPageToken(const std::vector<std::string>& next_after,
                          absl::string_view fingerprint) {
  if (next_after.empty()) return std::string();
  return EncodePageToken(next_after, fingerprint);
}

}  // namespace clinicd::resources
