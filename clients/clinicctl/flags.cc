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
ABSL_FLAG(std::string, from, "",
          "where a search or period begins: a local date YYYY-MM-DD, today or +N (slots: the "
          "first day to search, default today); time off and closures also take a local time "
          "\"YYYY-MM-DD HH:MM\"");
ABSL_FLAG(std::string, to, "",
          "where it ends: a local date, inclusive (slots: default 6 days after --from, at most "
          "30); time off and closures also take a local time");
ABSL_FLAG(std::string, snooze, "14d", "how long to hold the recall's notices: 14d, 3w, 36h");

ABSL_FLAG(bool, numbing, false, "the session includes topical numbing (adds its duration)");
ABSL_FLAG(std::string, reason, "", "why, in words (recorded with the change)");
ABSL_FLAG(std::string, summary, "", "what was done, e.g. \"full face\"");
ABSL_FLAG(double, needle_depth, 0, "needle depth in millimetres, e.g. 1.5");
ABSL_FLAG(std::string, notes, "", "the clinician's notes");
ABSL_FLAG(std::string, indication, "",
          "what the course treats, an indication id of the treatment, e.g. acne_scars "
          "(series create: default the one the patient's consultation recorded)");
ABSL_FLAG(int, sessions, 0,
          "sessions planned, within the indication's range (default: the protocol's)");

ABSL_FLAG(bool, consultation, false,
          "the consultation before a first session (kind CONSULTATION: its own length, any "
          "active room), not a treatment session");
ABSL_FLAG(bool, suitable, false, "the clinician found the patient suitable for the treatment");
ABSL_FLAG(bool, not_suitable, false,
          "the clinician found the patient not suitable for the treatment");
ABSL_FLAG(std::string, outcome, "",
          "the clinician's decision: cleared, deferred, contraindicated or needs_review");
ABSL_FLAG(std::vector<std::string>, override, {},
          "protocol rules a clinician books past, comma separated: SERIES_SPACING, "
          "SERIES_WINDOW_CLOSED, REPEAT_COURSE_TOO_SOON, MAINTENANCE_TOO_SOON (clinician key; "
          "needs --justification)");
ABSL_FLAG(std::string, justification, "",
          "why the clinician books past the rules named in --override (recorded with it)");
ABSL_FLAG(std::string, out, "", "the file to write, e.g. consent.pdf (- for standard output)");

ABSL_FLAG(std::string, name, "", "the display name, e.g. \"Haut & Licht Berlin\" or \"Dr. Lena Wolf\"");
ABSL_FLAG(std::string, time_zone, "", "the clinic's IANA time zone, e.g. Europe/Berlin");
ABSL_FLAG(std::string, region, "",
          "the clinic's region (CLDR code, e.g. DE); national phone numbers are read in it");
ABSL_FLAG(std::string, email, "", "e-mail address");
ABSL_FLAG(std::string, phone, "", "phone number, national (in the clinic's region) or +E.164");
ABSL_FLAG(std::vector<std::string>, address, {},
          "postal address lines, comma separated: \"Torstr. 1,10119 Berlin\"");
ABSL_FLAG(std::string, quiet_hours, "",
          "nightly hours when no message goes out, local HH:MM-HH:MM, e.g. 21:00-08:00 "
          "(default: none)");
ABSL_FLAG(std::string, title, "", "professional title, e.g. Dermatologist");
ABSL_FLAG(std::vector<std::string>, treatments, {},
          "treatment types, comma separated, e.g. microneedling");
ABSL_FLAG(std::string, hours, "",
          "weekly working hours in clinic time: days then HH:MM-HH:MM, groups joined by ';': "
          "\"mon-fri 09:00-17:00; sat 10:00-14:00\", \"mon,wed 08:00-12:00 13:00-18:00\"");
ABSL_FLAG(std::vector<std::string>, capabilities, {},
          "what the room offers, comma separated, e.g. microneedling_device,sink");
ABSL_FLAG(std::string, given, "", "given name(s)");
ABSL_FLAG(std::string, family, "", "family name");
ABSL_FLAG(std::string, birth_date, "", "date of birth, YYYY-MM-DD");
ABSL_FLAG(std::string, language, "", "preferred language for messages, e.g. de or en-GB");
ABSL_FLAG(std::vector<std::string>, opt_in, {},
          "channels the patient agreed to receive messages on: email, sms (comma separated; "
          "default: none)");

ABSL_FLAG(std::string, signer, "",
          "the signer's full name as typed (default: the patient's name)");
ABSL_FLAG(std::string, method, "typed", "how the consent was given: typed or verbal");
ABSL_FLAG(bool, shown, false,
          "the patient has read the exact text printed above; sign without asking them to "
          "type their name (for scripts)");
ABSL_FLAG(std::string, guardian, "",
          "a guardian signs for the patient: the guardian's full name (needs --relationship)");
ABSL_FLAG(std::string, relationship, "", "the guardian's relationship to the patient, e.g. mother");
ABSL_FLAG(std::vector<std::string>, answer, {},
          "answers, comma separated QUESTION=yes|no|YYYY-MM-DD|never|text, e.g. "
          "other_medications=no,sun_exposure_last=2027-03-01");

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
