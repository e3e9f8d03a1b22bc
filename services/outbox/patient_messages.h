#pragma once

// Messages to one patient of one clinic: the envelope every message shares
// (greeting, the clinic's contact details), the patient's channel consent
// (a message goes to every channel the patient opted in to and has an
// address for; none when they opted out of all), the clinic's quiet hours in
// its time zone, and what to do with a message whose time has passed.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/notification_service.pb.h"
#include "clinic/v1/patient_service.pb.h"
#include "clinic/v1/practice_service.pb.h"
#include "services/domain/quiet_hours.h"
#include "services/store/transaction.h"

namespace clinicd::outbox {

// What one message says and when it is meant to arrive.
struct PatientMessage {
  clinic::v1::NotificationKind kind = clinic::v1::NOTIFICATION_KIND_UNSPECIFIED;
  // What it is about, e.g. `clinics/{c}/appointments/{a}`.
  std::string resource;
  // Stable within the resource, e.g. a plugin message id plus the
  // appointment time it refers to; part of the dedupe key.
  std::string message_id;
  std::string subject;
  // The message proper; the greeting and the clinic's details are added.
  std::string text;
  // A line placing the message, e.g. which appointment it is about.
  std::string context;
  // When it is meant to arrive, before quiet hours.
  absl::Time due;
  // Which way quiet hours move it (domain::PlaceMessage has the rules); later
  // unless the sender says otherwise.
  domain::QuietHoursShift quiet_hours_shift = domain::QuietHoursShift::kLater;
  // When set, it never goes before this time, even to leave the quiet hours
  // earlier (e.g. the start of the session an aftercare message describes).
  std::optional<absl::Time> not_before;
  // When set, the message is useless from then on (the appointment it
  // prepares for): quiet hours never move it past the deadline, and it is
  // dropped once the deadline has passed.
  std::optional<absl::Time> deadline;
};

// A patient, their clinic and its time zone, loaded once for the messages of
// one change.
class PatientOutbox final {
 public:
  // Loads clinic `clinic_id` and its patient `patient_id` inside `tx`.
  static absl::StatusOr<PatientOutbox> Load(store::Transaction& tx, const std::string& clinic_id,
                                            const std::string& patient_id);

  // Queues `message` on each channel the patient opted in to: a letter with
  // greeting and the clinic's details by e-mail and webhook, a compact text
  // by SMS, at the time domain::PlaceMessage gives for the clinic's quiet
  // hours. A message whose time has passed goes out at once (out of quiet
  // hours its way), unless its deadline has passed too or (without a
  // deadline) it is more than a day old: stale advice is dropped rather than
  // sent late.
  absl::Status Send(store::Transaction& tx, const PatientMessage& message, absl::Time now) const;

  // `t` as the clinic's local date and time, e.g. `Tuesday 1 December 2026, 10:00`.
  std::string LocalDateTime(absl::Time t) const;
  // `t` as the clinic's local date, e.g. `Tuesday 1 December 2026`.
  std::string LocalDate(absl::Time t) const;

  const clinic::v1::Clinic& clinic() const { return clinic_; }
  const absl::TimeZone& zone() const { return zone_; }

 private:
  PatientOutbox() = default;

  std::string clinic_id_;
  std::string patient_id_;
  clinic::v1::Clinic clinic_;
  clinic::v1::Patient patient_;
  absl::TimeZone zone_;
};

// Where `channel` reaches `patient` if they opted in to it and have an
// address for it; empty otherwise. A webhook reaches the clinic's own app,
// which knows the patient by resource name.
std::string RecipientOn(const clinic::v1::Patient& patient, clinic::v1::NotificationChannel channel);

// Queues a message to the clinic's own front desk (its e-mail address),
// e.g. that a patient withdrew consent; nothing when the clinic has none.
absl::Status SendClinicAlert(store::Transaction& tx, const clinic::v1::Clinic& clinic,
                             const std::string& resource, const std::string& message_id,
                             const std::string& subject, const std::string& text, absl::Time now);

}  // namespace clinicd::outbox
