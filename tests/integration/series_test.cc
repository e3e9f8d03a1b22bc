// FollowUpService series over a real clinicd (SQLite file, bundled plugins):
// planning by indication (6-8 sessions for scars, 3-6 otherwise) and the
// fields a refused plan names; session windows of 4-6 weeks re-planned from
// the actual date of each booked session (booked, moved, cancelled); the
// booking rules a series adds (SERIES_SPACING, SERIES_FULL, SERIES_CLOSED,
// another patient's series); the PLANNED -> ACTIVE -> COMPLETED life and
// cancellation; Get/List with pagination; PlanNextSession; the prompt to book
// the next session; and idempotent creation. Dates are Berlin wall-clock
// times computed from now, so nothing is ever booked in the past.

#include <google/protobuf/util/message_differencer.h>

#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/integration/course_test_base.h"
#include "tests/plugins/berlin_time.h"

namespace clinicd::testing {
namespace {

using clinic::v1::Appointment;
using clinic::v1::Notification;
using clinic::v1::PlanNextSessionResponse;
using clinic::v1::Series;
using clinic::v1::SeriesSession;
using google::protobuf::util::MessageDifferencer;
using plugins::test_time::At;
using plugins::test_time::Berlin;
using plugins::test_time::FromProto;
using plugins::test_time::InBerlin;
using plugins::test_time::ParseRfc3339;

// `time` moved by `days` calendar days in Berlin at the same local time of
// day (how the protocol's 28- and 42-day spacings count).
absl::Time PlusDays(absl::Time time, int days) {
  const absl::CivilSecond local = absl::ToCivilSecond(time, Berlin());
  const absl::Duration fraction = time - absl::FromUnixSeconds(absl::ToUnixSeconds(time));
  const absl::CivilDay day = absl::CivilDay(local) + days;
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), local.hour(),
                                           local.minute(), local.second()),
                         Berlin()) +
         fraction;
}

// A readable window, e.g. "2027-01-04 10:00:00 CET .. 2027-01-18 10:00:00 CET".
std::string Window(absl::Time start, absl::Time end) {
  return InBerlin(start) + " .. " + InBerlin(end);
}

std::string WindowOf(const SeriesSession& session) {
  return Window(FromProto(session.window_start_time()), FromProto(session.window_end_time()));
}

// The last `weekday` of `month` in `year`.
absl::CivilDay LastWeekdayOf(int year, int month, absl::Weekday weekday) {
  absl::CivilDay day = absl::CivilDay(absl::CivilMonth(year, month) + 1) - 1;
  while (absl::GetWeekday(day) != weekday) --day;
  return day;
}

class SeriesTest : public CourseTest {
 protected:
  // A series to plan for `patient` (the fixture's when empty).
  Series SeriesDraft(const std::string& indication, int planned_sessions = 0,
                     const std::string& patient = "") const {
    Series series;
    series.set_patient(patient.empty() ? patient_.name() : patient);
    series.set_treatment_type(kMicroneedling);
    series.set_indication(indication);
    series.set_planned_sessions(planned_sessions);
    return series;
  }

  grpc::Status CancelSeries(const std::string& name, const std::string& reason, Series* out,
                            const std::string& etag = "") {
    clinic::v1::CancelSeriesRequest request;
    request.set_name(name);
    request.set_reason(reason);
    request.set_etag(etag);
    return follow_up_->CancelSeries(AuthedContext(admin_key_).get(), request, out);
  }

  grpc::Status PlanNext(const std::string& series, int max_slots, PlanNextSessionResponse* out) {
    clinic::v1::PlanNextSessionRequest request;
    request.set_series(series);
    request.set_max_slots(max_slots);
    return follow_up_->PlanNextSession(AuthedContext(admin_key_).get(), request, out);
  }

  grpc::Status ListSeries(const std::string& patient, int page_size, const std::string& token,
                          clinic::v1::ListSeriesResponse* out) {
    clinic::v1::ListSeriesRequest request;
    request.set_parent(clinic_.name());
    request.set_patient(patient);
    request.set_page_size(page_size);
    request.set_page_token(token);
    return follow_up_->ListSeries(AuthedContext(admin_key_).get(), request, out);
  }

  // Books one session of `series` at 10:00 on each of `days` after monday_.
  std::vector<Appointment> MustBookSessions(const Series& series, const std::vector<int>& days) {
    std::vector<Appointment> booked;
    for (int day : days) booked.push_back(MustBook(Draft(At(monday_ + day, 10), series.name())));
    return booked;
  }
};

// ---- Planning by indication ------------------------------------------------

TEST_F(SeriesTest, ScarIndicationPlansSixByDefaultAndAllowsSixToEight) {
  const Series planned = MustCreateSeries("acne_scars");
  EXPECT_EQ(planned.planned_sessions(), 6);
  EXPECT_EQ(planned.sessions_size(), 6);
  for (int count : {6, 7, 8}) {
    const Series series = MustCreateSeries("acne_scars", count);
    EXPECT_EQ(series.planned_sessions(), count);
    EXPECT_EQ(series.sessions_size(), count);
  }
  for (int count : {5, 9, -1}) {
    Series out;
    grpc::Status status = CreateSeries(SeriesDraft("acne_scars", count), &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << count;
    EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"series.planned_sessions"})
        << count << ": " << status.error_message();
    EXPECT_NE(status.error_message().find("from 6 to 8"), std::string::npos)
        << status.error_message();
  }
}

TEST_F(SeriesTest, NonScarIndicationPlansThreeByDefaultAndAllowsThreeToSix) {
  for (const char* indication : {"melasma", "hyperpigmentation", "sun_damage", "enlarged_pores",
                                 "fine_lines_wrinkles", "skin_laxity", "hair_loss"}) {
    const Series series = MustCreateSeries(indication);
    EXPECT_EQ(series.planned_sessions(), 3) << indication;
    EXPECT_EQ(series.sessions_size(), 3) << indication;
  }
  for (int count : {3, 4, 5, 6}) {
    EXPECT_EQ(MustCreateSeries("melasma", count).sessions_size(), count);
  }
  for (int count : {2, 7}) {
    Series out;
    grpc::Status status = CreateSeries(SeriesDraft("melasma", count), &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << count;
    EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"series.planned_sessions"})
        << count << ": " << status.error_message();
    EXPECT_NE(status.error_message().find("from 3 to 6"), std::string::npos)
        << status.error_message();
  }
}

TEST_F(SeriesTest, UnknownIndicationTreatmentOrForeignPatientIsRefusedByField) {
  Series out;
  grpc::Status status = CreateSeries(SeriesDraft("freckles"), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"series.indication"})
      << status.error_message();
  // The refusal lists what the protocol offers.
  EXPECT_NE(status.error_message().find("acne_scars"), std::string::npos) << status.error_message();

  Series unknown_type = SeriesDraft("acne_scars");
  unknown_type.set_treatment_type("treatmentTypes/laser_resurfacing");
  status = CreateSeries(unknown_type, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"series.treatment_type"})
      << status.error_message();

  const clinic::v1::Clinic other = MakeClinic("Hautpraxis Nord");
  const clinic::v1::Patient stranger = MakePatient(other.name(), "Clara", "Vogel");
  status = CreateSeries(SeriesDraft("acne_scars", 0, stranger.name()), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"series.patient"}) << status.error_message();

  // A patient of this clinic that does not exist.
  status = CreateSeries(SeriesDraft("acne_scars", 0, clinic_.name() + "/patients/nobody"), &out);
  EXPECT_FALSE(status.ok());

  // Nothing was stored by any refusal.
  clinic::v1::ListSeriesResponse listed;
  ASSERT_TRUE(ListSeries("", 0, "", &listed).ok());
  EXPECT_EQ(listed.series_size(), 0);
}

TEST_F(SeriesTest, NewSeriesIsPlannedWithSessionOneOpenFromCreation) {
  const absl::Time before = Now();
  const Series series = MustCreateSeries("acne_scars");
  const absl::Time after = Now();

  EXPECT_EQ(series.name().rfind(clinic_.name() + "/series/", 0), 0u) << series.name();
  EXPECT_EQ(series.patient(), patient_.name());
  EXPECT_EQ(series.treatment_type(), kMicroneedling);
  EXPECT_EQ(series.indication(), "acne_scars");
  EXPECT_EQ(series.state(), clinic::v1::SERIES_STATE_PLANNED);
  EXPECT_TRUE(series.recall().empty());
  EXPECT_TRUE(series.cancel_reason().empty());
  EXPECT_FALSE(series.has_complete_time());
  const absl::Time created = FromProto(series.create_time());
  EXPECT_GE(created, absl::FromUnixMicros(absl::ToUnixMicros(before)));
  EXPECT_LE(created, after);

  ASSERT_EQ(series.sessions_size(), 6);
  for (int i = 0; i < series.sessions_size(); ++i) {
    const SeriesSession& session = series.sessions(i);
    EXPECT_EQ(session.number(), i + 1);
    EXPECT_TRUE(session.appointment().empty()) << i;
    EXPECT_EQ(session.appointment_state(), clinic::v1::APPOINTMENT_STATE_UNSPECIFIED) << i;
  }
  // Session 1 may start at once and within the longest spacing; each later
  // session 4 to 6 weeks after the earliest start of the one before.
  EXPECT_EQ(FromProto(series.sessions(0).window_start_time()), created);
  EXPECT_EQ(FromProto(series.sessions(0).window_end_time()), PlusDays(created, 42));
  for (int i = 1; i < series.sessions_size(); ++i) {
    EXPECT_EQ(WindowOf(series.sessions(i)),
              Window(PlusDays(created, 28 * i), PlusDays(created, 28 * (i - 1) + 42)))
        << "session " << i + 1;
  }
  // The stored series is what CreateSeries returned.
  EXPECT_TRUE(MessageDifferencer::Equals(GetSeries(series.name()), series));
}

// ---- Windows from the actual dates -------------------------------------------

TEST_F(SeriesTest, BookedFirstSessionSetsEveryLaterWindowFromItsDate) {
  const Series series = MustCreateSeries("acne_scars");
  const Appointment first = MustBook(Draft(At(monday_, 10), series.name()));
  EXPECT_EQ(first.series(), series.name());

  const Series planned = GetSeries(series.name());
  EXPECT_EQ(planned.state(), clinic::v1::SERIES_STATE_PLANNED);
  ASSERT_EQ(planned.sessions_size(), 6);
  EXPECT_EQ(planned.sessions(0).appointment(), first.name());
  EXPECT_EQ(planned.sessions(0).appointment_state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
  EXPECT_EQ(WindowOf(planned.sessions(0)), Window(At(monday_, 10), At(monday_, 10)));
  // Session 2: four to six weeks after session 1, same Berlin time of day.
  EXPECT_EQ(WindowOf(planned.sessions(1)), Window(At(monday_ + 28, 10), At(monday_ + 42, 10)));
  // Session 3 onwards: from the earliest start of the session before.
  for (int i = 2; i < planned.sessions_size(); ++i) {
    EXPECT_EQ(WindowOf(planned.sessions(i)),
              Window(At(monday_ + 28 * i, 10), At(monday_ + 28 * (i - 1) + 42, 10)))
        << "session " << i + 1;
    EXPECT_TRUE(planned.sessions(i).appointment().empty());
  }
}

TEST_F(SeriesTest, ReschedulingTheFirstSessionMovesEveryLaterWindow) {
  const Series series = MustCreateSeries("acne_scars");
  const Appointment first = MustBook(Draft(At(monday_, 10), series.name()));
  Appointment moved;
  grpc::Status status = Reschedule(first, At(monday_ + 7, 10), &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();

  const Series planned = GetSeries(series.name());
  ASSERT_EQ(planned.sessions_size(), 6);
  EXPECT_EQ(planned.sessions(0).appointment(), first.name());
  EXPECT_EQ(WindowOf(planned.sessions(0)), Window(At(monday_ + 7, 10), At(monday_ + 7, 10)));
  for (int i = 1; i < planned.sessions_size(); ++i) {
    EXPECT_EQ(WindowOf(planned.sessions(i)),
              Window(At(monday_ + 7 + 28 * i, 10), At(monday_ + 7 + 28 * (i - 1) + 42, 10)))
        << "session " << i + 1;
  }
}

TEST_F(SeriesTest, CancellingTheFirstSessionRestoresThePlanFromCreation) {
  const Series created = MustCreateSeries("acne_scars");
  const Appointment first = MustBook(Draft(At(monday_, 10), created.name()));
  Appointment cancelled;
  grpc::Status status = Cancel(first.name(), &cancelled);
  ASSERT_TRUE(status.ok()) << status.error_message();

  const Series planned = GetSeries(created.name());
  EXPECT_EQ(planned.state(), clinic::v1::SERIES_STATE_PLANNED);
  ASSERT_EQ(planned.sessions_size(), created.sessions_size());
  for (int i = 0; i < planned.sessions_size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(planned.sessions(i), created.sessions(i)))
        << "session " << i + 1 << ": " << planned.sessions(i).ShortDebugString() << " vs "
        << created.sessions(i).ShortDebugString();
  }
  // The freed session can be booked again.
  const Appointment again = MustBook(Draft(At(monday_ + 1, 10), created.name()));
  EXPECT_EQ(GetSeries(created.name()).sessions(0).appointment(), again.name());
}

// ---- Booking rules of a series ----------------------------------------------

TEST_F(SeriesTest, SessionBeforeItsWindowIsRefusedWithSeriesSpacing) {
  const Series series = MustCreateSeries("acne_scars");
  MustBook(Draft(At(monday_, 10), series.name()));
  const absl::Time opens = FromProto(GetSeries(series.name()).sessions(1).window_start_time());
  ASSERT_EQ(opens, At(monday_ + 28, 10));

  Appointment out;
  for (absl::Time early : {At(monday_ + 14, 10), At(monday_ + 28, 9, 45)}) {
    grpc::Status status = Book(Draft(early, series.name()), &out);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << InBerlin(early) << ": " << status.error_message();
    EXPECT_EQ(ReasonOf(status), "SERIES_SPACING");
    ASSERT_EQ(MetadataOf(status).count("earliest_time"), 1u);
    EXPECT_EQ(ParseRfc3339(MetadataOf(status).at("earliest_time")), opens)
        << MetadataOf(status).at("earliest_time");
  }
  // Exactly at the window's start is fine, and so is the end of the next
  // session's window (six weeks on); a day past it is SERIES_WINDOW_CLOSED.
  const Appointment second = MustBook(Draft(opens, series.name()));
  grpc::Status past = Book(Draft(At(monday_ + 28 + 43, 10), series.name()), &out);
  EXPECT_EQ(ReasonOf(past), "SERIES_WINDOW_CLOSED") << past.error_message();
  const Appointment late = MustBook(Draft(At(monday_ + 28 + 42, 10), series.name()));
  const Series planned = GetSeries(series.name());
  EXPECT_EQ(planned.sessions(1).appointment(), second.name());
  EXPECT_EQ(planned.sessions(2).appointment(), late.name());

  // Moving a booked session before its window is refused the same way.
  grpc::Status status = Reschedule(second, At(monday_ + 21, 10), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "SERIES_SPACING");
}

TEST_F(SeriesTest, AnotherPatientsOrClinicsSeriesIsRefused) {
  const clinic::v1::Patient berta = MakeReachablePatient("Berta", "Klein");
  const Series theirs = MustCreateSeries("melasma", 0, berta.name());

  Appointment out;
  grpc::Status status = Book(Draft(At(monday_, 10), theirs.name()), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"appointment.series"})
      << status.error_message();

  const clinic::v1::Clinic other = MakeClinic("Hautpraxis Nord");
  const std::string elsewhere =
      other.name() + "/series/" + theirs.name().substr(theirs.name().rfind('/') + 1);
  status = Book(Draft(At(monday_, 10), elsewhere), &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"appointment.series"})
      << status.error_message();

  EXPECT_TRUE(GetSeries(theirs.name()).sessions(0).appointment().empty());
}

TEST_F(SeriesTest, SeriesFullWhenEverySessionIsBooked) {
  const Series series = MustCreateSeries("melasma");
  ASSERT_EQ(series.planned_sessions(), 3);
  MustBookSessions(series, {0, 28, 56});

  Appointment out;
  grpc::Status status = Book(Draft(At(monday_ + 84, 10), series.name()), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "SERIES_FULL");
  EXPECT_EQ(MetadataOf(status)["series"], series.name());
  EXPECT_EQ(MetadataOf(status)["planned_sessions"], "3");
  // Without the series the same time is bookable.
  MustBook(Draft(At(monday_ + 84, 10)));
}

TEST_F(SeriesTest, CancelledSeriesIsClosedForBooking) {
  const Series series = MustCreateSeries("melasma");
  Series cancelled;
  ASSERT_TRUE(CancelSeries(series.name(), "patient chose another clinic", &cancelled).ok());

  Appointment out;
  grpc::Status status = Book(Draft(At(monday_, 10), series.name()), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "SERIES_CLOSED");
  EXPECT_EQ(MetadataOf(status)["series"], series.name());
  EXPECT_NE(status.error_message().find("cancelled"), std::string::npos) << status.error_message();
}

TEST_F(SeriesTest, CompletedSeriesIsClosedForBooking) {
  const Series series = MustCreateSeries("melasma");
  for (const Appointment& session : MustBookSessions(series, {0, 28, 56})) {
    MustCheckInAndComplete(session.name());
  }
  ASSERT_EQ(GetSeries(series.name()).state(), clinic::v1::SERIES_STATE_COMPLETED);

  Appointment out;
  grpc::Status status = Book(Draft(At(monday_ + 84, 10), series.name()), &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "SERIES_CLOSED");
  EXPECT_EQ(MetadataOf(status)["series"], series.name());
  EXPECT_NE(status.error_message().find("completed"), std::string::npos) << status.error_message();

  // Nor can it be cancelled any more.
  Series out_series;
  status = CancelSeries(series.name(), "too late", &out_series);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "INVALID_STATE_TRANSITION");
  EXPECT_EQ(MetadataOf(status)["from_state"], "SERIES_STATE_COMPLETED");
}

TEST_F(SeriesTest, CancelledSeriesKeepsItsBookedSessionsWhichStillMove) {
  const Series series = MustCreateSeries("melasma");
  const std::vector<Appointment> booked = MustBookSessions(series, {0, 28});
  Series cancelled;
  ASSERT_TRUE(CancelSeries(series.name(), "patient pregnant, pausing", &cancelled).ok());
  ASSERT_EQ(cancelled.state(), clinic::v1::SERIES_STATE_CANCELLED);

  // A booked session of a cancelled series may still move ...
  Appointment moved;
  grpc::Status status = Reschedule(booked[1], At(monday_ + 29, 10), &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(moved.series(), series.name());
  // ... and take place, but the series stays cancelled.
  MustCheckInAndComplete(booked[0].name());
  const Series now = GetSeries(series.name());
  EXPECT_EQ(now.state(), clinic::v1::SERIES_STATE_CANCELLED);
  EXPECT_EQ(now.cancel_reason(), "patient pregnant, pausing");
  EXPECT_EQ(now.sessions(0).appointment_state(), clinic::v1::APPOINTMENT_STATE_COMPLETED);
  EXPECT_EQ(InBerlin(now.sessions(1).window_start_time()), InBerlin(At(monday_ + 29, 10)));
  EXPECT_TRUE(Outbox(series.name()).empty()) << "no prompt for a cancelled series";
}

// ---- States -------------------------------------------------------------------

TEST_F(SeriesTest, CompletedSessionsMoveTheSeriesFromPlannedToActiveToCompleted) {
  const Series series = MustCreateSeries("melasma");
  const std::vector<Appointment> sessions = MustBookSessions(series, {0, 28, 56});
  Series now = GetSeries(series.name());
  EXPECT_EQ(now.state(), clinic::v1::SERIES_STATE_PLANNED) << "booked is not done";
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(now.sessions(i).appointment(), sessions[i].name());
    EXPECT_EQ(now.sessions(i).appointment_state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
  }

  MustCheckInAndComplete(sessions[0].name());
  EXPECT_TRUE(Outbox(series.name()).empty()) << "session 2 is booked: no prompt to book it";
  now = GetSeries(series.name());
  EXPECT_EQ(now.state(), clinic::v1::SERIES_STATE_ACTIVE);
  EXPECT_EQ(now.sessions(0).appointment_state(), clinic::v1::APPOINTMENT_STATE_COMPLETED);
  EXPECT_EQ(now.sessions(1).appointment_state(), clinic::v1::APPOINTMENT_STATE_BOOKED);
  EXPECT_FALSE(now.has_complete_time());

  MustCheckInAndComplete(sessions[1].name());
  now = GetSeries(series.name());
  EXPECT_EQ(now.state(), clinic::v1::SERIES_STATE_ACTIVE);
  EXPECT_TRUE(now.recall().empty());

  const Appointment last = MustCheckInAndComplete(sessions[2].name());
  EXPECT_EQ(last.state(), clinic::v1::APPOINTMENT_STATE_COMPLETED);
  now = GetSeries(series.name());
  EXPECT_EQ(now.state(), clinic::v1::SERIES_STATE_COMPLETED);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(now.sessions(i).appointment_state(), clinic::v1::APPOINTMENT_STATE_COMPLETED) << i;
  }
  // Completed when its last session took place (not when it was recorded).
  EXPECT_EQ(InBerlin(now.complete_time()), InBerlin(At(monday_ + 56, 10)));
  EXPECT_EQ(now.recall().rfind(clinic_.name() + "/recalls/", 0), 0u) << now.recall();
}

TEST_F(SeriesTest, GetAndListSeriesByPatientWithPagination) {
  const Series a = MustCreateSeries("acne_scars");
  const Series b = MustCreateSeries("melasma");
  const clinic::v1::Patient berta = MakeReachablePatient("Berta", "Klein");
  const Series c = MustCreateSeries("sun_damage", 0, berta.name());
  // A booking re-plans (re-stores) a series; it must stay in its lists.
  MustBook(Draft(At(monday_, 10), a.name()));

  clinic::v1::ListSeriesResponse listed;
  ASSERT_TRUE(ListSeries(patient_.name(), 0, "", &listed).ok());
  ASSERT_EQ(listed.series_size(), 2);
  EXPECT_EQ(listed.series(0).name(), a.name());
  EXPECT_EQ(listed.series(1).name(), b.name());
  EXPECT_TRUE(listed.next_page_token().empty());
  // Listed as stored, sessions included.
  EXPECT_TRUE(MessageDifferencer::Equals(listed.series(0), GetSeries(a.name())));

  ASSERT_TRUE(ListSeries(berta.name(), 0, "", &listed).ok());
  ASSERT_EQ(listed.series_size(), 1);
  EXPECT_EQ(listed.series(0).name(), c.name());

  // One at a time: every series exactly once, in creation order.
  std::vector<std::string> paged;
  std::string token;
  int pages = 0;
  do {
    ASSERT_TRUE(ListSeries("", 1, token, &listed).ok());
    ASSERT_LE(listed.series_size(), 1);
    for (const Series& series : listed.series()) paged.push_back(series.name());
    token = listed.next_page_token();
    ASSERT_LT(++pages, 10) << "pagination does not end";
  } while (!token.empty());
  EXPECT_EQ(paged, (std::vector<std::string>{a.name(), b.name(), c.name()}));

  // A patient of another clinic is no filter for this one.
  const clinic::v1::Clinic other = MakeClinic("Hautpraxis Nord");
  grpc::Status status =
      ListSeries(MakePatient(other.name(), "Clara", "Vogel").name(), 0, "", &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"patient"}) << status.error_message();

  clinic::v1::GetSeriesRequest get;
  get.set_name(clinic_.name() + "/series/does-not-exist");
  Series out;
  status = follow_up_->GetSeries(AuthedContext(admin_key_).get(), get, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
}

TEST_F(SeriesTest, CancelSeriesNeedsAReasonHappensOnceAndWithdrawsThePrompt) {
  const Series series = MustCreateSeries("melasma");
  const Appointment first = MustBook(Draft(At(monday_, 10), series.name()));
  MustCheckInAndComplete(first.name());
  std::vector<Notification> prompts = Outbox(series.name());
  ASSERT_EQ(prompts.size(), 2u);
  for (const Notification& prompt : prompts) {
    EXPECT_EQ(prompt.state(), clinic::v1::NOTIFICATION_STATE_PENDING);
  }

  Series out;
  grpc::Status status = CancelSeries(series.name(), " \n", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"reason"}) << status.error_message();
  EXPECT_EQ(GetSeries(series.name()).state(), clinic::v1::SERIES_STATE_ACTIVE);

  status = CancelSeries(series.name(), "patient moved to Hamburg", &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.state(), clinic::v1::SERIES_STATE_CANCELLED);
  EXPECT_EQ(out.cancel_reason(), "patient moved to Hamburg");
  const Series stored = GetSeries(series.name());
  EXPECT_EQ(stored.state(), clinic::v1::SERIES_STATE_CANCELLED);
  EXPECT_EQ(stored.cancel_reason(), "patient moved to Hamburg");

  prompts = Outbox(series.name());
  ASSERT_EQ(prompts.size(), 2u);
  for (const Notification& prompt : prompts) {
    EXPECT_EQ(prompt.kind(), clinic::v1::NOTIFICATION_KIND_NEXT_SESSION_PROMPT);
    EXPECT_EQ(prompt.state(), clinic::v1::NOTIFICATION_STATE_CANCELLED)
        << clinic::v1::NotificationChannel_Name(prompt.channel());
  }

  status = CancelSeries(series.name(), "asked again", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "INVALID_STATE_TRANSITION");
  EXPECT_EQ(MetadataOf(status)["from_state"], "SERIES_STATE_CANCELLED");
  EXPECT_EQ(GetSeries(series.name()).cancel_reason(), "patient moved to Hamburg");
}

TEST_F(SeriesTest, CancelSeriesWithAStaleEtagIsAborted) {
  const Series created = MustCreateSeries("melasma");
  MustBook(Draft(At(monday_, 10), created.name()));  // re-plans: a new etag
  const Series current = GetSeries(created.name());
  ASSERT_NE(current.etag(), created.etag());

  Series out;
  grpc::Status status = CancelSeries(created.name(), "duplicate", &out, created.etag());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "ETAG_MISMATCH");
  EXPECT_EQ(GetSeries(created.name()).state(), clinic::v1::SERIES_STATE_PLANNED);

  status = CancelSeries(created.name(), "duplicate", &out, current.etag());
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.state(), clinic::v1::SERIES_STATE_CANCELLED);
}

// ---- PlanNextSession ----------------------------------------------------------

TEST_F(SeriesTest, PlanNextSessionOffersSlotsInsideTheNextWindow) {
  const Series series = MustCreateSeries("acne_scars");
  const Appointment first = MustBook(Draft(At(monday_, 10), series.name()));
  const absl::Time opens = At(monday_ + 28, 10);
  const absl::Time closes = At(monday_ + 42, 10);

  for (int max_slots : {5, 0, 100}) {
    PlanNextSessionResponse plan;
    grpc::Status status = PlanNext(series.name(), max_slots, &plan);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(plan.session().number(), 2);
    EXPECT_TRUE(plan.session().appointment().empty());
    EXPECT_EQ(WindowOf(plan.session()), Window(opens, closes));
    // 0 asks for the default of 20; the two-week window has far more than
    // the most (100) free times.
    ASSERT_EQ(plan.slots_size(), max_slots == 0 ? 20 : max_slots);
    // The first free time is when the window opens (not earlier that day).
    EXPECT_EQ(InBerlin(plan.slots(0).start_time()), InBerlin(opens));
    for (const clinic::v1::Slot& slot : plan.slots()) {
      EXPECT_GE(FromProto(slot.start_time()), opens) << InBerlin(slot.start_time());
      EXPECT_LE(FromProto(slot.start_time()), closes) << InBerlin(slot.start_time());
      EXPECT_EQ(slot.practitioner(), practitioner_.name());
      EXPECT_EQ(slot.room(), room_.name());
    }
  }
  // The first slot offered books as session 2.
  PlanNextSessionResponse plan;
  ASSERT_TRUE(PlanNext(series.name(), 1, &plan).ok());
  ASSERT_EQ(plan.slots_size(), 1);
  const Appointment second = MustBook(Draft(FromProto(plan.slots(0).start_time()), series.name()));
  EXPECT_EQ(GetSeries(series.name()).sessions(1).appointment(), second.name());
  EXPECT_NE(second.name(), first.name());
}

TEST_F(SeriesTest, PlanNextSessionOffersSlotsForTheFirstSessionOfANewSeries) {
  const Series series = MustCreateSeries("melasma");
  const absl::Time opens = FromProto(series.sessions(0).window_start_time());
  const absl::Time closes = FromProto(series.sessions(0).window_end_time());

  PlanNextSessionResponse plan;
  grpc::Status status = PlanNext(series.name(), 10, &plan);
  // Session 1's window is six weeks long (42 days).
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(plan.session().number(), 1);
  ASSERT_EQ(plan.slots_size(), 10);
  for (const clinic::v1::Slot& slot : plan.slots()) {
    EXPECT_GE(FromProto(slot.start_time()), opens) << InBerlin(slot.start_time());
    EXPECT_LE(FromProto(slot.start_time()), closes) << InBerlin(slot.start_time());
  }
}

TEST_F(SeriesTest, PlanNextSessionRefusesBadMaxSlotsAndSeriesWithoutANextSession) {
  const Series series = MustCreateSeries("melasma");
  PlanNextSessionResponse plan;
  for (int max_slots : {-1, 101}) {
    grpc::Status status = PlanNext(series.name(), max_slots, &plan);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << max_slots;
    EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"max_slots"})
        << max_slots << ": " << status.error_message();
  }

  MustBookSessions(series, {0, 28, 56});
  grpc::Status status = PlanNext(series.name(), 0, &plan);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "SERIES_FULLY_BOOKED");

  const Series other = MustCreateSeries("sun_damage");
  Series cancelled;
  ASSERT_TRUE(CancelSeries(other.name(), "changed her mind", &cancelled).ok());
  status = PlanNext(other.name(), 0, &plan);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "SERIES_CLOSED");
}

// ---- Next-session prompt ------------------------------------------------------

TEST_F(SeriesTest, CompletedSessionPromptsForTheNextAWeekBeforeItsWindowOpens) {
  const Series series = MustCreateSeries("melasma");
  const Appointment first = MustBook(Draft(At(monday_, 10), series.name()));
  EXPECT_TRUE(Outbox(series.name()).empty()) << "no prompt while a session is only booked";
  MustCheckInAndComplete(first.name());

  std::vector<Notification> prompts = Outbox(series.name());
  ASSERT_EQ(prompts.size(), 2u) << "one per opted-in channel (e-mail and SMS)";
  std::set<clinic::v1::NotificationChannel> channels;
  for (const Notification& prompt : prompts) {
    channels.insert(prompt.channel());
    EXPECT_EQ(prompt.kind(), clinic::v1::NOTIFICATION_KIND_NEXT_SESSION_PROMPT);
    EXPECT_EQ(prompt.state(), clinic::v1::NOTIFICATION_STATE_PENDING);
    EXPECT_EQ(prompt.patient(), patient_.name());
    EXPECT_EQ(prompt.resource(), series.name());
    EXPECT_EQ(prompt.subject(), "Time to book session 2 of your Microneedling course");
    // Session 2's window opens on monday_ + 28 at 10:00; a week before.
    EXPECT_EQ(InBerlin(prompt.due_time()), InBerlin(At(monday_ + 21, 10)));
  }
  EXPECT_EQ(channels,
            (std::set<clinic::v1::NotificationChannel>{clinic::v1::NOTIFICATION_CHANNEL_EMAIL,
                                                       clinic::v1::NOTIFICATION_CHANNEL_SMS}));

  // Booking session 2 withdraws the prompt ...
  const Appointment second = MustBook(Draft(At(monday_ + 30, 10), series.name()));
  prompts = Outbox(series.name());
  ASSERT_EQ(prompts.size(), 2u);
  for (const Notification& prompt : prompts) {
    EXPECT_EQ(prompt.state(), clinic::v1::NOTIFICATION_STATE_CANCELLED);
  }
  // ... and cancelling that booking brings it back.
  Appointment cancelled;
  ASSERT_TRUE(Cancel(second.name(), &cancelled).ok());
  prompts = Outbox(series.name());
  ASSERT_EQ(prompts.size(), 2u);
  for (const Notification& prompt : prompts) {
    EXPECT_EQ(prompt.state(), clinic::v1::NOTIFICATION_STATE_PENDING);
    EXPECT_EQ(InBerlin(prompt.due_time()), InBerlin(At(monday_ + 21, 10)));
  }
}

TEST_F(SeriesTest, PromptGoesOnlyToTheChannelsThePatientOptedInTo) {
  const clinic::v1::Patient carla =
      MakeReachablePatient("Carla", "Roth", {clinic::v1::NOTIFICATION_CHANNEL_SMS});
  ClearForMicroneedling(carla.name());
  const Series series = MustCreateSeries("melasma", 0, carla.name());
  MustCheckInAndComplete(MustBook(Draft(At(monday_, 10), series.name(), carla.name())).name());

  const std::vector<Notification> prompts = Outbox(series.name());
  ASSERT_EQ(prompts.size(), 1u);
  EXPECT_EQ(prompts[0].channel(), clinic::v1::NOTIFICATION_CHANNEL_SMS);
  EXPECT_EQ(prompts[0].recipient(), carla.phone_number());
  EXPECT_EQ(prompts[0].patient(), carla.name());
}

TEST_F(SeriesTest, PromptDueInQuietHoursWaitsUntilTheyEnd) {
  // A practitioner who starts at 07:00, inside the clinic's quiet hours.
  const clinic::v1::Practitioner early =
      MakePractitioner(clinic_.name(), "Dr. Frueh", {kMicroneedling}, 7, 15);
  const Series series = MustCreateSeries("melasma");
  Appointment draft = Draft(At(monday_, 7, 30), series.name());
  draft.set_practitioner(early.name());
  MustCheckInAndComplete(MustBook(draft).name());

  const std::vector<Notification> prompts = Outbox(series.name());
  ASSERT_EQ(prompts.size(), 2u);
  for (const Notification& prompt : prompts) {
    // A week before 07:30 on monday_ + 28 is quiet; sent when quiet hours end.
    EXPECT_EQ(InBerlin(prompt.due_time()), InBerlin(At(monday_ + 21, 8)));
  }
}

TEST_F(SeriesTest, PromptLeadIsSevenCalendarDaysAcrossAClockChange) {
  // Session 2's window opens on the Monday after the spring clock change, so
  // the week before it spans the change: the prompt keeps 10:00 local time.
  absl::CivilDay window_monday;
  for (int year = static_cast<int>(absl::ToCivilYear(Now(), Berlin()).year());; ++year) {
    window_monday = LastWeekdayOf(year, 3, absl::Weekday::sunday) + 1;
    if (At(window_monday - 28, 10) > Now() + absl::Hours(24)) break;
  }
  const Series series = MustCreateSeries("melasma");
  MustCheckInAndComplete(MustBook(Draft(At(window_monday - 28, 10), series.name())).name());
  ASSERT_EQ(InBerlin(GetSeries(series.name()).sessions(1).window_start_time()),
            InBerlin(At(window_monday, 10)));

  const std::vector<Notification> prompts = Outbox(series.name());
  ASSERT_EQ(prompts.size(), 2u);
  for (const Notification& prompt : prompts) {
    EXPECT_EQ(InBerlin(prompt.due_time()), InBerlin(At(window_monday - 7, 10)));
  }
}

// ---- Idempotency ----------------------------------------------------------------

TEST_F(SeriesTest, CreateSeriesIsIdempotentByRequestId) {
  clinic::v1::CreateSeriesRequest request;
  request.set_parent(clinic_.name());
  *request.mutable_series() = SeriesDraft("acne_scars", 7);
  request.set_request_id("3b1f6c9e-series-anna");
  Series first;
  grpc::Status status = follow_up_->CreateSeries(AuthedContext(admin_key_).get(), request, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  Series second;
  status = follow_up_->CreateSeries(AuthedContext(admin_key_).get(), request, &second);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(MessageDifferencer::Equals(first, second)) << first.ShortDebugString() << "\nvs\n"
                                                         << second.ShortDebugString();

  clinic::v1::ListSeriesResponse listed;
  ASSERT_TRUE(ListSeries("", 0, "", &listed).ok());
  ASSERT_EQ(listed.series_size(), 1);
  EXPECT_EQ(listed.series(0).name(), first.name());

  // The same id with a different series is a client error, not a new series.
  request.mutable_series()->set_planned_sessions(8);
  status = follow_up_->CreateSeries(AuthedContext(admin_key_).get(), request, &second);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(BadFieldsOf(status), std::set<std::string>{"request_id"}) << status.error_message();
  ASSERT_TRUE(ListSeries("", 0, "", &listed).ok());
  EXPECT_EQ(listed.series_size(), 1);
}

}  // namespace
}  // namespace clinicd::testing
