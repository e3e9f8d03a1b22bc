#include "services/booking/booking_rules.h"

#include "absl/strings/str_cat.h"
#include "services/booking/booking_context_loader.h"
#include "services/common/proto_time.h"
#include "services/domain/booking_rules.h"
#include "services/domain/schedule.h"
#include "services/resources/load_resource.h"
#include "services/store/tables.h"

namespace clinicd::booking {

absl::Status CheckBookable(store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
                           const std::string& clinic_id, absl::Time now, bool moved,
                           clinic::v1::Appointment& appointment) {
  absl::StatusOr<LoadedBooking> loaded =
      LoadBookingContext(tx, registry, clinic_id, now, appointment, moved);
  if (!loaded.ok()) return loaded.status();
  *appointment.mutable_end_time() =
      ToProtoTime(domain::SessionOf(loaded->context, loaded->candidate.start).end);
  return domain::CheckBooking(loaded->context, loaded->candidate);
}

absl::StatusOr<ClinicSettings> LoadClinicSettings(store::Transaction& tx,
                                                  const std::string& clinic_id) {
  absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
      tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
  if (!clinic.ok()) return clinic.status();
  absl::StatusOr<absl::TimeZone> zone = domain::ClinicTimeZone(*clinic);
  if (!zone.ok()) return zone.status();
  return ClinicSettings{clinic->policy(), *zone};
}

std::string StateName(clinic::v1::AppointmentState state) {
  const std::string full = clinic::v1::AppointmentState_Name(state);
  constexpr absl::string_view kPrefix = "APPOINTMENT_STATE_";
  return full.size() > kPrefix.size() ? full.substr(kPrefix.size()) : full;
}

}  // namespace clinicd::booking
