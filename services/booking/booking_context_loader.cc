#include "services/booking/booking_context_loader.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "clinic/v1/patient_service.pb.h"
#include "services/booking/booking_facts.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/domain/booking_rules.h"
#include "services/resources/load_resource.h"
#include "services/store/booking_queries.h"
#include "services/store/tables.h"

namespace clinicd::booking {
namespace {

using clinic::v1::Appointment;

// The clinic's part of a context and what is booked.
absl::StatusOr<domain::BookingContext> ClinicPart(store::Transaction& tx,
                                                  const std::string& clinic_id, absl::Time now,
                                                  const clinic::v1::TreatmentType& type,
                                                  clinic::v1::VisitKind kind, bool numbing) {
  absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
      tx, store::kClinicsTable, {}, clinic_id, absl::StrCat("clinics/", clinic_id));
  if (!clinic.ok()) return clinic.status();
  absl::StatusOr<absl::TimeZone> zone = domain::ClinicTimeZone(*clinic);
  if (!zone.ok()) return zone.status();
  domain::BookingContext context;
  context.now = now;
  context.policy = clinic->policy();
  context.zone = *zone;
  context.type = &type;
  context.kind = kind;
  context.numbing = numbing;
  context.length = domain::LengthOf(type, kind, numbing);
  return context;
}

// Violations of the appointment's shape, as today's field errors name them.
FieldViolations ShapeViolations(const plugin_host::TreatmentRegistry& registry,
                                const std::string& clinic_id, absl::Time now,
                                const Appointment& appointment) {
  FieldViolations violations;
  IdInClinic(violations, "appointment.patient", appointment.patient(), clinic_id, "patients");
  IdInClinic(violations, "appointment.practitioner", appointment.practitioner(), clinic_id,
             "practitioners");
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
    // The rules refuse it too (BookingRule::kPastStart); said here, it is
    // one more violation beside the others of the request.
    violations.Add("appointment.start_time", "must not be in the past");
  }
  if (appointment.kind() == clinic::v1::VISIT_KIND_CONSULTATION && type != nullptr) {
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
  return violations;
}

}  // namespace

absl::StatusOr<LoadedBooking> LoadBookingContext(store::Transaction& tx,
                                                 const plugin_host::TreatmentRegistry& registry,
                                                 const std::string& clinic_id, absl::Time now,
                                                 const Appointment& appointment, bool moved) {
  if (FieldViolations v = ShapeViolations(registry, clinic_id, now, appointment); !v.empty()) {
    return v.ToStatus();
  }
  const clinic::v1::TreatmentType& type = *registry.FindTreatmentType(appointment.treatment_type());
  absl::StatusOr<domain::BookingContext> context =
      ClinicPart(tx, clinic_id, now, type, appointment.kind(), appointment.numbing());
  if (!context.ok()) return context.status();
  context->moved = moved;
  context->overrides.assign(appointment.rule_override().reasons().begin(),
                            appointment.rule_override().reasons().end());

  const std::string patient_id = LastIdOf(appointment.patient());
  if (absl::Status s =
          resources::LoadResource<clinic::v1::Patient>(tx, store::kPatientsTable, {clinic_id},
                                                       patient_id, appointment.patient())
              .status();
      !s.ok()) {
    return s;
  }
  absl::StatusOr<clinic::v1::Practitioner> practitioner =
      resources::LoadResource<clinic::v1::Practitioner>(tx, store::kPractitionersTable, {clinic_id},
                                                        LastIdOf(appointment.practitioner()),
                                                        appointment.practitioner());
  if (!practitioner.ok()) return practitioner.status();
  absl::StatusOr<clinic::v1::Room> room = resources::LoadResource<clinic::v1::Room>(
      tx, store::kRoomsTable, {clinic_id}, LastIdOf(appointment.room()), appointment.room());
  if (!room.ok()) return room.status();

  const absl::Time start = FromProtoTime(appointment.start_time());
  // The whole visit, the room's turnaround included.
  const store::BookingWindow window{start, domain::RoomBlockOf(*context, start).end,
                                    LastIdOf(appointment.name())};
  const absl::CivilDay day = absl::ToCivilDay(start, context->zone);
  if (absl::Status s = LoadCalendars(tx, clinic_id, {*std::move(practitioner)}, {*std::move(room)},
                                     day - 1, day + 1, window, *context);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          LoadPatientFacts(tx, registry, clinic_id, appointment.patient(), window, start, *context);
      !s.ok()) {
    return s;
  }
  if (!appointment.series().empty() && appointment.kind() != clinic::v1::VISIT_KIND_CONSULTATION) {
    if (absl::Status s = LoadSeriesFacts(tx, registry, clinic_id, appointment.series(),
                                         appointment.patient(), window, *context);
        !s.ok()) {
      return s;
    }
  }
  return LoadedBooking{*std::move(context), domain::Candidate{0, 0, start}};
}

absl::StatusOr<domain::BookingContext> LoadSearchContext(
    store::Transaction& tx, const plugin_host::TreatmentRegistry& registry,
    const std::string& clinic_id, absl::Time now, const clinic::v1::TreatmentType& type,
    const SearchScope& scope) {
  absl::StatusOr<domain::BookingContext> context =
      ClinicPart(tx, clinic_id, now, type, scope.kind, scope.numbing);
  if (!context.ok()) return context.status();
  context->overrides = scope.overrides;
  const absl::Time from = domain::ResolveLocal(absl::CivilSecond(scope.first), context->zone);
  const absl::Time to = domain::ResolveLocal(absl::CivilSecond(scope.last + 1), context->zone);

  // Only those who could take the visit; their busy time is all we load.
  absl::StatusOr<std::vector<clinic::v1::Practitioner>> all_practitioners =
      store::ClinicPractitioners(tx, clinic_id);
  if (!all_practitioners.ok()) return all_practitioners.status();
  std::vector<clinic::v1::Practitioner> practitioners;
  for (clinic::v1::Practitioner& p : *all_practitioners) {
    const auto& types = p.treatment_types();
    if (!p.active() || std::find(types.begin(), types.end(), type.name()) == types.end()) continue;
    if (!scope.practitioner_id.empty() && LastIdOf(p.name()) != scope.practitioner_id) continue;
    practitioners.push_back(std::move(p));
  }
  absl::StatusOr<std::vector<clinic::v1::Room>> all_rooms = store::ClinicRooms(tx, clinic_id);
  if (!all_rooms.ok()) return all_rooms.status();
  const std::vector<std::string> needs = domain::RoomNeeds(type, scope.kind);
  std::vector<clinic::v1::Room> rooms;
  for (clinic::v1::Room& r : *all_rooms) {
    const auto& has = r.capabilities();
    const bool suitable = std::all_of(needs.begin(), needs.end(), [&](const std::string& c) {
      return std::find(has.begin(), has.end(), c) != has.end();
    });
    if (r.active() && suitable) rooms.push_back(std::move(r));
  }
  // A slot's room may stay blocked past the last day by its turnaround.
  const store::BookingWindow window{from, to + context->length.turnaround, ""};
  if (absl::Status s = LoadCalendars(tx, clinic_id, std::move(practitioners), std::move(rooms),
                                     scope.first, scope.last, window, *context);
      !s.ok()) {
    return s;
  }
  if (scope.patient.empty()) return context;
  if (absl::Status s = LoadPatientFacts(tx, registry, clinic_id, scope.patient, window,
                                        std::max(now, from), *context);
      !s.ok()) {
    return s;
  }
  if (!scope.series.empty() && scope.kind != clinic::v1::VISIT_KIND_CONSULTATION) {
    if (absl::Status s =
            LoadSeriesFacts(tx, registry, clinic_id, scope.series, scope.patient, window, *context);
        !s.ok()) {
      return s;
    }
  }
  return context;
}

}  // namespace clinicd::booking
