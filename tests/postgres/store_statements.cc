#include "tests/postgres/store_statements.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "services/store/booking_queries.h"
#include "services/store/event_rows.h"
#include "services/store/notification_lease_rows.h"
#include "services/store/patient_search_rows.h"
#include "services/store/recall_rows.h"
#include "services/store/transaction.h"

namespace clinicd::testing {
namespace {

// check_schema.sh's rows: clinic c1 with practitioners p1.., rooms r1..,
// patients pt1.. and appointments every 30 minutes from kFirstStart.
const absl::Time kFirstStart = absl::FromUnixMicros(1767225600000000);  // 2026-01-01 UTC
const std::string kClinic = "c1";
const std::string kPatient = "pt7";
const std::string kType = "botox";

store::BookingWindow Window() {
  const absl::Time from = kFirstStart + absl::Hours(500);
  return {from, from + absl::Hours(8), "a-none"};
}

}  // namespace

absl::Status RecordStoreStatements(RecordingConnection& connection) {
  store::Transaction tx(&connection);
  const std::vector<std::string> practitioners = {"p1", "p2", "p3"};
  const std::vector<std::string> rooms = {"r1", "r2"};
  const absl::Duration longest = absl::Hours(4);
  const store::BookingWindow window = Window();
  store::ClaimFilter claim;
  claim.clinic_ids = {kClinic};
  claim.channels = {clinic::v1::NOTIFICATION_CHANNEL_SMS};
  store::PatientMatch by_name;
  by_name.name_prefixes = {"ann", "smi"};
  store::PatientMatch by_phone;
  by_phone.phone_e164 = "+441632960007";

  const std::vector<std::pair<const char*, std::function<absl::Status()>>> calls = {
      {"PractitionerAppointments",
       [&] {
         return store::PractitionerAppointments(tx, kClinic, practitioners, window, longest)
             .status();
       }},
      {"RoomAppointments",
       [&] { return store::RoomAppointments(tx, kClinic, rooms, window, longest).status(); }},
      {"PatientAppointments",
       [&] { return store::PatientAppointments(tx, kClinic, kPatient, window, longest).status(); }},
      {"TimeOffOverlapping",
       [&] {
         return store::TimeOffOverlapping(tx, kClinic, practitioners, window, longest).status();
       }},
      {"ClosuresOverlapping",
       [&] { return store::ClosuresOverlapping(tx, kClinic, window, longest).status(); }},
      {"CountedSessionTimes",
       [&] { return store::CountedSessionTimes(tx, kClinic, kPatient, kType, window).status(); }},
      {"FirstSessionTime",
       [&] {
         return store::FirstSessionTime(tx, kClinic, kPatient, kType, "a-none", false).status();
       }},
      {"ConsultationsNear",
       [&] { return store::ConsultationsNear(tx, kClinic, kPatient, kType, window).status(); }},
      {"AppendEvent",
       [&] {
         return store::AppendEvent(tx, kClinic, clinic::v1::EVENT_KIND_APPOINTMENT_BOOKED,
                                   "clinics/c1/appointments/a1", "clinics/c1/patients/pt7",
                                   kFirstStart);
       }},
      {"ReadEventRows",
       [&] {
         return store::ReadEventRows(tx, 19000, false, {"c1", "c2"}, 100).status();
       }},
      {"ClaimableNotifications",
       [&] {
         return store::ClaimableNotifications(tx, kFirstStart + absl::Hours(24 * 30), claim, 10)
             .status();
       }},
      {"SearchPatientRowsByName",
       [&] { return store::SearchPatientRows(tx, kClinic, by_name, {}, 20).status(); }},
      {"SearchPatientRowsByPhone",
       [&] { return store::SearchPatientRows(tx, kClinic, by_phone, {}, 20).status(); }},
      {"RecallsToAdvance",
       [&] { return store::RecallsToAdvance(tx, kFirstStart + absl::Hours(24)).status(); }},
  };
  for (const auto& [label, call] : calls) {
    connection.Label(label);
    if (absl::Status status = call(); !status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace clinicd::testing
