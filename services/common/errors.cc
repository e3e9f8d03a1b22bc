#include "services/common/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"

namespace clinicd {

absl::Status ErrorWithReason(absl::StatusCode code, absl::string_view reason,
                             absl::string_view message,
                             const std::map<std::string, std::string>& metadata) {
  absl::Status status(code, message);
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) (*info.mutable_metadata())[key] = value;
  status.SetPayload(kErrorInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

std::optional<std::string> ErrorReason(const absl::Status& status) {
  auto payload = status.GetPayload(kErrorInfoTypeUrl);
  if (!payload) return std::nullopt;
  google::rpc::ErrorInfo info;
  if (!info.ParseFromString(std::string(*payload))) return std::nullopt;
  return info.reason();
}

void FieldViolations::Add(std::string field, std::string rule) {
  violations_.emplace_back(std::move(field), std::move(rule));
}

void FieldViolations::AddIfError(std::string field, const absl::Status& status) {
  if (!status.ok()) Add(std::move(field), std::string(status.message()));
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const auto& [field, rule] : violations_) {
    auto* violation = bad_request.add_field_violations();
    violation->set_field(field);
    violation->set_description(rule);
    parts.push_back(absl::StrCat(field, ": ", rule));
  }
  absl::Status status =
      ErrorWithReason(absl::StatusCode::kInvalidArgument, "INVALID_FIELD",
                      absl::StrJoin(parts, "; "),
                      {{"field", violations_.front().first}});
  status.SetPayload(kBadRequestTypeUrl,
                    absl::Cord(bad_request.SerializeAsString()));
  return status;
}

absl::Status InvalidField(std::string field, std::string rule) {
  FieldViolations violations;
  violations.Add(std::move(field), std::move(rule));
  return violations.ToStatus();
}

}  // namespace clinicd
