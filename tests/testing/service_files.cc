#include "tests/testing/service_files.h"

#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/consent_service.pb.h"
#include "clinic/v1/follow_up_service.pb.h"
#include "clinic/v1/notification_service.pb.h"
#include "clinic/v1/patient_service.pb.h"
#include "clinic/v1/practice_service.pb.h"
#include "clinic/v1/treatment_catalog_service.pb.h"
#include "clinicd/test_clock/v1/test_clock.pb.h"

namespace clinicd::testing {

std::vector<const google::protobuf::FileDescriptor*> ServedServiceFiles() {
  return {
      clinic::v1::CreateClinicRequest::descriptor()->file(),
      clinic::v1::CreatePatientRequest::descriptor()->file(),
      clinic::v1::ListTreatmentTypesRequest::descriptor()->file(),
      clinic::v1::CreateAppointmentRequest::descriptor()->file(),
      clinic::v1::SignConsentRequest::descriptor()->file(),
      clinic::v1::CreateSeriesRequest::descriptor()->file(),
      clinic::v1::ClaimNotificationsRequest::descriptor()->file(),
      clinicd::test_clock::v1::SetTestTimeRequest::descriptor()->file(),
  };
}

}  // namespace clinicd::testing
