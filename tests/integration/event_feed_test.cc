// The event feed integrations follow (NotificationService.WatchEvents) on a
// real server: every kind of appointment, consent and series change appears
// once, in commit order, with its resource and patient; a client that
// reconnects after any cursor continues with exactly the next event; a
// change made while a stream is open arrives on it within seconds; and a
// key or parent limited to one clinic never shows another clinic's events;
// on PostgreSQL, a stream open on a second clinicd sharing the database
// delivers what the first commits. Every stream is read with a deadline, so
// no test can hang.

#include <gmock/gmock.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/integration/course_test_base.h"
#include "tests/plugins/berlin_time.h"
#include "tests/testing/fresh_database.h"

namespace clinicd::testing {
namespace {

using clinic::v1::Appointment;
using clinic::v1::Event;
using clinic::v1::EventKind;
using clinic::v1::WatchEventsRequest;
using clinic::v1::WatchEventsResponse;
using plugins::test_time::At;
using plugins::test_time::FromProto;
using plugins::test_time::InUtc;

// An event a test expects, by what it says.
struct Expected {
  EventKind kind;
  std::string resource;
  std::string patient;
};

// What a stream delivered before the test left it.
struct Watched {
  std::vector<Event> events;
  // The stream's status when it ended on its own (an error, or the
  // deadline); OK when the test left it after enough events.
  grpc::Status status;
};

WatchEventsRequest Request(const std::string& parent = "", const std::string& after = "") {
  WatchEventsRequest request;
  request.set_parent(parent);
  request.set_after_cursor(after);
  return request;
}

// The feed position a cursor names: the digits it ends with. Cursors are
// opaque to clients; the tests read the position only to check the order.
int64_t Position(const std::string& cursor) {
  const size_t digits = cursor.find_last_not_of("0123456789") + 1;
  if (digits >= cursor.size()) {
    ADD_FAILURE() << "cursor " << cursor << " does not end in a position";
    return -1;
  }
  return std::stoll(cursor.substr(digits));
}

std::vector<std::string> Cursors(const std::vector<Event>& events) {
  std::vector<std::string> cursors;
  for (const Event& e : events) cursors.push_back(e.cursor());
  return cursors;
}

std::string Describe(const std::vector<Event>& events) {
  std::string out;
  for (const Event& e : events) {
    out += e.cursor() + " " + clinic::v1::EventKind_Name(e.kind()) + " " + e.resource() + " " +
           e.patient() + "\n";
  }
  return out;
}

void ExpectEvents(const std::vector<Event>& events, const std::vector<Expected>& expected) {
  ASSERT_EQ(events.size(), expected.size()) << Describe(events);
  for (size_t i = 0; i < events.size(); ++i) {
    SCOPED_TRACE("event " + std::to_string(i) + ":\n" + Describe(events));
    EXPECT_EQ(clinic::v1::EventKind_Name(events[i].kind()),
              clinic::v1::EventKind_Name(expected[i].kind));
    EXPECT_EQ(events[i].resource(), expected[i].resource);
    EXPECT_EQ(events[i].patient(), expected[i].patient);
  }
}

// A WatchEvents stream read on a thread of its own while the test goes on;
// cancelled (if still open) when it goes out of scope.
class OpenStream final {
 public:
  // Opens the feed from the beginning with `key`; the stream ends by itself
  // after `deadline`.
  OpenStream(clinic::v1::NotificationService::Stub* stub, const std::string& key,
             absl::Duration deadline)
      : context_(AuthedContext(key)) {
    context_->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    reader_ = stub->WatchEvents(context_.get(), Request());
    reading_ = std::thread([this] { Read(); });
  }
  ~OpenStream() { Close(); }
  OpenStream(const OpenStream&) = delete;
  OpenStream& operator=(const OpenStream&) = delete;

  // Waits up to `timeout` until the stream holds at least `count` events;
  // false when it did not, or ended first.
  bool WaitFor(size_t count, absl::Duration timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    arrived_.wait_until(lock, absl::ToChronoTime(absl::Now() + timeout),
                        [&] { return events_.size() >= count || ended_; });
    return events_.size() >= count;
  }

  // Cancels the stream and returns how it ended (CANCELLED when it was still
  // open).
  grpc::Status Close() {
    if (reading_.joinable()) {
      context_->TryCancel();
      reading_.join();
    }
    return ended_with_;
  }

  // Everything delivered so far.
  std::vector<Event> events() {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }

 private:
  void Read() {
    WatchEventsResponse response;
    while (reader_->Read(&response)) {
      std::lock_guard<std::mutex> lock(mu_);
      events_.insert(events_.end(), response.events().begin(), response.events().end());
      arrived_.notify_all();
    }
    grpc::Status status = reader_->Finish();
    std::lock_guard<std::mutex> lock(mu_);
    ended_ = true;
    ended_with_ = status;
    arrived_.notify_all();
  }

  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReader<WatchEventsResponse>> reader_;
  std::thread reading_;
  std::mutex mu_;
  std::condition_variable arrived_;
  std::vector<Event> events_;
  bool ended_ = false;
  grpc::Status ended_with_;
};

class EventFeedTest : public CourseTest {
 protected:
  void SetUp() override {
    CourseTest::SetUp();
    if (HasFatalFailure()) return;
    integration_key_ = server_.CreateKey("integration");
    ASSERT_FALSE(integration_key_.empty());
    consents_ = clinic::v1::ConsentService::NewStub(server_.channel());
    clinic::v1::ListConsentsRequest list;
    list.set_parent(patient_.name());
    clinic::v1::ListConsentsResponse listed;
    grpc::Status status = consents_->ListConsents(AuthedContext(admin_key_).get(), list, &listed);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(listed.consents_size(), 1);
    consent_ = listed.consents(0).name();
    prelude_ = Consultation(patient_.name());
    prelude_.push_back({clinic::v1::EVENT_KIND_CONSENT_SIGNED, consent_, patient_.name()});
  }

  // The events of `patient`'s consultation, made when the patient was created.
  std::vector<Expected> Consultation(const std::string& patient) {
    const std::string visit = consulted_[patient];
    EXPECT_FALSE(visit.empty()) << patient << " had no consultation";
    return {{clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED, visit, patient},
            {clinic::v1::EVENT_KIND_APPOINTMENT_CHECKED_IN, visit, patient},
            {clinic::v1::EVENT_KIND_APPOINTMENT_COMPLETED, visit, patient}};
  }

  // `a` followed by `b`.
  static std::vector<Expected> Then(std::vector<Expected> a, const std::vector<Expected>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  // Reads the feed with `key` until at least `count` events arrived (then
  // leaves the stream) or `timeout` passed.
  Watched Watch(const std::string& key, const WatchEventsRequest& request, size_t count,
                absl::Duration timeout = absl::Seconds(15)) {
    Watched watched;
    std::unique_ptr<grpc::ClientContext> context = AuthedContext(key);
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    std::unique_ptr<grpc::ClientReader<WatchEventsResponse>> reader =
        notifications_->WatchEvents(context.get(), request);
    WatchEventsResponse response;
    while (watched.events.size() < count && reader->Read(&response)) {
      EXPECT_GT(response.events_size(), 0) << "an empty batch";
      watched.events.insert(watched.events.end(), response.events().begin(),
                            response.events().end());
    }
    const bool left = watched.events.size() >= count;
    if (left) context->TryCancel();
    while (reader->Read(&response)) {
    }
    const grpc::Status status = reader->Finish();
    if (!left) watched.status = status;
    return watched;
  }

  // The events from the beginning; fails the test unless exactly `count`
  // arrived.
  std::vector<Event> History(size_t count, const std::string& parent = "") {
    Watched watched = Watch(integration_key_, Request(parent), count);
    EXPECT_EQ(watched.events.size(), count)
        << watched.status.error_message() << "\n"
        << Describe(watched.events);
    return watched.events;
  }

  Appointment Complete(const Appointment& appointment) {
    return MustCheckInAndComplete(appointment.name());
  }

  // Books, moves, checks in and completes the first session of a course of
  // three, and books and cancels another patient's appointment.
  std::vector<Expected> FirstHalf() {
    std::vector<Expected> expected;
    series_ = MustCreateSeries("melasma", 3);
    const Appointment first = MustBook(Draft(At(monday_, 10), series_.name()));
    expected.push_back({clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED, first.name(), patient_.name()});
    Appointment moved;
    grpc::Status status = Reschedule(first, At(monday_, 11), &moved);
    EXPECT_TRUE(status.ok()) << status.error_message();
    expected.push_back(
        {clinic::v1::EVENT_KIND_APPOINTMENT_RESCHEDULED, first.name(), patient_.name()});
    Complete(moved);
    expected.push_back(
        {clinic::v1::EVENT_KIND_APPOINTMENT_CHECKED_IN, first.name(), patient_.name()});
    expected.push_back(
        {clinic::v1::EVENT_KIND_APPOINTMENT_COMPLETED, first.name(), patient_.name()});

    const clinic::v1::Patient other = MakeReachablePatient("Otto", "Anders");
    for (const Expected& e : Consultation(other.name())) expected.push_back(e);
    const Appointment theirs = MustBook(Draft(At(monday_ + 1, 10), "", other.name()));
    expected.push_back({clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED, theirs.name(), other.name()});
    Appointment cancelled;
    status = Cancel(theirs.name(), &cancelled);
    EXPECT_TRUE(status.ok()) << status.error_message();
    expected.push_back(
        {clinic::v1::EVENT_KIND_APPOINTMENT_CANCELLED, theirs.name(), other.name()});
    return expected;
  }

  // Completes the course's other two sessions, then the patient withdraws
  // their consent.
  std::vector<Expected> SecondHalf() {
    std::vector<Expected> expected;
    for (int weeks : {4, 8}) {
      const Appointment session = MustBook(Draft(At(monday_ + 7 * weeks, 11), series_.name()));
      expected.push_back(
          {clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED, session.name(), patient_.name()});
      Complete(session);
      expected.push_back(
          {clinic::v1::EVENT_KIND_APPOINTMENT_CHECKED_IN, session.name(), patient_.name()});
      expected.push_back(
          {clinic::v1::EVENT_KIND_APPOINTMENT_COMPLETED, session.name(), patient_.name()});
    }
    EXPECT_EQ(GetSeries(series_.name()).state(), clinic::v1::SERIES_STATE_COMPLETED);
    expected.push_back({clinic::v1::EVENT_KIND_SERIES_COMPLETED, series_.name(), patient_.name()});

    clinic::v1::WithdrawConsentRequest withdraw;
    withdraw.set_name(consent_);
    withdraw.set_reason("moving abroad");
    clinic::v1::Consent withdrawn;
    grpc::Status status =
        consents_->WithdrawConsent(AuthedContext(admin_key_).get(), withdraw, &withdrawn);
    EXPECT_TRUE(status.ok()) << status.error_message();
    expected.push_back({clinic::v1::EVENT_KIND_CONSENT_WITHDRAWN, consent_, patient_.name()});
    return expected;
  }

  std::string integration_key_;
  std::unique_ptr<clinic::v1::ConsentService::Stub> consents_;
  // The fixture patient's consent, signed in SetUp.
  std::string consent_;
  // What the feed holds after SetUp: the fixture patient's consultation and consent.
  std::vector<Expected> prelude_;
  clinic::v1::Series series_;
};

TEST_F(EventFeedTest, FromTheBeginningEveryChangeInCommitOrder) {
  const absl::Time began = Now();
  std::vector<Expected> expected = prelude_;
  for (const Expected& e : FirstHalf()) expected.push_back(e);
  for (const Expected& e : SecondHalf()) expected.push_back(e);
  const absl::Time ended = Now();

  const std::vector<Event> events = History(expected.size());
  ExpectEvents(events, expected);
  for (size_t i = 0; i < events.size(); ++i) {
    const absl::Time time = FromProto(events[i].event_time());
    // The prelude happened in SetUp, before `began`.
    if (i >= prelude_.size()) {
      EXPECT_GE(time, began - absl::Seconds(1)) << InUtc(time);
    }
    EXPECT_LE(time, ended + absl::Seconds(1)) << InUtc(time);
    if (i == 0) continue;
    EXPECT_GT(Position(events[i].cursor()), Position(events[i - 1].cursor()))
        << Describe(events);
    EXPECT_GE(time, FromProto(events[i - 1].event_time())) << Describe(events);
  }
  // Nothing after the last one.
  const Watched rest = Watch(integration_key_, Request("", events.back().cursor()), 1,
                             absl::Seconds(1));
  EXPECT_TRUE(rest.events.empty()) << Describe(rest.events);
  EXPECT_EQ(rest.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << rest.status.error_message();
}

TEST_F(EventFeedTest, ResumingAfterACursorContinuesWithExactlyTheNextEvent) {
  const size_t first_half = prelude_.size() + FirstHalf().size();
  const std::vector<Event> before = History(first_half);
  ASSERT_EQ(before.size(), first_half);

  // A client reads K events, leaves, and comes back after more changes.
  constexpr size_t kRead = 3;
  Watched partial = Watch(integration_key_, Request(), kRead);
  ASSERT_GE(partial.events.size(), kRead);
  partial.events.resize(kRead);
  const std::vector<std::string> before_cursors = Cursors(before);
  EXPECT_EQ(Cursors(partial.events),
            std::vector<std::string>(before_cursors.begin(), before_cursors.begin() + kRead));
  const size_t total = first_half + SecondHalf().size();

  const Watched resumed =
      Watch(integration_key_, Request("", partial.events.back().cursor()), total - kRead);
  ASSERT_EQ(resumed.events.size(), total - kRead) << resumed.status.error_message();
  EXPECT_EQ(resumed.events.front().cursor(), before[kRead].cursor());
  std::vector<std::string> stitched = Cursors(partial.events);
  for (const std::string& cursor : Cursors(resumed.events)) stitched.push_back(cursor);
  const std::vector<Event> all = History(total);
  const std::vector<std::string> all_cursors = Cursors(all);
  EXPECT_EQ(stitched, all_cursors) << "gaps or duplicates:\n" << Describe(all);
  EXPECT_EQ(std::set<std::string>(stitched.begin(), stitched.end()).size(), stitched.size());

  // After every cursor, the rest of the feed exactly.
  for (size_t i = 0; i + 1 < all.size(); ++i) {
    const Watched rest =
        Watch(integration_key_, Request("", all[i].cursor()), all.size() - i - 1);
    EXPECT_EQ(Cursors(rest.events),
              std::vector<std::string>(all_cursors.begin() + i + 1, all_cursors.end()))
        << "after " << all[i].cursor();
  }
}

TEST_F(EventFeedTest, AChangeMadeWhileTheStreamIsOpenArrivesWithinSeconds) {
  std::mutex mu;
  std::condition_variable arrived;
  std::vector<Event> events;
  bool ended = false;
  grpc::Status ended_with;
  std::unique_ptr<grpc::ClientContext> context = AuthedContext(integration_key_);
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  std::unique_ptr<grpc::ClientReader<WatchEventsResponse>> reader =
      notifications_->WatchEvents(context.get(), Request());
  std::thread watcher([&] {
    WatchEventsResponse response;
    while (reader->Read(&response)) {
      std::lock_guard<std::mutex> lock(mu);
      events.insert(events.end(), response.events().begin(), response.events().end());
      arrived.notify_all();
    }
    grpc::Status status = reader->Finish();
    std::lock_guard<std::mutex> lock(mu);
    ended = true;
    ended_with = status;
    arrived.notify_all();
  });
  // Waits until the stream holds `count` events; false on timeout or end.
  auto wait_for = [&](size_t count) {
    std::unique_lock<std::mutex> lock(mu);
    return arrived.wait_until(lock, absl::ToChronoTime(absl::Now() + absl::Seconds(10)),
                              [&] { return events.size() >= count || ended; }) &&
           events.size() >= count;
  };

  const size_t backlog = prelude_.size();
  EXPECT_TRUE(wait_for(backlog)) << "the backlog (the fixture's consultation and consent) did not arrive";
  absl::Time sent = absl::Now();
  const Appointment booked = MustBook(Draft(At(monday_, 10)));
  EXPECT_TRUE(wait_for(backlog + 1)) << "the booking did not arrive within 10 s";
  absl::Duration latency = absl::Now() - sent;
  EXPECT_LT(latency, absl::Seconds(5)) << "booking took " << latency << " to arrive";

  sent = absl::Now();
  Appointment cancelled;
  grpc::Status status = Cancel(booked.name(), &cancelled);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(wait_for(backlog + 2)) << "the cancellation did not arrive within 10 s";
  latency = absl::Now() - sent;
  EXPECT_LT(latency, absl::Seconds(5)) << "cancellation took " << latency << " to arrive";

  context->TryCancel();
  watcher.join();
  EXPECT_EQ(ended_with.error_code(), grpc::StatusCode::CANCELLED) << ended_with.error_message();
  ExpectEvents(events,
               Then(prelude_,
                    {{clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED, booked.name(), patient_.name()},
                     {clinic::v1::EVENT_KIND_APPOINTMENT_CANCELLED, booked.name(),
                      patient_.name()}}));
}

TEST_F(EventFeedTest, AnInvalidCursorOrRoleIsRefused) {
  for (const std::string cursor : {"garbage", "ev1-", "ev1-x", "ev1--1", "ev2-1", "1", "ev1-1x"}) {
    const Watched watched = Watch(integration_key_, Request("", cursor), 1, absl::Seconds(10));
    EXPECT_TRUE(watched.events.empty()) << cursor;
    EXPECT_EQ(watched.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << cursor << ": " << watched.status.error_message();
    EXPECT_EQ(BadFieldsOf(watched.status), (std::set<std::string>{"after_cursor"})) << cursor;
  }
  Watched watched = Watch(integration_key_, Request("practitioners/1"), 1, absl::Seconds(10));
  EXPECT_EQ(watched.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(watched.status), (std::set<std::string>{"parent"}));

  watched = Watch("", Request(), 1, absl::Seconds(10));
  EXPECT_EQ(watched.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  watched = Watch(server_.CreateKey("reminder_worker"), Request(), 1, absl::Seconds(10));
  EXPECT_EQ(watched.status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << watched.status.error_message();
  EXPECT_TRUE(watched.events.empty());
}

TEST_F(EventFeedTest, ACursorPastTheNewestEventIsRefusedNotSkippedTo) {
  // The fixture consulted the patient and signed a consent: the feed holds the prelude.
  const Watched all = Watch(integration_key_, Request(), prelude_.size(), absl::Seconds(10));
  ASSERT_EQ(all.events.size(), prelude_.size());
  const Watched ahead = Watch(integration_key_, Request("", "ev1-999999"), 1, absl::Seconds(10));
  EXPECT_EQ(ahead.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << ahead.status.error_message();
  EXPECT_EQ(ReasonOf(ahead.status), "CURSOR_AHEAD_OF_FEED");
  EXPECT_EQ(MetadataOf(ahead.status)["last_cursor"], all.events.back().cursor());
  for (const std::string cursor : {"ev1-+1", "ev1- 1", "ev1-01"}) {
    const Watched watched = Watch(integration_key_, Request("", cursor), 1, absl::Seconds(10));
    EXPECT_EQ(watched.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << cursor;
  }
}

TEST_F(EventFeedTest, ACursorOlderThanTheEventRetentionIsRefusedNeverSkipped) {
  const Watched seen = Watch(integration_key_, Request(), prelude_.size(), absl::Seconds(10));
  ASSERT_EQ(seen.events.size(), prelude_.size());
  // 400 days (the default retention) and one more: the move runs the
  // retention job, which prunes the whole prelude.
  Advance(absl::Hours(24 * 401));
  const clinic::v1::Patient later = MakePatient(clinic_.name(), "Lena", "Spaet");

  const Watched expired =
      Watch(integration_key_, Request("", seen.events.front().cursor()), 1, absl::Seconds(10));
  EXPECT_TRUE(expired.events.empty());
  EXPECT_EQ(expired.status.error_code(), grpc::StatusCode::OUT_OF_RANGE)
      << expired.status.error_message();
  EXPECT_EQ(ReasonOf(expired.status), "CURSOR_EXPIRED");
  const std::string earliest = MetadataOf(expired.status)["earliest_cursor"];
  EXPECT_EQ(earliest, seen.events.back().cursor());

  // From earliest_cursor, from the last cursor seen, and from the beginning:
  // the events still kept, all of them.
  for (const std::string& from : {earliest, seen.events.back().cursor(), std::string()}) {
    const Watched resumed = Watch(integration_key_, Request("", from), 3, absl::Seconds(10));
    ExpectEvents(resumed.events, Consultation(later.name()));
  }
}

TEST_F(EventFeedTest, AKeyOrParentLimitedToOneClinicSeesOnlyItsEvents) {
  // Clinic B's changes come between clinic A's.
  const clinic::v1::Clinic other = MakeClinic("Praxis Sued");
  const clinic::v1::Room other_room =
      MakeRoom(other.name(), "Raum 1", {"microneedling_device", "sink"});
  const clinic::v1::Practitioner other_practitioner =
      MakePractitioner(other.name(), "Dr. Sued", {kMicroneedling});
  const clinic::v1::Patient other_patient = MakePatient(other.name(), "Berta", "Sued");
  clinic::v1::CreateAppointmentRequest book;
  book.set_parent(other.name());
  *book.mutable_appointment() = Draft(At(monday_, 10), "", other_patient.name());
  book.mutable_appointment()->set_practitioner(other_practitioner.name());
  book.mutable_appointment()->set_room(other_room.name());
  Appointment theirs;
  grpc::Status status = booking_->CreateAppointment(AuthedContext(admin_key_).get(), book, &theirs);
  ASSERT_TRUE(status.ok()) << status.error_message();
  clinic::v1::CancelAppointmentRequest cancel;
  cancel.set_name(theirs.name());
  cancel.set_reason("double booking");
  Appointment cancelled;
  status = booking_->CancelAppointment(AuthedContext(admin_key_).get(), cancel, &cancelled);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const Appointment mine = MustBook(Draft(At(monday_, 10)));

  const std::vector<Expected> ours =
      Then(prelude_, {{clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED, mine.name(), patient_.name()}});
  const std::vector<Expected> theirs_expected = Then(
      Consultation(other_patient.name()),
      {{clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED, theirs.name(), other_patient.name()},
       {clinic::v1::EVENT_KIND_APPOINTMENT_CANCELLED, theirs.name(), other_patient.name()}});

  const std::string clinic_id = clinic_.name().substr(clinic_.name().find('/') + 1);
  const std::string ours_only = server_.CreateKey("integration", clinic_id);
  ASSERT_FALSE(ours_only.empty());
  // In feed order B's events come before our booking: seeing it proves they were skipped.
  Watched watched = Watch(ours_only, Request(), ours.size());
  ExpectEvents(watched.events, ours);
  watched = Watch(ours_only, Request(clinic_.name()), ours.size());
  ExpectEvents(watched.events, ours);
  watched = Watch(ours_only, Request(other.name()), 1, absl::Seconds(10));
  EXPECT_EQ(watched.status.error_code(), grpc::StatusCode::NOT_FOUND)
      << watched.status.error_message();
  EXPECT_TRUE(watched.events.empty()) << Describe(watched.events);

  // An unlimited key with a parent sees that clinic only.
  ExpectEvents(History(theirs_expected.size(), other.name()), theirs_expected);
  ExpectEvents(History(ours.size(), clinic_.name()), ours);
  // Without one, everything, in commit order.
  const size_t total = ours.size() + theirs_expected.size();
  ExpectEvents(History(total), Then(Then(prelude_, theirs_expected), {ours.back()}));
  // Resuming with a parent skips the other clinic's events too.
  const std::vector<Event> all = History(total);
  ASSERT_EQ(all.size(), total);
  watched = Watch(integration_key_, Request(clinic_.name(), all[prelude_.size() - 1].cursor()), 1);
  ExpectEvents(watched.events, {ours.back()});
}

TEST_F(EventFeedTest, AStreamEndsUnavailableWhenTheServerStopsAndResumesAfterARestart) {
  const Appointment first = MustBook(Draft(At(monday_, 10)));
  std::unique_ptr<grpc::ClientContext> context = AuthedContext(integration_key_);
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  std::unique_ptr<grpc::ClientReader<WatchEventsResponse>> reader =
      notifications_->WatchEvents(context.get(), Request());
  std::vector<Event> seen;
  WatchEventsResponse response;
  const size_t before_stop = prelude_.size() + 1;
  while (seen.size() < before_stop && reader->Read(&response)) {
    seen.insert(seen.end(), response.events().begin(), response.events().end());
  }
  ASSERT_EQ(seen.size(), before_stop) << Describe(seen);

  // The open stream must not hold up the drain, and tells the client to come back.
  const absl::Time stopping = absl::Now();
  ASSERT_EQ(server_.Stop(), 0) << server_.Log();
  EXPECT_LT(absl::Now() - stopping, absl::Seconds(20));
  while (reader->Read(&response)) {
    seen.insert(seen.end(), response.events().begin(), response.events().end());
  }
  const grpc::Status ended = reader->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAVAILABLE) << ended.error_message();
  EXPECT_EQ(seen.size(), before_stop) << Describe(seen);

  // Start() waits for a "listening on" line in the server's log, in its
  // directory; the stopped server's line must not be taken for the new one's.
  const std::string log = server_.dir() + "/clinicd.log";
  ASSERT_TRUE(std::filesystem::exists(log)) << log;
  std::ofstream(log, std::ios::trunc).close();
  std::string error;
  ASSERT_TRUE(server_.Start(&error)) << error;
  booking_ = clinic::v1::BookingService::NewStub(server_.channel());
  notifications_ = clinic::v1::NotificationService::NewStub(server_.channel());
  Appointment cancelled;
  grpc::Status status = Cancel(first.name(), &cancelled);
  ASSERT_TRUE(status.ok()) << status.error_message();

  const Watched resumed = Watch(integration_key_, Request("", seen.back().cursor()), 1);
  ExpectEvents(resumed.events,
               {{clinic::v1::EVENT_KIND_APPOINTMENT_CANCELLED, first.name(), patient_.name()}});
  std::vector<Event> stitched = seen;
  stitched.insert(stitched.end(), resumed.events.begin(), resumed.events.end());
  EXPECT_EQ(Cursors(stitched), Cursors(History(before_stop + 1)));
}

TEST_F(EventFeedTest, AStreamOnASecondServerDeliversWhatTheFirstCommitsInOrderWithinSeconds) {
  if (!test_util::UsingPostgres()) GTEST_SKIP() << "two processes share a PostgreSQL database";
  ClinicdProcess second(server_.db());
  second.AddPlugin(ClinicdProcess::BundledPlugin("microneedling"));
  second.AddPlugin(ClinicdProcess::BundledPlugin("maintenance_recall"));
  // Standing at the first's time, as one clinic's servers would.
  second.UseTestClock(absl::FormatTime(absl::RFC3339_full, Now(), absl::UTCTimeZone()));
  std::string error;
  ASSERT_TRUE(second.Start(&error)) << error;
  const std::unique_ptr<clinic::v1::NotificationService::Stub> second_feed =
      clinic::v1::NotificationService::NewStub(second.channel());

  // The stream is open on the second server; every change goes through the first.
  OpenStream stream(second_feed.get(), integration_key_, absl::Seconds(90));
  ASSERT_TRUE(stream.WaitFor(prelude_.size(), absl::Seconds(10)))
      << "the backlog did not arrive:\n"
      << Describe(stream.events());
  std::vector<Expected> expected = prelude_;
  // Each half ends with a commit on the first server (a cancellation, a
  // withdrawal); the second's stream must hold it within seconds of the call
  // returning, and nothing after it.
  for (int half = 0; half < 2; ++half) {
    SCOPED_TRACE(half == 0 ? "first half" : "second half");
    expected = Then(expected, half == 0 ? FirstHalf() : SecondHalf());
    const absl::Time sent = absl::Now();
    ASSERT_TRUE(stream.WaitFor(expected.size(), absl::Seconds(10)))
        << "after 10 s the second server's stream holds:\n"
        << Describe(stream.events());
    const absl::Duration latency = absl::Now() - sent;
    EXPECT_LT(latency, absl::Seconds(5)) << "the last change took " << latency << " to arrive";
  }
  // Anything arriving now would be a repeat.
  absl::SleepFor(absl::Seconds(1));
  const grpc::Status ended = stream.Close();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::CANCELLED) << ended.error_message();

  const std::vector<Event> seen = stream.events();
  ExpectEvents(seen, expected);
  // The same events, cursors and times as the first server's own feed:
  // no gap, no repeat, commit order.
  const std::vector<Event> own = History(expected.size());
  EXPECT_EQ(Cursors(seen), Cursors(own)) << "second:\n"
                                         << Describe(seen) << "first:\n"
                                         << Describe(own);
  for (size_t i = 0; i < seen.size() && i < own.size(); ++i) {
    EXPECT_EQ(FromProto(seen[i].event_time()), FromProto(own[i].event_time())) << i;
    if (i > 0) {
      EXPECT_GT(Position(seen[i].cursor()), Position(seen[i - 1].cursor())) << Describe(seen);
    }
  }
}

}  // namespace
}  // namespace clinicd::testing
