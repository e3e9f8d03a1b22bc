#pragma once

// clinicd's command-line flags; shared by the serve, keys, migrate and backup commands.

#include <string>

#include "absl/flags/declare.h"

ABSL_DECLARE_FLAG(std::string, config);
ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, db);
ABSL_DECLARE_FLAG(std::string, plugin_dir);
ABSL_DECLARE_FLAG(std::string, log_level);
ABSL_DECLARE_FLAG(std::string, role);
ABSL_DECLARE_FLAG(std::string, clinic);
ABSL_DECLARE_FLAG(std::string, description);
ABSL_DECLARE_FLAG(std::string, key_id);
ABSL_DECLARE_FLAG(std::string, test_clock);
ABSL_DECLARE_FLAG(std::string, to);
ABSL_DECLARE_FLAG(bool, overwrite);
