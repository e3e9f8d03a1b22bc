#include "services/notification/outbox_desk.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/domain/quiet_hours.h"
#include "services/domain/schedule.h"
#include "services/resources/list_query.h"
#include "services/resources/load_resource.h"
#include "services/store/tables.h"
#include "services/resources/resource_fields.h"

namespace clinicd::notification {
namespace {

using clinic::v1::NotificationState;

// The outbox table's state names, indexed by NotificationState.
constexpr absl::string_view kStateNames[] = {"",       "pending",   "leased",    "delivered",
                                             "failed", "cancelled", "suppressed"};

NotificationState StateOf(const std::string& name) {
  for (int i = 1; i < static_cast<int>(std::size(kStateNames)); ++i) {
    if (kStateNames[i] == name) return static_cast<NotificationState>(i);
  }
  return clinic::v1::NOTIFICATION_STATE_UNSPECIFIED;
}

// The columns ReadNotification reads, in its order.
constexpr absl::string_view kSelectNotification =
    "SELECT id, kind, channel, recipient, subject, body, dedupe_key, due_time, attempts, "
    "lease_expire_time, resource, patient_id, state, last_detail FROM notifications ";

clinic::v1::Notification ReadNotification(const store::Statement& stmt,
                                           const std::string& clinic_id) {
  clinic::v1::Notification n;
  n.set_name(absl::StrCat("clinics/", clinic_id, "/notifications/", stmt.ColumnText(0)));
  n.set_kind(static_cast<clinic::v1::NotificationKind>(stmt.ColumnInt(1)));
  n.set_channel(static_cast<clinic::v1::NotificationChannel>(stmt.ColumnInt(2)));
  n.set_recipient(stmt.ColumnText(3));
  n.set_subject(stmt.ColumnText(4));
  n.set_body(stmt.ColumnText(5));
  n.set_dedupe_key(stmt.ColumnText(6));
  *n.mutable_due_time() = ToProtoTime(stmt.ColumnTime(7));
  n.set_attempts(static_cast<int32_t>(stmt.ColumnInt(8)));
  if (!stmt.ColumnIsNull(9)) *n.mutable_lease_expire_time() = ToProtoTime(stmt.ColumnTime(9));
  n.set_resource(stmt.ColumnText(10));
  if (!stmt.ColumnIsNull(11)) {
    n.set_patient(absl::StrCat("clinics/", clinic_id, "/patients/", stmt.ColumnText(11)));
  }
  n.set_state(StateOf(stmt.ColumnText(12)));
  n.set_delivery_detail(stmt.ColumnText(13));
  return n;
}

}  // namespace

absl::StatusOr<clinic::v1::ListNotificationsResponse> ListNotifications(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListNotificationsRequest& request) {
  absl::StatusOr<std::string> clinic = resources::ParseClinicParent(principal, request.parent());
  if (!clinic.ok()) return clinic.status();
  const std::string& clinic_id = *clinic;
  FieldViolations violations;
  std::string patient_id;
  if (!request.patient().empty()) {
    patient_id = IdInClinic(violations, "patient", request.patient(), clinic_id, "patients");
  }
  if (!request.resource().empty() &&
      request.resource().rfind(absl::StrCat("clinics/", clinic_id, "/"), 0) != 0) {
    violations.Add("resource", absl::StrCat("must be a resource of clinics/", clinic_id));
  }
  std::vector<std::string> states;
  for (int state : request.states()) {
    if (state <= 0 || !clinic::v1::NotificationState_IsValid(state)) {
      violations.Add("states", "must list valid notification states");
      break;
    }
    states.push_back(absl::StrCat("'", kStateNames[state], "'"));
  }
  absl::StatusOr<int> limit = EffectivePageSize(request.page_size());
  if (!limit.ok()) return limit.status();
  if (!violations.empty()) return violations.ToStatus();
  const std::string fingerprint = resources::QueryFingerprint(request);
  absl::StatusOr<std::vector<std::string>> after = DecodePageToken(request.page_token(), fingerprint);
  if (!after.ok()) return after.status();

  std::string sql = absl::StrCat(kSelectNotification,
      "WHERE clinic_id = ?1 AND (?3 IS NULL OR (due_time, id) > (?3, ?4)) "
      "AND (?5 IS NULL OR patient_id = ?5) AND (?6 IS NULL OR resource = ?6)");
  if (!states.empty()) absl::StrAppend(&sql, " AND state IN (", absl::StrJoin(states, ", "), ")");
  sql += " ORDER BY due_time, id LIMIT ?2";

  clinic::v1::ListNotificationsResponse response;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::Statement> stmt = tx.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, clinic_id).Bind(2, static_cast<int64_t>(*limit + 1));
    resources::BindPageKey(*stmt, 3, *after);
    stmt->BindOptionalText(5, patient_id).BindOptionalText(6, request.resource());
    return resources::ReadPage(
        *stmt, *limit, fingerprint,
        [&]() -> absl::StatusOr<std::vector<std::string>> {
          *response.add_notifications() = ReadNotification(*stmt, clinic_id);
          return std::vector<std::string>{absl::StrCat(stmt->ColumnInt(7)), stmt->ColumnText(0)};
        },
        response.mutable_next_page_token());
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<clinic::v1::Notification> SendNotificationNow(
    store::Database& db, const auth::Principal& principal,
    const clinic::v1::SendNotificationNowRequest& request, absl::Time now) {
  std::vector<absl::string_view> pattern = {"clinics", "notifications"};
  absl::StatusOr<std::vector<std::string>> ids = ParseResourceName("name", request.name(), pattern);
  if (!ids.ok()) return ids.status();
  if (absl::Status s = auth::CheckClinicAccess(principal, ids->front()); !s.ok()) return s;
  const std::string& clinic_id = (*ids)[0];
  clinic::v1::Notification result;
  absl::Status status = db.Write([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::Statement> select =
        tx.Prepare(absl::StrCat(kSelectNotification, "WHERE id = ?1 AND clinic_id = ?2"));
    if (!select.ok()) return select.status();
    select->BindText(1, (*ids)[1]).BindText(2, clinic_id);
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                             absl::StrCat(request.name(), " not found"));
    }
    result = ReadNotification(*select, clinic_id);
    if (result.state() != clinic::v1::NOTIFICATION_STATE_PENDING) {
      return ErrorWithReason(
          absl::StatusCode::kFailedPrecondition, "NOT_PENDING",
          absl::StrCat(request.name(), " is ", clinic::v1::NotificationState_Name(result.state()),
                       "; only a pending notification can be sent ahead of its time"),
          {{"state", clinic::v1::NotificationState_Name(result.state())}});
    }
    absl::Time due = now;
    if (!result.patient().empty()) {
      absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
          tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
      if (!clinic.ok()) return clinic.status();
      absl::StatusOr<absl::TimeZone> zone = domain::ClinicTimeZone(*clinic);
      if (!zone.ok()) return zone.status();
      due = domain::FirstSendableAtOrAfter(clinic->policy(), *zone, now);
    }
    if (due >= FromProtoTime(result.due_time())) return absl::OkStatus();  // Already that soon.
    absl::StatusOr<store::Statement> update = tx.Prepare(
        "UPDATE notifications SET due_time = ?2, update_time = ?3 WHERE id = ?1");
    if (!update.ok()) return update.status();
    update->BindText(1, (*ids)[1]).Bind(2, due).Bind(3, now);
    *result.mutable_due_time() = ToProtoTime(due);
    return update->Run();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace clinicd::notification
