#include "clients/common/connection_flags.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

ABSL_FLAG(std::string, server, "",
          "clinicd address, HOST:PORT (default: $CLINICD_ADDRESS, else localhost:50051)");
ABSL_FLAG(std::string, api_key, "",
          "secret of the API key to call clinicd with (default: $CLINICD_API_KEY, which is "
          "preferable: flags show in the process list)");
ABSL_FLAG(bool, tls, false, "connect to clinicd with TLS, trusting the system's CAs");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM file of the CA that signed clinicd's certificate; implies --tls");
ABSL_FLAG(std::string, tls_server_name, "",
          "name to verify clinicd's certificate against when it differs from --server's host");

namespace clinicd::client {

std::string FromEnvironment(const EnvironmentLookup& getenv, const char* name) {
  const char* value = getenv(name);
  return value == nullptr ? "" : value;
}

absl::StatusOr<std::string> ReadFlagFile(absl::string_view flag, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  if (file) text << file.rdbuf();
  if (!file || file.bad()) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag, ": cannot read ", path));
  }
  return text.str();
}

absl::StatusOr<std::string> ClinicParent(const std::string& clinic) {
  if (clinic.empty()) return clinic;
  absl::string_view id = clinic;
  absl::ConsumePrefix(&id, "clinics/");
  if (id.empty() || absl::StrContains(id, '/')) {
    return absl::InvalidArgumentError(
        absl::StrCat("--clinic must be CLINIC or clinics/CLINIC, got \"", clinic, "\""));
  }
  return absl::StrCat("clinics/", id);
}

absl::Status ConnectionFromFlags(const EnvironmentLookup& getenv, ConnectionOptions& options) {
  options.server = absl::GetFlag(FLAGS_server);
  if (options.server.empty()) options.server = FromEnvironment(getenv, "CLINICD_ADDRESS");
  if (options.server.empty()) options.server = "localhost:50051";
  options.api_key = absl::GetFlag(FLAGS_api_key);
  if (options.api_key.empty()) options.api_key = FromEnvironment(getenv, "CLINICD_API_KEY");
  if (options.api_key.empty()) {
    return absl::InvalidArgumentError("--api_key (or $CLINICD_API_KEY) is required");
  }

  const std::string ca = absl::GetFlag(FLAGS_tls_ca);
  options.tls = absl::GetFlag(FLAGS_tls) || !ca.empty();
  if (!ca.empty()) {
    absl::StatusOr<std::string> pem = ReadFlagFile("tls_ca", ca);
    if (!pem.ok()) return pem.status();
    options.tls_ca_pem = *std::move(pem);
  }
  options.tls_server_name = absl::GetFlag(FLAGS_tls_server_name);
  if (!options.tls_server_name.empty() && !options.tls) {
    return absl::InvalidArgumentError("--tls_server_name needs --tls or --tls_ca");
  }
  return absl::OkStatus();
}

std::shared_ptr<grpc::Channel> ClinicdChannel(const ConnectionOptions& options) {
  grpc::ChannelArguments args;
  if (!options.tls) {
    return grpc::CreateCustomChannel(options.server, grpc::InsecureChannelCredentials(), args);
  }
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = options.tls_ca_pem;  // Empty: the system's roots.
  if (!options.tls_server_name.empty()) args.SetSslTargetNameOverride(options.tls_server_name);
  return grpc::CreateCustomChannel(options.server, grpc::SslCredentials(tls), args);
}

}  // namespace clinicd::client
