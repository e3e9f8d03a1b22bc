#include "services/booking/appointment_list.h"

#include "services/common/errors.h"
#include "services/common/proto_time.h"
#include "services/common/pagination.h"
#include "services/common/resource_name.h"
#include "services/resources/list_query.h"
#include "services/resources/resource_fields.h"
#include "services/store/appointment_rows.h"

namespace clinicd::booking {
namespace {

using clinic::v1::ListAppointmentsRequest;

}  // namespace

absl::StatusOr<clinic::v1::ListAppointmentsResponse> ListAppointments(
    const store::Database& db, const auth::Principal& principal,
    const ListAppointmentsRequest& request) {
  absl::StatusOr<std::string> clinic = resources::ParseClinicParent(principal, request.parent());
  if (!clinic.ok()) return clinic.status();
  const std::string& clinic_id = *clinic;

  store::AppointmentFilter filter;
  filter.clinic_id = clinic_id;
  FieldViolations violations;
  struct Filter {
    const char* field;
    const std::string& name;
    absl::string_view collection;
    std::string& id;
  };
  for (const Filter& f : {Filter{"practitioner", request.practitioner(), "practitioners",
                                 filter.practitioner_id},
                          Filter{"room", request.room(), "rooms", filter.room_id},
                          Filter{"patient", request.patient(), "patients", filter.patient_id}}) {
    if (f.name.empty()) continue;
    f.id = IdInClinic(violations, f.field, f.name, clinic_id, f.collection);
  }
  if (request.has_start_time() && !IsValidTimestamp(request.start_time())) {
    violations.Add("start_time", "must be a valid timestamp");
  }
  if (request.has_end_time() && !IsValidTimestamp(request.end_time())) {
    violations.Add("end_time", "must be a valid timestamp");
  }
  if (request.has_start_time()) filter.start_from = FromProtoTime(request.start_time());
  if (request.has_end_time()) filter.start_before = FromProtoTime(request.end_time());
  for (int state : request.states()) {
    if (state <= 0 || !clinic::v1::AppointmentState_IsValid(state)) {
      violations.Add("states", "must list valid appointment states");
      break;
    }
    filter.states.push_back(static_cast<clinic::v1::AppointmentState>(state));
  }
  if (request.kind() != clinic::v1::VISIT_KIND_UNSPECIFIED) {
    if (!clinic::v1::VisitKind_IsValid(request.kind())) {
      violations.Add("kind", "must be a valid visit kind");
    } else {
      filter.kind = request.kind();
    }
  }
  absl::StatusOr<int> limit = EffectivePageSize(request.page_size());
  if (!limit.ok()) return limit.status();
  if (!violations.empty()) return violations.ToStatus();
  const std::string fingerprint = resources::QueryFingerprint(request);
  absl::StatusOr<std::vector<std::string>> after = DecodePageToken(request.page_token(), fingerprint);
  if (!after.ok()) return after.status();

  absl::StatusOr<store::KeysetPage<store::ResourceRow>> page;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    page = store::ListAppointmentRows(tx, filter, *after, *limit);
    return page.status();
  });
  if (!status.ok()) return status;
  clinic::v1::ListAppointmentsResponse response;
  for (const store::ResourceRow& row : page->items) {
    clinic::v1::Appointment* appointment = response.add_appointments();
    if (!appointment->ParseFromString(row.data)) {
      return absl::InternalError("a stored appointment is corrupt");
    }
    resources::SetEtag(*appointment, row.revision);
  }
  response.set_next_page_token(resources::NextPageToken(page->next_after, fingerprint));
  return response;
}

}  // namespace clinicd::booking
