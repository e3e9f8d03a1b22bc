#include "services/notification/notification_list.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/resources/list_query.h"
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

  std::string sql =
      "SELECT id, kind, channel, recipient, subject, body, dedupe_key, due_time, attempts, "
      "lease_expire_time, resource, patient_id, state, last_detail FROM notifications "
      "WHERE clinic_id = ?1 AND (?3 IS NULL OR (due_time, id) > (?3, ?4)) "
      "AND (?5 IS NULL OR patient_id = ?5) AND (?6 IS NULL OR resource = ?6)";
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
          clinic::v1::Notification* n = response.add_notifications();
          const std::string id = stmt->ColumnText(0);
          n->set_name(absl::StrCat("clinics/", clinic_id, "/notifications/", id));
          n->set_kind(static_cast<clinic::v1::NotificationKind>(stmt->ColumnInt(1)));
          n->set_channel(static_cast<clinic::v1::NotificationChannel>(stmt->ColumnInt(2)));
          n->set_recipient(stmt->ColumnText(3));
          n->set_subject(stmt->ColumnText(4));
          n->set_body(stmt->ColumnText(5));
          n->set_dedupe_key(stmt->ColumnText(6));
          *n->mutable_due_time() = ToProtoTime(stmt->ColumnTime(7));
          n->set_attempts(static_cast<int32_t>(stmt->ColumnInt(8)));
          if (!stmt->ColumnIsNull(9)) {
            *n->mutable_lease_expire_time() = ToProtoTime(stmt->ColumnTime(9));
          }
          n->set_resource(stmt->ColumnText(10));
          if (!stmt->ColumnIsNull(11)) {
            n->set_patient(absl::StrCat("clinics/", clinic_id, "/patients/", stmt->ColumnText(11)));
          }
          n->set_state(StateOf(stmt->ColumnText(12)));
          n->set_delivery_detail(stmt->ColumnText(13));
          return std::vector<std::string>{absl::StrCat(stmt->ColumnInt(7)), id};
        },
        response.mutable_next_page_token());
  });
  if (!status.ok()) return status;
  return response;
}

}  // namespace clinicd::notification
