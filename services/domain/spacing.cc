#include "services/domain/spacing.h"

#include <algorithm>

#include "clinicd/protocol_rules.h"
#include "services/common/proto_time.h"

namespace clinicd::domain {

absl::Time EarliestSpaced(const clinic::v1::TreatmentType& type, const absl::TimeZone& zone,
                          const std::vector<absl::Time>& sessions, absl::Time wanted) {
  if (type.indications().empty()) return wanted;
  auto spaced = [&](absl::Time from) {
    absl::Time earliest = absl::InfiniteFuture();
    for (const auto& indication : type.indications()) {
      earliest =
          std::min(earliest, protocol::AddPeriod(from, indication.series().min_spacing(), zone));
    }
    return earliest;
  };
  absl::Time candidate = wanted;
  absl::Time candidate_spaced = spaced(candidate);
  // A session more than the reach before the candidate is spaced from it
  // already: start past those (a search asks this for every slot).
  const auto first =
      std::upper_bound(sessions.begin(), sessions.end(), candidate - SpacingReach(type));
  // Sessions are sorted and the candidate only moves later, so one pass
  // finds the first time far enough from all of them; once a session is
  // itself spaced after the candidate, so are all later ones.
  for (auto other = first; other != sessions.end() && *other < candidate_spaced; ++other) {
    const absl::Time after_other = spaced(*other);
    if (candidate < after_other) {
      candidate = after_other;
      candidate_spaced = spaced(candidate);
    }
  }
  return candidate;
}

absl::Duration SpacingReach(const clinic::v1::TreatmentType& type) {
  absl::Duration reach = absl::ZeroDuration();
  for (const auto& indication : type.indications()) {
    const clinic::v1::Period& p = indication.series().min_spacing();
    // The hours on top: a month added across the autumn clock change.
    const absl::Duration longest =
        absl::Hours(24 * 31) * std::max(0, p.months()) + absl::Hours(25) * std::max(0, p.days()) +
        std::max(absl::ZeroDuration(), FromProtoDuration(p.duration())) + absl::Hours(2);
    reach = std::max(reach, longest);
  }
  return reach;
}

}  // namespace clinicd::domain
