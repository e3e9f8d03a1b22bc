#include "services/booking/booking_rules.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clinic/v1/patient_service.pb.h"
#include "clinicd/protocol_rules.h"
#include "services/common/errors.h"
#include "services/common/time_text.h"
#include "services/booking/consultation_rules.h"
#include "services/consent/clearance_query.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/domain/appointment_change.h"
#include "services/domain/care_window.h"
#include "services/domain/clearance.h"
#include "services/domain/schedule.h"
#include "services/domain/time_bounds.h"
#include "services/resources/load_resource.h"
#include "services/store/tables.h"

namespace clinicd::booking {
namespace {

using clinic::v1::Appointment;

// The first active appointment other than `self` that overlaps
// [start, end) for `column` = `value`, as (start, end); end_column is
// end_time or room_end_time.
absl::StatusOr<std::optional<domain::Interval>> FindOverlap(
    store::Transaction& tx, const std::string& clinic_id, const std::string& self,
    absl::string_view column, const std::string& value, absl::string_view end_column,
    absl::Time start, absl::Time end) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(absl::StrCat(
      "SELECT start_time, ", end_column, " FROM appointments WHERE clinic_id = ?1 AND id != ?2 "
      "AND state IN (1, 2) AND ", column, " = ?3 AND start_time < ?5 AND start_time > ?6 AND ",
      end_column, " > ?4 ORDER BY start_time LIMIT 1"));
  if (!stmt.ok()) return stmt.status();
  // Nothing that started a longest visit before `start` can still overlap.
  stmt->BindText(1, clinic_id).BindText(2, self).BindText(3, value).Bind(4, start).Bind(5, end)
      .Bind(6, start - domain::kLongestVisit);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<domain::Interval>();
  return std::optional<domain::Interval>(domain::Interval{stmt->ColumnTime(0), stmt->ColumnTime(1)});
}

// The first period of `table` (time off or closures) overlapping [start,
// end): `sql` binds ?1 the clinic, ?2 start, ?3 end, ?4 the earliest start
// of a period that can still overlap, ?5 the owner (when given).
absl::StatusOr<std::optional<domain::Interval>> FindPeriod(store::Transaction& tx,
                                                           absl::string_view sql,
                                                           const std::string& clinic_id,
                                                           const std::string& owner_id,
                                                           absl::Time start, absl::Time end) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id).Bind(2, start).Bind(3, end).Bind(4, start - domain::kLongestPeriod);
  if (!owner_id.empty()) stmt->BindText(5, owner_id);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<domain::Interval>();
  return std::optional<domain::Interval>(domain::Interval{stmt->ColumnTime(0), stmt->ColumnTime(1)});
}

absl::Status SlotTaken(absl::string_view what, const domain::Interval& conflict,
                       const absl::TimeZone& zone) {
  return ErrorWithReason(
      absl::StatusCode::kFailedPrecondition, "SLOT_TAKEN",
      absl::StrCat("the ", what, " already has an appointment from ", LocalTimeText(conflict.start, zone),
                   " to ", LocalTimeText(conflict.end, zone), "; choose another time from SearchAvailability"),
      {{"taken_by", std::string(what)},
       {"conflict_start_time", Rfc3339Text(conflict.start)},
       {"conflict_end_time", Rfc3339Text(conflict.end)}});
}

absl::Status CheckWorkingHours(store::Transaction& tx, const clinic::v1::Practitioner& practitioner,
                               const std::string& clinic_id, const std::string& practitioner_id,
                               const absl::TimeZone& zone, const domain::Interval& session) {
  const absl::CivilDay day = absl::ToCivilDay(session.start, zone);
  const std::vector<domain::Interval> working =
      domain::WorkingIntervals(practitioner, zone, day - 1, day + 1);
  const bool inside = std::any_of(working.begin(), working.end(), [&](const domain::Interval& w) {
    return domain::Contains(w, session);
  });
  if (!inside) {
    std::vector<std::string> that_day;
    for (const domain::Interval& w : domain::WorkingIntervals(practitioner, zone, day, day)) {
      that_day.push_back(absl::StrCat(absl::FormatTime("%H:%M", w.start, zone), "-",
                                      absl::FormatTime("%H:%M", w.end, zone)));
    }
    const std::string hours = that_day.empty() ? "none" : absl::StrJoin(that_day, ", ");
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "OUTSIDE_WORKING_HOURS",
        absl::StrCat("the session from ", LocalTimeText(session.start, zone), " to ",
                     LocalTimeText(session.end, zone), " is outside the practitioner's working hours (",
                     absl::FormatTime("%A", session.start, zone), ": ", hours, ")"),
        {{"cause", "working_hours"}, {"working_hours", hours}});
  }
  absl::StatusOr<std::optional<domain::Interval>> time_off = FindPeriod(
      tx,
      "SELECT start_time, end_time FROM time_off WHERE clinic_id = ?1 AND practitioner_id = ?5 "
      "AND start_time < ?3 AND start_time > ?4 AND end_time > ?2 LIMIT 1",
      clinic_id, practitioner_id, session.start, session.end);
  if (!time_off.ok()) return time_off.status();
  if (time_off->has_value()) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "OUTSIDE_WORKING_HOURS",
        absl::StrCat("the practitioner has time off from ", LocalTimeText((*time_off)->start, zone),
                     " to ", LocalTimeText((*time_off)->end, zone)),
        {{"cause", "time_off"}, {"until_time", Rfc3339Text((*time_off)->end)}});
  }
  absl::StatusOr<std::optional<domain::Interval>> closure = FindPeriod(
      tx,
      "SELECT start_time, end_time FROM closures WHERE clinic_id = ?1 "
      "AND start_time < ?3 AND start_time > ?4 AND end_time > ?2 LIMIT 1",
      clinic_id, "", session.start, session.end);
  if (!closure.ok()) return closure.status();
  if (closure->has_value()) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "OUTSIDE_WORKING_HOURS",
        absl::StrCat("the clinic is closed from ", LocalTimeText((*closure)->start, zone), " to ",
                     LocalTimeText((*closure)->end, zone)),
        {{"cause", "closure"}, {"until_time", Rfc3339Text((*closure)->end)}});
  }
  return absl::OkStatus();
}

}  // namespace

SessionLength LengthOf(const clinic::v1::TreatmentType& type, clinic::v1::VisitKind kind,
                       bool numbing) {
  if (kind == clinic::v1::VISIT_KIND_CONSULTATION) {
    return {FromProtoDuration(type.consultation_visit().duration()), absl::ZeroDuration()};
  }
  const auto& d = type.durations();
  absl::Duration session = FromProtoDuration(d.consultation()) + FromProtoDuration(d.procedure());
  if (numbing) session += FromProtoDuration(d.numbing());
  return {session, FromProtoDuration(d.turnaround())};
}

absl::StatusOr<ClinicSettings> LoadClinicSettings(store::Transaction& tx,
                                                  const std::string& clinic_id) {
  absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
      tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
  if (!clinic.ok()) return clinic.status();
  absl::StatusOr<absl::TimeZone> zone = domain::ClinicTimeZone(*clinic);
  if (!zone.ok()) return zone.status();
  return ClinicSettings{clinic->policy(), *zone};
}

std::vector<std::string> RoomNeeds(const clinic::v1::TreatmentType& type,
                                   clinic::v1::VisitKind kind) {
  if (kind == clinic::v1::VISIT_KIND_CONSULTATION) return {};
  return {type.required_room_capabilities().begin(), type.required_room_capabilities().end()};
}

std::string StateName(clinic::v1::AppointmentState state) {
  const std::string full = clinic::v1::AppointmentState_Name(state);
  constexpr absl::string_view kPrefix = "APPOINTMENT_STATE_";
  return full.size() > kPrefix.size() ? full.substr(kPrefix.size()) : full;
}

absl::StatusOr<std::vector<absl::Time>> LoadSessionTimes(store::Transaction& tx,
                                                         const std::string& clinic_id,
                                                         const std::string& patient_id,
                                                         const std::string& type,
                                                         const std::string& exclude_id) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(
      "SELECT start_time FROM appointments WHERE clinic_id = ?1 AND patient_id = ?2 "
      "AND treatment_type = ?3 AND id != ?4 AND state IN (1, 2, 3) AND visit_kind = 1 "
      "ORDER BY start_time");
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id).BindText(2, patient_id).BindText(3, type).BindText(4, exclude_id);
  std::vector<absl::Time> times;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return times;
    times.push_back(stmt->ColumnTime(0));
  }
}

absl::Time EarliestSpaced(const clinic::v1::TreatmentType& type, const absl::TimeZone& zone,
                          const std::vector<absl::Time>& sessions, absl::Time wanted) {
  if (type.indications().empty()) return wanted;
  // The shortest spacing any indication allows: no course runs faster.
  auto spaced = [&](absl::Time from) {
    absl::Time earliest = absl::InfiniteFuture();
    for (const auto& indication : type.indications()) {
      earliest = std::min(earliest,
                          protocol::AddPeriod(from, indication.series().min_spacing(), zone));
    }
    return earliest;
  };
  absl::Time candidate = wanted;
  // Sessions are sorted and the candidate only moves later, so one pass
  // finds the first time far enough from all of them.
  for (absl::Time other : sessions) {
    if (candidate < spaced(other) && other < spaced(candidate)) candidate = spaced(other);
  }
  return candidate;
}

absl::Status CheckBookable(store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
                           const std::string& clinic_id, absl::Time now,
                           Appointment& appointment) {
  const std::string self = appointment.name().substr(appointment.name().rfind('/') + 1);
  FieldViolations violations;
  const std::string patient_id =
      IdInClinic(violations, "appointment.patient", appointment.patient(), clinic_id, "patients");
  const std::string practitioner_id = IdInClinic(violations, "appointment.practitioner",
                                           appointment.practitioner(), clinic_id, "practitioners");
  const std::string room_id =
      IdInClinic(violations, "appointment.room", appointment.room(), clinic_id, "rooms");
  const clinic::v1::TreatmentType* type = registry.FindTreatmentType(appointment.treatment_type());
  if (type == nullptr) {
    violations.Add("appointment.treatment_type",
                   "must be a treatment type a loaded plugin provides (see ListTreatmentTypes)");
  }
  if (!appointment.has_start_time()) {
    violations.Add("appointment.start_time", "is required");
  } else if (!IsValidTimestamp(appointment.start_time())) {
    violations.Add("appointment.start_time", "must be a valid timestamp");
  } else if (FromProtoTime(appointment.start_time()) < now) {
    violations.Add("appointment.start_time", "must not be in the past");
  }
  const bool consultation = appointment.kind() == clinic::v1::VISIT_KIND_CONSULTATION;
  if (consultation && type != nullptr) {
    if (!type->has_consultation_visit()) {
      violations.Add("appointment.kind",
                     absl::StrCat(type->name(), " has no consultation visit in its protocol"));
    }
    if (!appointment.series().empty()) {
      violations.Add("appointment.series", "must be empty for a consultation: it is no session");
    }
    if (appointment.numbing()) {
      violations.Add("appointment.numbing", "must be false for a consultation: nothing to numb");
    }
  }
  if (!violations.empty()) return violations.ToStatus();

  absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
      tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
  if (!clinic.ok()) return clinic.status();
  absl::StatusOr<absl::TimeZone> clinic_zone = domain::ClinicTimeZone(*clinic);
  if (!clinic_zone.ok()) return clinic_zone.status();
  const absl::TimeZone zone = *clinic_zone;
  if (absl::Status s = resources::LoadResource<clinic::v1::Patient>(
                           tx, store::kPatientsTable, {clinic_id}, patient_id, appointment.patient())
                           .status();
      !s.ok()) {
    return s;
  }
  absl::StatusOr<clinic::v1::Practitioner> practitioner =
      resources::LoadResource<clinic::v1::Practitioner>(
          tx, store::kPractitionersTable, {clinic_id}, practitioner_id, appointment.practitioner());
  if (!practitioner.ok()) return practitioner.status();
  absl::StatusOr<clinic::v1::Room> room = resources::LoadResource<clinic::v1::Room>(
      tx, store::kRoomsTable, {clinic_id}, room_id, appointment.room());
  if (!room.ok()) return room.status();

  const auto& qualified = practitioner->treatment_types();
  if (!practitioner->active() ||
      std::find(qualified.begin(), qualified.end(), type->name()) == qualified.end()) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "PRACTITIONER_NOT_AVAILABLE",
        absl::StrCat(appointment.practitioner(),
                     practitioner->active() ? " is not qualified for " : " is not active; ",
                     practitioner->active() ? type->name() : "choose another practitioner"),
        {{"practitioner", appointment.practitioner()}});
  }
  std::vector<std::string> missing;
  for (const std::string& capability : RoomNeeds(*type, appointment.kind())) {
    const auto& has = room->capabilities();
    if (std::find(has.begin(), has.end(), capability) == has.end()) missing.push_back(capability);
  }
  if (!room->active() || !missing.empty()) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "ROOM_UNSUITABLE",
        absl::StrCat(appointment.room(),
                     room->active() ? absl::StrCat(" lacks ", absl::StrJoin(missing, ", "),
                                                   " needed for ", type->name())
                                    : " is not active"),
        {{"room", appointment.room()}, {"missing_capabilities", absl::StrJoin(missing, ",")}});
  }

  const SessionLength length = LengthOf(*type, appointment.kind(), appointment.numbing());
  const absl::Time start = FromProtoTime(appointment.start_time());
  const absl::Duration horizon = domain::BookingHorizon(clinic->policy());
  if (start > now + horizon) {
    return InvalidField("appointment.start_time",
                        absl::StrCat("must be within the clinic's booking horizon of ",
                                     absl::ToInt64Hours(horizon) / 24, " days from now"));
  }
  const domain::Interval session{start, start + length.session};
  const absl::Time room_end = session.end + length.turnaround;
  *appointment.mutable_end_time() = ToProtoTime(session.end);

  if (absl::Status s = CheckWorkingHours(tx, *practitioner, clinic_id, practitioner_id, zone, session);
      !s.ok()) {
    return s;
  }
  struct Check {
    absl::string_view what;
    absl::string_view column;
    const std::string& value;
    absl::string_view end_column;
    absl::Time end;
  };
  for (const Check& check : {Check{"practitioner", "practitioner_id", practitioner_id, "end_time", session.end},
                             Check{"room", "room_id", room_id, "room_end_time", room_end},
                             Check{"patient", "patient_id", patient_id, "end_time", session.end}}) {
    absl::StatusOr<std::optional<domain::Interval>> overlap = FindOverlap(
        tx, clinic_id, self, check.column, check.value, check.end_column, start, check.end);
    if (!overlap.ok()) return overlap.status();
    if (overlap->has_value()) return SlotTaken(check.what, **overlap, zone);
  }

  // A consultation is a conversation: spacing, screening and the course
  // rules are for treatment.
  if (consultation) return absl::OkStatus();
  absl::StatusOr<std::vector<absl::Time>> sessions =
      LoadSessionTimes(tx, clinic_id, patient_id, type->name(), self);
  if (!sessions.ok()) return sessions.status();
  const absl::Time earliest = EarliestSpaced(*type, zone, *sessions, start);
  if (earliest != start && !domain::Overrides(appointment, "SERIES_SPACING")) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "SERIES_SPACING",
        absl::StrCat(type->display_name(), " sessions must be spaced; the earliest this patient ",
                     "can have one near this time is ", LocalTimeText(earliest, zone)),
        {{"earliest_time", Rfc3339Text(earliest)}});
  }
  // Screening restrictions for the session's own time apply from booking on;
  // a missing consent only when the clinic asks for consent at booking
  // (check-in always does).
  absl::StatusOr<clinic::v1::Clearance> clearance =
      consent::ClearanceFor(tx, registry, *type, clinic_id, patient_id, start);
  if (!clearance.ok()) return clearance.status();
  const clinic::v1::Clearance blocking =
      domain::BlockingForBooking(*clearance, clinic->policy().require_consent_at_booking());
  if (!blocking.treatable()) return consent::ClearanceRefusal(blocking, "book this session");
  return CheckConsultationFirst(tx, *type, clinic_id, appointment, /*at_check_in=*/false, zone);
}

}  // namespace clinicd::booking
