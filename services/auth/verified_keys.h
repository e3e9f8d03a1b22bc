#pragma once

// A short memory of verified API keys, so a busy client's calls do not each
// read its key from the database. An entry is trusted for `ttl` (half a
// second by default) and then verified again, so a key revoked by any
// process (`clinicd keys revoke`) stops working within that time. Only
// successes are remembered: a wrong secret always reaches the database and
// the failure throttle (auth_throttle.h).

#include <chrono>
#include <cstddef>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/auth/principal.h"
#include "services/store/database.h"

namespace clinicd::auth {

class VerifiedKeys final {
 public:
  // Entries live `ttl`; at most `capacity` are kept (all are dropped when a
  // new one would exceed it: a flood of distinct live keys only costs reads).
  explicit VerifiedKeys(absl::Duration ttl = absl::Milliseconds(500), size_t capacity = 4096);

  VerifiedKeys(const VerifiedKeys&) = delete;
  VerifiedKeys& operator=(const VerifiedKeys&) = delete;

  // The principal of the live key with this secret, as AuthenticateSecret
  // gives it, from memory when it was verified within ttl.
  absl::StatusOr<Principal> Authenticate(const store::Database& db, absl::string_view secret);

 private:
  struct Entry {
    Principal principal;
    // Elapsed time, not the clinic's clock: the clock may be set by an
    // operator or a test, and must not keep a revoked key alive.
    std::chrono::steady_clock::time_point verified;
  };

  const std::chrono::steady_clock::duration ttl_;
  const size_t capacity_;
  absl::Mutex mu_;
  // By the SHA-256 of the secret, so the secrets themselves are not kept.
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace clinicd::auth
