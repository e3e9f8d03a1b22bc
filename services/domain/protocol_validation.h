#pragma once

// What a plugin declares must make sense before clinicd enforces it: names,
// durations, series ranges, screening rules that point at real questions,
// timed messages on the right side of the appointment, a consent form.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clinicd/plugin/v1/plugin.pb.h"

namespace clinicd::domain {

// OK, or INVALID_ARGUMENT naming every broken field (paths start at
// `treatment_types[i]` / `recall_policies[i]`). `plugin` is the plugin's
// name; every resource must say it comes from `plugins/{plugin}`.
absl::Status ValidatePluginDescription(absl::string_view plugin,
                                       const clinicd::plugin::v1::DescribeResponse& description);

}  // namespace clinicd::domain
