// Fuzzes page token decoding (common/pagination.cc), which reads whatever a
// client sends as page_token. An input is
//   byte 0      the length of the request fingerprint (modulo 32)
//   then        the fingerprint, then the token
// Decoding must not crash, and a token it accepts must mean the same keys
// once re-encoded (nothing is lost or invented between the two forms).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "services/common/pagination.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return -1;
  const size_t fingerprint_size = std::min<size_t>(data[0] % 32, size - 1);
  const std::string fingerprint(reinterpret_cast<const char*>(data) + 1, fingerprint_size);
  const std::string token(reinterpret_cast<const char*>(data) + 1 + fingerprint_size,
                          size - 1 - fingerprint_size);

  absl::StatusOr<std::vector<std::string>> keys = clinicd::DecodePageToken(token, fingerprint);
  if (!keys.ok() || keys->empty()) return 0;
  absl::StatusOr<std::vector<std::string>> again =
      clinicd::DecodePageToken(clinicd::EncodePageToken(*keys, fingerprint), fingerprint);
  if (!again.ok() || *again != *keys) {
    std::fprintf(stderr, "page_token_fuzzer: an accepted token does not survive re-encoding\n");
    std::abort();
  }
  return 0;
}
