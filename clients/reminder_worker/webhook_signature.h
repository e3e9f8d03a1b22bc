#pragma once

// The signature a webhook receiver checks: HMAC-SHA256 (OpenSSL) over
// "<unix seconds>.<body>", sent as `X-Clinicd-Signature: t=<seconds>,v1=<hex>`.
// Binding the time into the MAC lets receivers refuse replays of old requests.

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace clinicd::reminder_worker {

// Lower-case hex HMAC-SHA256 of `message` under `key`.
std::string HmacSha256Hex(absl::string_view key, absl::string_view message);

// The X-Clinicd-Signature value for `body` sent at `unix_seconds`:
// "t=<unix_seconds>,v1=<HmacSha256Hex(secret, "<unix_seconds>.<body>")>".
std::string SignatureHeaderValue(absl::string_view secret, int64_t unix_seconds,
                                 absl::string_view body);

}  // namespace clinicd::reminder_worker
