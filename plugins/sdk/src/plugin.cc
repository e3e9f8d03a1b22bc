#include "clinicd/plugin.h"

#include <algorithm>
#include <cstdlib>

#include "clinicd/protocol_rules.h"

namespace clinicd::plugin_sdk {

absl::StatusOr<clinicd::plugin::v1::EvaluateScreeningResponse>
TreatmentPlugin::EvaluateScreening(
    const clinicd::plugin::v1::EvaluateScreeningRequest& request) const {
  return protocol::EvaluateDeclaredScreening(request);
}

absl::StatusOr<clinicd::plugin::v1::PlanSeriesResponse> TreatmentPlugin::PlanSeries(
    const clinicd::plugin::v1::PlanSeriesRequest& request) const {
  return protocol::PlanDeclaredSeries(request);
}

absl::StatusOr<clinicd::plugin::v1::ScheduleRecallResponse> TreatmentPlugin::ScheduleRecall(
    const clinicd::plugin::v1::ScheduleRecallRequest& request) const {
  return protocol::ScheduleDeclaredRecall(request);
}

namespace internal {

void FillBuffer(const std::string& bytes, clinicd_buffer* out) {
  // malloc, not new[]: the buffer is freed through the C boundary.
  out->size = bytes.size();
  out->data = static_cast<uint8_t*>(std::malloc(std::max<size_t>(bytes.size(), 1)));
  if (out->data != nullptr) std::memcpy(out->data, bytes.data(), bytes.size());
}

void FreeBuffer(clinicd_buffer* buffer) {
  if (buffer == nullptr) return;
  std::free(buffer->data);
  buffer->data = nullptr;
  buffer->size = 0;
}

void WriteError(const std::string& message, char* error, size_t error_size) {
  if (error == nullptr || error_size == 0) return;
  const size_t length = std::min(message.size(), error_size - 1);
  std::memcpy(error, message.data(), length);
  error[length] = '\0';
}

int StatusCode(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return CLINICD_OK;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return CLINICD_INVALID_ARGUMENT;
    case absl::StatusCode::kUnimplemented:
      return CLINICD_UNIMPLEMENTED;
    default:
      return CLINICD_INTERNAL;
  }
}

}  // namespace internal
}  // namespace clinicd::plugin_sdk
