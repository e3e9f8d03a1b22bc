#include "services/booking/availability_query.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/common/errors.h"
#include "services/common/pagination.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/domain/availability.h"
#include "services/resources/resource_fields.h"

namespace clinicd::booking {
namespace {

using clinic::v1::SearchAvailabilityRequest;

constexpr int kMaxDays = 31;

// The local day a google.type.Date names, or a violation.
std::optional<absl::CivilDay> DayOf(FieldViolations& violations, const std::string& field,
                                    const google::type::Date& date) {
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.year() < 2000 || day.year() != date.year() || day.month() != date.month() ||
      day.day() != date.day()) {
    violations.Add(field, "must be a real calendar date");
    return std::nullopt;
  }
  return day;
}

}  // namespace

absl::StatusOr<clinic::v1::SearchAvailabilityResponse> SearchAvailability(
    const store::Database& db, const plugin_host::TreatmentRegistry& registry,
    const auth::Principal& principal, const SearchAvailabilityRequest& request, absl::Time now) {
  std::vector<absl::string_view> clinic_pattern = {"clinics"};
  absl::StatusOr<std::vector<std::string>> clinic_ids =
      ParseResourceName("parent", request.parent(), clinic_pattern);
  if (!clinic_ids.ok()) return clinic_ids.status();
  const std::string clinic_id = clinic_ids->front();
  if (absl::Status s = auth::CheckClinicAccess(principal, clinic_id); !s.ok()) return s;

  FieldViolations violations;
  const clinic::v1::TreatmentType* type = registry.FindTreatmentType(request.treatment_type());
  if (type == nullptr) {
    violations.Add("treatment_type",
                   "must be a treatment type a loaded plugin provides (see ListTreatmentTypes)");
  }
  std::optional<absl::CivilDay> first = DayOf(violations, "start_date", request.start_date());
  std::optional<absl::CivilDay> last =
      request.has_end_date() ? DayOf(violations, "end_date", request.end_date()) : first;
  if (first && last && (*last < *first || *last - *first >= kMaxDays)) {
    violations.Add("end_date", absl::StrCat("must be on or after start_date and at most ",
                                            kMaxDays - 1, " days after it"));
  }
  const std::string practitioner_id =
      request.practitioner().empty()
          ? ""
          : IdInClinic(violations, "practitioner", request.practitioner(), clinic_id,
                       "practitioners");
  const std::string patient_id =
      request.patient().empty()
          ? ""
          : IdInClinic(violations, "patient", request.patient(), clinic_id, "patients");
  const bool consultation = request.kind() == clinic::v1::VISIT_KIND_CONSULTATION;
  if (consultation && type != nullptr && !type->has_consultation_visit()) {
    violations.Add("kind",
                   absl::StrCat(type->name(), " has no consultation visit in its protocol"));
  }
  if (consultation && request.numbing()) {
    violations.Add("numbing", "must be false for a consultation: nothing to numb");
  }
  absl::StatusOr<int> limit = EffectivePageSize(request.page_size());
  if (!limit.ok()) return limit.status();
  if (!violations.empty()) return violations.ToStatus();
  const std::string fingerprint = resources::QueryFingerprint(request);
  absl::StatusOr<std::vector<std::string>> after =
      DecodePageToken(request.page_token(), fingerprint);
  if (!after.ok()) return after.status();

  SearchScope scope;
  scope.first = *first;
  scope.last = *last;
  scope.practitioner_id = practitioner_id;
  scope.patient = patient_id.empty() ? "" : request.patient();
  scope.kind = request.kind() == clinic::v1::VISIT_KIND_UNSPECIFIED
                   ? clinic::v1::VISIT_KIND_TREATMENT
                   : request.kind();
  scope.numbing = request.numbing();
  domain::SlotQuery query;
  int64_t after_micros = 0;
  if (after->size() == 2 && absl::SimpleAtoi((*after)[0], &after_micros)) {
    query.after_start = absl::FromUnixMicros(after_micros);
    query.after_practitioner = (*after)[1];
  }

  absl::StatusOr<FoundSlots> found =
      FindSlots(db, registry, clinic_id, *type, scope, query, now, static_cast<size_t>(*limit) + 1);
  if (!found.ok()) return found.status();
  const std::vector<domain::FreeSlot>& slots = found->slots;
  clinic::v1::SearchAvailabilityResponse response;
  if (found->earliest_eligible > found->first_start &&
      found->earliest_eligible != absl::InfiniteFuture()) {
    *response.mutable_earliest_eligible_time() = ToProtoTime(found->earliest_eligible);
  }
  for (size_t i = 0; i < slots.size() && static_cast<int>(i) < *limit; ++i) {
    *response.add_slots() = ToSlot(slots[i]);
  }
  if (static_cast<int>(slots.size()) > *limit) {
    const domain::FreeSlot& last_slot = slots[*limit - 1];
    response.set_next_page_token(EncodePageToken(
        {absl::StrCat(absl::ToUnixMicros(last_slot.start)), last_slot.practitioner}, fingerprint));
  }
  return response;
}

absl::StatusOr<FoundSlots> FindSlots(const store::Database& db,
                                     const plugin_host::TreatmentRegistry& registry,
                                     const std::string& clinic_id,
                                     const clinic::v1::TreatmentType& type,
                                     const SearchScope& scope, domain::SlotQuery query,
                                     absl::Time now, size_t limit) {
  FoundSlots found;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::BookingContext> context =
        LoadSearchContext(tx, registry, clinic_id, now, type, scope);
    if (!context.ok()) return context.status();
    found.first_start =
        std::max(now, domain::ResolveLocal(absl::CivilSecond(scope.first), context->zone));
    // Every time before it is refused by the rules: the walk starts there.
    found.earliest_eligible = domain::EarliestEligible(*context, found.first_start);
    query.not_before = std::max(query.not_before, found.earliest_eligible);
    found.slots = domain::FindFreeSlots(*context, query, limit);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

clinic::v1::Slot ToSlot(const domain::FreeSlot& slot) {
  clinic::v1::Slot out;
  *out.mutable_start_time() = ToProtoTime(slot.start);
  *out.mutable_end_time() = ToProtoTime(slot.end);
  out.set_practitioner(slot.practitioner);
  out.set_room(slot.room);
  return out;
}

}  // namespace clinicd::booking
