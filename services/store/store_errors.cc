#include "services/store/store_errors.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace clinicd::store::internal {

bool IsStorageFailure(const absl::Status& status) {
  const std::optional<std::string> reason = ErrorReason(status);
  return reason == kStorageFull || reason == kStorageUnavailable;
}

absl::Status Annotate(const absl::Status& status, absl::string_view context) {
  if (status.ok()) return status;
  absl::Status annotated(status.code(), absl::StrCat(context, status.message()));
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    annotated.SetPayload(type_url, payload);
  });
  return annotated;
}

}  // namespace clinicd::store::internal
