#include "clients/clinicctl/output.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace clinicd::clinicctl {
namespace {

absl::Status ToJson(const google::protobuf::Message& message, std::string* json) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  const auto status = google::protobuf::util::MessageToJsonString(message, json, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print ", message.GetTypeName(), " as JSON: ", status.ToString()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status PrintJson(const google::protobuf::Message& message, std::ostream& out) {
  std::string json;
  if (absl::Status s = ToJson(message, &json); !s.ok()) return s;
  out << absl::StripTrailingAsciiWhitespace(json) << "\n";
  return absl::OkStatus();
}

absl::Status PrintJsonObject(
    const std::vector<std::pair<std::string, const google::protobuf::Message*>>& members,
    std::ostream& out) {
  std::string object = "{";
  for (size_t i = 0; i < members.size(); ++i) {
    std::string json;
    if (absl::Status s = ToJson(*members[i].second, &json); !s.ok()) return s;
    // Indent the member one level further.
    json = absl::StrReplaceAll(absl::StripTrailingAsciiWhitespace(json), {{"\n", "\n  "}});
    absl::StrAppend(&object, i == 0 ? "\n" : ",\n", "  \"", members[i].first, "\": ", json);
  }
  out << object << "\n}\n";
  return absl::OkStatus();
}

std::string EnumWord(const google::protobuf::EnumDescriptor* type, int value) {
  const google::protobuf::EnumValueDescriptor* found = type->FindValueByNumber(value);
  if (found == nullptr) return absl::StrCat(value);
  absl::string_view name = found->name();
  // Every clinic.v1 enum's zero value is PREFIX_UNSPECIFIED.
  absl::string_view prefix = type->value(0)->name();
  if (absl::ConsumeSuffix(&prefix, "UNSPECIFIED")) absl::ConsumePrefix(&name, prefix);
  return absl::StrReplaceAll(absl::AsciiStrToLower(name), {{"_", " "}});
}

std::string ShellWord(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789_-./:=+@,") == std::string::npos) {
    return text;
  }
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string FormatBirthDate(const google::type::Date& date) {
  if (date.year() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

}  // namespace clinicd::clinicctl
