#pragma once

// ServerConfig.retention: its defaults, its bounds, and the retention job it
// starts.

#include <memory>

#include "absl/status/status.h"
#include "clinicd/config/v1/server_config.pb.h"
#include "services/common/clock.h"
#include "services/retention/retention_job.h"
#include "services/retention/retention_policy.h"
#include "services/store/database.h"

namespace clinicd::server {

// Sets every retention field to its default (README "Retention"); a config
// file merged over it then overrides what it names.
void SetRetentionDefaults(clinicd::config::v1::RetentionConfig* retention);

// INVALID_ARGUMENT naming the first field outside its bounds, with the
// bounds and the value given.
absl::Status ValidateRetention(const clinicd::config::v1::RetentionConfig& retention);

// The policy a validated config asks for.
retention::RetentionPolicy RetentionPolicyOf(
    const clinicd::config::v1::RetentionConfig& retention);

// Starts the retention job a validated config asks for.
std::unique_ptr<retention::RetentionJob> StartRetentionJob(
    store::Database& db, const Clock& clock,
    const clinicd::config::v1::RetentionConfig& retention);

}  // namespace clinicd::server
