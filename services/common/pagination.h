#pragma once

// AIP-158 pagination: page sizes and opaque page tokens. A token is sealed
// (AES-256-GCM) with a key the server keeps in its database: a client can
// neither read the sort key inside (which may hold a patient's folded name)
// nor make one up; every process on the database and every restart accepts
// the tokens of the others.

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"

namespace clinicd {

// Default and largest page size of every List and Search.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// 0 → the default, above the maximum → the maximum, negative → INVALID_ARGUMENT.
absl::StatusOr<int> EffectivePageSize(int32_t page_size);

// Installs the 32-byte key tokens are sealed with (at server start, from
// store::LoadOrCreateSecret). Until then a random key of this process seals
// them, which is enough for a single process that never restarts (tests).
void SetPageTokenKey(absl::string_view key);

// Where the next page starts: the sort key of the last item returned.
// `request_fingerprint` is a digest of the request's other fields, so a token
// used with a different query is refused rather than silently misread.
std::string EncodePageToken(const std::vector<std::string>& last_key,
                            absl::string_view request_fingerprint);

// Reads a token; empty token → empty key (first page). A token that is
// malformed, forged, sealed with another key or from another query →
// INVALID_ARGUMENT naming page_token.
absl::StatusOr<std::vector<std::string>> DecodePageToken(
    absl::string_view token, absl::string_view request_fingerprint);

}  // namespace clinicd
