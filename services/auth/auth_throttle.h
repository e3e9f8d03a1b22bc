#pragma once

// Failed authentications, counted per peer address. A peer that keeps
// presenting bad keys is throttled: beyond a burst its failures are
// answered RESOURCE_EXHAUSTED `AUTH_THROTTLED` with the time to wait, and
// they are logged as one summary line per peer every kSummaryEvery instead
// of a line each. A call with a valid key always passes, so a client behind
// the same address as a misbehaving one keeps working.

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace clinicd::auth {

class AuthThrottle final {
 public:
  // Failures a peer may have at once before being throttled, and how fast
  // that allowance comes back.
  static constexpr double kBurst = 20;
  static constexpr double kRefillPerSecond = 2;
  static constexpr absl::Duration kSummaryEvery = absl::Seconds(10);

  // The one instance of the process.
  static AuthThrottle& Instance();

  // Records that `peer` (gRPC's peer string, e.g. "ipv4:10.0.0.7:51234";
  // the port is ignored) failed to authenticate with `failure`, and returns
  // the answer to give: `failure` itself, or AUTH_THROTTLED.
  absl::Status Fail(absl::string_view peer, const absl::Status& failure, absl::Time now);

 private:
  struct Peer {
    double allowance = kBurst;
    absl::Time refilled;
    int unreported = 0;
    absl::Time reported;
  };

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Peer> peers_ ABSL_GUARDED_BY(mu_);
};

// The address part of a gRPC peer string: "ipv4:10.0.0.7:51234" → "10.0.0.7",
// "ipv6:[::1]:5000" → "::1"; other forms (unix sockets, in-process) whole.
std::string PeerAddress(absl::string_view peer);

}  // namespace clinicd::auth
