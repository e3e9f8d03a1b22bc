#include "services/auth/auth_throttle.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace clinicd::auth {
namespace {

// Peers remembered at most; the oldest quiet ones are forgotten beyond it,
// so spoofed-looking address churn cannot grow memory without bound.
constexpr size_t kMaxPeers = 10000;

}  // namespace

AuthThrottle& AuthThrottle::Instance() {
  static auto* throttle = new AuthThrottle();
  return *throttle;
}

std::string PeerAddress(absl::string_view peer) {
  for (absl::string_view scheme : {"ipv4:", "ipv6:"}) {
    if (!absl::StartsWith(peer, scheme)) continue;
    absl::string_view rest = peer.substr(scheme.size());
    const size_t colon = rest.rfind(':');
    if (colon != absl::string_view::npos) rest = rest.substr(0, colon);
    if (absl::StartsWith(rest, "[") && absl::EndsWith(rest, "]")) {
      rest = rest.substr(1, rest.size() - 2);
    }
    return std::string(rest);
  }
  return std::string(peer);
}

absl::Status AuthThrottle::Fail(absl::string_view peer, const absl::Status& failure,
                                absl::Time now) {
  const std::string address = PeerAddress(peer);
  absl::MutexLock lock(&mu_);
  if (peers_.size() >= kMaxPeers && !peers_.contains(address)) {
    // Forget peers whose allowance has fully come back: they are quiet.
    absl::erase_if(peers_, [&](const auto& entry) {
      const Peer& p = entry.second;
      return p.unreported == 0 &&
             p.allowance + absl::ToDoubleSeconds(now - p.refilled) * kRefillPerSecond >= kBurst;
    });
    if (peers_.size() >= kMaxPeers) peers_.clear();
  }
  auto [it, inserted] = peers_.try_emplace(address);
  Peer& state = it->second;
  if (inserted) {
    state.refilled = now;
    state.reported = now - kSummaryEvery;
  }
  state.allowance = std::min(
      kBurst, state.allowance + absl::ToDoubleSeconds(now - state.refilled) * kRefillPerSecond);
  state.refilled = now;
  ++state.unreported;
  if (now - state.reported >= kSummaryEvery) {
    spdlog::warn("auth: {} failed authentication(s) from {} in the last {}s (last: {})",
                 state.unreported, address, absl::ToInt64Seconds(kSummaryEvery),
                 std::string(failure.message()));
    state.unreported = 0;
    state.reported = now;
  }
  if (state.allowance >= 1) {
    state.allowance -= 1;
    return failure;
  }
  const absl::Duration wait = absl::Seconds((1 - state.allowance) / kRefillPerSecond);
  return ErrorWithReason(
      absl::StatusCode::kResourceExhausted, "AUTH_THROTTLED",
      absl::StrCat("too many failed authentications from ", address,
                   "; check the API key, and retry after ", absl::FormatDuration(wait)),
      {{"retry_after_ms", absl::StrCat(absl::ToInt64Milliseconds(wait) + 1)}});
}

}  // namespace clinicd::auth
