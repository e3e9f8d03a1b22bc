#pragma once

// Rules for the practice's resources. Each checks a complete resource,
// normalises what has a canonical form (phone numbers to E.164), and returns
// OK or INVALID_ARGUMENT naming every broken field under `prefix`.

#include <string>

#include "absl/status/status.h"
#include "clinic/v1/practice_service.pb.h"

namespace clinicd::domain {

// A clinic: name, IANA time zone, region, contact details, quiet hours.
absl::Status ValidateClinic(const std::string& prefix, clinic::v1::Clinic& clinic);

// A practitioner of `clinic`: name, contacts, qualifications, working hours
// (whole minutes, start before end, no overlaps on one day).
absl::Status ValidatePractitioner(const std::string& prefix,
                                  const clinic::v1::Clinic& clinic,
                                  clinic::v1::Practitioner& practitioner);

// A room: name and lower_snake_case capabilities without repeats.
absl::Status ValidateRoom(const std::string& prefix, clinic::v1::Room& room);

// A period with a start before its end and a short reason; used for time off
// and closures alike.
absl::Status ValidatePeriod(const std::string& prefix,
                            bool has_start, const google::protobuf::Timestamp& start,
                            bool has_end, const google::protobuf::Timestamp& end,
                            const std::string& reason);

}  // namespace clinicd::domain
