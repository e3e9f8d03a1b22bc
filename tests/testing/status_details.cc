#include "tests/testing/status_details.h"

#include "services/common/errors.h"

namespace clinicd::test_util {

google::rpc::ErrorInfo ErrorInfoOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  if (auto payload = status.GetPayload(kErrorInfoTypeUrl)) {
    if (!info.ParseFromString(std::string(*payload))) info.Clear();
  }
  return info;
}

std::string ReasonOf(const absl::Status& status) {
  return ErrorInfoOf(status).reason();
}

google::rpc::BadRequest BadRequestOf(const absl::Status& status) {
  google::rpc::BadRequest bad_request;
  if (auto payload = status.GetPayload(kBadRequestTypeUrl)) {
    if (!bad_request.ParseFromString(std::string(*payload)))
      bad_request.Clear();
  }
  return bad_request;
}

std::vector<std::string> ViolationFields(const absl::Status& status) {
  const google::rpc::BadRequest bad_request = BadRequestOf(status);
  std::vector<std::string> fields;
  for (const auto& violation : bad_request.field_violations()) {
    fields.push_back(violation.field());
  }
  return fields;
}

std::map<std::string, std::string> Violations(const absl::Status& status) {
  const google::rpc::BadRequest bad_request = BadRequestOf(status);
  std::map<std::string, std::string> violations;
  for (const auto& violation : bad_request.field_violations()) {
    violations[violation.field()] = violation.description();
  }
  return violations;
}

std::string MessageOf(const absl::Status& status) {
  return std::string(status.message());
}

}  // namespace clinicd::test_util
