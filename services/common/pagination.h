#pragma once

// AIP-158 pagination: page sizes and opaque, tamper-evident page tokens.

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

// Where the next page starts: the sort key of the last item returned.
// `request_fingerprint` is a digest of the request's other fields, so a token
// used with a different query is refused rather than silently misread.
std::string EncodePageToken(const std::vector<std::string>& last_key,
                            absl::string_view request_fingerprint);

// Reads a token; empty token → empty key (first page). A token that is
// malformed or from another query → INVALID_ARGUMENT naming page_token.
absl::StatusOr<std::vector<std::string>> DecodePageToken(
    absl::string_view token, absl::string_view request_fingerprint);

}  // namespace clinicd
