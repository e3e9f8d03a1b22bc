#pragma once

// Reads the details clinicd attaches to an absl::Status (ErrorInfo and
// BadRequest payloads, see services/common/errors.h), so tests can assert
// exact reasons and field names; Debian's abseil has no status matchers.

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/rpc/error_details.pb.h"

namespace clinicd::test_util {

// The ErrorInfo payload of `status`; a default message when it has none or
// the payload does not parse.
google::rpc::ErrorInfo ErrorInfoOf(const absl::Status& status);

// The reason of `status`'s ErrorInfo, or "" when it has none.
std::string ReasonOf(const absl::Status& status);

// The BadRequest payload of `status`; a default message when it has none.
google::rpc::BadRequest BadRequestOf(const absl::Status& status);

// The field of every BadRequest violation of `status`, in order.
std::vector<std::string> ViolationFields(const absl::Status& status);

// Field → description of every BadRequest violation of `status`.
std::map<std::string, std::string> Violations(const absl::Status& status);

// The status message as std::string (gmock matchers take std::string, and
// Debian's absl::string_view is not std::string_view).
std::string MessageOf(const absl::Status& status);

}  // namespace clinicd::test_util
