#include "services/rpc/field_limits.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"

namespace clinicd::rpc {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Sizes by kind of value. Generous for people's text (UTF-8 takes up to four
// bytes a character), tight for identifiers.
constexpr size_t kResourceName = 256;   // clinics/c1/patients/p1 and the like
constexpr size_t kToken = 1024;         // page tokens and feed cursors
constexpr size_t kShortCode = 64;       // etags, hashes, codes, versions, zones
constexpr size_t kLabel = 200;          // a name or title a person reads
constexpr size_t kReason = 2000;        // a reason or justification, a few sentences
constexpr size_t kText = 10000;         // notes, answers, message bodies
constexpr size_t kDocument = 200000;    // a consent form's full text
constexpr size_t kSignatureImage = 512 * 1024;  // a PNG of a signature

const std::vector<FieldLimit>& Table() {
  static const auto* table = new std::vector<FieldLimit>{
      // Resource names and references to resources.
      {"name", kResourceName},
      {"parent", kResourceName},
      {"id", kResourceName},
      {"patient", kResourceName},
      {"practitioner", kResourceName},
      {"room", kResourceName},
      {"series", kResourceName},
      {"appointment", kResourceName},
      {"recall", kResourceName},
      {"resource", kResourceName},
      {"treatment_type", kResourceName},
      {"treatment_types", kResourceName},
      {"recall_policy", kResourceName},
      {"recall_policies", kResourceName},
      {"plugin", kResourceName},
      {"consent_form", kResourceName},
      {"photo_ids", kResourceName},
      {"reviewer", kResourceName},
      {"recorded_by", kResourceName},
      {"decided_by", kResourceName},
      {"worker", kLabel},
      {"lease_id", kResourceName},
      {"dedupe_key", kResourceName},
      {"file", 4096},
      {"paths", kResourceName},  // google.protobuf.FieldMask of updates
      // Tokens, request ids and short codes.
      {"page_token", kToken},
      {"next_page_token", kToken},
      {"cursor", kToken},
      {"after_cursor", kToken},
      {"request_id", 128},
      {"etag", kShortCode},
      {"text_sha256", kShortCode},
      {"version", kShortCode},
      {"time_zone", kShortCode},
      {"region_code", 8},
      {"preferred_language", 35},  // BCP 47's longest common form
      {"question_id", kShortCode},
      {"rule_id", kShortCode},
      {"reasons", kShortCode},
      {"capabilities", kShortCode},
      {"required_room_capabilities", kShortCode},
      {"phone_number", kShortCode},
      {"email", 254},  // RFC 5321's longest address
      {"recipient", 320},
      // What people read and write.
      {"display_name", kLabel},
      {"given_name", kLabel},
      {"family_name", kLabel},
      {"title", kLabel},
      {"subject", kLabel},
      {"signer_name", kLabel},
      {"signer_relationship", kLabel},
      {"witness", kLabel},
      {"indication", kLabel},
      {"query", kLabel},
      {"address_lines", kLabel},
      {"reason", kReason},
      {"cancel_reason", kReason},
      {"withdraw_reason", kReason},
      {"dismiss_reason", kReason},
      {"justification", kReason},
      {"explanation", kReason},
      {"refusal_reason", kReason},
      {"detail", kReason},
      {"delivery_detail", kReason},
      {"summary", kReason},
      {"text", kText},
      {"notes", kText},
      {"description", kText},
      {"body", kText},
      {"form_text", kDocument},
      {"signature_image", kSignatureImage},
  };
  return *table;
}

class LimitChecker {
 public:
  void Check(const Message& message, const std::string& prefix) {
    const Reflection& reflection = *message.GetReflection();
    std::vector<const FieldDescriptor*> fields;
    reflection.ListFields(message, &fields);
    for (const FieldDescriptor* field : fields) {
      const std::string path = absl::StrCat(prefix, field->name());
      if (field->is_repeated()) {
        const int count = reflection.FieldSize(message, field);
        if (count > kMaxRepeatedElements) {
          violations_.Add(path, absl::StrCat("must have at most ", kMaxRepeatedElements,
                                             " elements (has ", count, ")"));
          continue;
        }
        for (int i = 0; i < count; ++i) {
          const std::string element = absl::StrCat(path, "[", i, "]");
          if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
            std::string scratch;
            CheckText(field, element,
                      reflection.GetRepeatedStringReference(message, field, i, &scratch));
          } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
            Check(reflection.GetRepeatedMessage(message, field, i), element + ".");
          }
        }
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        std::string scratch;
        CheckText(field, path, reflection.GetStringReference(message, field, &scratch));
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        Check(reflection.GetMessage(message, field), path + ".");
      }
    }
    CheckTime(message, prefix);
  }

  absl::Status Result() const { return violations_.ToStatus(); }

 private:
  // A Timestamp or Duration must be one protobuf allows before anything
  // converts it (years 1 to 9999; at most 10,000 years; nanos in range and
  // of the seconds' sign). Finer ranges are each field's own rule.
  void CheckTime(const Message& message, const std::string& prefix) {
    if (prefix.empty()) return;
    const std::string path = prefix.substr(0, prefix.size() - 1);
    const std::string& type = message.GetDescriptor()->full_name();
    if (type == google::protobuf::Timestamp::descriptor()->full_name()) {
      google::protobuf::Timestamp time;
      time.CopyFrom(message);
      if (!IsValidTimestamp(time)) {
        violations_.Add(path, "must be a valid timestamp: from 0001-01-01 to 9999-12-31 UTC, "
                              "nanos from 0 to 999999999");
      }
    } else if (type == google::protobuf::Duration::descriptor()->full_name()) {
      google::protobuf::Duration duration;
      duration.CopyFrom(message);
      if (!IsValidDuration(duration)) {
        violations_.Add(path, "must be a valid duration: at most 10000 years either way, "
                              "nanos below one second and of the seconds' sign");
      }
    }
  }

  void CheckText(const FieldDescriptor* field, const std::string& path,
                 const std::string& value) {
    const size_t limit = MaxBytesOf(field->name()).value_or(kShortCode);
    if (value.size() <= limit) return;
    violations_.Add(path, absl::StrCat("must be at most ", limit, " bytes (is ",
                                       value.size(), ")"));
  }

  FieldViolations violations_;
};

}  // namespace

const std::vector<FieldLimit>& FieldLimits() { return Table(); }

std::optional<size_t> MaxBytesOf(absl::string_view field_name) {
  static const auto* by_name = [] {
    auto* map = new absl::flat_hash_map<absl::string_view, size_t>();
    for (const FieldLimit& limit : Table()) map->emplace(limit.field_name, limit.max_bytes);
    return map;
  }();
  auto it = by_name->find(field_name);
  if (it == by_name->end()) return std::nullopt;
  return it->second;
}

absl::Status CheckFieldLimits(const Message& request) {
  LimitChecker checker;
  checker.Check(request, "");
  return checker.Result();
}

}  // namespace clinicd::rpc
