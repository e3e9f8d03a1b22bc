#pragma once

// A signed consent as a PDF a clinic can file (libharu): who signed what,
// when and how, the SHA-256 of the text, the exact text, and the drawn
// signature when there is one.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/v1/consent_service.pb.h"
#include "clinic/v1/patient_service.pb.h"
#include "clinic/v1/practice_service.pb.h"

namespace clinicd::consent {

// Everything the document shows.
struct ConsentDocument {
  clinic::v1::Clinic clinic;
  clinic::v1::Patient patient;
  std::string treatment_name;
  clinic::v1::Consent consent;
  // Display name of the witness, when there is one.
  std::string witness_name;
};

// Where the Unicode font comes from (Debian's fonts-dejavu-core).
inline constexpr char kDocumentFont[] = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// Renders `document` as PDF bytes.
absl::StatusOr<std::string> RenderConsentPdf(const ConsentDocument& document);

}  // namespace clinicd::consent
