#pragma once

// The booking rules' questions to the database (see
// booking/booking_context_loader.h, which asks them in one read): what
// occupies practitioners, rooms, the patient and the clinic over a window,
// and the patient's facts the treatment's rules need. Every time-range
// question is bounded on both sides and read from an index range: an
// appointment holds its practitioner and room at most kLongestVisit and a
// period lasts at most kLongestPeriod (domain/time_bounds.h), so nothing
// that started longer ago than that can still reach the window.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/practice_service.pb.h"
#include "services/store/transaction.h"

namespace clinicd::store {

// Time one practitioner, room or patient (the owner) is held.
struct HeldTime {
  std::string owner_id;
  absl::Time start;
  absl::Time end;
};

// A window [from, to) and the appointment a booking moves (an id, left out
// of every answer; empty for a new booking or a search).
struct BookingWindow {
  absl::Time from;
  absl::Time to;
  std::string exclude_id;
};

// Active appointments of practitioners `ids` overlapping the window, as
// [start, end); `longest` bounds how long one may be.
absl::StatusOr<std::vector<HeldTime>> PractitionerAppointments(Transaction& tx,
                                                               const std::string& clinic_id,
                                                               const std::vector<std::string>& ids,
                                                               const BookingWindow& window,
                                                               absl::Duration longest);

// Active appointments of rooms `ids` overlapping the window, as [start, end
// of turnaround).
absl::StatusOr<std::vector<HeldTime>> RoomAppointments(Transaction& tx,
                                                       const std::string& clinic_id,
                                                       const std::vector<std::string>& ids,
                                                       const BookingWindow& window,
                                                       absl::Duration longest);

// Active appointments of the patient overlapping the window, as [start, end).
absl::StatusOr<std::vector<HeldTime>> PatientAppointments(Transaction& tx,
                                                          const std::string& clinic_id,
                                                          const std::string& patient_id,
                                                          const BookingWindow& window,
                                                          absl::Duration longest);

// Time off of practitioners `ids` overlapping the window.
absl::StatusOr<std::vector<HeldTime>> TimeOffOverlapping(Transaction& tx,
                                                         const std::string& clinic_id,
                                                         const std::vector<std::string>& ids,
                                                         const BookingWindow& window,
                                                         absl::Duration longest);

// The clinic's closures overlapping the window (owner: the clinic).
absl::StatusOr<std::vector<HeldTime>> ClosuresOverlapping(Transaction& tx,
                                                          const std::string& clinic_id,
                                                          const BookingWindow& window,
                                                          absl::Duration longest);

// Start times of the patient's treatment sessions of `type` that count
// (booked, checked in or completed) starting inside the window, sorted.
absl::StatusOr<std::vector<absl::Time>> CountedSessionTimes(Transaction& tx,
                                                            const std::string& clinic_id,
                                                            const std::string& patient_id,
                                                            const std::string& type,
                                                            const BookingWindow& window);

// The start of the patient's earliest treatment session of `type` (other
// than window.exclude_id) that counts, or with `completed_only` that was
// completed; one index seek, whatever the history.
absl::StatusOr<std::optional<absl::Time>> FirstSessionTime(
    Transaction& tx, const std::string& clinic_id, const std::string& patient_id,
    const std::string& type, const std::string& exclude_id, bool completed_only);

// The patient's consultations for `type` (booked, checked in or completed):
// the latest starting before window.from, then those starting inside the
// window, by start.
absl::StatusOr<std::vector<clinic::v1::Appointment>> ConsultationsNear(
    Transaction& tx, const std::string& clinic_id, const std::string& patient_id,
    const std::string& type, const BookingWindow& window);

// An appointment that fills a session of a series.
struct SeriesSessionRow {
  std::string id;
  clinic::v1::AppointmentState state = clinic::v1::APPOINTMENT_STATE_UNSPECIFIED;
  absl::Time start;
};

// The appointments of series `series_id` that count as its sessions, by
// start time then id; `exclude_id` is left out.
absl::StatusOr<std::vector<SeriesSessionRow>> SeriesSessions(Transaction& tx,
                                                             const std::string& clinic_id,
                                                             const std::string& series_id,
                                                             const std::string& exclude_id);

// The start of the last session of the patient's completed courses of
// `type` other than series `except_series`, or InfinitePast.
absl::StatusOr<absl::Time> LastCompletedCourseSession(Transaction& tx, const std::string& clinic_id,
                                                      const std::string& patient_id,
                                                      const std::string& type,
                                                      const std::string& except_series);

// The earliest due time of the patient's open maintenance recalls of
// `type`, or InfinitePast.
absl::StatusOr<absl::Time> OpenRecallDue(Transaction& tx, const std::string& clinic_id,
                                         const std::string& patient_id, const std::string& type);

// Every practitioner and every room of the clinic, by id.
absl::StatusOr<std::vector<clinic::v1::Practitioner>> ClinicPractitioners(
    Transaction& tx, const std::string& clinic_id);
absl::StatusOr<std::vector<clinic::v1::Room>> ClinicRooms(Transaction& tx,
                                                          const std::string& clinic_id);

}  // namespace clinicd::store
