#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

// Internal to clinic_store: what every backend's errors have in common.
namespace clinicd::store::internal {

// The whole message of every busy error, so callers and tests can rely on it.
inline constexpr char kBusyMessage[] = "database is busy; retry";

// ErrorInfo reasons of storage failures: the server, not the request, is at
// fault, and a retry after the operator acts can succeed.
inline constexpr char kStorageFull[] = "STORAGE_FULL";
inline constexpr char kStorageUnavailable[] = "STORAGE_UNAVAILABLE";

// True for a status a backend made from a full disk or an I/O failure.
bool IsStorageFailure(const absl::Status& status);

// Returns `status` with `context` put in front of its message and the same
// code and details, so a caller's switch on the code still works after we
// add detail.
absl::Status Annotate(const absl::Status& status, absl::string_view context);

}  // namespace clinicd::store::internal
