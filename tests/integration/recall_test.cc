// Maintenance recalls over a real clinicd (SQLite file, the bundled
// microneedling and maintenance_recall plugins): completing a series' last
// session creates a recall due 6 calendar months later and lapsing at 12,
// with notices at 6 months, 9 months and 11 months 14 days (Berlin local
// time, out of quiet hours); the next booking of the treatment satisfies it
// and cancelling that booking re-opens it; the list views, filters and
// pagination; snoozing and dismissing with their limits; and clinic-limited
// keys. Dates are computed from now in Berlin, so nothing is booked in the
// past.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/integration/course_test_base.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::testing {
namespace {

using clinic::v1::Appointment;
using clinic::v1::Notification;
using clinic::v1::NotificationChannel;
using clinic::v1::Recall;
using clinic::v1::Series;
using plugins::test_time::At;
using plugins::test_time::Berlin;
using plugins::test_time::FromProto;
using plugins::test_time::InBerlin;

// `time` moved by `months`, then `days`, on Berlin's calendar at the same
// local time of day; a day the month lacks becomes its last day.
absl::Time CalendarAdd(absl::Time time, int months, int days) {
  const absl::CivilSecond local = absl::ToCivilSecond(time, Berlin());
  const absl::CivilMonth month = absl::CivilMonth(local) + months;
  const int last_day = (absl::CivilDay(month + 1) - 1).day();
  const absl::CivilDay day =
      absl::CivilDay(month.year(), month.month(), std::min<int>(local.day(), last_day)) + days;
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), local.hour(),
                                           local.minute(), local.second()),
                         Berlin());
}

// The first time at or after `time` outside the fixture clinic's quiet hours
// (21:00 to 08:00 in Berlin).
absl::Time OutsideQuietHours(absl::Time time) {
  const absl::CivilSecond local = absl::ToCivilSecond(time, Berlin());
  if (local.hour() >= 21) return At(absl::CivilDay(local) + 1, 8);
  if (local.hour() < 8) return At(absl::CivilDay(local), 8);
  return time;
}

// One notice of the maintenance_recall plugin: its subject and its offset
// from the series' completion.
struct Notice {
  const char* subject;
  int months;
  int days;
};
constexpr Notice kNotices[] = {
    {"It's time for your maintenance session", 6, 0},
    {"A friendly reminder about your maintenance session", 9, 0},
    {"Last reminder: book your maintenance session soon", 11, 14},
};

// The notifications among `all` with `subject`, by channel.
std::map<NotificationChannel, Notification> WithSubject(const std::vector<Notification>& all,
                                                        const std::string& subject) {
  std::map<NotificationChannel, Notification> found;
  for (const Notification& notification : all) {
    if (notification.subject() == subject) {
      EXPECT_TRUE(found.emplace(notification.channel(), notification).second)
          << "twice on one channel: " << subject;
    }
  }
  return found;
}

// The channels the fixture's patients opted in to.
std::set<NotificationChannel> OptedIn() {
  return {clinic::v1::NOTIFICATION_CHANNEL_EMAIL, clinic::v1::NOTIFICATION_CHANNEL_SMS};
}

std::set<NotificationChannel> ChannelsOf(const std::map<NotificationChannel, Notification>& map) {
  std::set<NotificationChannel> channels;
  for (const auto& [channel, notification] : map) channels.insert(channel);
  return channels;
}

std::string ClinicIdOf(const clinic::v1::Clinic& clinic) {
  return clinic.name().substr(clinic.name().find('/') + 1);
}

class RecallTest : public CourseTest {
 protected:
  // Sessions at `hour`:00 on monday_, four and eight weeks later, for
  // `patient` (the fixture's when empty).
  std::vector<Appointment> CourseDrafts(int hour = 10, const std::string& patient = "") const {
    return {Draft(At(monday_, hour), "", patient), Draft(At(monday_ + 28, hour), "", patient),
            Draft(At(monday_ + 56, hour), "", patient)};
  }

  // Plans a three-session melasma series for `patient` (the fixture's when
  // empty), books `drafts` as its sessions, checks in and completes each in
  // turn, and returns the series as it is then.
  Series CompleteCourse(std::vector<Appointment> drafts, const std::string& patient = "") {
    return CompleteCourses({{std::move(drafts), patient}}).front();
  }

  // The same for several patients' courses side by side: every session is
  // booked first, then the clock walks through them in time order.
  std::vector<Series> CompleteCourses(
      std::vector<std::pair<std::vector<Appointment>, std::string>> courses) {
    std::vector<Series> series;
    std::vector<Appointment> booked;
    for (auto& [drafts, patient] : courses) {
      series.push_back(MustCreateSeries("melasma", 0, patient));
      EXPECT_EQ(series.back().planned_sessions(), static_cast<int>(drafts.size()));
      for (Appointment& draft : drafts) {
        draft.set_series(series.back().name());
        booked.push_back(MustBook(draft));
      }
    }
    std::sort(booked.begin(), booked.end(), [](const Appointment& a, const Appointment& b) {
      return a.start_time().seconds() < b.start_time().seconds();
    });
    for (const Appointment& session : booked) MustCheckInAndComplete(session.name());
    for (Series& s : series) s = GetSeries(s.name());
    return series;
  }

  // 10:00 on the first weekday on or after `recall` is due: a maintenance
  // session the fixture's practitioner can take.
  absl::Time MaintenanceSlot(const Recall& recall) const {
    absl::CivilDay day = absl::ToCivilDay(FromProto(recall.due_time()), Berlin());
    while (absl::GetWeekday(day) == absl::Weekday::saturday ||
           absl::GetWeekday(day) == absl::Weekday::sunday) {
      ++day;
    }
    return std::max(At(day, 10), FromProto(recall.due_time()));
  }

  // The clinic's one recall; fails the test when there is not exactly one.
  Recall OnlyRecall() {
    const std::vector<Recall> recalls = Recalls(clinic::v1::RECALL_VIEW_UNSPECIFIED);
    EXPECT_EQ(recalls.size(), 1u);
    return recalls.empty() ? Recall() : recalls.front();
  }

  grpc::Status ListRecalls(clinic::v1::RecallView view, const std::string& patient, int page_size,
                           const std::string& token, clinic::v1::ListRecallsResponse* out,
                           const std::string& key = "") {
    clinic::v1::ListRecallsRequest request;
    request.set_parent(clinic_.name());
    request.set_view(view);
    request.set_patient(patient);
    request.set_page_size(page_size);
    request.set_page_token(token);
    return follow_up_->ListRecalls(AuthedContext(key.empty() ? admin_key_ : key).get(), request,
                                   out);
  }

  grpc::Status Snooze(const std::string& name, absl::Duration snooze, Recall* out,
                      const std::string& key = "") {
    clinic::v1::SnoozeRecallRequest request;
    request.set_name(name);
    const int64_t micros = absl::ToInt64Microseconds(snooze);
    request.mutable_snooze()->set_seconds(micros / 1000000);
    request.mutable_snooze()->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
    return follow_up_->SnoozeRecall(AuthedContext(key.empty() ? admin_key_ : key).get(), request,
                                    out);
  }

  grpc::Status Dismiss(const std::string& name, const std::string& reason, Recall* out,
                       const std::string& key = "") {
    clinic::v1::DismissRecallRequest request;
    request.set_name(name);
    request.set_reason(reason);
    return follow_up_->DismissRecall(AuthedContext(key.empty() ? admin_key_ : key).get(), request,
                                     out);
  }

  // Expects every notice of `recall` on both opted-in channels in `state`.
  void ExpectNoticesIn(const Recall& recall, clinic::v1::NotificationState state) {
    const std::vector<Notification> notices = Outbox(recall.name());
    EXPECT_EQ(notices.size(), 6u);
    for (const Notification& notice : notices) {
      EXPECT_EQ(notice.state(), state)
          << notice.subject() << " on " << clinic::v1::NotificationChannel_Name(notice.channel())
          << ": " << clinic::v1::NotificationState_Name(notice.state());
    }
  }
};

// ---- Creation at series completion --------------------------------------------

TEST_F(RecallTest, CompletingTheLastSessionCreatesAnUpcomingRecall) {
  const Series planned = MustCreateSeries("melasma");
  std::vector<Appointment> sessions;
  for (const Appointment& draft : CourseDrafts()) {
    Appointment session = draft;
    session.set_series(planned.name());
    sessions.push_back(MustBook(session));
  }
  MustCheckInAndComplete(sessions[0].name());
  MustCheckInAndComplete(sessions[1].name());
  EXPECT_TRUE(Recalls(clinic::v1::RECALL_VIEW_UNSPECIFIED).empty()) << "the course is not over";

  MustCheckInAndComplete(sessions[2].name());
  const Series series = GetSeries(planned.name());
  ASSERT_EQ(series.state(), clinic::v1::SERIES_STATE_COMPLETED);
  ASSERT_FALSE(series.recall().empty());

  const Recall recall = OnlyRecall();
  const absl::Time last = At(monday_ + 56, 10);
  EXPECT_EQ(recall.name(), series.recall());
  EXPECT_EQ(recall.name().rfind(clinic_.name() + "/recalls/", 0), 0u) << recall.name();
  EXPECT_EQ(recall.patient(), patient_.name());
  EXPECT_EQ(recall.series(), series.name());
  EXPECT_EQ(recall.treatment_type(), kMicroneedling);
  EXPECT_EQ(recall.state(), clinic::v1::RECALL_STATE_UPCOMING);
  // Six and twelve calendar months after the last session, same local time.
  EXPECT_EQ(InBerlin(recall.due_time()), InBerlin(CalendarAdd(last, 6, 0)));
  EXPECT_EQ(InBerlin(recall.lapse_time()), InBerlin(CalendarAdd(last, 12, 0)));
  EXPECT_TRUE(recall.appointment().empty());
  EXPECT_TRUE(recall.dismiss_reason().empty());
  EXPECT_FALSE(recall.has_snooze_until_time());
  EXPECT_TRUE(recall.has_create_time());
}

TEST_F(RecallTest, NoticesAreQueuedAtSixNineAndElevenAndAHalfMonths) {
  const Series series = CompleteCourse(CourseDrafts());
  const Recall recall = OnlyRecall();
  const absl::Time last = At(monday_ + 56, 10);

  const std::vector<Notification> notices = Outbox(recall.name());
  ASSERT_EQ(notices.size(), 6u) << "three notices on each of two channels";
  for (const Notice& expected : kNotices) {
    const auto sent = WithSubject(notices, expected.subject);
    ASSERT_EQ(ChannelsOf(sent), OptedIn()) << expected.subject;
    for (const auto& [channel, notice] : sent) {
      EXPECT_EQ(notice.kind(), clinic::v1::NOTIFICATION_KIND_RECALL);
      EXPECT_EQ(notice.state(), clinic::v1::NOTIFICATION_STATE_PENDING);
      EXPECT_EQ(notice.resource(), recall.name());
      EXPECT_EQ(notice.patient(), patient_.name());
      EXPECT_EQ(InBerlin(notice.due_time()),
                InBerlin(CalendarAdd(last, expected.months, expected.days)))
          << expected.subject;
      // The body names when the course ended (on every channel, however
      // each one renders the rest).
      const std::string completed_on = absl::StrCat(absl::FormatTime("%A ", last, Berlin()),
                                                    absl::ToCivilDay(last, Berlin()).day(),
                                                    absl::FormatTime(" %B %Y", last, Berlin()));
      EXPECT_NE(
          notice.body().find("You completed your course of Microneedling on " + completed_on + "."),
          std::string::npos)
          << notice.body();
    }
    const Notification& email = sent.at(clinic::v1::NOTIFICATION_CHANNEL_EMAIL);
    EXPECT_EQ(email.body().rfind("Hello Anna,", 0), 0u) << email.body();
    EXPECT_EQ(email.recipient(), patient_.email());
    EXPECT_EQ(sent.at(clinic::v1::NOTIFICATION_CHANNEL_SMS).recipient(), patient_.phone_number());
  }
  EXPECT_EQ(series.recall(), recall.name());
}

TEST_F(RecallTest, NoticesDueInQuietHoursWaitUntilTheyEnd) {
  // The last session at 07:30, inside quiet hours, with a practitioner who
  // starts at 07:00 (a day later than usual, to keep four weeks' spacing).
  const clinic::v1::Practitioner early =
      MakePractitioner(clinic_.name(), "Dr. Frueh", {kMicroneedling}, 7, 15);
  std::vector<Appointment> drafts = CourseDrafts();
  drafts[2] = Draft(At(monday_ + 57, 7, 30));
  drafts[2].set_practitioner(early.name());
  CompleteCourse(drafts);
  const Recall recall = OnlyRecall();
  const absl::Time last = At(monday_ + 57, 7, 30);

  // The recall's window keeps the session's time of day ...
  EXPECT_EQ(InBerlin(recall.due_time()), InBerlin(CalendarAdd(last, 6, 0)));
  // ... its messages go out when quiet hours end, at 08:00.
  const std::vector<Notification> notices = Outbox(recall.name());
  ASSERT_EQ(notices.size(), 6u);
  for (const Notice& expected : kNotices) {
    const absl::Time due = CalendarAdd(last, expected.months, expected.days);
    ASSERT_EQ(OutsideQuietHours(due), At(absl::ToCivilDay(due, Berlin()), 8));
    for (const auto& [channel, notice] : WithSubject(notices, expected.subject)) {
      EXPECT_EQ(InBerlin(notice.due_time()), InBerlin(OutsideQuietHours(due))) << expected.subject;
    }
  }
}

TEST_F(RecallTest, DueDateOnADayTheMonthLacksIsItsLastDay) {
  // The course ends on a weekday the 31st whose month six later has 30 days
  // or fewer (e.g. 31 March -> 30 September).
  absl::CivilDay end = absl::ToCivilDay(Now(), Berlin()) + 60;
  while (end.day() != 31 || absl::GetWeekday(end) == absl::Weekday::saturday ||
         absl::GetWeekday(end) == absl::Weekday::sunday ||
         (absl::CivilDay(absl::CivilMonth(end) + 7) - 1).day() == 31) {
    ++end;
  }
  CompleteCourse({Draft(At(end - 56, 10)), Draft(At(end - 28, 10)), Draft(At(end, 10))});
  const Recall recall = OnlyRecall();
  const absl::CivilMonth due_month = absl::CivilMonth(end) + 6;
  const absl::CivilDay last_of_month = absl::CivilDay(due_month + 1) - 1;
  EXPECT_EQ(InBerlin(recall.due_time()), InBerlin(At(last_of_month, 10)));
  EXPECT_EQ(InBerlin(recall.lapse_time()),
            InBerlin(At(absl::CivilDay(end.year() + 1, end.month(), end.day()), 10)));
  const std::vector<Notification> notices = Outbox(recall.name());
  for (const Notice& expected : kNotices) {
    for (const auto& [channel, notice] : WithSubject(notices, expected.subject)) {
      EXPECT_EQ(InBerlin(notice.due_time()),
                InBerlin(CalendarAdd(At(end, 10), expected.months, expected.days)))
          << expected.subject;
    }
  }
  // The first notice, like the due time, on the month's last day.
  const auto first = WithSubject(notices, kNotices[0].subject);
  ASSERT_EQ(ChannelsOf(first), OptedIn());
  for (const auto& [channel, notice] : first) {
    EXPECT_EQ(InBerlin(notice.due_time()), InBerlin(At(last_of_month, 10)));
  }
}

// ---- Satisfied by a booking, re-opened by its cancellation ------------------

TEST_F(RecallTest, BookingTheTreatmentSatisfiesTheRecallAndCancellingItReopens) {
  CompleteCourse(CourseDrafts());
  const Recall open = OnlyRecall();
  const std::vector<Notification> queued = Outbox(open.name());

  // Another patient's booking is not this patient's maintenance session.
  const clinic::v1::Patient berta = MakeReachablePatient("Berta", "Klein");
  ClearForMicroneedling(berta.name());
  MustBook(Draft(At(monday_ + 84, 13), "", berta.name()));
  EXPECT_EQ(OnlyRecall().state(), clinic::v1::RECALL_STATE_UPCOMING);

  const Appointment maintenance = MustBook(Draft(MaintenanceSlot(open)));
  Recall recall = OnlyRecall();
  EXPECT_EQ(recall.name(), open.name());
  EXPECT_EQ(recall.state(), clinic::v1::RECALL_STATE_SATISFIED);
  EXPECT_EQ(recall.appointment(), maintenance.name());
  EXPECT_TRUE(Recalls(clinic::v1::RECALL_VIEW_UPCOMING).empty());
  ExpectNoticesIn(open, clinic::v1::NOTIFICATION_STATE_CANCELLED);

  Appointment cancelled;
  grpc::Status status = Cancel(maintenance.name(), &cancelled);
  ASSERT_TRUE(status.ok()) << status.error_message();
  recall = OnlyRecall();
  EXPECT_EQ(recall.state(), clinic::v1::RECALL_STATE_UPCOMING);
  EXPECT_TRUE(recall.appointment().empty()) << recall.appointment();
  EXPECT_EQ(recall.due_time().seconds(), open.due_time().seconds());
  EXPECT_EQ(Recalls(clinic::v1::RECALL_VIEW_UPCOMING).size(), 1u);
  ExpectNoticesIn(open, clinic::v1::NOTIFICATION_STATE_PENDING);
  // The same notices at the same times, not copies.
  const std::vector<Notification> revived = Outbox(open.name());
  ASSERT_EQ(revived.size(), queued.size());
  for (size_t i = 0; i < revived.size(); ++i) {
    EXPECT_EQ(revived[i].name(), queued[i].name());
    EXPECT_EQ(InBerlin(revived[i].due_time()), InBerlin(queued[i].due_time()));
  }
}

TEST_F(RecallTest, MaintenanceSessionBookedBeforeTheCourseEndsSatisfiesTheRecall) {
  // The front desk books the maintenance visit while the course is running.
  const Series planned = MustCreateSeries("melasma");
  std::vector<Appointment> sessions;
  for (Appointment draft : CourseDrafts()) {
    draft.set_series(planned.name());
    sessions.push_back(MustBook(draft));
  }
  const Appointment maintenance = MustBook(Draft(At(monday_ + 56 + 7 * 26, 10)));
  for (const Appointment& session : sessions) MustCheckInAndComplete(session.name());

  const Recall recall = OnlyRecall();
  EXPECT_EQ(recall.state(), clinic::v1::RECALL_STATE_SATISFIED)
      << clinic::v1::RecallState_Name(recall.state());
  EXPECT_EQ(recall.appointment(), maintenance.name());
  // The patient is not asked to book what is already booked.
  for (const Notification& notice : Outbox(recall.name())) {
    EXPECT_NE(notice.state(), clinic::v1::NOTIFICATION_STATE_PENDING)
        << notice.subject() << " on " << clinic::v1::NotificationChannel_Name(notice.channel());
  }
}

// ---- Views, filters, pagination -------------------------------------------------

TEST_F(RecallTest, ViewsFilterAndPaginateRecalls) {
  const clinic::v1::Patient berta = MakeReachablePatient("Berta", "Klein");
  ClearForMicroneedling(berta.name());
  CompleteCourses({{CourseDrafts(10), ""}, {CourseDrafts(13, berta.name()), berta.name()}});

  const std::vector<Recall> all = Recalls(clinic::v1::RECALL_VIEW_UNSPECIFIED);
  ASSERT_EQ(all.size(), 2u);
  // By due time: Anna's course ended at 10:00, Berta's at 13:00 that day.
  EXPECT_EQ(all[0].patient(), patient_.name());
  EXPECT_EQ(all[1].patient(), berta.name());
  EXPECT_EQ(InBerlin(all[1].due_time()), InBerlin(CalendarAdd(At(monday_ + 56, 13), 6, 0)));

  // Months ahead: upcoming, neither due nor lapsed.
  EXPECT_EQ(Recalls(clinic::v1::RECALL_VIEW_UPCOMING).size(), 2u);
  EXPECT_TRUE(Recalls(clinic::v1::RECALL_VIEW_DUE).empty());
  EXPECT_TRUE(Recalls(clinic::v1::RECALL_VIEW_LAPSED).empty());

  clinic::v1::ListRecallsResponse page;
  ASSERT_TRUE(ListRecalls(clinic::v1::RECALL_VIEW_UNSPECIFIED, berta.name(), 0, "", &page).ok());
  ASSERT_EQ(page.recalls_size(), 1);
  EXPECT_EQ(page.recalls(0).name(), all[1].name());
  ASSERT_TRUE(ListRecalls(clinic::v1::RECALL_VIEW_UPCOMING, patient_.name(), 0, "", &page).ok());
  ASSERT_EQ(page.recalls_size(), 1);
  EXPECT_EQ(page.recalls(0).name(), all[0].name());

  // One per page, each exactly once.
  ASSERT_TRUE(ListRecalls(clinic::v1::RECALL_VIEW_UPCOMING, "", 1, "", &page).ok());
  ASSERT_EQ(page.recalls_size(), 1);
  EXPECT_EQ(page.recalls(0).name(), all[0].name());
  ASSERT_FALSE(page.next_page_token().empty());
  const std::string token = page.next_page_token();
  ASSERT_TRUE(ListRecalls(clinic::v1::RECALL_VIEW_UPCOMING, "", 1, token, &page).ok());
  ASSERT_EQ(page.recalls_size(), 1);
  EXPECT_EQ(page.recalls(0).name(), all[1].name());
  EXPECT_TRUE(page.next_page_token().empty());

  // A token only continues the query it came from.
  grpc::Status status = ListRecalls(clinic::v1::RECALL_VIEW_DUE, "", 1, token, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
}

TEST_F(RecallTest, ListRecallsRefusesAnInvalidViewPageSizeOrPatient) {
  clinic::v1::ListRecallsResponse page;
  grpc::Status status = ListRecalls(static_cast<clinic::v1::RecallView>(7), "", 0, "", &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"view"}) << status.error_message();

  status = ListRecalls(clinic::v1::RECALL_VIEW_UNSPECIFIED, "", -1, "", &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"page_size"}) << status.error_message();

  const clinic::v1::Clinic other = MakeClinic("Hautpraxis Nord");
  status = ListRecalls(clinic::v1::RECALL_VIEW_UNSPECIFIED,
                       MakePatient(other.name(), "Clara", "Vogel").name(), 0, "", &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"patient"}) << status.error_message();
}

// ---- Snooze ------------------------------------------------------------------------

TEST_F(RecallTest, SnoozeMustBePositiveAndAtMost366Days) {
  CompleteCourse(CourseDrafts());
  const Recall recall = OnlyRecall();
  Recall out;
  for (absl::Duration snooze :
       {absl::ZeroDuration(), -absl::Hours(24), absl::Hours(24 * 366) + absl::Seconds(1)}) {
    grpc::Status status = Snooze(recall.name(), snooze, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << absl::FormatDuration(snooze);
    EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"snooze"})
        << absl::FormatDuration(snooze) << ": " << status.error_message();
  }
  EXPECT_FALSE(OnlyRecall().has_snooze_until_time());
  ExpectNoticesIn(recall, clinic::v1::NOTIFICATION_STATE_PENDING);

  grpc::Status status = Snooze(recall.name(), absl::Hours(24 * 366), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(out.has_snooze_until_time());
}

TEST_F(RecallTest, SnoozeHoldsTheNoticesDueBeforeItEnds) {
  CompleteCourse(CourseDrafts());
  const Recall recall = OnlyRecall();
  const absl::Time last = At(monday_ + 56, 10);
  const absl::Time due_first = CalendarAdd(last, 6, 0);

  // Five months from the course's end (now) end before the first notice:
  // nothing is held yet.
  constexpr absl::Duration kFiveMonths = absl::Hours(24 * 150);
  Recall out;
  grpc::Status status = Snooze(recall.name(), kFiveMonths, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.state(), clinic::v1::RECALL_STATE_UPCOMING);
  ASSERT_TRUE(out.has_snooze_until_time());
  ASSERT_LT(FromProto(out.snooze_until_time()), due_first);
  for (const Notice& expected : kNotices) {
    for (const auto& [channel, notice] : WithSubject(Outbox(recall.name()), expected.subject)) {
      EXPECT_EQ(InBerlin(notice.due_time()),
                InBerlin(CalendarAdd(last, expected.months, expected.days)));
    }
  }

  // 240 days end after the six-month notice and before the nine-month one.
  constexpr absl::Duration kSnooze = absl::Hours(24 * 240);
  const absl::Time before = Now();
  status = Snooze(recall.name(), kSnooze, &out);
  const absl::Time after = Now();
  ASSERT_TRUE(status.ok()) << status.error_message();
  const absl::Time until = FromProto(out.snooze_until_time());
  // now + snooze, moved out of quiet hours.
  EXPECT_GE(until, OutsideQuietHours(before + kSnooze - absl::Microseconds(1)));
  EXPECT_LE(until, OutsideQuietHours(after + kSnooze));
  const int hour = absl::ToCivilHour(until, Berlin()).hour();
  EXPECT_TRUE(hour >= 8 && hour < 21) << InBerlin(until);
  EXPECT_EQ(out.state(), clinic::v1::RECALL_STATE_UPCOMING);
  EXPECT_EQ(FromProto(OnlyRecall().snooze_until_time()), until);

  const std::vector<Notification> notices = Outbox(recall.name());
  ASSERT_EQ(notices.size(), 6u);
  for (const Notice& expected : kNotices) {
    const absl::Time planned = CalendarAdd(last, expected.months, expected.days);
    const auto sent = WithSubject(notices, expected.subject);
    EXPECT_EQ(ChannelsOf(sent), OptedIn());
    for (const auto& [channel, notice] : sent) {
      EXPECT_EQ(notice.state(), clinic::v1::NOTIFICATION_STATE_PENDING);
      EXPECT_EQ(InBerlin(notice.due_time()), InBerlin(planned < until ? until : planned))
          << expected.subject;
    }
  }
  ASSERT_LT(due_first, until) << "the six-month notice must be held";
  ASSERT_GT(CalendarAdd(last, 9, 0), until) << "the nine-month notice must not be";
}

TEST_F(RecallTest, AShorterSnoozeBringsHeldNoticesBackToTheirPlannedTimes) {
  CompleteCourse(CourseDrafts());
  const Recall recall = OnlyRecall();
  const absl::Time last = At(monday_ + 56, 10);
  Recall out;
  ASSERT_TRUE(Snooze(recall.name(), absl::Hours(24 * 240), &out).ok());
  // Five months end before every notice's planned time: none is held now.
  grpc::Status status = Snooze(recall.name(), absl::Hours(24 * 150), &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  for (const Notice& expected : kNotices) {
    for (const auto& [channel, notice] : WithSubject(Outbox(recall.name()), expected.subject)) {
      EXPECT_EQ(InBerlin(notice.due_time()),
                InBerlin(CalendarAdd(last, expected.months, expected.days)))
          << expected.subject;
    }
  }
}

// ---- Dismiss ------------------------------------------------------------------------

TEST_F(RecallTest, DismissNeedsAReasonCancelsTheNoticesAndIsFinal) {
  CompleteCourse(CourseDrafts());
  const Recall recall = OnlyRecall();

  Recall out;
  grpc::Status status = Dismiss(recall.name(), "  ", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"reason"}) << status.error_message();
  EXPECT_EQ(OnlyRecall().state(), clinic::v1::RECALL_STATE_UPCOMING);
  ExpectNoticesIn(recall, clinic::v1::NOTIFICATION_STATE_PENDING);

  status = Dismiss(recall.name(), "patient moved abroad", &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.state(), clinic::v1::RECALL_STATE_DISMISSED);
  EXPECT_EQ(out.dismiss_reason(), "patient moved abroad");
  const Recall stored = OnlyRecall();
  EXPECT_EQ(stored.state(), clinic::v1::RECALL_STATE_DISMISSED);
  EXPECT_EQ(stored.dismiss_reason(), "patient moved abroad");
  EXPECT_TRUE(Recalls(clinic::v1::RECALL_VIEW_UPCOMING).empty());
  ExpectNoticesIn(recall, clinic::v1::NOTIFICATION_STATE_CANCELLED);

  status = Dismiss(recall.name(), "again", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "INVALID_STATE_TRANSITION");
  EXPECT_EQ(MetadataOf(status)["from_state"], "RECALL_STATE_DISMISSED");
  status = Snooze(recall.name(), absl::Hours(24 * 30), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "INVALID_STATE_TRANSITION");
  EXPECT_EQ(OnlyRecall().dismiss_reason(), "patient moved abroad");

  // A later booking and its cancellation leave a dismissed recall alone.
  const Appointment booked = MustBook(Draft(At(monday_ + 84, 10)));
  Appointment cancelled;
  ASSERT_TRUE(Cancel(booked.name(), &cancelled).ok());
  EXPECT_EQ(OnlyRecall().state(), clinic::v1::RECALL_STATE_DISMISSED);
  ExpectNoticesIn(recall, clinic::v1::NOTIFICATION_STATE_CANCELLED);
}

TEST_F(RecallTest, SatisfiedRecallCannotBeSnoozedOrDismissed) {
  CompleteCourse(CourseDrafts());
  const Recall recall = OnlyRecall();
  MustBook(Draft(MaintenanceSlot(recall)));
  ASSERT_EQ(OnlyRecall().state(), clinic::v1::RECALL_STATE_SATISFIED);

  Recall out;
  grpc::Status status = Snooze(recall.name(), absl::Hours(24 * 30), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(MetadataOf(status)["from_state"], "RECALL_STATE_SATISFIED");
  status = Dismiss(recall.name(), "booked anyway", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(MetadataOf(status)["from_state"], "RECALL_STATE_SATISFIED");
  EXPECT_EQ(OnlyRecall().state(), clinic::v1::RECALL_STATE_SATISFIED);
}

// ---- Keys limited to a clinic --------------------------------------------------

TEST_F(RecallTest, KeyLimitedToAnotherClinicCannotSeeOrChangeTheRecalls) {
  const Series series = CompleteCourse(CourseDrafts());
  const Recall recall = OnlyRecall();
  const clinic::v1::Clinic other = MakeClinic("Hautpraxis Nord");
  const std::string outsider = server_.CreateKey("front_desk", ClinicIdOf(other));
  const std::string insider = server_.CreateKey("front_desk", ClinicIdOf(clinic_));
  ASSERT_FALSE(outsider.empty());
  ASSERT_FALSE(insider.empty());

  clinic::v1::ListRecallsResponse page;
  grpc::Status status =
      ListRecalls(clinic::v1::RECALL_VIEW_UNSPECIFIED, "", 0, "", &page, outsider);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  EXPECT_EQ(page.recalls_size(), 0);

  clinic::v1::GetSeriesRequest get;
  get.set_name(series.name());
  Series seen;
  status = follow_up_->GetSeries(AuthedContext(outsider).get(), get, &seen);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();

  Recall out;
  status = Snooze(recall.name(), absl::Hours(24 * 30), &out, outsider);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  status = Dismiss(recall.name(), "not my patient", &out, outsider);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  const Recall unchanged = OnlyRecall();
  EXPECT_EQ(unchanged.state(), clinic::v1::RECALL_STATE_UPCOMING);
  EXPECT_FALSE(unchanged.has_snooze_until_time());

  // A key for this clinic sees it.
  status = ListRecalls(clinic::v1::RECALL_VIEW_UNSPECIFIED, "", 0, "", &page, insider);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(page.recalls_size(), 1);
  EXPECT_EQ(page.recalls(0).name(), recall.name());
}

}  // namespace
}  // namespace clinicd::testing
