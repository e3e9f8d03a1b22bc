#include "clients/reminder_worker/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace clinicd::reminder_worker {

std::string HmacSha256Hex(absl::string_view key, absl::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac,
           &length) == nullptr) {
    std::abort();  // Only on allocation failure inside OpenSSL.
  }
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(mac), length));
}

std::string SignatureHeaderValue(absl::string_view secret, int64_t unix_seconds,
                                 absl::string_view body) {
  const std::string timestamp = absl::StrCat(unix_seconds);
  return absl::StrCat("t=", timestamp,
                      ",v1=", HmacSha256Hex(secret, absl::StrCat(timestamp, ".", body)));
}

}  // namespace clinicd::reminder_worker
