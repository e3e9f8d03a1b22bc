#include "services/common/resource_name.h"

#include "absl/strings/strip.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"

namespace clinicd {
namespace {

// The pattern text shown in errors, e.g. `clinics/{clinic}/patients/{patient}`.
std::string Pattern(absl::Span<const absl::string_view> collections) {
  std::string pattern;
  for (absl::string_view collection : collections) {
    if (!pattern.empty()) pattern += "/";
    // The variable is the singular: drop a trailing `s` (timeOff stays).
    absl::string_view singular = collection;
    if (singular.size() > 1 && singular.back() == 's') singular.remove_suffix(1);
    absl::StrAppend(&pattern, collection, "/{", singular, "}");
  }
  return pattern;
}

}  // namespace

bool IsValidResourceId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

absl::StatusOr<std::vector<std::string>> ParseResourceName(
    absl::string_view field, absl::string_view name,
    absl::Span<const absl::string_view> collections) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  bool ok = parts.size() == collections.size() * 2;
  std::vector<std::string> ids;
  for (size_t i = 0; ok && i < collections.size(); ++i) {
    ok = parts[2 * i] == collections[i] && IsValidResourceId(parts[2 * i + 1]);
    if (ok) ids.emplace_back(parts[2 * i + 1]);
  }
  if (!ok) {
    return InvalidField(std::string(field),
                        absl::StrCat("must be a resource name of the form ",
                                     Pattern(collections)));
  }
  return ids;
}

std::string IdInClinic(FieldViolations& violations, const std::string& field,
                       const std::string& name, const std::string& clinic_id,
                       absl::string_view collection) {
  std::vector<absl::string_view> collections = {"clinics", collection};
  absl::StatusOr<std::vector<std::string>> ids = ParseResourceName(field, name, collections);
  if (!ids.ok() || (*ids)[0] != clinic_id) {
    violations.Add(field, absl::StrCat("must name a ", collection.substr(0, collection.size() - 1),
                                       " of clinics/", clinic_id, " (clinics/", clinic_id, "/",
                                       collection, "/{id})"));
    return "";
  }
  return (*ids)[1];
}

std::string LastIdOf(absl::string_view name) {
  return std::string(name.substr(name.rfind('/') + 1));
}

std::string ClinicIdOf(absl::string_view name) {
  absl::string_view rest = name;
  absl::ConsumePrefix(&rest, "clinics/");
  return std::string(rest.substr(0, rest.find('/')));
}

std::string FormatResourceName(absl::Span<const absl::string_view> collections,
                               absl::Span<const std::string> ids) {
  std::string name;
  for (size_t i = 0; i < collections.size() && i < ids.size(); ++i) {
    if (!name.empty()) name += "/";
    absl::StrAppend(&name, collections[i], "/", ids[i]);
  }
  return name;
}

}  // namespace clinicd
