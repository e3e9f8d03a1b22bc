#include "tests/fuzz/resource_placeholders.h"

#include "absl/strings/str_replace.h"

namespace clinicd::fuzz {

std::string WithSeededIds(std::string body, const SeededIds& ids) {
  absl::StrReplaceAll({{kClinicPlaceholder, ids.clinic},
                       {kPractitionerPlaceholder, ids.practitioner},
                       {kRoomPlaceholder, ids.room},
                       {kPatientPlaceholder, ids.patient}},
                      &body);
  return body;
}

}  // namespace clinicd::fuzz
