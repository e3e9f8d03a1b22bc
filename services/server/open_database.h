#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "clinicd/config/v1/server_config.pb.h"
#include "services/store/database.h"

namespace clinicd::server {

// Opens the configured database and applies any pending migrations.
absl::StatusOr<std::unique_ptr<store::Database>> OpenAndMigrate(
    const clinicd::config::v1::ServerConfig& config);

}  // namespace clinicd::server
