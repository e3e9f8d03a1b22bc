#pragma once

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace clinicd {

// A new resource id: 26 lower-case Crockford base32 characters, a 48-bit
// millisecond timestamp followed by 80 random bits (the ULID layout), so ids
// sort by creation time and keyset pagination by id lists oldest first.
std::string NewResourceId(absl::Time now = absl::Now());

}  // namespace clinicd
