#include "services/outbox/patient_messages.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/resource_name.h"
#include "services/domain/quiet_hours.h"
#include "services/domain/schedule.h"
#include "services/resources/load_resource.h"
#include "services/store/notification_rows.h"
#include "services/store/tables.h"

namespace clinicd::outbox {
namespace {

using clinic::v1::NotificationChannel;

constexpr NotificationChannel kPatientChannels[] = {clinic::v1::NOTIFICATION_CHANNEL_EMAIL,
                                                    clinic::v1::NOTIFICATION_CHANNEL_SMS,
                                                    clinic::v1::NOTIFICATION_CHANNEL_WEBHOOK};

// The clinic's contact details as a closing paragraph.
std::string ClinicFooter(const clinic::v1::Clinic& clinic) {
  std::string footer = clinic.display_name();
  if (!clinic.address_lines().empty()) {
    absl::StrAppend(&footer, "\n", absl::StrJoin(clinic.address_lines(), ", "));
  }
  if (!clinic.phone_number().empty()) absl::StrAppend(&footer, "\nPhone: ", clinic.phone_number());
  if (!clinic.email().empty()) absl::StrAppend(&footer, "\nE-mail: ", clinic.email());
  return footer;
}

}  // namespace

std::string RecipientOn(const clinic::v1::Patient& patient, NotificationChannel channel) {
  bool opted_in = false;
  for (const clinic::v1::ChannelConsent& consent : patient.channel_consents()) {
    if (consent.channel() == channel) opted_in = consent.opted_in();
  }
  if (!opted_in) return "";
  switch (channel) {
    case clinic::v1::NOTIFICATION_CHANNEL_EMAIL:
      return patient.email();
    case clinic::v1::NOTIFICATION_CHANNEL_SMS:
      return patient.phone_number();
    case clinic::v1::NOTIFICATION_CHANNEL_WEBHOOK:
      return patient.name();
    default:
      return "";
  }
}

absl::StatusOr<PatientOutbox> PatientOutbox::Load(store::Transaction& tx,
                                                  const std::string& clinic_id,
                                                  const std::string& patient_id) {
  PatientOutbox outbox;
  outbox.clinic_id_ = clinic_id;
  outbox.patient_id_ = patient_id;
  absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
      tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
  if (!clinic.ok()) return clinic.status();
  outbox.clinic_ = *std::move(clinic);
  absl::StatusOr<clinic::v1::Patient> patient = resources::LoadResource<clinic::v1::Patient>(
      tx, store::kPatientsTable, {clinic_id}, patient_id,
      absl::StrCat("clinics/", clinic_id, "/patients/", patient_id));
  if (!patient.ok()) return patient.status();
  outbox.patient_ = *std::move(patient);
  absl::StatusOr<absl::TimeZone> zone = domain::ClinicTimeZone(outbox.clinic_);
  if (!zone.ok()) return zone.status();
  outbox.zone_ = *zone;
  return outbox;
}

absl::Status PatientOutbox::Send(store::Transaction& tx, const PatientMessage& message,
                                 absl::Time now) const {
  domain::MessageTiming timing;
  timing.due = message.due;
  timing.shift = message.quiet_hours_shift;
  timing.not_before = message.not_before;
  timing.deadline = message.deadline;
  const std::optional<absl::Time> placed =
      domain::PlaceMessage(clinic_.policy(), zone_, timing, now);
  // Too late to be of use: dropped.
  if (!placed.has_value()) return absl::OkStatus();
  const absl::Time due = *placed;

  std::string letter = absl::StrCat("Hello ", patient_.given_name(), ",\n\n", message.text, "\n");
  if (!message.context.empty()) absl::StrAppend(&letter, "\n", message.context, "\n");
  absl::StrAppend(&letter, "\n", ClinicFooter(clinic_), "\n");
  // A text message leaves out the greeting and the address: it is read on a
  // phone screen and billed per segment.
  std::string text = absl::StrCat(clinic_.display_name(), ": ", message.subject, ". ",
                                  message.text);
  if (!message.context.empty()) absl::StrAppend(&text, " ", message.context);
  if (!clinic_.phone_number().empty()) absl::StrAppend(&text, " Tel. ", clinic_.phone_number());

  for (NotificationChannel channel : kPatientChannels) {
    const std::string recipient = RecipientOn(patient_, channel);
    if (recipient.empty()) continue;
    store::OutgoingNotification outgoing;
    outgoing.clinic_id = clinic_id_;
    outgoing.patient_id = patient_id_;
    outgoing.resource = message.resource;
    outgoing.kind = message.kind;
    outgoing.channel = channel;
    outgoing.recipient = recipient;
    outgoing.subject = message.subject;
    outgoing.body = channel == clinic::v1::NOTIFICATION_CHANNEL_SMS ? text : letter;
    outgoing.message_id = message.message_id;
    outgoing.due = due;
    if (absl::Status s = store::QueueNotification(tx, outgoing, now); !s.ok()) return s;
  }
  return absl::OkStatus();
}

std::string PatientOutbox::LocalDate(absl::Time t) const {
  const absl::CivilDay day = absl::ToCivilDay(t, zone_);
  return absl::StrCat(absl::FormatTime("%A ", t, zone_), day.day(),
                      absl::FormatTime(" %B %Y", t, zone_));
}

std::string PatientOutbox::LocalDateTime(absl::Time t) const {
  return absl::StrCat(LocalDate(t), absl::FormatTime(", %H:%M", t, zone_));
}

absl::Status SendClinicAlert(store::Transaction& tx, const clinic::v1::Clinic& clinic,
                             const std::string& resource, const std::string& message_id,
                             const std::string& subject, const std::string& text,
                             absl::Time now) {
  if (clinic.email().empty()) return absl::OkStatus();
  store::OutgoingNotification outgoing;
  outgoing.clinic_id = LastIdOf(clinic.name());
  outgoing.resource = resource;
  outgoing.kind = clinic::v1::NOTIFICATION_KIND_CLINIC_ALERT;
  outgoing.channel = clinic::v1::NOTIFICATION_CHANNEL_EMAIL;
  outgoing.recipient = clinic.email();
  outgoing.subject = subject;
  outgoing.body = absl::StrCat(text, "\n\n-- clinicd\n");
  outgoing.message_id = message_id;
  // Staff alerts are not held for the patients' quiet hours.
  outgoing.due = now;
  return store::QueueNotification(tx, outgoing, now);
}

}  // namespace clinicd::outbox
