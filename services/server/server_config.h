#pragma once

#include "absl/status/statusor.h"
#include "clinicd/config/v1/server_config.pb.h"

namespace clinicd::server {

// The effective configuration: defaults, then the --config file (protobuf
// text format) when given, then any command-line flag that was set.
absl::StatusOr<clinicd::config::v1::ServerConfig> LoadServerConfig();

}  // namespace clinicd::server
