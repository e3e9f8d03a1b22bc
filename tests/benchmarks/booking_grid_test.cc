// The booking grid keeps the rules by construction; these check that it
// does, across both DST changes of a year in Berlin: no practitioner, room
// or patient overlap, 28 days or more between a patient's sessions, every
// visit inside its local day, and consultations before the first session.

#include "clients/loadgen/booking_grid.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace clinicd::loadgen {
namespace {

constexpr absl::Duration kSession = absl::Minutes(60);
constexpr absl::Duration kRoomBlocked = absl::Minutes(75);
constexpr absl::Duration kConsultation = absl::Minutes(30);

absl::TimeZone Berlin() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Berlin", &zone));
  return zone;
}

// Fails on any two of `visits` (start, end) that overlap.
void ExpectDisjoint(std::vector<std::pair<absl::Time, absl::Time>> visits, const char* what) {
  std::sort(visits.begin(), visits.end());
  for (size_t i = 1; i < visits.size(); ++i) {
    ASSERT_LE(visits[i - 1].second, visits[i].first) << what << " at " << visits[i].first;
  }
}

TEST(LoadgenBookingGridTest, SessionsOfAYearKeepTheRules) {
  const absl::TimeZone zone = Berlin();
  const BookingGrid grid(/*practitioners=*/3, zone);
  const absl::CivilDay first(2027, 1, 1);
  std::map<int, std::vector<std::pair<absl::Time, absl::Time>>> practitioner, room;
  std::map<int, std::vector<absl::Time>> patient;
  for (absl::CivilDay day = first; day < first + 365; ++day) {
    for (int slot = 0; slot < grid.SessionsPerDay(); ++slot) {
      const GridPlace place = grid.Session(day, slot);
      ASSERT_GE(place.patient, 0);
      ASSERT_LT(place.patient, grid.patients());
      // Inside the practitioner's 00:00-23:59 of that very day.
      EXPECT_EQ(absl::ToCivilDay(place.start, zone), day);
      EXPECT_EQ(absl::ToCivilDay(place.start + kSession, zone), day);
      practitioner[place.practitioner].push_back({place.start, place.start + kSession});
      room[place.practitioner].push_back({place.start, place.start + kRoomBlocked});
      patient[place.patient].push_back(place.start);
    }
  }
  for (auto& [id, visits] : practitioner) ExpectDisjoint(visits, "practitioner");
  for (auto& [id, visits] : room) ExpectDisjoint(visits, "room");
  EXPECT_EQ(static_cast<int>(patient.size()), grid.patients());
  for (auto& [id, starts] : patient) {
    std::sort(starts.begin(), starts.end());
    for (size_t i = 1; i < starts.size(); ++i) {
      ASSERT_GE(absl::ToCivilDay(starts[i], zone) - absl::ToCivilDay(starts[i - 1], zone), 28);
      ASSERT_GE(starts[i] - starts[i - 1], absl::Hours(24 * 28));
    }
  }
}

TEST(LoadgenBookingGridTest, ConsultationsComeFirstAndNeverOverlap) {
  const absl::TimeZone zone = Berlin();
  const BookingGrid grid(/*practitioners=*/2, zone);
  const absl::CivilDay first(2027, 3, 20);  // over the change to summer time
  std::map<int, std::vector<std::pair<absl::Time, absl::Time>>> practitioner;
  std::set<int> patients;
  for (int i = 0; i < grid.patients(); ++i) {
    const GridPlace place = grid.Consultation(first, i);
    EXPECT_EQ(place.patient, i);
    const absl::CivilDay day = absl::ToCivilDay(place.start, zone);
    EXPECT_GE(day, first);
    EXPECT_LT(day, first + grid.ConsultationDays());
    EXPECT_EQ(absl::ToCivilDay(place.start + kConsultation, zone), day);
    practitioner[place.practitioner].push_back({place.start, place.start + kConsultation});
    patients.insert(place.patient);
  }
  for (auto& [id, visits] : practitioner) ExpectDisjoint(visits, "practitioner");
  EXPECT_EQ(static_cast<int>(patients.size()), grid.patients());
}

}  // namespace
}  // namespace clinicd::loadgen
