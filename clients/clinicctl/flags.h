#pragma once

// clinicctl's flags. The connection flags (--server, --api_key, --tls,
// --tls_ca, --tls_server_name) come from clients/common; --clinic, --json and
// --timeout apply to every command; the rest belong to the commands that
// list them (command.h), and any other command refuses them.

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/time/time.h"

// Every command.
ABSL_DECLARE_FLAG(std::string, clinic);
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(absl::Duration, timeout);

// What a command is about.
ABSL_DECLARE_FLAG(std::string, patient);
ABSL_DECLARE_FLAG(std::string, practitioner);
ABSL_DECLARE_FLAG(std::string, room);
ABSL_DECLARE_FLAG(std::string, treatment);
ABSL_DECLARE_FLAG(std::string, series);
ABSL_DECLARE_FLAG(std::string, appointment);

// When.
ABSL_DECLARE_FLAG(std::string, at);
ABSL_DECLARE_FLAG(std::string, date);
ABSL_DECLARE_FLAG(std::string, from);
ABSL_DECLARE_FLAG(std::string, to);
ABSL_DECLARE_FLAG(std::string, snooze);

// What to record.
ABSL_DECLARE_FLAG(bool, numbing);
ABSL_DECLARE_FLAG(std::string, reason);
ABSL_DECLARE_FLAG(std::string, summary);
ABSL_DECLARE_FLAG(double, needle_depth);
ABSL_DECLARE_FLAG(std::string, notes);
ABSL_DECLARE_FLAG(std::string, indication);
ABSL_DECLARE_FLAG(int, sessions);

// Care around a session: consultations, reviews, overrides, documents.
ABSL_DECLARE_FLAG(bool, consultation);
ABSL_DECLARE_FLAG(bool, suitable);
ABSL_DECLARE_FLAG(bool, not_suitable);
ABSL_DECLARE_FLAG(std::string, outcome);
ABSL_DECLARE_FLAG(std::vector<std::string>, override);
ABSL_DECLARE_FLAG(std::string, justification);
ABSL_DECLARE_FLAG(std::string, out);

// What to create (clinic, practitioner, room, patient register).
ABSL_DECLARE_FLAG(std::string, name);
ABSL_DECLARE_FLAG(std::string, time_zone);
ABSL_DECLARE_FLAG(std::string, region);
ABSL_DECLARE_FLAG(std::string, email);
ABSL_DECLARE_FLAG(std::string, phone);
ABSL_DECLARE_FLAG(std::vector<std::string>, address);
ABSL_DECLARE_FLAG(std::string, quiet_hours);
ABSL_DECLARE_FLAG(std::string, title);
ABSL_DECLARE_FLAG(std::vector<std::string>, treatments);
ABSL_DECLARE_FLAG(std::string, hours);
ABSL_DECLARE_FLAG(std::vector<std::string>, capabilities);
ABSL_DECLARE_FLAG(std::string, given);
ABSL_DECLARE_FLAG(std::string, family);
ABSL_DECLARE_FLAG(std::string, birth_date);
ABSL_DECLARE_FLAG(std::string, language);
ABSL_DECLARE_FLAG(std::vector<std::string>, opt_in);

// Signing a consent and answering a screening.
ABSL_DECLARE_FLAG(std::string, signer);
ABSL_DECLARE_FLAG(std::string, method);
ABSL_DECLARE_FLAG(bool, shown);
ABSL_DECLARE_FLAG(std::string, guardian);
ABSL_DECLARE_FLAG(std::string, relationship);
ABSL_DECLARE_FLAG(std::vector<std::string>, answer);

// How much to show.
ABSL_DECLARE_FLAG(int, limit);
ABSL_DECLARE_FLAG(std::string, view);
ABSL_DECLARE_FLAG(bool, pending);

namespace clinicd::clinicctl {

// The flags every command takes, in the order help lists them.
const std::vector<std::string>& CommonFlagNames();

}  // namespace clinicd::clinicctl
