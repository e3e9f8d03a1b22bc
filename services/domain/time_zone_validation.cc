#include "services/domain/time_zone_validation.h"

#include <cstddef>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"

namespace clinicd::domain {
namespace {

// The longest IANA name today is 32 characters; anything much longer is not
// a zone name and need not reach the file system.
constexpr size_t kMaxZoneNameLength = 64;

// True if `c` may follow the first letter of a name component; IANA names use
// letters, digits, "_", "-" and "+" ("America/Port-au-Prince", "Etc/GMT+1").
bool IsZoneNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '-' || c == '+';
}

// True if `component` (the text between slashes) could be part of an IANA
// name. Every IANA zone and link component starts with an uppercase letter,
// which rules out "localtime", "posixrules", "posix/", "right/", tzdata's
// *.tab files, "." and "..", and offsets such as "+01:00", all of which
// absl::LoadTimeZone would otherwise accept or try to read as files.
bool IsZoneNameComponent(absl::string_view component) {
  if (component.empty() ||
      !absl::ascii_isupper(static_cast<unsigned char>(component.front()))) {
    return false;
  }
  for (char c : component) {
    if (!IsZoneNameChar(c)) return false;
  }
  return true;
}

// True if `name` is shaped like an IANA zone name. A leading "/" or a ":"
// fails here too, which keeps absolute paths and "file:" and "Fixed/UTC+hh:mm"
// forms away from the loader.
bool IsIanaShapedName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxZoneNameLength) return false;
  for (absl::string_view component : absl::StrSplit(name, '/')) {
    if (!IsZoneNameComponent(component)) return false;
  }
  // "Factory" is tzdata's placeholder for "zone not configured"; a clinic
  // must name where it is.
  return name != "Factory";
}

// The rule every refusal states.
absl::Status ZoneError() {
  return absl::InvalidArgumentError(
      "must be an IANA time zone name such as Europe/Berlin (not a fixed "
      "offset or localtime)");
}

}  // namespace

absl::StatusOr<absl::TimeZone> LoadIanaTimeZone(absl::string_view name) {
  if (!IsIanaShapedName(name)) {
    return ZoneError();
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(std::string(name), &zone)) return ZoneError();
  return zone;
}

}  // namespace clinicd::domain
