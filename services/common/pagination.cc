#include "services/common/pagination.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/errors.h"
#include "clinicd/internal/v1/page_token.pb.h"

namespace clinicd {
namespace {

constexpr size_t kKeyBytes = 32;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;

absl::Mutex key_mu(absl::kConstInit);

// The sealing key: installed, or random for this process.
std::string& Key() ABSL_EXCLUSIVE_LOCKS_REQUIRED(key_mu) {
  static auto* key = [] {
    auto* random = new std::string(kKeyBytes, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(random->data()), kKeyBytes);
    return random;
  }();
  return *key;
}

std::string CurrentKey() {
  absl::MutexLock lock(&key_mu);
  return Key();
}

// nonce || AES-256-GCM(plaintext) || tag.
std::string Seal(absl::string_view plaintext) {
  const std::string key = CurrentKey();
  std::string sealed(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  RAND_bytes(out, kNonceBytes);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int written = 0;
  EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                     reinterpret_cast<const unsigned char*>(key.data()), out);
  EVP_EncryptUpdate(ctx, out + kNonceBytes, &written,
                    reinterpret_cast<const unsigned char*>(plaintext.data()),
                    static_cast<int>(plaintext.size()));
  int final_bytes = 0;
  EVP_EncryptFinal_ex(ctx, out + kNonceBytes + written, &final_bytes);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes,
                      out + kNonceBytes + plaintext.size());
  EVP_CIPHER_CTX_free(ctx);
  return sealed;
}

// The plaintext of a Seal'ed token, or nullopt when it was not sealed with
// this key or has been altered.
std::optional<std::string> Open(absl::string_view sealed) {
  if (sealed.size() < kNonceBytes + kTagBytes) return std::nullopt;
  const std::string key = CurrentKey();
  const auto* in = reinterpret_cast<const unsigned char*>(sealed.data());
  const size_t length = sealed.size() - kNonceBytes - kTagBytes;
  std::string plaintext(length, '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int written = 0;
  int final_bytes = 0;
  std::string tag(sealed.substr(kNonceBytes + length));
  const bool ok =
      EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                         reinterpret_cast<const unsigned char*>(key.data()), in) == 1 &&
      EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(plaintext.data()), &written,
                        in + kNonceBytes, static_cast<int>(length)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(plaintext.data()) + written,
                          &final_bytes) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return std::nullopt;
  return plaintext;
}


// A short stable digest of the request's filters, a guard against using a
// token with another query (tokens grant no access the caller lacks).
std::string Fingerprint(absl::string_view request_fingerprint) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a: stable across builds.
  for (unsigned char c : request_fingerprint) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return absl::StrCat(h);
}

}  // namespace

void SetPageTokenKey(absl::string_view key) {
  absl::MutexLock lock(&key_mu);
  Key() = std::string(key);
}

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
  return absl::WebSafeBase64Escape(Seal(token.SerializeAsString()));
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(
    absl::string_view token, absl::string_view request_fingerprint) {
  if (token.empty()) return std::vector<std::string>{};
  std::string sealed;
  std::optional<std::string> bytes;
  clinicd::internal::v1::PageToken parsed;
  if (!absl::WebSafeBase64Unescape(token, &sealed) || !(bytes = Open(sealed)) ||
      !parsed.ParseFromString(*bytes) || parsed.last_key().empty()) {
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
