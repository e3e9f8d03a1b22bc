#include "services/domain/clearance_refusal.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "services/common/errors.h"

namespace clinicd::domain {

absl::Status ClearanceRefusal(const clinic::v1::Clearance& clearance, absl::string_view what) {
  std::vector<std::string> reasons;
  std::vector<std::string> descriptions;
  for (const auto& reason : clearance.reasons()) {
    reasons.push_back(reason.reason());
    descriptions.push_back(reason.description());
  }
  std::map<std::string, std::string> metadata = {{"reasons", absl::StrJoin(reasons, ",")}};
  // Each reason's own advice, so a client can print one line per reason
  // rather than split the message.
  for (const auto& reason : clearance.reasons()) {
    metadata[absl::StrCat("advice_", reason.reason())] = reason.description();
  }
  if (clearance.has_earliest_treatable_time()) {
    metadata["earliest_treatable_time"] = absl::FormatTime(
        absl::RFC3339_sec, absl::FromUnixSeconds(clearance.earliest_treatable_time().seconds()),
        absl::UTCTimeZone());
  }
  return ErrorWithReason(
      absl::StatusCode::kFailedPrecondition, reasons.empty() ? "NOT_CLEARED" : reasons.front(),
      absl::StrCat("cannot ", what, ": ", absl::StrJoin(descriptions, "; ")), metadata);
}

}  // namespace clinicd::domain
