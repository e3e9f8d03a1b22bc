#pragma once

// How a client program reaches clinicd: the address, API key and TLS flags
// every client shares, their environment fallbacks, and the channel made from
// them. Refusals name the flag (or variable) at fault.

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

ABSL_DECLARE_FLAG(std::string, server);
ABSL_DECLARE_FLAG(std::string, api_key);
ABSL_DECLARE_FLAG(bool, tls);
ABSL_DECLARE_FLAG(std::string, tls_ca);
ABSL_DECLARE_FLAG(std::string, tls_server_name);

namespace clinicd::client {

// Where clinicd is and how to talk to it, checked.
struct ConnectionOptions {
  // clinicd's address, HOST:PORT.
  std::string server;
  // The API key's secret, sent as `authorization: Bearer <key>`.
  std::string api_key;
  // TLS to clinicd, with `tls_ca_pem` (empty: the system's roots) and an
  // optional name to verify instead of the host in `server`.
  bool tls = false;
  std::string tls_ca_pem;
  std::string tls_server_name;
};

// Reads an environment variable; std::getenv in production.
using EnvironmentLookup = std::function<const char*(const char*)>;

// The value of environment variable `name`, or "" when unset.
std::string FromEnvironment(const EnvironmentLookup& getenv, const char* name);

// Fills `options` from the parsed flags, the environment filling what they
// leave empty: CLINICD_ADDRESS (else localhost:50051) and CLINICD_API_KEY.
// INVALID_ARGUMENT naming the flag when the key is missing, the CA file
// cannot be read, or --tls_server_name comes without TLS.
absl::Status ConnectionFromFlags(const EnvironmentLookup& getenv, ConnectionOptions& options);

// A channel to clinicd as `options` say: plaintext, or TLS.
std::shared_ptr<grpc::Channel> ClinicdChannel(const ConnectionOptions& options);

// The whole file at `path`, or INVALID_ARGUMENT "--FLAG: cannot read PATH".
absl::StatusOr<std::string> ReadFlagFile(absl::string_view flag, const std::string& path);

// A `--clinic` value as a parent name: `CLINIC` or `clinics/CLINIC` become
// `clinics/CLINIC`; empty stays empty. INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> ClinicParent(const std::string& clinic);

}  // namespace clinicd::client
