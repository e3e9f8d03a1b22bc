#include "services/resources/resource_fields.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/digest.h"
#include "services/common/errors.h"

namespace clinicd::resources {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

const FieldDescriptor* Field(const Message& message, absl::string_view name) {
  return message.GetDescriptor()->FindFieldByName(std::string(name));
}

void SetString(Message& message, absl::string_view field, const std::string& value) {
  if (const FieldDescriptor* f = Field(message, field);
      f && f->type() == FieldDescriptor::TYPE_STRING && !f->is_repeated()) {
    message.GetReflection()->SetString(&message, f, value);
  }
}

std::string GetString(const Message& message, absl::string_view field) {
  if (const FieldDescriptor* f = Field(message, field);
      f && f->type() == FieldDescriptor::TYPE_STRING && !f->is_repeated()) {
    return message.GetReflection()->GetString(message, f);
  }
  return {};
}

void SetTime(Message& message, absl::string_view field, absl::Time time) {
  const FieldDescriptor* f = Field(message, field);
  if (!f || f->message_type() == nullptr ||
      f->message_type()->full_name() != "google.protobuf.Timestamp") {
    return;
  }
  auto* timestamp = static_cast<google::protobuf::Timestamp*>(
      message.GetReflection()->MutableMessage(&message, f));
  *timestamp = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(time));
}

std::string Serialize(const Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream output(&stream);
  output.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&output);
  output.Trim();
  return bytes;
}

// True when `path` is one of `allowed` or lies inside one of them.
bool IsMutable(absl::string_view path,
               const std::vector<absl::string_view>& allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](absl::string_view a) {
    return path == a || absl::StartsWith(path, absl::StrCat(a, "."));
  });
}

}  // namespace

void StampCreated(Message& resource, const std::string& name, absl::Time now) {
  SetString(resource, "name", name);
  SetString(resource, "etag", "");
  SetTime(resource, "create_time", now);
  SetTime(resource, "update_time", now);
}

void StampUpdated(Message& resource, absl::Time now) {
  SetTime(resource, "update_time", now);
}

std::string EtagOf(int64_t revision) { return absl::StrCat(revision); }

void SetEtag(Message& resource, int64_t revision) {
  SetString(resource, "etag", EtagOf(revision));
}

std::string GetEtag(const Message& resource) { return GetString(resource, "etag"); }

std::string GetName(const Message& resource) { return GetString(resource, "name"); }

absl::Status CheckEtag(absl::string_view given, int64_t revision,
                       absl::string_view resource_name) {
  if (given.empty() || given == EtagOf(revision)) return absl::OkStatus();
  return ErrorWithReason(
      absl::StatusCode::kAborted, "ETAG_MISMATCH",
      absl::StrCat("etag: `", given, "` is not the current etag of ",
                   resource_name, " (", EtagOf(revision),
                   "); read it again and reapply the change"),
      {{"current_etag", EtagOf(revision)}});
}

std::string StoredBytes(const Message& resource) {
  std::unique_ptr<Message> copy(resource.New());
  copy->CopyFrom(resource);
  SetString(*copy, "etag", "");
  return Serialize(*copy);
}

std::string QueryFingerprint(const Message& request) {
  std::unique_ptr<Message> copy(request.New());
  copy->CopyFrom(request);
  for (const char* field : {"page_size", "page_token"}) {
    if (const FieldDescriptor* f = Field(*copy, field)) copy->GetReflection()->ClearField(copy.get(), f);
  }
  // The type's name first: two requests of different methods can serialize
  // alike (only `parent` set), and one's token must not page the other.
  return absl::StrCat(request.GetDescriptor()->full_name(), "?", Serialize(*copy));
}

std::string RequestDigest(const Message& request) {
  return Sha256(Serialize(request));
}

absl::StatusOr<google::protobuf::FieldMask> EffectiveUpdateMask(
    const Message& patch, const google::protobuf::FieldMask& mask,
    const std::vector<absl::string_view>& mutable_fields) {
  google::protobuf::FieldMask effective;
  if (mask.paths_size() == 1 && mask.paths(0) == "*") {
    for (absl::string_view field : mutable_fields) {
      effective.add_paths(std::string(field));
    }
    return effective;
  }
  if (mask.paths_size() == 0) {
    std::vector<const FieldDescriptor*> set_fields;
    patch.GetReflection()->ListFields(patch, &set_fields);
    for (const FieldDescriptor* f : set_fields) {
      if (IsMutable(f->name(), mutable_fields)) effective.add_paths(f->name());
    }
    return effective;
  }
  for (const std::string& path : mask.paths()) {
    if (!IsMutable(path, mutable_fields) ||
        !google::protobuf::util::FieldMaskUtil::GetFieldDescriptors(
            patch.GetDescriptor(), path, nullptr)) {
      return InvalidField(
          "update_mask",
          absl::StrCat("`", path, "` is not a field that can be updated; "
                       "updatable: ",
                       absl::StrJoin(mutable_fields, ", ")));
    }
    effective.add_paths(path);
  }
  return effective;
}

void ApplyUpdateMask(const Message& patch,
                     const google::protobuf::FieldMask& mask, Message& target) {
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, mask, options,
                                                        &target);
}

}  // namespace clinicd::resources
