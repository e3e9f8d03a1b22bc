#include "services/notification/outbox_desk.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/domain/quiet_hours.h"
#include "services/domain/schedule.h"
#include "services/resources/list_query.h"
#include "services/resources/load_resource.h"
#include "services/notification/notification_view.h"
#include "services/resources/resource_fields.h"
#include "services/store/notification_desk_rows.h"
#include "services/store/tables.h"

namespace clinicd::notification {

absl::StatusOr<clinic::v1::ListNotificationsResponse> ListNotifications(
    const store::Database& db, const auth::Principal& principal,
    const clinic::v1::ListNotificationsRequest& request) {
  absl::StatusOr<std::string> clinic = resources::ParseClinicParent(principal, request.parent());
  if (!clinic.ok()) return clinic.status();
  const std::string& clinic_id = *clinic;
  store::NotificationFilter filter{clinic_id, std::string(), request.resource(), {}};
  FieldViolations violations;
  if (!request.patient().empty()) {
    filter.patient_id = IdInClinic(violations, "patient", request.patient(), clinic_id, "patients");
  }
  if (!request.resource().empty() &&
      request.resource().rfind(absl::StrCat("clinics/", clinic_id, "/"), 0) != 0) {
    violations.Add("resource", absl::StrCat("must be a resource of clinics/", clinic_id));
  }
  for (int state : request.states()) {
    if (state <= 0 || !clinic::v1::NotificationState_IsValid(state)) {
      violations.Add("states", "must list valid notification states");
      break;
    }
    filter.states.push_back(static_cast<clinic::v1::NotificationState>(state));
  }
  absl::StatusOr<int> limit = EffectivePageSize(request.page_size());
  if (!limit.ok()) return limit.status();
  if (!violations.empty()) return violations.ToStatus();
  const std::string fingerprint = resources::QueryFingerprint(request);
  absl::StatusOr<std::vector<std::string>> after = DecodePageToken(request.page_token(), fingerprint);
  if (!after.ok()) return after.status();

  absl::StatusOr<store::KeysetPage<store::StoredNotification>> page;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    page = store::ListNotificationRows(tx, filter, *after, *limit);
    return page.status();
  });
  if (!status.ok()) return status;
  clinic::v1::ListNotificationsResponse response;
  for (const store::StoredNotification& stored : page->items) {
    *response.add_notifications() = ToNotification(stored);
  }
  response.set_next_page_token(resources::NextPageToken(page->next_after, fingerprint));
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
    absl::StatusOr<std::optional<store::StoredNotification>> stored =
        store::FindNotification(tx, clinic_id, (*ids)[1]);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) {
      return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                             absl::StrCat(request.name(), " not found"));
    }
    result = ToNotification(**stored);
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
    *result.mutable_due_time() = ToProtoTime(due);
    return store::SetNotificationDue(tx, (*ids)[1], due, now);
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace clinicd::notification
