#include "services/common/ids.h"

#include <cstdint>

#include "absl/base/const_init.h"
#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"

namespace clinicd {
namespace {

constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

}  // namespace

std::string NewResourceId(absl::Time now) {
  // Monotonic within a process (the ULID spec's monotonic mode): an id made
  // in the same millisecond as the last one, or while the clock stepped
  // back, takes the last randomness plus one, so ids always sort in the
  // order they were made.
  static absl::Mutex mutex(absl::kConstInit);
  static uint64_t last_millis = 0;
  static uint64_t last_high = 0;  // upper 16 of the 80 random bits
  static uint64_t last_low = 0;   // lower 64
  thread_local absl::BitGen bitgen;
  uint64_t millis = static_cast<uint64_t>(absl::ToUnixMillis(now)) & 0xFFFFFFFFFFFFULL;
  uint64_t high;
  uint64_t low;
  {
    absl::MutexLock lock(&mutex);
    if (millis <= last_millis) {
      millis = last_millis;
      high = last_high;
      low = last_low + 1;
      if (low == 0) high = (high + 1) & 0xFFFF;
    } else {
      high = absl::Uniform<uint64_t>(bitgen) & 0xFFFF;
      low = absl::Uniform<uint64_t>(bitgen);
    }
    last_millis = millis;
    last_high = high;
    last_low = low;
  }
  std::string id(26, '0');
  // Ten characters of time (50 bits hold the 48), most significant first...
  for (int i = 9; i >= 0; --i) {
    id[i] = kAlphabet[millis & 31];
    millis >>= 5;
  }
  // ...then sixteen of randomness: 80 bits as 16 + 64, 5 bits a character.
  for (int i = 25; i >= 10; --i) {
    id[i] = kAlphabet[low & 31];
    low = (low >> 5) | ((high & 31) << 59);
    high >>= 5;
  }
  return id;
}

}  // namespace clinicd
