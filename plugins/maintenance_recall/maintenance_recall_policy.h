#pragma once

// The maintenance recall policy as data: due 6 months after a series
// completes, lapsing at 12 months, with three notices in between. The SDK's
// declared-rule semantics (clinicd/protocol_rules.h) schedule it.

#include "clinic/v1/treatment.pb.h"

namespace clinicd::plugins::maintenance_recall {

// The recall policy `recallPolicies/maintenance_6_12_months`.
clinic::v1::RecallPolicy MaintenanceRecallPolicy();

}  // namespace clinicd::plugins::maintenance_recall
