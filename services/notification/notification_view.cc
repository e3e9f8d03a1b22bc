#include "services/notification/notification_view.h"

#include "absl/strings/str_cat.h"
#include "services/common/proto_time.h"

namespace clinicd::notification {

clinic::v1::Notification ToNotification(const store::StoredNotification& stored) {
  clinic::v1::Notification n;
  n.set_name(absl::StrCat("clinics/", stored.clinic_id, "/notifications/", stored.id));
  n.set_kind(stored.kind);
  n.set_channel(stored.channel);
  n.set_recipient(stored.recipient);
  n.set_subject(stored.subject);
  n.set_body(stored.body);
  n.set_dedupe_key(stored.dedupe_key);
  *n.mutable_due_time() = ToProtoTime(stored.due);
  n.set_attempts(stored.attempts);
  if (stored.lease_expire_time) *n.mutable_lease_expire_time() = ToProtoTime(*stored.lease_expire_time);
  n.set_resource(stored.resource);
  if (!stored.patient_id.empty()) {
    n.set_patient(absl::StrCat("clinics/", stored.clinic_id, "/patients/", stored.patient_id));
  }
  n.set_state(stored.state);
  n.set_delivery_detail(stored.last_detail);
  return n;
}

}  // namespace clinicd::notification
