#pragma once

// What a command runs with: the connection, where to print, whether as JSON,
// the refusal context it fills in as it learns the clinic, patient and
// treatment, and what it looks up more than once: clinics with their time
// zones and the display names of patients, practitioners, rooms and
// treatments (one Get each, then from the cache).

#include <map>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/clinicctl/connection.h"
#include "clients/clinicctl/refusal.h"

namespace clinicd::clinicctl {

// The clinic a command works in.
struct ClinicScope {
  // `clinics/C`.
  std::string parent;
  v1::Clinic clinic;
  absl::TimeZone zone;
};

class Session final {
 public:
  // `clinic` is the --clinic parent (clinics/C), or empty when none was set.
  Session(Connection* connection, std::string clinic, bool json, std::ostream* out,
          RefusalContext* refusal);

  Connection& rpc() { return *connection_; }
  bool json() const { return json_; }
  std::ostream& out() { return *out_; }
  RefusalContext& refusal() { return *refusal_; }

  // The --clinic parent; INVALID_ARGUMENT naming --clinic when none was set.
  absl::StatusOr<std::string> ClinicParent() const;

  // The clinic `parent` (fetched once). Its zone becomes the refusal's.
  absl::StatusOr<v1::Clinic> Clinic(const std::string& parent);

  // The time zone of clinic `parent`.
  absl::StatusOr<absl::TimeZone> ZoneOf(const std::string& parent);

  // The --clinic with its time zone (ClinicParent, Clinic and ZoneOf in one).
  absl::StatusOr<ClinicScope> Scope();

  // Display names for resource names; the name itself when it cannot be read.
  std::string PatientName(const std::string& name);
  std::string PractitionerName(const std::string& name);
  std::string RoomName(const std::string& name);
  std::string TreatmentName(const std::string& name);

 private:
  Connection* connection_;
  std::string clinic_;
  bool json_;
  std::ostream* out_;
  RefusalContext* refusal_;
  std::map<std::string, v1::Clinic> clinics_;
  std::map<std::string, std::string> names_;
};

// "Anna Schmidt".
std::string PersonName(const v1::Patient& patient);

}  // namespace clinicd::clinicctl
