#pragma once

// Reflection over the fields every clinic.v1 resource shares by convention
// (name, etag, create_time, update_time) and AIP-134 update masks, so the
// generic operations in resource_crud.h work for any resource message.

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace clinicd::resources {

// Clears output-only input and stamps name, create_time and update_time
// (each only when the message has that field).
void StampCreated(google::protobuf::Message& resource, const std::string& name,
                  absl::Time now);

// Sets update_time when the message has it.
void StampUpdated(google::protobuf::Message& resource, absl::Time now);

// The etag clients see for a stored revision.
std::string EtagOf(int64_t revision);

// Sets the etag field (when present) from the stored revision.
void SetEtag(google::protobuf::Message& resource, int64_t revision);

// The etag field's value, or empty.
std::string GetEtag(const google::protobuf::Message& resource);

// The `name` field's value.
std::string GetName(const google::protobuf::Message& resource);

// OK when `given` is empty or matches `revision`; else ABORTED (ETAG_MISMATCH).
absl::Status CheckEtag(absl::string_view given, int64_t revision,
                       absl::string_view resource_name);

// The bytes stored for a resource: deterministic, without its etag.
std::string StoredBytes(const google::protobuf::Message& resource);

// The bytes of a list or search request without page_size and page_token:
// what a page token is tied to.
std::string QueryFingerprint(const google::protobuf::Message& request);

// A digest of a request for idempotency checks.
std::string RequestDigest(const google::protobuf::Message& request);

// The paths an update changes: `*` means every mutable field; an empty mask
// means the fields set in `patch`. Each path must be mutable, else
// INVALID_ARGUMENT naming update_mask and the allowed paths.
absl::StatusOr<google::protobuf::FieldMask> EffectiveUpdateMask(
    const google::protobuf::Message& patch,
    const google::protobuf::FieldMask& mask,
    const std::vector<absl::string_view>& mutable_fields);

// Copies the masked fields of `patch` over `target`, replacing (not
// appending to) repeated and message fields.
void ApplyUpdateMask(const google::protobuf::Message& patch,
                     const google::protobuf::FieldMask& mask,
                     google::protobuf::Message& target);

}  // namespace clinicd::resources
