#include "clients/clinicctl/session.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/clinicctl/local_time.h"

namespace clinicd::clinicctl {
namespace {

// The display name of `name`, from the cache or, the first time, from
// `method` (a Get call) and `show`; the name itself when it cannot be read.
template <typename Stub, typename Request, typename Response, typename Show>
std::string Cached(Connection& rpc, std::map<std::string, std::string>& cache,
                   grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                   const std::string& name, Show show) {
  if (name.empty()) return "";
  const auto found = cache.find(name);
  if (found != cache.end()) return found->second;
  Request request;
  request.set_name(name);
  Response response;
  std::string shown = rpc.Call(method, request, &response).ok() ? show(response) : "";
  if (shown.empty()) shown = name;
  cache.emplace(name, shown);
  return shown;
}

}  // namespace

std::string PersonName(const v1::Patient& patient) {
  return patient.given_name().empty()
             ? patient.family_name()
             : absl::StrCat(patient.given_name(), " ", patient.family_name());
}

Session::Session(Connection* connection, std::string clinic, bool json, std::ostream* out,
                 RefusalContext* refusal)
    : connection_(connection),
      clinic_(std::move(clinic)),
      json_(json),
      out_(out),
      refusal_(refusal) {}

absl::StatusOr<std::string> Session::ClinicParent() const {
  if (clinic_.empty()) {
    return absl::InvalidArgumentError(
        "--clinic (or $CLINICD_CLINIC) is required; `clinicctl clinic list` shows the clinics");
  }
  return clinic_;
}

absl::StatusOr<v1::Clinic> Session::Clinic(const std::string& parent) {
  auto found = clinics_.find(parent);
  if (found == clinics_.end()) {
    v1::GetClinicRequest request;
    request.set_name(parent);
    v1::Clinic clinic;
    if (absl::Status s = rpc().Call(&v1::PracticeService::Stub::GetClinic, request, &clinic);
        !s.ok()) {
      return s;
    }
    found = clinics_.emplace(parent, std::move(clinic)).first;
  }
  absl::StatusOr<absl::TimeZone> zone = LoadZone(found->second.time_zone());
  if (zone.ok()) refusal_->zone = *zone;
  return found->second;
}

absl::StatusOr<absl::TimeZone> Session::ZoneOf(const std::string& parent) {
  absl::StatusOr<v1::Clinic> clinic = Clinic(parent);
  if (!clinic.ok()) return clinic.status();
  absl::StatusOr<absl::TimeZone> zone = LoadZone(clinic->time_zone());
  if (!zone.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("clinic ", parent, " has time zone \"", clinic->time_zone(),
                     "\", which this machine's tzdata does not know; update the tzdata package"));
  }
  return zone;
}

absl::StatusOr<ClinicScope> Session::Scope() {
  absl::StatusOr<std::string> parent = ClinicParent();
  if (!parent.ok()) return parent.status();
  absl::StatusOr<v1::Clinic> clinic = Clinic(*parent);
  if (!clinic.ok()) return clinic.status();
  absl::StatusOr<absl::TimeZone> zone = ZoneOf(*parent);
  if (!zone.ok()) return zone.status();
  return ClinicScope{*parent, *std::move(clinic), *zone};
}

std::string Session::PatientName(const std::string& name) {
  return Cached(rpc(), names_, &v1::PatientService::Stub::GetPatient, name,
                [](const v1::Patient& patient) { return PersonName(patient); });
}

std::string Session::PractitionerName(const std::string& name) {
  return Cached(rpc(), names_, &v1::PracticeService::Stub::GetPractitioner, name,
                [](const v1::Practitioner& practitioner) { return practitioner.display_name(); });
}

std::string Session::RoomName(const std::string& name) {
  return Cached(rpc(), names_, &v1::PracticeService::Stub::GetRoom, name,
                [](const v1::Room& room) { return room.display_name(); });
}

std::string Session::TreatmentName(const std::string& name) {
  return Cached(rpc(), names_, &v1::TreatmentCatalogService::Stub::GetTreatmentType, name,
                [](const v1::TreatmentType& type) { return type.display_name(); });
}

}  // namespace clinicd::clinicctl
