#include "clients/clinicctl/flags.h"

#include <vector>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, clinic, "",
          "the clinic, CLINIC or clinics/CLINIC (default: $CLINICD_CLINIC); `clinicctl clinic "
          "list` shows the ones the key may see");
ABSL_FLAG(bool, json, false,
          "print clinicd's response messages as JSON (protobuf's mapping) instead of tables");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "how long to wait for each call to clinicd");

ABSL_FLAG(std::string, patient, "",
          "the patient: an id, clinics/C/patients/P, or name words or a phone number that match "
          "exactly one patient");
ABSL_FLAG(std::string, practitioner, "",
          "the practitioner: an id, clinics/C/practitioners/P, or their display name");
ABSL_FLAG(std::string, room, "", "the room: an id, clinics/C/rooms/R, or its display name");
ABSL_FLAG(std::string, treatment, "microneedling",
          "the treatment type, e.g. microneedling (or treatmentTypes/microneedling)");
ABSL_FLAG(std::string, series, "", "the series: an id or clinics/C/series/S");
ABSL_FLAG(std::string, appointment, "", "the appointment: an id or clinics/C/appointments/A");

ABSL_FLAG(std::string, at, "",
          "local time in the clinic's zone: \"YYYY-MM-DD HH:MM\", \"tomorrow 09:30\"; add the "
          "UTC offset (2027-10-31T02:30+01:00) for an hour the clocks repeat");
ABSL_FLAG(std::string, date, "today",
          "local date in the clinic's zone: YYYY-MM-DD, today, tomorrow or +N days");
ABSL_FLAG(std::string, from, "today", "first local date to search: YYYY-MM-DD, today, +N");
ABSL_FLAG(std::string, to, "",
          "last local date to search, inclusive (default: 6 days after --from; at most 30)");
ABSL_FLAG(std::string, snooze, "14d", "how long to hold the recall's notices: 14d, 3w, 36h");

ABSL_FLAG(bool, numbing, false, "the session includes topical numbing (adds its duration)");
ABSL_FLAG(std::string, reason, "", "why, in words (recorded with the change)");
ABSL_FLAG(std::string, summary, "", "what was done, e.g. \"full face\"");
ABSL_FLAG(double, needle_depth, 0, "needle depth in millimetres, e.g. 1.5");
ABSL_FLAG(std::string, notes, "", "the clinician's notes");
ABSL_FLAG(std::string, indication, "",
          "what the course treats, an indication id of the treatment, e.g. acne_scars");
ABSL_FLAG(int, sessions, 0,
          "sessions planned, within the indication's range (default: the protocol's)");

ABSL_FLAG(int, limit, 20, "show at most this many (1-500)");
ABSL_FLAG(std::string, view, "all", "which recalls: due, upcoming, lapsed or all");
ABSL_FLAG(bool, pending, false, "only messages not yet delivered (pending or leased)");

namespace clinicd::clinicctl {

const std::vector<std::string>& CommonFlagNames() {
  static const std::vector<std::string> names = {"clinic",  "json", "timeout", "server",
                                                 "api_key", "tls",  "tls_ca",  "tls_server_name"};
  return names;
}

}  // namespace clinicd::clinicctl
