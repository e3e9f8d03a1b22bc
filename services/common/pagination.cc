#include "services/common/pagination.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "clinicd/internal/v1/page_token.pb.h"

namespace clinicd {
namespace {

// A short stable digest of the request's filters; not a security boundary
// (tokens grant no access the caller lacks), only a guard against mix-ups.
std::string Fingerprint(absl::string_view request_fingerprint) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a: stable across builds.
  for (unsigned char c : request_fingerprint) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return absl::StrCat(h);
}

}  // namespace

absl::StatusOr<int> EffectivePageSize(int32_t page_size) {
  if (page_size < 0) return InvalidField("page_size", "must not be negative");
  if (page_size == 0) return kDefaultPageSize;
  return std::min<int>(page_size, kMaxPageSize);
}

std::string EncodePageToken(const std::vector<std::string>& last_key,
                            absl::string_view request_fingerprint) {
  clinicd::internal::v1::PageToken token;
  for (const std::string& part : last_key) token.add_last_key(part);
  token.set_request_fingerprint(Fingerprint(request_fingerprint));
  return absl::WebSafeBase64Escape(token.SerializeAsString());
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(
    absl::string_view token, absl::string_view request_fingerprint) {
  if (token.empty()) return std::vector<std::string>{};
  std::string bytes;
  clinicd::internal::v1::PageToken parsed;
  if (!absl::WebSafeBase64Unescape(token, &bytes) ||
      !parsed.ParseFromString(bytes) || parsed.last_key().empty()) {
    return InvalidField("page_token",
                        "must be a next_page_token returned by this method");
  }
  if (parsed.request_fingerprint() != Fingerprint(request_fingerprint)) {
    return InvalidField("page_token",
                        "belongs to a request with different parameters; "
                        "repeat the other fields of the first page's request");
  }
  return std::vector<std::string>(parsed.last_key().begin(),
                                  parsed.last_key().end());
}

}  // namespace clinicd
