#pragma once

#include <string>
#include "absl/strings/string_view.h"

namespace clinicd {

// The raw 32-byte SHA-256 of `data` (OpenSSL).
std::string Sha256(absl::string_view data);

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

}  // namespace clinicd
