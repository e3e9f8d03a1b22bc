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
      earliest = std::min(earliest,
                          protocol::AddPeriod(from, indication.series().min_spacing(), zone));
    }
    return earliest;
  };
  absl::Time candidate = wanted;
  // Sessions are sorted and the candidate only moves later, so one pass
  // finds the first time far enough from all of them.
  for (absl::Time other : sessions) {
    if (candidate < spaced(other) && other < spaced(candidate)) candidate = spaced(other);
  }
  return candidate;
}

absl::Duration SpacingReach(const clinic::v1::TreatmentType& type) {
  absl::Duration reach = absl::ZeroDuration();
  for (const auto& indication : type.indications()) {
    const clinic::v1::Period& p = indication.series().min_spacing();
    const absl::Duration longest = absl::Hours(24 * 31) * std::max(0, p.months()) +
                                   absl::Hours(25) * std::max(0, p.days()) +
                                   std::max(absl::ZeroDuration(), FromProtoDuration(p.duration()));
    reach = std::max(reach, longest);
  }
  return reach;
}

}  // namespace clinicd::domain
