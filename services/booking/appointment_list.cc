#include "services/booking/appointment_list.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"
#include "services/common/pagination.h"
#include "services/common/resource_name.h"
#include "services/resources/list_query.h"
#include "services/resources/resource_fields.h"

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

  // ?1 clinic, ?2 limit, ?3/?4 keyset, then the filters in order.
  std::string sql =
      "SELECT id, revision, data, start_time FROM appointments WHERE clinic_id = ?1 "
      "AND (?3 IS NULL OR (start_time, id) > (?3, ?4))";
  std::vector<std::string> text_params;
  FieldViolations violations;
  struct Filter {
    const char* field;
    const std::string& name;
    absl::string_view collection;
    const char* column;
  };
  for (const Filter& filter : {Filter{"practitioner", request.practitioner(), "practitioners", "practitioner_id"},
                               Filter{"room", request.room(), "rooms", "room_id"},
                               Filter{"patient", request.patient(), "patients", "patient_id"}}) {
    if (filter.name.empty()) continue;
    const std::string id =
        IdInClinic(violations, filter.field, filter.name, clinic_id, filter.collection);
    if (id.empty()) continue;
    absl::StrAppend(&sql, " AND ", filter.column, " = ?", 5 + text_params.size());
    text_params.push_back(id);
  }
  const int time_param = 5 + static_cast<int>(text_params.size());
  if (request.has_start_time() && !IsValidTimestamp(request.start_time())) {
    violations.Add("start_time", "must be a valid timestamp");
  }
  if (request.has_end_time() && !IsValidTimestamp(request.end_time())) {
    violations.Add("end_time", "must be a valid timestamp");
  }
  if (request.has_start_time()) absl::StrAppend(&sql, " AND start_time >= ?", time_param);
  if (request.has_end_time()) absl::StrAppend(&sql, " AND start_time < ?", time_param + 1);
  std::string states;
  for (int state : request.states()) {
    if (state <= 0 || !clinic::v1::AppointmentState_IsValid(state)) {
      violations.Add("states", "must list valid appointment states");
      break;
    }
    absl::StrAppend(&states, states.empty() ? "" : ", ", state);
  }
  if (!states.empty()) absl::StrAppend(&sql, " AND state IN (", states, ")");
  if (request.kind() != clinic::v1::VISIT_KIND_UNSPECIFIED) {
    if (!clinic::v1::VisitKind_IsValid(request.kind())) {
      violations.Add("kind", "must be a valid visit kind");
    } else {
      absl::StrAppend(&sql, " AND visit_kind = ", static_cast<int>(request.kind()));
    }
  }
  sql += " ORDER BY start_time, id LIMIT ?2";
  absl::StatusOr<int> limit = EffectivePageSize(request.page_size());
  if (!limit.ok()) return limit.status();
  if (!violations.empty()) return violations.ToStatus();
  const std::string fingerprint = resources::QueryFingerprint(request);
  absl::StatusOr<std::vector<std::string>> after = DecodePageToken(request.page_token(), fingerprint);
  if (!after.ok()) return after.status();

  clinic::v1::ListAppointmentsResponse response;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::Statement> stmt = tx.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, clinic_id).Bind(2, static_cast<int64_t>(*limit + 1));
    resources::BindPageKey(*stmt, 3, *after);
    for (size_t i = 0; i < text_params.size(); ++i) stmt->BindText(5 + i, text_params[i]);
    if (request.has_start_time()) {
      stmt->Bind(time_param, ProtoTimeMicros(request.start_time()));
    }
    if (request.has_end_time()) {
      stmt->Bind(time_param + 1, ProtoTimeMicros(request.end_time()));
    }
    return resources::ReadPage(
        *stmt, *limit, fingerprint,
        [&]() -> absl::StatusOr<std::vector<std::string>> {
          clinic::v1::Appointment* appointment = response.add_appointments();
          if (!appointment->ParseFromString(stmt->ColumnBlob(2))) {
            return absl::InternalError("a stored appointment is corrupt");
          }
          resources::SetEtag(*appointment, stmt->ColumnInt(1));
          return std::vector<std::string>{absl::StrCat(stmt->ColumnInt(3)), stmt->ColumnText(0)};
        },
        response.mutable_next_page_token());
  });
  if (!status.ok()) return status;
  return response;
}

}  // namespace clinicd::booking
