#pragma once

// Clinic schedules are kept in civil time in the clinic's own zone, so the
// zone must be a real, rule-bearing IANA zone: a fixed offset would silently
// shift every appointment by an hour at each DST change.

#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace clinicd::domain {

// Loads the IANA time zone called `name` ("Europe/Berlin", "America/New_York",
// "UTC"). Refuses anything that is not an IANA zone name even where absl could
// load it: "", "localtime" (the host's zone, which moves with the host),
// fixed offsets such as "+01:00" or "Fixed/UTC+01:00", file paths, the
// "posix/" and "right/" copies, and the "Factory" placeholder. Returns
// InvalidArgument with a message that does not repeat `name`.
absl::StatusOr<absl::TimeZone> LoadIanaTimeZone(absl::string_view name);

}  // namespace clinicd::domain
