#include "services/server/server_config.h"

#include <google/protobuf/text_format.h>

#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/server/flags.h"
#include "services/server/retention_config.h"

namespace clinicd::server {

using clinicd::config::v1::ServerConfig;

absl::StatusOr<ServerConfig> LoadServerConfig() {
  ServerConfig config;
  config.set_listen("127.0.0.1:50051");
  config.set_db("clinicd.db");
  config.set_read_connections(4);
  config.mutable_shutdown_grace()->set_seconds(20);
  config.mutable_recall_clock_interval()->set_seconds(60);
  config.set_log_level("info");
  SetRetentionDefaults(config.mutable_retention());

  const std::string path = absl::GetFlag(FLAGS_config);
  if (!path.empty()) {
    std::ifstream file(path);
    if (!file) {
      return absl::NotFoundError(absl::StrCat("cannot read config file ", path));
    }
    std::stringstream text;
    text << file.rdbuf();
    ServerConfig from_file;
    if (!google::protobuf::TextFormat::ParseFromString(text.str(), &from_file)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config file ", path,
          " is not a valid clinicd.config.v1.ServerConfig in text format "
          "(the parse error is logged above)"));
    }
    config.MergeFrom(from_file);
  }
  if (std::string v = absl::GetFlag(FLAGS_listen); !v.empty()) config.set_listen(v);
  if (std::string v = absl::GetFlag(FLAGS_db); !v.empty()) config.set_db(v);
  if (std::string v = absl::GetFlag(FLAGS_plugin_dir); !v.empty()) config.set_plugin_dir(v);
  if (std::string v = absl::GetFlag(FLAGS_log_level); !v.empty()) config.set_log_level(v);
  if (config.read_connections() < 1 || config.read_connections() > 64) {
    return absl::InvalidArgumentError("read_connections must be from 1 to 64");
  }
  if (config.recall_clock_interval().seconds() < 1 ||
      config.recall_clock_interval().seconds() > 24 * 3600) {
    return absl::InvalidArgumentError("recall_clock_interval must be from 1s to 24h");
  }
  if (absl::Status s = ValidateRetention(config.retention()); !s.ok()) return s;
  if (config.tls().cert_file().empty() != config.tls().key_file().empty()) {
    return absl::InvalidArgumentError("tls needs both cert_file and key_file");
  }
  if (!config.tls().client_ca_file().empty() && config.tls().cert_file().empty()) {
    return absl::InvalidArgumentError(
        "tls.client_ca_file needs tls.cert_file and tls.key_file: client certificates "
        "are checked only on a TLS listener");
  }
  return config;
}

}  // namespace clinicd::server
