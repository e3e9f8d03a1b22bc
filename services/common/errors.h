#pragma once

// Errors that carry their machine-readable details. Internal code returns
// absl::Status; these helpers attach google.rpc.ErrorInfo and
// google.rpc.BadRequest as payloads so the service edge can hand them to
// callers unchanged (see grpc_status.h).

#include <map>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"

namespace clinicd {

// The ErrorInfo domain of every error clinicd returns.
inline constexpr absl::string_view kErrorDomain = "clinic.v1";

// Type URLs under which the details are stored as absl::Status payloads.
inline constexpr absl::string_view kErrorInfoTypeUrl =
    "type.googleapis.com/google.rpc.ErrorInfo";
inline constexpr absl::string_view kBadRequestTypeUrl =
    "type.googleapis.com/google.rpc.BadRequest";

// An error with an UPPER_SNAKE reason and metadata a caller can act on.
absl::Status ErrorWithReason(
    absl::StatusCode code, absl::string_view reason, absl::string_view message,
    const std::map<std::string, std::string>& metadata = {});

// The reason of an error made by ErrorWithReason, if any.
std::optional<std::string> ErrorReason(const absl::Status& status);

// Collects invalid fields of one request so the caller hears about all of them.
class FieldViolations final {
 public:
  // Records that `field` (a dotted path such as `patient.email`) breaks `rule`.
  void Add(std::string field, std::string rule);

  // Records a validation status under `field` when it is not OK.
  void AddIfError(std::string field, const absl::Status& status);

  // True when nothing was recorded.
  bool empty() const { return violations_.empty(); }

  // OK when empty, else INVALID_ARGUMENT naming every field and rule, with
  // BadRequest and ErrorInfo (reason INVALID_FIELD) attached.
  absl::Status ToStatus() const;

 private:
  std::vector<std::pair<std::string, std::string>> violations_;
};

// Shorthand for a single invalid field.
absl::Status InvalidField(std::string field, std::string rule);

}  // namespace clinicd
