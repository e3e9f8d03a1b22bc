// What the outbox holds after each change, read back through
// ListNotifications on a real server: a booking queues every preparation
// message of the microneedling protocol on every channel the patient opted
// in to, at the appointment's Berlin local time plus the plugin's offset and
// out of the clinic's quiet hours; a reschedule, a cancellation and a
// completion withdraw or revive exactly the right messages; a patient who
// opts out after booking is not messaged; and a consent withdrawal alerts
// the clinic's front desk.

#include <gmock/gmock.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clinic/v1/treatment_catalog_service.grpc.pb.h"
#include "tests/integration/course_test_base.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::testing {
namespace {

using clinic::v1::Appointment;
using clinic::v1::Notification;
using clinic::v1::NotificationChannel;
using clinic::v1::NotificationKind;
using clinic::v1::NotificationState;
using plugins::test_time::At;
using plugins::test_time::Berlin;
using plugins::test_time::FromProto;
using plugins::test_time::InBerlin;

constexpr NotificationChannel kEmail = clinic::v1::NOTIFICATION_CHANNEL_EMAIL;
constexpr NotificationChannel kSms = clinic::v1::NOTIFICATION_CHANNEL_SMS;
constexpr NotificationKind kReminder = clinic::v1::NOTIFICATION_KIND_APPOINTMENT_REMINDER;
constexpr NotificationKind kAftercare = clinic::v1::NOTIFICATION_KIND_AFTERCARE;
constexpr NotificationState kPending = clinic::v1::NOTIFICATION_STATE_PENDING;
constexpr NotificationState kCancelled = clinic::v1::NOTIFICATION_STATE_CANCELLED;

// The fixture clinic's quiet hours, 21:00 to 08:00 Berlin time.
bool InQuietHours(absl::Time t) {
  const int hour = absl::ToCivilHour(t, Berlin()).hour();
  return hour >= 21 || hour < 8;
}

// `t` as the outbox writes an appointment's time, e.g. `Monday 5 April 2027, 10:00`.
std::string LocalDateTime(absl::Time t) {
  const absl::CivilDay day = absl::ToCivilDay(t, Berlin());
  return absl::FormatTime("%A ", t, Berlin()) + std::to_string(day.day()) +
         absl::FormatTime(" %B %Y, %H:%M", t, Berlin());
}

// `t` as a local date, e.g. `Monday 5 April 2027`.
std::string LocalDate(absl::Time t) {
  const absl::CivilDay day = absl::ToCivilDay(t, Berlin());
  return absl::FormatTime("%A ", t, Berlin()) + std::to_string(day.day()) +
         absl::FormatTime(" %B %Y", t, Berlin());
}

std::vector<Notification> OfKind(const std::vector<Notification>& all, NotificationKind kind) {
  std::vector<Notification> out;
  for (const Notification& n : all) {
    if (n.kind() == kind) out.push_back(n);
  }
  return out;
}

std::vector<Notification> InState(const std::vector<Notification>& all, NotificationState state) {
  std::vector<Notification> out;
  for (const Notification& n : all) {
    if (n.state() == state) out.push_back(n);
  }
  return out;
}

std::set<std::string> DedupeKeys(const std::vector<Notification>& all) {
  std::set<std::string> keys;
  for (const Notification& n : all) keys.insert(n.dedupe_key());
  return keys;
}

// One line per notification, for failure messages.
std::string Describe(const std::vector<Notification>& all) {
  std::string out;
  for (const Notification& n : all) {
    out += clinic::v1::NotificationKind_Name(n.kind()) + " " +
           clinic::v1::NotificationChannel_Name(n.channel()) + " " + InBerlin(n.due_time()) + " " +
           clinic::v1::NotificationState_Name(n.state()) + " " + n.dedupe_key() + "\n";
  }
  return out;
}

class OutboxTest : public CourseTest {
 protected:
  void SetUp() override {
    CourseTest::SetUp();
    if (HasFatalFailure()) return;
    auto catalog = clinic::v1::TreatmentCatalogService::NewStub(server_.channel());
    clinic::v1::GetTreatmentTypeRequest request;
    request.set_name(kMicroneedling);
    grpc::Status status =
        catalog->GetTreatmentType(AuthedContext(admin_key_).get(), request, &microneedling_);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(microneedling_.preparation_size(), 4);
  }

  // The plugin's preparation and aftercare messages by id.
  std::map<std::string, clinic::v1::TimedMessage> Messages(bool aftercare) const {
    std::map<std::string, clinic::v1::TimedMessage> out;
    for (const auto& m : aftercare ? microneedling_.aftercare() : microneedling_.preparation()) {
      out[m.id()] = m;
    }
    return out;
  }

  // Replaces the clinic's policy: quiet hours 21:00-08:00 or none.
  void SetQuietHours(bool quiet) {
    clinic::v1::UpdateClinicRequest update;
    *update.mutable_clinic() = clinic_;
    update.mutable_clinic()->clear_etag();
    clinic::v1::ClinicPolicy* policy = update.mutable_clinic()->mutable_policy();
    policy->Clear();
    if (quiet) {
      policy->mutable_quiet_hours_start()->set_hours(21);
      policy->mutable_quiet_hours_end()->set_hours(8);
    }
    update.mutable_update_mask()->add_paths("policy");
    grpc::Status status = practice_->UpdateClinic(AuthedContext(admin_key_).get(), update, &clinic_);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(clinic_.policy().has_quiet_hours_start(), quiet);
  }

  // Sets the patient's channel choices.
  clinic::v1::Patient SetChannels(const clinic::v1::Patient& patient,
                                  const std::map<NotificationChannel, bool>& choices) {
    clinic::v1::UpdatePatientRequest update;
    *update.mutable_patient() = patient;
    update.mutable_patient()->clear_etag();
    update.mutable_patient()->clear_channel_consents();
    for (const auto& [channel, opted_in] : choices) {
      clinic::v1::ChannelConsent* consent = update.mutable_patient()->add_channel_consents();
      consent->set_channel(channel);
      consent->set_opted_in(opted_in);
    }
    update.mutable_update_mask()->add_paths("channel_consents");
    clinic::v1::Patient updated;
    grpc::Status status =
        patients_->UpdatePatient(AuthedContext(admin_key_).get(), update, &updated);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return updated;
  }

  clinic::v1::ClaimNotificationsResponse ClaimAll(const std::string& key) {
    clinic::v1::ClaimNotificationsRequest request;
    request.set_parent(clinic_.name());
    request.set_max_notifications(100);
    clinic::v1::ClaimNotificationsResponse response;
    grpc::Status status =
        notifications_->ClaimNotifications(AuthedContext(key).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  clinic::v1::TreatmentType microneedling_;
};

TEST_F(OutboxTest, BookingQueuesEachPreparationMessageOnEveryOptedInChannel) {
  const absl::Time start = At(monday_, 10);
  const Appointment appointment = MustBook(Draft(start));
  // The plugin's offsets: a week, three days and a day before at the
  // appointment's local time, and two hours before.
  const std::map<std::string, absl::Time> expected_due = {
      {"prep_pause_peels_and_laser", At(monday_ - 7, 10)},
      {"prep_pause_active_skincare", At(monday_ - 3, 10)},
      {"prep_day_before", At(monday_ - 1, 10)},
      {"prep_arrive_clean_skin", At(monday_, 8)},
  };
  const auto preparation = Messages(/*aftercare=*/false);
  ASSERT_EQ(preparation.size(), expected_due.size());

  const std::vector<Notification> outbox = Outbox(appointment.name());
  ASSERT_EQ(outbox.size(), 8u) << Describe(outbox);
  ASSERT_EQ(patient_.phone_number(), "+4915123456789") << "stored in E.164 form";
  for (const auto& [id, due] : expected_due) {
    SCOPED_TRACE(id);
    ASSERT_EQ(preparation.count(id), 1u);
    const clinic::v1::TimedMessage& message = preparation.at(id);
    std::set<NotificationChannel> channels;
    for (const Notification& n : outbox) {
      if (n.subject() != message.title()) continue;
      channels.insert(n.channel());
      EXPECT_EQ(n.kind(), kReminder);
      EXPECT_EQ(n.state(), kPending);
      EXPECT_EQ(InBerlin(n.due_time()), InBerlin(due));
      EXPECT_EQ(n.resource(), appointment.name());
      EXPECT_EQ(n.patient(), patient_.name());
      EXPECT_EQ(n.recipient(), n.channel() == kEmail ? patient_.email() : patient_.phone_number());
      EXPECT_EQ(n.attempts(), 0);
      EXPECT_THAT(n.body(), ::testing::HasSubstr(message.body()));
      // E-mail is a letter; a text message leaves out the greeting.
      if (n.channel() == kEmail) {
        EXPECT_THAT(n.body(), ::testing::HasSubstr("Hello Anna,"));
      }
      if (n.channel() == kSms) {
        EXPECT_THAT(n.body(), ::testing::Not(::testing::HasSubstr("Hello")));
      }
      EXPECT_THAT(n.body(), ::testing::HasSubstr(LocalDateTime(start))) << n.body();
      EXPECT_THAT(n.body(), ::testing::HasSubstr(clinic_.display_name()));
      EXPECT_FALSE(n.dedupe_key().empty());
    }
    EXPECT_EQ(channels, (std::set<NotificationChannel>{kEmail, kSms}));
  }
  // Unique per message and channel, and stable: reading again changes nothing.
  EXPECT_EQ(DedupeKeys(outbox).size(), outbox.size());
  EXPECT_EQ(DedupeKeys(Outbox(appointment.name())), DedupeKeys(outbox));
  std::vector<Notification> again = Outbox(appointment.name());
  ASSERT_EQ(again.size(), outbox.size());
  for (size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].name(), outbox[i].name());
    EXPECT_EQ(again[i].dedupe_key(), outbox[i].dedupe_key());
  }
  // Every message of the clinic is about this booking.
  EXPECT_EQ(Outbox().size(), outbox.size());
}

TEST_F(OutboxTest, QuietHoursMoveTheTwoHourReminderToTheEveningBefore) {
  // 09:00 minus two hours is 07:00, inside the 21:00-08:00 quiet hours.
  // Preparation moves earlier (QUIET_HOURS_SHIFT_EARLIER), not to 08:00.
  const absl::Time start = At(monday_, 9);
  const Appointment appointment = MustBook(Draft(start));
  const std::vector<Notification> outbox = Outbox(appointment.name());
  ASSERT_EQ(outbox.size(), 8u) << Describe(outbox);
  const std::string title = Messages(false).at("prep_arrive_clean_skin").title();
  int moved = 0;
  for (const Notification& n : outbox) {
    const absl::Time due = FromProto(n.due_time());
    EXPECT_FALSE(InQuietHours(due)) << n.subject() << " due " << InBerlin(due);
    EXPECT_LT(due, start) << n.subject() << " due " << InBerlin(due);
    if (n.subject() == title) {
      ++moved;
      EXPECT_NE(due, At(monday_, 7)) << "still at the exact offset, inside quiet hours";
      // quiet_hours.h: a minute before the quiet hours begin.
      EXPECT_EQ(InBerlin(due), InBerlin(At(monday_ - 1, 20, 59)));
    }
  }
  EXPECT_EQ(moved, 2);
}

TEST_F(OutboxTest, ReminderBeforeAnEightOClockAppointmentGoesTheEveningBefore) {
  // 08:00 minus two hours is 06:00; the quiet hours end only at 08:00, the
  // appointment's own start, so the reminder goes before they begin.
  const clinic::v1::Practitioner early =
      MakePractitioner(clinic_.name(), "Dr. Frueh", {kMicroneedling}, 7, 17);
  Appointment draft = Draft(At(monday_, 8));
  draft.set_practitioner(early.name());
  const Appointment appointment = MustBook(draft);
  const std::string title = Messages(false).at("prep_arrive_clean_skin").title();
  int found = 0;
  for (const Notification& n : Outbox(appointment.name())) {
    const absl::Time due = FromProto(n.due_time());
    EXPECT_FALSE(InQuietHours(due)) << n.subject() << " due " << InBerlin(due);
    EXPECT_LT(due, At(monday_, 8)) << n.subject() << " due " << InBerlin(due);
    if (n.subject() != title) continue;
    ++found;
    // quiet_hours.h: a minute before the quiet hours begin.
    EXPECT_EQ(InBerlin(due), InBerlin(At(monday_ - 1, 20, 59)));
  }
  EXPECT_EQ(found, 2);
}

TEST_F(OutboxTest, ClinicWithoutQuietHoursKeepsExactOffsets) {
  SetQuietHours(false);
  const Appointment appointment = MustBook(Draft(At(monday_, 9)));
  const std::string title = Messages(false).at("prep_arrive_clean_skin").title();
  std::multiset<std::string> due_times;
  for (const Notification& n : Outbox(appointment.name())) due_times.insert(InBerlin(n.due_time()));
  const std::multiset<std::string> expected = {
      InBerlin(At(monday_ - 7, 9)), InBerlin(At(monday_ - 7, 9)), InBerlin(At(monday_ - 3, 9)),
      InBerlin(At(monday_ - 3, 9)), InBerlin(At(monday_ - 1, 9)), InBerlin(At(monday_ - 1, 9)),
      InBerlin(At(monday_, 7)),     InBerlin(At(monday_, 7))};
  EXPECT_EQ(due_times, expected);
}

TEST_F(OutboxTest, RescheduleCancelsTheOldRemindersAndQueuesNewOnes) {
  const Appointment booked = MustBook(Draft(At(monday_, 10)));
  const std::set<std::string> old_keys = DedupeKeys(Outbox(booked.name()));
  ASSERT_EQ(old_keys.size(), 8u);

  Appointment moved;
  const absl::Time tuesday = At(monday_ + 1, 14);
  grpc::Status status = Reschedule(booked, tuesday, &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();

  const std::vector<Notification> outbox = Outbox(booked.name());
  ASSERT_EQ(outbox.size(), 16u) << Describe(outbox);
  const std::vector<Notification> cancelled = InState(outbox, kCancelled);
  const std::vector<Notification> pending = InState(outbox, kPending);
  EXPECT_EQ(DedupeKeys(cancelled), old_keys) << Describe(outbox);
  ASSERT_EQ(pending.size(), 8u) << Describe(outbox);
  for (const std::string& key : DedupeKeys(pending)) EXPECT_EQ(old_keys.count(key), 0u) << key;
  std::multiset<std::string> due_times;
  for (const Notification& n : pending) {
    due_times.insert(InBerlin(n.due_time()));
    EXPECT_THAT(n.body(), ::testing::HasSubstr(LocalDateTime(tuesday)));
  }
  const std::multiset<std::string> expected = {
      InBerlin(At(monday_ - 6, 14)), InBerlin(At(monday_ - 6, 14)),
      InBerlin(At(monday_ - 2, 14)), InBerlin(At(monday_ - 2, 14)),
      InBerlin(At(monday_, 14)),     InBerlin(At(monday_, 14)),
      InBerlin(At(monday_ + 1, 12)), InBerlin(At(monday_ + 1, 12))};
  EXPECT_EQ(due_times, expected);
}

TEST_F(OutboxTest, ReschedulingBackRevivesTheOriginalRemindersWithoutCopies) {
  const absl::Time original = At(monday_, 10);
  const Appointment booked = MustBook(Draft(original));
  const std::vector<Notification> first = Outbox(booked.name());
  ASSERT_EQ(first.size(), 8u);
  std::map<std::string, std::string> first_due;
  for (const Notification& n : first) first_due[n.dedupe_key()] = InBerlin(n.due_time());

  Appointment moved;
  grpc::Status status = Reschedule(booked, At(monday_ + 2, 11), &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::set<std::string> moved_keys = DedupeKeys(Outbox(booked.name(), {kPending}));
  Appointment back;
  status = Reschedule(moved, original, &back);
  ASSERT_TRUE(status.ok()) << status.error_message();

  const std::vector<Notification> outbox = Outbox(booked.name());
  EXPECT_EQ(outbox.size(), 16u) << Describe(outbox);
  std::map<std::string, int> rows_per_key;
  for (const Notification& n : outbox) ++rows_per_key[n.dedupe_key()];
  for (const auto& [key, rows] : rows_per_key) EXPECT_EQ(rows, 1) << key;

  const std::vector<Notification> pending = InState(outbox, kPending);
  EXPECT_EQ(DedupeKeys(pending), DedupeKeys(first)) << Describe(outbox);
  for (const Notification& n : pending) {
    EXPECT_EQ(InBerlin(n.due_time()), first_due[n.dedupe_key()]) << n.dedupe_key();
  }
  for (const Notification& n : first) {
    bool same_row = false;
    for (const Notification& p : pending) same_row = same_row || p.name() == n.name();
    EXPECT_TRUE(same_row) << n.name() << " was copied, not revived";
  }
  EXPECT_EQ(DedupeKeys(InState(outbox, kCancelled)), moved_keys) << Describe(outbox);
}

TEST_F(OutboxTest, CancellingWithdrawsEveryPendingReminder) {
  const Appointment booked = MustBook(Draft(At(monday_, 10)));
  ASSERT_EQ(Outbox(booked.name(), {kPending}).size(), 8u);
  Appointment cancelled;
  grpc::Status status = Cancel(booked.name(), &cancelled);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::vector<Notification> outbox = Outbox(booked.name());
  EXPECT_EQ(outbox.size(), 8u) << Describe(outbox);
  EXPECT_EQ(InState(outbox, kCancelled).size(), 8u) << Describe(outbox);
  EXPECT_TRUE(Outbox("", {kPending}).empty()) << Describe(Outbox());
}

TEST_F(OutboxTest, CompletionCancelsRemindersAndQueuesAftercareOnTheProtocolsTimeline) {
  const absl::Time start = At(monday_, 10);
  const Appointment booked = MustBook(Draft(start));
  MustCheckInAndComplete(booked.name());

  const std::vector<Notification> outbox = Outbox(booked.name());
  const std::vector<Notification> reminders = OfKind(outbox, kReminder);
  EXPECT_EQ(reminders.size(), 8u) << Describe(outbox);
  EXPECT_EQ(InState(reminders, kCancelled).size(), reminders.size()) << Describe(outbox);

  // The plugin's aftercare offsets from the session's start.
  const std::map<std::string, absl::Time> expected_due = {
      {"aftercare_first_evening", At(monday_, 14)},
      {"aftercare_first_two_days", At(monday_ + 1, 10)},
      {"aftercare_flaking", At(monday_ + 3, 10)},
      {"aftercare_routine_resumes", At(monday_ + 5, 10)},
      {"aftercare_one_week", At(monday_ + 7, 10)},
      {"aftercare_results_and_next_session", At(monday_ + 28, 10)},
  };
  const auto aftercare_messages = Messages(/*aftercare=*/true);
  ASSERT_EQ(aftercare_messages.size(), expected_due.size());
  const std::vector<Notification> aftercare = OfKind(outbox, kAftercare);
  ASSERT_EQ(aftercare.size(), 2 * expected_due.size()) << Describe(outbox);
  EXPECT_EQ(DedupeKeys(aftercare).size(), aftercare.size());
  for (const auto& [id, due] : expected_due) {
    SCOPED_TRACE(id);
    ASSERT_EQ(aftercare_messages.count(id), 1u);
    const clinic::v1::TimedMessage& message = aftercare_messages.at(id);
    std::set<NotificationChannel> channels;
    for (const Notification& n : aftercare) {
      if (n.subject() != message.title()) continue;
      channels.insert(n.channel());
      EXPECT_EQ(n.state(), kPending);
      EXPECT_EQ(InBerlin(n.due_time()), InBerlin(due));
      EXPECT_EQ(n.patient(), patient_.name());
      EXPECT_THAT(n.body(), ::testing::HasSubstr(message.body()));
      if (n.channel() == kEmail) {
        EXPECT_THAT(n.body(), ::testing::HasSubstr("Hello Anna"));
      }
      EXPECT_THAT(n.body(), ::testing::HasSubstr(LocalDate(start)));
    }
    EXPECT_EQ(channels, (std::set<NotificationChannel>{kEmail, kSms}));
  }
}

TEST_F(OutboxTest, SameEveningAftercareFallingInQuietHoursComesBeforeThem) {
  // An evening session: four hours after 18:00 is 22:00, inside quiet hours.
  // The plugin marks it QUIET_HOURS_SHIFT_EARLIER: that evening, after the
  // session's start, rather than the next morning.
  const clinic::v1::Practitioner late =
      MakePractitioner(clinic_.name(), "Dr. Abend", {kMicroneedling}, 9, 21);
  Appointment draft = Draft(At(monday_, 18));
  draft.set_practitioner(late.name());
  const Appointment booked = MustBook(draft);
  MustCheckInAndComplete(booked.name());

  const std::string evening = Messages(true).at("aftercare_first_evening").title();
  const std::vector<Notification> aftercare = OfKind(Outbox(booked.name()), kAftercare);
  ASSERT_EQ(aftercare.size(), 12u) << Describe(aftercare);
  int moved = 0;
  for (const Notification& n : aftercare) {
    const absl::Time due = FromProto(n.due_time());
    EXPECT_FALSE(InQuietHours(due)) << n.subject() << " due " << InBerlin(due);
    EXPECT_GT(due, At(monday_, 18)) << n.subject();
    if (n.subject() != evening) continue;
    ++moved;
    EXPECT_EQ(InBerlin(due), InBerlin(At(monday_, 20, 59)));
  }
  EXPECT_EQ(moved, 2);
}

TEST_F(OutboxTest, PatientOptedInToNothingGetsNoNotificationsButIsBooked) {
  const clinic::v1::Patient silent = MakeReachablePatient("Nina", "Niemand", {});
  const Appointment booked = MustBook(Draft(At(monday_, 10), "", silent.name()));
  EXPECT_EQ(booked.state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
  EXPECT_TRUE(Outbox(booked.name()).empty()) << Describe(Outbox(booked.name()));
  EXPECT_TRUE(Outbox().empty()) << Describe(Outbox());
}

TEST_F(OutboxTest, PatientOptedInToEmailOnlyGetsOnlyEmail) {
  const clinic::v1::Patient mail_only = MakeReachablePatient("Erik", "Mailer", {kEmail});
  const Appointment booked = MustBook(Draft(At(monday_, 10), "", mail_only.name()));
  const std::vector<Notification> outbox = Outbox(booked.name());
  ASSERT_EQ(outbox.size(), 4u) << Describe(outbox);
  for (const Notification& n : outbox) {
    EXPECT_EQ(n.channel(), kEmail);
    EXPECT_EQ(n.recipient(), mail_only.email());
    EXPECT_EQ(n.patient(), mail_only.name());
    EXPECT_THAT(n.body(), ::testing::HasSubstr("Hello Erik"));
  }
}

TEST_F(OutboxTest, OptingOutAfterBookingSuppressesQueuedMessagesAtClaim) {
  // No quiet hours, so the past-due preparation messages are due now.
  SetQuietHours(false);
  const clinic::v1::Practitioner always =
      MakeAroundTheClockPractitioner(clinic_.name(), "Dr. Immer");
  Appointment draft = Draft(At(absl::ToCivilDay(Now(), Berlin()) + 2, 12));
  draft.set_practitioner(always.name());
  const Appointment booked = MustBook(draft);
  // A week and three days before are past: due at once on both channels.
  const absl::Time booked_at = Now();
  std::vector<Notification> due_now;
  for (const Notification& n : Outbox(booked.name())) {
    if (FromProto(n.due_time()) <= booked_at) due_now.push_back(n);
  }
  ASSERT_EQ(due_now.size(), 4u) << Describe(Outbox(booked.name()));

  patient_ = SetChannels(patient_, {{kEmail, false}, {kSms, true}});
  const std::string worker = server_.CreateKey("reminder_worker");
  const clinic::v1::ClaimNotificationsResponse claimed = ClaimAll(worker);
  ASSERT_EQ(claimed.notifications_size(), 2) << claimed.DebugString();
  for (const Notification& n : claimed.notifications()) {
    EXPECT_EQ(n.channel(), kSms);
    EXPECT_EQ(n.recipient(), patient_.phone_number());
  }
  for (const Notification& n : Outbox(booked.name())) {
    if (n.channel() == kSms) continue;
    if (FromProto(n.due_time()) <= booked_at) {
      EXPECT_EQ(n.state(), clinic::v1::NOTIFICATION_STATE_SUPPRESSED) << n.dedupe_key();
      EXPECT_FALSE(n.delivery_detail().empty());
    } else {
      // Not due yet: decided when it is claimed.
      EXPECT_EQ(n.state(), kPending) << n.dedupe_key();
    }
  }
  // Suppressed messages stay suppressed.
  EXPECT_EQ(ClaimAll(worker).notifications_size(), 0);
}

TEST_F(OutboxTest, AChangedAddressIsUsedWhenTheMessageIsClaimed) {
  SetQuietHours(false);
  const clinic::v1::Practitioner always =
      MakeAroundTheClockPractitioner(clinic_.name(), "Dr. Immer");
  Appointment draft = Draft(At(absl::ToCivilDay(Now(), Berlin()) + 2, 12));
  draft.set_practitioner(always.name());
  const Appointment booked = MustBook(draft);

  clinic::v1::UpdatePatientRequest update;
  *update.mutable_patient() = patient_;
  update.mutable_patient()->clear_etag();
  update.mutable_patient()->set_email("anna.neu@example.org");
  update.mutable_update_mask()->add_paths("email");
  grpc::Status status =
      patients_->UpdatePatient(AuthedContext(admin_key_).get(), update, &patient_);
  ASSERT_TRUE(status.ok()) << status.error_message();

  const clinic::v1::ClaimNotificationsResponse claimed =
      ClaimAll(server_.CreateKey("reminder_worker"));
  int emails = 0;
  for (const Notification& n : claimed.notifications()) {
    if (n.channel() != kEmail) continue;
    ++emails;
    EXPECT_EQ(n.recipient(), "anna.neu@example.org");
  }
  EXPECT_EQ(emails, 2) << claimed.DebugString();
}

TEST_F(OutboxTest, ConsentWithdrawalAlertsTheClinicNamingTheFlaggedAppointment) {
  const absl::Time start = At(monday_, 10);
  const Appointment booked = MustBook(Draft(start));
  auto consents = clinic::v1::ConsentService::NewStub(server_.channel());
  clinic::v1::ListConsentsRequest list;
  list.set_parent(patient_.name());
  clinic::v1::ListConsentsResponse listed;
  grpc::Status status = consents->ListConsents(AuthedContext(admin_key_).get(), list, &listed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(listed.consents_size(), 1);

  clinic::v1::WithdrawConsentRequest withdraw;
  withdraw.set_name(listed.consents(0).name());
  withdraw.set_reason("changed her mind");
  clinic::v1::Consent withdrawn;
  const absl::Time before = Now();
  status = consents->WithdrawConsent(AuthedContext(admin_key_).get(), withdraw, &withdrawn);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const absl::Time after = Now();

  const std::vector<Notification> alerts =
      OfKind(Outbox(), clinic::v1::NOTIFICATION_KIND_CLINIC_ALERT);
  ASSERT_EQ(alerts.size(), 1u) << Describe(Outbox());
  const Notification& alert = alerts[0];
  EXPECT_EQ(alert.channel(), kEmail);
  EXPECT_EQ(alert.recipient(), clinic_.email());
  EXPECT_EQ(alert.state(), kPending);
  EXPECT_TRUE(alert.patient().empty()) << alert.patient();
  EXPECT_EQ(alert.resource(), withdrawn.name());
  EXPECT_THAT(alert.subject(), ::testing::HasSubstr("1 appointment flagged"));
  EXPECT_THAT(alert.body(), ::testing::HasSubstr(booked.name()));
  EXPECT_THAT(alert.body(), ::testing::HasSubstr(LocalDateTime(start)));
  EXPECT_THAT(alert.body(), ::testing::HasSubstr(patient_.name()));
  EXPECT_THAT(alert.body(), ::testing::HasSubstr("changed her mind"));
  // Staff alerts go at once, whatever the patients' quiet hours.
  const absl::Time due = FromProto(alert.due_time());
  EXPECT_GE(due, before - absl::Seconds(1));
  EXPECT_LE(due, after + absl::Seconds(1));

  // Claimable at once, whatever the time of day; the reminders are weeks away.
  const clinic::v1::ClaimNotificationsResponse claimed =
      ClaimAll(server_.CreateKey("reminder_worker"));
  ASSERT_EQ(claimed.notifications_size(), 1) << claimed.DebugString();
  EXPECT_EQ(claimed.notifications(0).name(), alert.name());
  EXPECT_EQ(claimed.notifications(0).recipient(), clinic_.email());
  EXPECT_TRUE(claimed.notifications(0).patient().empty());

  clinic::v1::GetAppointmentRequest get;
  get.set_name(booked.name());
  Appointment flagged;
  ASSERT_TRUE(booking_->GetAppointment(AuthedContext(admin_key_).get(), get, &flagged).ok());
  EXPECT_TRUE(flagged.consent_withdrawn());

  // The feed tells integrations too.
  const std::string integration = server_.CreateKey("integration");
  std::unique_ptr<grpc::ClientContext> context = AuthedContext(integration);
  std::unique_ptr<grpc::ClientReader<clinic::v1::WatchEventsResponse>> reader =
      notifications_->WatchEvents(context.get(), clinic::v1::WatchEventsRequest());
  bool seen = false;
  clinic::v1::WatchEventsResponse response;
  while (!seen && reader->Read(&response)) {
    for (const clinic::v1::Event& event : response.events()) {
      if (event.kind() != clinic::v1::EVENT_KIND_CONSENT_WITHDRAWN) continue;
      seen = true;
      EXPECT_EQ(event.resource(), withdrawn.name());
      EXPECT_EQ(event.patient(), patient_.name());
    }
  }
  context->TryCancel();
  while (reader->Read(&response)) {
  }
  reader->Finish();
  EXPECT_TRUE(seen) << "no CONSENT_WITHDRAWN event in the feed";
}

TEST_F(OutboxTest, ListingPagesThroughTheOutboxByDueTime) {
  const Appointment booked = MustBook(Draft(At(monday_, 10)));
  MustCheckInAndComplete(booked.name());
  const std::vector<Notification> all = Outbox();
  ASSERT_EQ(all.size(), 20u) << "8 cancelled reminders and 12 aftercare messages";

  clinic::v1::ListNotificationsRequest request;
  request.set_parent(clinic_.name());
  request.set_page_size(3);
  std::vector<Notification> paged;
  int pages = 0;
  do {
    clinic::v1::ListNotificationsResponse page;
    grpc::Status status =
        notifications_->ListNotifications(AuthedContext(admin_key_).get(), request, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_LE(page.notifications_size(), 3);
    paged.insert(paged.end(), page.notifications().begin(), page.notifications().end());
    request.set_page_token(page.next_page_token());
    ASSERT_LT(++pages, 20) << "the pages do not end";
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 7);
  ASSERT_EQ(paged.size(), all.size());
  for (size_t i = 0; i < paged.size(); ++i) {
    EXPECT_EQ(paged[i].name(), all[i].name());
    if (i > 0) {
      EXPECT_GE(FromProto(paged[i].due_time()), FromProto(paged[i - 1].due_time()));
    }
  }

  // Filters: by state, by patient.
  EXPECT_EQ(Outbox("", {kCancelled}).size(), 8u);
  EXPECT_EQ(Outbox("", {kPending}).size(), 12u);
  clinic::v1::ListNotificationsRequest by_patient;
  by_patient.set_parent(clinic_.name());
  by_patient.set_patient(patient_.name());
  by_patient.set_page_size(100);
  clinic::v1::ListNotificationsResponse listed;
  ASSERT_TRUE(
      notifications_->ListNotifications(AuthedContext(admin_key_).get(), by_patient, &listed).ok());
  EXPECT_EQ(listed.notifications_size(), 20);
  by_patient.set_patient(MakeReachablePatient("Otto", "Anders").name());
  ASSERT_TRUE(
      notifications_->ListNotifications(AuthedContext(admin_key_).get(), by_patient, &listed).ok());
  EXPECT_EQ(listed.notifications_size(), 0);
}

}  // namespace
}  // namespace clinicd::testing
