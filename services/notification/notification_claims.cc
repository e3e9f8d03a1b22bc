#include "services/notification/notification_claims.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/ids.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/domain/quiet_hours.h"
#include "services/domain/schedule.h"
#include "services/outbox/patient_messages.h"
#include "services/resources/list_query.h"
#include "services/resources/load_resource.h"
#include "services/store/tables.h"

namespace clinicd::notification {
namespace {

using clinic::v1::DeliveryResult;
using clinic::v1::Notification;

constexpr int kDefaultBatch = 10;
constexpr int kMaxBatch = 100;
constexpr absl::Duration kDefaultLease = absl::Seconds(60);
constexpr absl::Duration kLongestLease = absl::Hours(1);
constexpr size_t kMaxText = 1000;

// One claimable row.
struct Candidate {
  std::string id;
  std::string clinic_id;
  std::string patient_id;
  Notification notification;
  int attempts = 0;
};

absl::Status SetState(store::Transaction& tx, const std::string& id, absl::string_view state,
                      absl::string_view detail, absl::Time now) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "UPDATE notifications SET state = ?2, last_detail = ?3, lease_expire_time = NULL, "
      "update_time = ?4 WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, id).BindText(2, state).BindText(3, detail).Bind(4, now);
  return stmt->Run();
}

// The clinics a claim may take from, or nullopt for all.
absl::StatusOr<std::optional<std::vector<std::string>>> ClaimScope(
    const auth::Principal& principal, const std::string& parent) {
  if (!parent.empty()) {
    absl::StatusOr<std::string> clinic = resources::ParseClinicParent(principal, parent);
    if (!clinic.ok()) return clinic.status();
    return std::optional<std::vector<std::string>>(std::vector<std::string>{*clinic});
  }
  if (principal.all_clinics) return std::optional<std::vector<std::string>>();
  return std::optional<std::vector<std::string>>(principal.clinic_ids);
}

}  // namespace

absl::Duration RetryBackoff(int attempts) {
  if (attempts < 1) attempts = 1;
  if (attempts > 10) return absl::Hours(6);
  return std::min(absl::Hours(6), absl::Minutes(1) * (int64_t{1} << (attempts - 1)));
}

absl::StatusOr<clinic::v1::ClaimNotificationsResponse> ClaimNotifications(
    store::Database& db, const auth::Principal& principal,
    const clinic::v1::ClaimNotificationsRequest& request, absl::Time now) {
  FieldViolations violations;
  if (request.max_notifications() < 0 || request.max_notifications() > kMaxBatch) {
    violations.Add("max_notifications",
                   absl::StrCat("must be from 0 to ", kMaxBatch, " (0 means ", kDefaultBatch, ")"));
  }
  const absl::Duration lease = request.has_lease_duration()
                                   ? FromProtoDuration(request.lease_duration())
                                   : kDefaultLease;
  if (lease < absl::Seconds(1) || lease > kLongestLease) {
    violations.Add("lease_duration", "must be from 1 second to 1 hour (default 60 seconds)");
  }
  std::vector<int64_t> channels;
  for (int channel : request.channels()) {
    if (channel <= 0 || !clinic::v1::NotificationChannel_IsValid(channel)) {
      violations.Add("channels", "must list valid notification channels");
      break;
    }
    channels.push_back(channel);
  }
  if (request.worker().size() > 200) violations.Add("worker", "must be at most 200 characters");
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<std::optional<std::vector<std::string>>> scope =
      ClaimScope(principal, request.parent());
  if (!scope.ok()) return scope.status();
  const std::vector<std::string> clinics =
      scope->has_value() ? **scope : std::vector<std::string>();
  const int wanted = request.max_notifications() == 0 ? kDefaultBatch : request.max_notifications();

  clinic::v1::ClaimNotificationsResponse response;
  absl::Status status = db.Write([&](store::Transaction& tx) -> absl::Status {
    std::map<std::pair<std::string, std::string>, clinic::v1::Patient> patients;
    while (response.notifications_size() < wanted) {
      absl::StatusOr<store::Statement> select = tx.Prepare(
          "SELECT id, clinic_id, patient_id, channel, attempts, kind, resource, recipient, "
          "subject, body, dedupe_key, due_time FROM notifications "
          "WHERE ((state = 'pending' AND due_time <= ?1) "
          "OR (state = 'leased' AND lease_expire_time <= ?1)) "
          "AND (?2 OR clinic_id IN (SELECT value FROM json_each(?3))) "
          "AND (?4 = '[]' OR channel IN (SELECT value FROM json_each(?4))) "
          "ORDER BY due_time, id LIMIT ?5");
      if (!select.ok()) return select.status();
      const int limit = wanted - response.notifications_size();
      select->Bind(1, now)
          .Bind(2, static_cast<int64_t>(scope->has_value() ? 0 : 1))
          .BindTextList(3, clinics)
          .BindIntList(4, channels)
          .Bind(5, static_cast<int64_t>(limit));
      std::vector<Candidate> candidates;
      while (true) {
        absl::StatusOr<bool> row = select->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        Candidate& candidate = candidates.emplace_back();
        candidate.id = select->ColumnText(0);
        candidate.clinic_id = select->ColumnText(1);
        candidate.patient_id = select->ColumnText(2);
        candidate.attempts = static_cast<int>(select->ColumnInt(4));
        Notification& n = candidate.notification;
        n.set_name(absl::StrCat("clinics/", candidate.clinic_id, "/notifications/", candidate.id));
        n.set_channel(static_cast<clinic::v1::NotificationChannel>(select->ColumnInt(3)));
        n.set_kind(static_cast<clinic::v1::NotificationKind>(select->ColumnInt(5)));
        n.set_resource(select->ColumnText(6));
        n.set_recipient(select->ColumnText(7));
        n.set_subject(select->ColumnText(8));
        n.set_body(select->ColumnText(9));
        n.set_dedupe_key(select->ColumnText(10));
        *n.mutable_due_time() = ToProtoTime(select->ColumnTime(11));
        if (!candidate.patient_id.empty()) {
          n.set_patient(
              absl::StrCat("clinics/", candidate.clinic_id, "/patients/", candidate.patient_id));
        }
      }
      for (Candidate& candidate : candidates) {
        Notification& n = candidate.notification;
        if (candidate.attempts >= kMaxAttempts) {
          if (absl::Status s = SetState(tx, candidate.id, "failed",
                                        absl::StrCat("gave up after ", candidate.attempts,
                                                     " attempts whose leases expired"),
                                        now);
              !s.ok()) {
            return s;
          }
          continue;
        }
        if (!candidate.patient_id.empty()) {
          // The patient's choice now, not when the message was queued.
          auto key = std::make_pair(candidate.clinic_id, candidate.patient_id);
          auto found = patients.find(key);
          if (found == patients.end()) {
            absl::StatusOr<clinic::v1::Patient> patient =
                resources::LoadResource<clinic::v1::Patient>(tx, store::kPatientsTable,
                                                             {candidate.clinic_id},
                                                             candidate.patient_id, n.patient());
            if (!patient.ok()) return patient.status();
            found = patients.emplace(key, *std::move(patient)).first;
          }
          const std::string recipient = outbox::RecipientOn(found->second, n.channel());
          if (recipient.empty()) {
            if (absl::Status s = SetState(tx, candidate.id, "suppressed",
                                          "the patient opted out of this channel, or has no "
                                          "address on it, since the message was queued",
                                          now);
                !s.ok()) {
              return s;
            }
            continue;
          }
          n.set_recipient(recipient);
        }
        n.set_lease_id(NewResourceId(now));
        n.set_attempts(candidate.attempts + 1);
        *n.mutable_lease_expire_time() = ToProtoTime(now + lease);
        absl::StatusOr<store::Statement> lease_row = tx.Prepare(
            "UPDATE notifications SET state = 'leased', attempts = ?2, lease_id = ?3, "
            "lease_owner = ?4, lease_expire_time = ?5, recipient = ?6, update_time = ?7 "
            "WHERE id = ?1");
        if (!lease_row.ok()) return lease_row.status();
        lease_row->BindText(1, candidate.id)
            .Bind(2, static_cast<int64_t>(n.attempts()))
            .BindText(3, n.lease_id())
            .BindText(4, request.worker())
            .Bind(5, now + lease)
            .BindText(6, n.recipient())
            .Bind(7, now);
        if (absl::Status s = lease_row->Run(); !s.ok()) return s;
        *response.add_notifications() = std::move(n);
      }
      if (static_cast<int>(candidates.size()) < limit) break;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::Status AckNotification(store::Database& db, const auth::Principal& principal,
                             const clinic::v1::AckNotificationRequest& request, absl::Time now) {
  std::vector<absl::string_view> pattern = {"clinics", "notifications"};
  absl::StatusOr<std::vector<std::string>> ids = ParseResourceName("name", request.name(), pattern);
  if (!ids.ok()) return ids.status();
  if (absl::Status s = auth::CheckClinicAccess(principal, ids->front()); !s.ok()) return s;
  FieldViolations violations;
  if (request.lease_id().empty()) {
    violations.Add("lease_id", "is required: send the lease_id the notification was claimed with");
  }
  if (request.result() <= 0 || !clinic::v1::DeliveryResult_IsValid(request.result())) {
    violations.Add("result", "must be DELIVERED, RETRY, FAILED or RELEASED");
  }
  if (request.detail().size() > kMaxText) {
    violations.Add("detail", absl::StrCat("must be at most ", kMaxText, " bytes"));
  }
  if (!violations.empty()) return violations.ToStatus();
  const std::string& clinic_id = (*ids)[0];
  const std::string& id = (*ids)[1];

  return db.Write([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::Statement> select = tx.Prepare(
        "SELECT state, lease_id, attempts, patient_id, due_time FROM notifications "
        "WHERE id = ?1 AND clinic_id = ?2");
    if (!select.ok()) return select.status();
    select->BindText(1, id).BindText(2, clinic_id);
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                             absl::StrCat(request.name(), " not found"));
    }
    const std::string state = select->ColumnText(0);
    const std::string lease_id = select->ColumnText(1);
    const int attempts = static_cast<int>(select->ColumnInt(2));
    const bool for_patient = !select->ColumnIsNull(3);

    std::string next_state;
    std::string detail = request.detail();
    absl::Time due = select->ColumnTime(4);
    int next_attempts = attempts;
    switch (request.result()) {
      case clinic::v1::DELIVERY_RESULT_DELIVERED:
        next_state = "delivered";
        break;
      case clinic::v1::DELIVERY_RESULT_FAILED:
        next_state = "failed";
        break;
      case clinic::v1::DELIVERY_RESULT_RETRY:
        next_state = attempts >= kMaxAttempts ? "failed" : "pending";
        if (next_state == "failed") {
          detail = absl::StrCat("gave up after ", attempts, " attempts: ", detail);
        }
        due = now + RetryBackoff(attempts);
        break;
      default:  // RELEASED: not attempted, so not counted.
        next_state = "pending";
        next_attempts = std::max(0, attempts - 1);
        break;
    }
    // An acknowledgement counts when it carries the last lease handed out
    // for the notification: nobody else has claimed it since, even if its
    // lease expired or a change cancelled and revived it meanwhile.
    if (lease_id != request.lease_id()) {
      return ErrorWithReason(
          absl::StatusCode::kFailedPrecondition, "LEASE_NOT_HELD",
          absl::StrCat("lease ", request.lease_id(), " of ", request.name(),
                       " is no longer held: it expired and the notification was claimed again; "
                       "do not retry this acknowledgement"),
          {{"state", state}});
    }
    const bool reported_outcome = request.result() == clinic::v1::DELIVERY_RESULT_DELIVERED ||
                                  request.result() == clinic::v1::DELIVERY_RESULT_FAILED;
    if (state == "pending" || state == "cancelled") {
      // Back in the queue or withdrawn: a delivery (or final failure) that
      // happened is recorded as the truth; a retry or release changes nothing.
      if (!reported_outcome) return absl::OkStatus();
      if (state == "cancelled" && request.result() == clinic::v1::DELIVERY_RESULT_FAILED) {
        return absl::OkStatus();
      }
    } else if (state != "leased") {
      if (state == next_state) return absl::OkStatus();  // The same acknowledgement, repeated.
      return ErrorWithReason(
          absl::StatusCode::kFailedPrecondition, "LEASE_NOT_HELD",
          absl::StrCat(request.name(), " was already acknowledged as ", state,
                       "; do not retry this acknowledgement"),
          {{"state", state}});
    }
    if (request.result() == clinic::v1::DELIVERY_RESULT_RETRY && next_state == "pending" &&
        for_patient) {
      // Retries wait out the clinic's quiet hours like the first attempt.
      absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
          tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
      if (!clinic.ok()) return clinic.status();
      absl::StatusOr<absl::TimeZone> zone = domain::ClinicTimeZone(*clinic);
      if (!zone.ok()) return zone.status();
      due = domain::FirstSendableAtOrAfter(clinic->policy(), *zone, due);
    }
    absl::StatusOr<store::Statement> update = tx.Prepare(
        "UPDATE notifications SET state = ?2, last_detail = ?3, due_time = ?4, attempts = ?5, "
        "lease_expire_time = NULL, update_time = ?6 WHERE id = ?1");
    if (!update.ok()) return update.status();
    update->BindText(1, id)
        .BindText(2, next_state)
        .BindText(3, detail)
        .Bind(4, due)
        .Bind(5, static_cast<int64_t>(next_attempts))
        .Bind(6, now);
    return update->Run();
  });
}

}  // namespace clinicd::notification
