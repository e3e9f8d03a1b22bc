#include "services/booking/availability_query.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "clinic/v1/patient_service.pb.h"
#include "services/booking/booking_rules.h"
#include "services/common/errors.h"
#include "services/consent/clearance_query.h"
#include "services/domain/clearance.h"
#include "services/common/proto_time.h"
#include "services/common/pagination.h"
#include "services/common/resource_name.h"
#include "services/domain/availability.h"
#include "services/domain/time_bounds.h"
#include "services/resources/load_resource.h"
#include "services/resources/resource_fields.h"
#include "services/store/tables.h"

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

// Every row of `table` under the clinic, parsed as M.
template <typename M>
absl::StatusOr<std::vector<M>> LoadAll(store::Transaction& tx, const store::ResourceTable& table,
                                       const std::string& clinic_id) {
  absl::StatusOr<store::Statement> stmt =
      tx.Prepare(absl::StrCat("SELECT data FROM ", table.table, " WHERE clinic_id = ?1 ORDER BY id"));
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, clinic_id);
  std::vector<M> items;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return items;
    M item;
    if (!item.ParseFromString(stmt->ColumnBlob(0))) return absl::InternalError("corrupt row");
    items.push_back(std::move(item));
  }
}

// Rows (owner id, start, end) of a busy-time query over [from, to).
absl::Status CollectBusy(store::Transaction& tx, absl::string_view sql, const std::string& clinic_id,
                         absl::Time from, absl::Time to, absl::Duration longest,
                         const std::function<void(const std::string&, domain::Interval)>& add) {
  absl::StatusOr<store::Statement> stmt = tx.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  // ?4: nothing that started `longest` before `from` can reach into the
  // window, so the index range read is the window's, not all history's.
  stmt->BindText(1, clinic_id).Bind(2, from).Bind(3, to).Bind(4, from - longest);
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    add(stmt->ColumnText(0), {stmt->ColumnTime(1), stmt->ColumnTime(2)});
  }
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
  const std::string prefix = request.parent() + "/";
  const std::string practitioner_id =
      request.practitioner().empty()
          ? ""
          : IdInClinic(violations, "practitioner", request.practitioner(), clinic_id, "practitioners");
  const std::string patient_id =
      request.patient().empty()
          ? ""
          : IdInClinic(violations, "patient", request.patient(), clinic_id, "patients");
  const bool consultation = request.kind() == clinic::v1::VISIT_KIND_CONSULTATION;
  if (consultation && type != nullptr && !type->has_consultation_visit()) {
    violations.Add("kind", absl::StrCat(type->name(), " has no consultation visit in its protocol"));
  }
  if (consultation && request.numbing()) {
    violations.Add("numbing", "must be false for a consultation: nothing to numb");
  }
  absl::StatusOr<int> limit = EffectivePageSize(request.page_size());
  if (!limit.ok()) return limit.status();
  if (!violations.empty()) return violations.ToStatus();
  const std::string fingerprint = resources::QueryFingerprint(request);
  absl::StatusOr<std::vector<std::string>> after = DecodePageToken(request.page_token(), fingerprint);
  if (!after.ok()) return after.status();

  clinic::v1::SearchAvailabilityResponse response;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<clinic::v1::Clinic> clinic = resources::LoadResource<clinic::v1::Clinic>(
        tx, store::kClinicsTable, {}, clinic_id, request.parent());
    if (!clinic.ok()) return clinic.status();
    absl::StatusOr<absl::TimeZone> clinic_zone = domain::ClinicTimeZone(*clinic);
    if (!clinic_zone.ok()) return clinic_zone.status();
    const absl::TimeZone zone = *clinic_zone;
    const absl::Time from = domain::ResolveLocal(absl::CivilSecond(*first), zone);
    const absl::Time to = domain::ResolveLocal(absl::CivilSecond(*last + 1), zone);

    std::map<std::string, domain::PractitionerCalendar> practitioners;  // by id
    absl::StatusOr<std::vector<clinic::v1::Practitioner>> all_practitioners =
        LoadAll<clinic::v1::Practitioner>(tx, store::kPractitionersTable, clinic_id);
    if (!all_practitioners.ok()) return all_practitioners.status();
    for (const auto& p : *all_practitioners) {
      const std::string id = p.name().substr(p.name().rfind('/') + 1);
      const auto& types = p.treatment_types();
      if (!p.active() || std::find(types.begin(), types.end(), type->name()) == types.end()) continue;
      if (!practitioner_id.empty() && id != practitioner_id) continue;
      practitioners[id] = {p.name(), domain::WorkingIntervals(p, zone, *first, *last), {}};
    }
    std::map<std::string, domain::RoomCalendar> rooms;  // by id
    absl::StatusOr<std::vector<clinic::v1::Room>> all_rooms =
        LoadAll<clinic::v1::Room>(tx, store::kRoomsTable, clinic_id);
    if (!all_rooms.ok()) return all_rooms.status();
    const std::vector<std::string> needs = RoomNeeds(*type, request.kind());
    for (const auto& r : *all_rooms) {
      const auto& has = r.capabilities();
      const bool suitable = std::all_of(
          needs.begin(), needs.end(),
          [&](const std::string& c) { return std::find(has.begin(), has.end(), c) != has.end(); });
      if (r.active() && suitable) rooms[r.name().substr(r.name().rfind('/') + 1)] = {r.name(), {}};
    }

    absl::Status s = CollectBusy(
        tx,
        "SELECT practitioner_id, start_time, end_time FROM appointments WHERE clinic_id = ?1 "
        "AND state IN (1, 2) AND start_time < ?3 AND start_time > ?4 AND end_time > ?2",
        clinic_id, from, to, domain::kLongestVisit, [&](const std::string& id, domain::Interval busy) {
          if (auto it = practitioners.find(id); it != practitioners.end()) it->second.busy.push_back(busy);
        });
    if (s.ok()) {
      s = CollectBusy(
          tx,
          "SELECT room_id, start_time, room_end_time FROM appointments WHERE clinic_id = ?1 "
          "AND state IN (1, 2) AND start_time < ?3 AND start_time > ?4 AND room_end_time > ?2",
          clinic_id, from, to, domain::kLongestVisit, [&](const std::string& id, domain::Interval busy) {
            if (auto it = rooms.find(id); it != rooms.end()) it->second.busy.push_back(busy);
          });
    }
    if (s.ok()) {
      s = CollectBusy(
          tx,
          "SELECT practitioner_id, start_time, end_time FROM time_off WHERE clinic_id = ?1 "
          "AND start_time < ?3 AND start_time > ?4 AND end_time > ?2",
          clinic_id, from, to, domain::kLongestPeriod, [&](const std::string& id, domain::Interval busy) {
            if (auto it = practitioners.find(id); it != practitioners.end()) it->second.busy.push_back(busy);
          });
    }
    if (s.ok()) {
      s = CollectBusy(
          tx,
          "SELECT clinic_id, start_time, end_time FROM closures WHERE clinic_id = ?1 "
          "AND start_time < ?3 AND start_time > ?4 AND end_time > ?2",
          clinic_id, from, to, domain::kLongestPeriod, [&](const std::string&, domain::Interval busy) {
            for (auto& [id, p] : practitioners) p.busy.push_back(busy);
            for (auto& [id, r] : rooms) r.busy.push_back(busy);
          });
    }
    if (!s.ok()) return s;

    domain::SlotQuery query;
    const SessionLength length = LengthOf(*type, request.kind(), request.numbing());
    query.session = length.session;
    query.turnaround = length.turnaround;
    query.not_before = now;
    std::vector<absl::Time> sessions;
    std::vector<domain::Interval> patient_busy;
    domain::ClearanceInput facts;
    absl::Time not_before = absl::InfinitePast();
    if (!patient_id.empty()) {
      if (absl::Status p = resources::LoadResource<clinic::v1::Patient>(
                               tx, store::kPatientsTable, {clinic_id}, patient_id, request.patient())
                               .status();
          !p.ok()) {
        return p;
      }
      // A consultation is a conversation: no spacing and no screening rules.
      if (!consultation) {
        absl::StatusOr<std::vector<absl::Time>> times =
            LoadSessionTimes(tx, clinic_id, patient_id, type->name(), "");
        if (!times.ok()) return times.status();
        sessions = *std::move(times);
        const absl::Time first_start = std::max(now, from);
        absl::Time earliest = EarliestSpaced(*type, zone, sessions, first_start);
        // The patient's screening restrictions, loaded once: dated restrictions
        // hold until a time, so nothing before the latest of them is offered,
        // and each slot after it is checked as booking checks it.
        absl::StatusOr<domain::ClearanceInput> loaded =
            consent::LoadClearanceFacts(tx, registry, *type, clinic_id, patient_id, first_start);
        if (!loaded.ok()) return loaded.status();
        facts = *std::move(loaded);
        const clinic::v1::Clearance blocking = domain::BlockingForBooking(
            domain::EvaluateClearance(facts), clinic->policy().require_consent_at_booking());
        if (!blocking.treatable()) {
          not_before = blocking.has_earliest_treatable_time()
                           ? FromProtoTime(blocking.earliest_treatable_time())
                           : absl::InfiniteFuture();
          earliest = std::max(earliest, not_before);
        }
        if (earliest > first_start && earliest != absl::InfiniteFuture()) {
          *response.mutable_earliest_eligible_time() = ToProtoTime(earliest);
        }
      }
      // The patient's own other appointments (any treatment) block too.
      s = CollectBusy(
          tx,
          "SELECT patient_id, start_time, end_time FROM appointments WHERE clinic_id = ?1 "
          "AND state IN (1, 2) AND start_time < ?3 AND start_time > ?4 AND end_time > ?2",
          clinic_id, from, to, domain::kLongestVisit, [&](const std::string& id, domain::Interval busy) {
            if (id == patient_id) patient_busy.push_back(busy);
          });
      if (!s.ok()) return s;
      query.allowed = [&](absl::Time start) {
        if (start < not_before) return false;
        if (EarliestSpaced(*type, zone, sessions, start) != start ||
            !domain::IsFree(patient_busy, {start, start + query.session})) {
          return false;
        }
        if (consultation) return true;
        facts.time = start;  // The same facts, decided for this slot's time.
        return domain::BlockingForBooking(domain::EvaluateClearance(facts),
                                          clinic->policy().require_consent_at_booking())
            .treatable();
      };
    }
    int64_t after_micros = 0;
    if (after->size() == 2 && absl::SimpleAtoi((*after)[0], &after_micros)) {
      query.after_start = absl::FromUnixMicros(after_micros);
      query.after_practitioner = (*after)[1];
    }
    std::vector<domain::PractitionerCalendar> practitioner_list;
    for (auto& [id, p] : practitioners) practitioner_list.push_back(std::move(p));
    std::vector<domain::RoomCalendar> room_list;
    for (auto& [id, r] : rooms) room_list.push_back(std::move(r));
    std::vector<domain::FreeSlot> slots =
        domain::FindFreeSlots(query, practitioner_list, room_list, *limit + 1);
    for (size_t i = 0; i < slots.size() && static_cast<int>(i) < *limit; ++i) {
      clinic::v1::Slot* slot = response.add_slots();
      *slot->mutable_start_time() = ToProtoTime(slots[i].start);
      *slot->mutable_end_time() = ToProtoTime(slots[i].end);
      slot->set_practitioner(slots[i].practitioner);
      slot->set_room(slots[i].room);
    }
    if (static_cast<int>(slots.size()) > *limit) {
      const domain::FreeSlot& last_slot = slots[*limit - 1];
      response.set_next_page_token(EncodePageToken(
          {absl::StrCat(absl::ToUnixMicros(last_slot.start)), last_slot.practitioner}, fingerprint));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

}  // namespace clinicd::booking
