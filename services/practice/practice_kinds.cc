#include "services/practice/practice_kinds.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"
#include "services/domain/practice_validation.h"
#include "services/resources/load_resource.h"
#include "services/store/tables.h"

namespace clinicd::practice {
namespace {

using clinic::v1::Clinic;
using clinic::v1::Closure;
using clinic::v1::Practitioner;
using clinic::v1::Room;
using clinic::v1::TimeOff;


}  // namespace

absl::StatusOr<Clinic> LoadClinic(store::Transaction& tx, const std::string& clinic_id) {
  return resources::LoadResource<Clinic>(tx, store::kClinicsTable, {}, clinic_id,
                                         absl::StrCat("clinics/", clinic_id));
}

resources::ResourceKind<Clinic> ClinicKind() {
  resources::ResourceKind<Clinic> kind;
  kind.field = "clinic";
  kind.collections = {"clinics"};
  kind.table = store::kClinicsTable;
  kind.mutable_fields = {"display_name", "time_zone",   "region_code", "address_lines",
                         "phone_number", "email",       "policy"};
  kind.validate = [](store::Transaction&, absl::Time, const std::vector<std::string>&,
                     const Clinic*, Clinic& clinic) {
    return domain::ValidateClinic("clinic", clinic);
  };
  kind.delete_blocked =
      "it still has practitioners, rooms or patients; delete those first";
  return kind;
}

resources::ResourceKind<Practitioner> PractitionerKind(
    const plugin_host::TreatmentRegistry* registry) {
  resources::ResourceKind<Practitioner> kind;
  kind.field = "practitioner";
  kind.collections = {"clinics", "practitioners"};
  kind.table = store::kPractitionersTable;
  kind.parent_table = store::kClinicsTable;
  kind.mutable_fields = {"display_name",    "title",         "email", "phone_number",
                         "treatment_types", "working_hours", "active"};
  kind.validate = [registry](store::Transaction& tx, absl::Time, const std::vector<std::string>& scope,
                             const Practitioner* previous,
                             Practitioner& practitioner) -> absl::Status {
    absl::StatusOr<Clinic> clinic = LoadClinic(tx, scope.front());
    if (!clinic.ok()) return clinic.status();
    if (absl::Status s = domain::ValidatePractitioner("practitioner", *clinic, practitioner);
        !s.ok() || registry == nullptr) {
      return s;
    }
    FieldViolations violations;
    for (int i = 0; i < practitioner.treatment_types_size(); ++i) {
      const std::string& type = practitioner.treatment_types(i);
      const bool kept = previous != nullptr &&
                        std::find(previous->treatment_types().begin(),
                                  previous->treatment_types().end(),
                                  type) != previous->treatment_types().end();
      if (!kept && registry->FindTreatmentType(type) == nullptr) {
        violations.Add(absl::StrCat("practitioner.treatment_types[", i, "]"),
                       absl::StrCat("must name a treatment type a loaded plugin provides; `",
                                    type, "` is not one (see ListTreatmentTypes)"));
      }
    }
    return violations.ToStatus();
  };
  kind.delete_blocked = "appointments still refer to this practitioner";
  return kind;
}

resources::ResourceKind<Room> RoomKind() {
  resources::ResourceKind<Room> kind;
  kind.field = "room";
  kind.collections = {"clinics", "rooms"};
  kind.table = store::kRoomsTable;
  kind.parent_table = store::kClinicsTable;
  kind.mutable_fields = {"display_name", "capabilities", "active"};
  kind.validate = [](store::Transaction&, absl::Time, const std::vector<std::string>&, const Room*,
                     Room& room) { return domain::ValidateRoom("room", room); };
  kind.delete_blocked = "appointments still refer to this room";
  return kind;
}

resources::ResourceKind<TimeOff> TimeOffKind() {
  resources::ResourceKind<TimeOff> kind;
  kind.field = "time_off";
  kind.collections = {"clinics", "practitioners", "timeOff"};
  kind.table = store::kTimeOffTable;
  kind.parent_table = store::kPractitionersTable;
  kind.validate = [](store::Transaction&, absl::Time, const std::vector<std::string>&,
                     const TimeOff*, TimeOff& period) {
    return domain::ValidatePeriod("time_off", period.has_start_time(),
                                  period.start_time(), period.has_end_time(),
                                  period.end_time(), period.reason());
  };
  kind.order = {"start_time", /*integer=*/true};
  kind.columns = [](const TimeOff& period) {
    return std::vector<store::Column>{{"start_time", ProtoTimeMicros(period.start_time())},
                                      {"end_time", ProtoTimeMicros(period.end_time())}};
  };
  return kind;
}

resources::ResourceKind<Closure> ClosureKind() {
  resources::ResourceKind<Closure> kind;
  kind.field = "closure";
  kind.collections = {"clinics", "closures"};
  kind.table = store::kClosuresTable;
  kind.parent_table = store::kClinicsTable;
  kind.validate = [](store::Transaction&, absl::Time, const std::vector<std::string>&,
                     const Closure*, Closure& period) {
    return domain::ValidatePeriod("closure", period.has_start_time(),
                                  period.start_time(), period.has_end_time(),
                                  period.end_time(), period.reason());
  };
  kind.order = {"start_time", /*integer=*/true};
  kind.columns = [](const Closure& period) {
    return std::vector<store::Column>{{"start_time", ProtoTimeMicros(period.start_time())},
                                      {"end_time", ProtoTimeMicros(period.end_time())}};
  };
  return kind;
}

}  // namespace clinicd::practice
