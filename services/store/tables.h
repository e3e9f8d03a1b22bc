#pragma once

// The resource tables of schema.cc and the parent ids that scope their rows.

#include "services/store/resource_rows.h"

namespace clinicd::store {

inline const ResourceTable kClinicsTable{"clinics", {}};
inline const ResourceTable kPractitionersTable{"practitioners", {"clinic_id"}};
inline const ResourceTable kRoomsTable{"rooms", {"clinic_id"}};
inline const ResourceTable kTimeOffTable{"time_off", {"clinic_id", "practitioner_id"}};
inline const ResourceTable kClosuresTable{"closures", {"clinic_id"}};
inline const ResourceTable kPatientsTable{"patients", {"clinic_id"}};
inline const ResourceTable kAppointmentsTable{"appointments", {"clinic_id"}};
inline const ResourceTable kConsentsTable{"consents", {"clinic_id", "patient_id"}};
inline const ResourceTable kScreeningsTable{"screenings", {"clinic_id", "patient_id"}};
inline const ResourceTable kSeriesTable{"series", {"clinic_id"}};
inline const ResourceTable kRecallsTable{"recalls", {"clinic_id"}};

}  // namespace clinicd::store
