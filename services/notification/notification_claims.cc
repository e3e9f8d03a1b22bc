#include "services/notification/notification_claims.h"

#include <map>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
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
#include "services/notification/notification_view.h"
#include "services/store/notification_lease_rows.h"
#include "services/store/tables.h"

namespace clinicd::notification {
namespace {

using clinic::v1::DeliveryResult;
using clinic::v1::Notification;
using clinic::v1::NotificationState;

constexpr int kDefaultBatch = 10;
constexpr int kMaxBatch = 100;
constexpr absl::Duration kDefaultLease = absl::Seconds(60);
constexpr absl::Duration kLongestLease = absl::Hours(1);
constexpr size_t kMaxText = 1000;

// The ack's state as error metadata names it: `leased`, `delivered`, ...
std::string StateWord(clinic::v1::NotificationState state) {
  std::string name = clinic::v1::NotificationState_Name(state);
  absl::string_view word = name;
  absl::ConsumePrefix(&word, "NOTIFICATION_STATE_");
  return absl::AsciiStrToLower(word);
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
  store::ClaimFilter filter;
  for (int channel : request.channels()) {
    if (channel <= 0 || !clinic::v1::NotificationChannel_IsValid(channel)) {
      violations.Add("channels", "must list valid notification channels");
      break;
    }
    filter.channels.push_back(static_cast<clinic::v1::NotificationChannel>(channel));
  }
  if (request.worker().size() > 200) violations.Add("worker", "must be at most 200 characters");
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<std::optional<std::vector<std::string>>> scope =
      ClaimScope(principal, request.parent());
  if (!scope.ok()) return scope.status();
  filter.all_clinics = !scope->has_value();
  if (scope->has_value()) filter.clinic_ids = **scope;
  const int wanted = request.max_notifications() == 0 ? kDefaultBatch : request.max_notifications();

  clinic::v1::ClaimNotificationsResponse response;
  absl::Status status = db.Write([&](store::Transaction& tx) -> absl::Status {
    // fn may run again after a rollback: the leases of an earlier attempt
    // were never stored, so none of them may be handed out.
    response.Clear();
    std::map<std::pair<std::string, std::string>, clinic::v1::Patient> patients;
    while (response.notifications_size() < wanted) {
      const int limit = wanted - response.notifications_size();
      absl::StatusOr<std::vector<store::StoredNotification>> candidates =
          store::ClaimableNotifications(tx, now, filter, limit);
      if (!candidates.ok()) return candidates.status();
      for (const store::StoredNotification& candidate : *candidates) {
        Notification n = ToNotification(candidate);
        if (candidate.attempts >= kMaxAttempts) {
          if (absl::Status s = store::EndNotification(tx, candidate.id,
                                                      clinic::v1::NOTIFICATION_STATE_FAILED,
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
            if (absl::Status s = store::EndNotification(tx, candidate.id,
                                                        clinic::v1::NOTIFICATION_STATE_SUPPRESSED,
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
        const store::NotificationLease lease_row{n.lease_id(), request.worker(), now + lease,
                                                 n.attempts(), n.recipient()};
        if (absl::Status s = store::LeaseNotification(tx, candidate.id, lease_row, now);
            !s.ok()) {
          return s;
        }
        *response.add_notifications() = std::move(n);
      }
      if (static_cast<int>(candidates->size()) < limit) break;
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
    absl::StatusOr<std::optional<store::StoredNotification>> stored =
        store::FindLeasedState(tx, clinic_id, id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) {
      return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                             absl::StrCat(request.name(), " not found"));
    }
    const NotificationState state = (*stored)->state;
    const std::string& lease_id = (*stored)->lease_id;
    const int attempts = (*stored)->attempts;
    const bool for_patient = !(*stored)->patient_id.empty();

    NotificationState next_state = clinic::v1::NOTIFICATION_STATE_UNSPECIFIED;
    std::string detail = request.detail();
    absl::Time due = (*stored)->due;
    int next_attempts = attempts;
    switch (request.result()) {
      case clinic::v1::DELIVERY_RESULT_DELIVERED:
        next_state = clinic::v1::NOTIFICATION_STATE_DELIVERED;
        break;
      case clinic::v1::DELIVERY_RESULT_FAILED:
        next_state = clinic::v1::NOTIFICATION_STATE_FAILED;
        break;
      case clinic::v1::DELIVERY_RESULT_RETRY:
        next_state = attempts >= kMaxAttempts ? clinic::v1::NOTIFICATION_STATE_FAILED
                                              : clinic::v1::NOTIFICATION_STATE_PENDING;
        if (next_state == clinic::v1::NOTIFICATION_STATE_FAILED) {
          detail = absl::StrCat("gave up after ", attempts, " attempts: ", detail);
        }
        due = now + RetryBackoff(attempts);
        break;
      default:  // RELEASED: not attempted, so not counted.
        next_state = clinic::v1::NOTIFICATION_STATE_PENDING;
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
          {{"state", StateWord(state)}});
    }
    const bool reported_outcome = request.result() == clinic::v1::DELIVERY_RESULT_DELIVERED ||
                                  request.result() == clinic::v1::DELIVERY_RESULT_FAILED;
    if (state == clinic::v1::NOTIFICATION_STATE_PENDING ||
        state == clinic::v1::NOTIFICATION_STATE_CANCELLED) {
      // Back in the queue or withdrawn: a delivery (or final failure) that
      // happened is recorded as the truth; a retry or release changes nothing.
      if (!reported_outcome) return absl::OkStatus();
      if (state == clinic::v1::NOTIFICATION_STATE_CANCELLED && request.result() == clinic::v1::DELIVERY_RESULT_FAILED) {
        return absl::OkStatus();
      }
    } else if (state != clinic::v1::NOTIFICATION_STATE_LEASED) {
      if (state == next_state) return absl::OkStatus();  // The same acknowledgement, repeated.
      return ErrorWithReason(
          absl::StatusCode::kFailedPrecondition, "LEASE_NOT_HELD",
          absl::StrCat(request.name(), " was already acknowledged as ", StateWord(state),
                       "; do not retry this acknowledgement"),
          {{"state", StateWord(state)}});
    }
    if (request.result() == clinic::v1::DELIVERY_RESULT_RETRY &&
        next_state == clinic::v1::NOTIFICATION_STATE_PENDING &&
        for_patient) {
      // Retries wait out the clinic's quiet hours like the first attempt.
      absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
          tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
      if (!clinic.ok()) return clinic.status();
      absl::StatusOr<absl::TimeZone> zone = domain::ClinicTimeZone(*clinic);
      if (!zone.ok()) return zone.status();
      due = domain::FirstSendableAtOrAfter(clinic->policy(), *zone, due);
    }
    return store::RecordAcknowledgement(tx, id, next_state, detail, due, next_attempts, now);
  });
}

}  // namespace clinicd::notification
