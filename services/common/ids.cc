#include "services/common/ids.h"

#include <cstdint>

#include "absl/random/random.h"

namespace clinicd {
namespace {

constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

}  // namespace

std::string NewResourceId(absl::Time now) {
  thread_local absl::BitGen bitgen;
  uint64_t millis = static_cast<uint64_t>(absl::ToUnixMillis(now));
  std::string id(26, '0');
  // Ten characters of time (50 bits hold the 48), most significant first...
  for (int i = 9; i >= 0; --i) {
    id[i] = kAlphabet[millis & 31];
    millis >>= 5;
  }
  // ...then sixteen characters of randomness (80 bits).
  for (int i = 10; i < 26; ++i) id[i] = kAlphabet[absl::Uniform(bitgen, 0, 32)];
  return id;
}

}  // namespace clinicd
