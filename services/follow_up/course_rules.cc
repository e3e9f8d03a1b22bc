#include "services/follow_up/course_rules.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clinicd/protocol_rules.h"
#include "services/common/errors.h"
#include "services/common/time_text.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/domain/appointment_change.h"
#include "services/domain/schedule.h"
#include "services/follow_up/series_plan.h"
#include "services/resources/load_resource.h"
#include "services/store/tables.h"

namespace clinicd::follow_up {
namespace {

using clinic::v1::Appointment;

// The series rules for a session of `series` (loaded and checked to be the
// appointment's). `first` is set when the session would be the course's first.
absl::Status CheckSeriesSession(store::Transaction& tx,
                                const plugin_host::TreatmentRegistry& registry,
                                const std::string& clinic_id, const Appointment& appointment,
                                bool moved, const absl::TimeZone& zone, bool& first) {
  FieldViolations violations;
  const std::string series_id =
      IdInClinic(violations, "appointment.series", appointment.series(), clinic_id, "series");
  if (!violations.empty()) return violations.ToStatus();
  first = false;
  absl::StatusOr<clinic::v1::Series> series = resources::LoadResource<clinic::v1::Series>(
      tx, store::kSeriesTable, {clinic_id}, series_id, appointment.series());
  if (!series.ok()) return series.status();
  if (series->patient() != appointment.patient()) {
    return InvalidField("appointment.series",
                        absl::StrCat("must be a series of the appointment's patient; ",
                                     appointment.series(), " belongs to ", series->patient()));
  }
  if (series->treatment_type() != appointment.treatment_type()) {
    return InvalidField("appointment.series",
                        absl::StrCat("must be a series of ", appointment.treatment_type(), "; ",
                                     appointment.series(), " is a series of ",
                                     series->treatment_type()));
  }
  if (!moved && (series->state() == clinic::v1::SERIES_STATE_COMPLETED ||
                 series->state() == clinic::v1::SERIES_STATE_CANCELLED)) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "SERIES_CLOSED",
        absl::StrCat(appointment.series(), " is ",
                     series->state() == clinic::v1::SERIES_STATE_COMPLETED ? "completed"
                                                                            : "cancelled",
                     "; book without a series, or plan a new one with CreateSeries"),
        {{"series", appointment.series()}});
  }
  const clinic::v1::TreatmentType* type = registry.FindTreatmentType(series->treatment_type());
  if (type == nullptr) return absl::OkStatus();  // CheckBookable refuses the treatment type.
  absl::StatusOr<std::vector<TakenSession>> taken =
      LoadTakenSessions(tx, clinic_id, series_id, LastIdOf(appointment.name()));
  if (!taken.ok()) return taken.status();
  if (!moved && static_cast<int>(taken->size()) >= series->planned_sessions()) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "SERIES_FULL",
        absl::StrCat("all ", series->planned_sessions(), " sessions of ", appointment.series(),
                     " are booked or done; cancel one of them first, or book without the series"),
        {{"series", appointment.series()},
         {"planned_sessions", absl::StrCat(series->planned_sessions())}});
  }
  // The window of the session this appointment would be: planned from the
  // sessions before it.
  const absl::Time start = FromProtoTime(appointment.start_time());
  std::vector<TakenSession> before;
  for (const TakenSession& session : *taken) {
    if (session.start < start) before.push_back(session);
  }
  clinic::v1::Series planned = *series;
  if (absl::Status s = PlanSessions(registry, *type, zone, before, planned); !s.ok()) return s;
  first = before.empty();
  if (static_cast<int>(before.size()) >= planned.sessions_size()) return absl::OkStatus();
  const clinic::v1::SeriesSession& session = planned.sessions(static_cast<int>(before.size()));
  const absl::Time opens = FromProtoTime(session.window_start_time());
  const absl::Time closes = FromProtoTime(session.window_end_time());
  if (!before.empty() && start < opens && !domain::Overrides(appointment, "SERIES_SPACING")) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "SERIES_SPACING",
        absl::StrCat("session ", session.number(), " of ", appointment.series(),
                     " can be no earlier than ", LocalTimeText(opens, zone),
                     " (the course's spacing from the session before it)"),
        {{"earliest_time", Rfc3339Text(opens)}, {"session", absl::StrCat(session.number())}});
  }
  if (!before.empty() && start > closes &&
      !domain::Overrides(appointment, "SERIES_WINDOW_CLOSED")) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "SERIES_WINDOW_CLOSED",
        absl::StrCat("session ", session.number(), " of ", appointment.series(),
                     " had to be by ", LocalTimeText(closes, zone),
                     " (the longest spacing the course allows); book it in the window, or a "
                     "clinician may override with a reason"),
        {{"latest_time", Rfc3339Text(closes)}, {"session", absl::StrCat(session.number())}});
  }
  return absl::OkStatus();
}

// The start of the last session of the patient's completed courses of `type`
// other than `except_series` (an id), or InfinitePast when there is none.
absl::StatusOr<absl::Time> LastCompletedCourseSession(store::Transaction& tx,
                                                      const std::string& clinic_id,
                                                      const std::string& patient_id,
                                                      const std::string& type,
                                                      const std::string& except_series) {
  // Per other series of the patient with completed sessions of the type:
  // its stored message (for its state) and its last completed session.
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "SELECT s.data, max(a.start_time) FROM appointments a JOIN series s "
      "ON s.clinic_id = a.clinic_id AND s.id = a.series_id "
      "WHERE a.clinic_id = ?1 AND a.patient_id = ?2 AND a.treatment_type = ?3 "
      "AND a.state = 3 AND a.visit_kind = 1 AND a.series_id != ?4 GROUP BY s.id");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id).BindText(2, patient_id).BindText(3, type).BindText(4, except_series);
  absl::Time last = absl::InfinitePast();
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return last;
    clinic::v1::Series series;
    if (!series.ParseFromString(stmt->ColumnBlob(0))) {
      return absl::InternalError("a stored series is corrupt");
    }
    if (series.state() == clinic::v1::SERIES_STATE_COMPLETED) {
      last = std::max(last, stmt->ColumnTime(1));
    }
  }
}

// The earliest due time of the patient's open maintenance recalls of `type`,
// or InfinitePast when none is open.
absl::StatusOr<absl::Time> OpenRecallDue(store::Transaction& tx, const std::string& clinic_id,
                                         const std::string& patient_id, const std::string& type) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "SELECT data FROM recalls WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 AND state IN (1, 2)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id).BindText(2, patient_id).BindText(3, type);
  absl::Time due = absl::InfinitePast();
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return due;
    clinic::v1::Recall recall;
    if (!recall.ParseFromString(stmt->ColumnBlob(0))) {
      return absl::InternalError("a stored recall is corrupt");
    }
    const absl::Time recall_due = FromProtoTime(recall.due_time());
    due = due == absl::InfinitePast() ? recall_due : std::min(due, recall_due);
  }
}

}  // namespace

absl::Status CheckCourseRules(store::Transaction& tx,
                              const plugin_host::TreatmentRegistry& registry,
                              const std::string& clinic_id, const Appointment& appointment,
                              bool moved) {
  const clinic::v1::TreatmentType* type = registry.FindTreatmentType(appointment.treatment_type());
  if (type == nullptr) return absl::OkStatus();  // CheckBookable refuses the treatment type.
  if (appointment.kind() == clinic::v1::VISIT_KIND_CONSULTATION) return absl::OkStatus();
  absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
      tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
  if (!clinic.ok()) return clinic.status();
  absl::StatusOr<absl::TimeZone> zone = domain::ClinicTimeZone(*clinic);
  if (!zone.ok()) return zone.status();
  const std::string patient_id = LastIdOf(appointment.patient());
  const absl::Time start = FromProtoTime(appointment.start_time());

  if (!appointment.series().empty()) {
    bool first = false;
    if (absl::Status s =
            CheckSeriesSession(tx, registry, clinic_id, appointment, moved, *zone, first);
        !s.ok() || !first || !type->has_repeat_course_interval()) {
      return s;
    }
    absl::StatusOr<absl::Time> last = LastCompletedCourseSession(
        tx, clinic_id, patient_id, type->name(), LastIdOf(appointment.series()));
    if (!last.ok()) return last.status();
    if (*last == absl::InfinitePast()) return absl::OkStatus();
    const absl::Time earliest =
        protocol::AddPeriod(*last, type->repeat_course_interval(), *zone);
    if (start < earliest && !domain::Overrides(appointment, "REPEAT_COURSE_TOO_SOON")) {
      return ErrorWithReason(
          absl::StatusCode::kFailedPrecondition, "REPEAT_COURSE_TOO_SOON",
          absl::StrCat("a new course of ", type->display_name(), " can start no sooner than ",
                       protocol::DescribePeriod(type->repeat_course_interval()),
                       " after the last course's final session (", LocalTimeText(*last, *zone),
                       "): from ", LocalTimeText(earliest, *zone)),
          {{"earliest_time", Rfc3339Text(earliest)}, {"last_session_time", Rfc3339Text(*last)}});
    }
    return absl::OkStatus();
  }

  // A session outside any series while a recall is open is maintenance.
  absl::StatusOr<absl::Time> due = OpenRecallDue(tx, clinic_id, patient_id, type->name());
  if (!due.ok()) return due.status();
  if (*due != absl::InfinitePast() && start < *due &&
      !domain::Overrides(appointment, "MAINTENANCE_TOO_SOON")) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "MAINTENANCE_TOO_SOON",
        absl::StrCat("maintenance ", type->display_name(), " is due from ", LocalTimeText(*due, *zone),
                     "; an earlier session needs a clinician's override with a reason"),
        {{"earliest_time", Rfc3339Text(*due)}});
  }
  return absl::OkStatus();
}

}  // namespace clinicd::follow_up
