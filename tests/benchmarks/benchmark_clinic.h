#pragma once

// A clinic in a real SQLite file for the benchmarks: a fresh temp directory,
// clinicd's schema migrated, one clinic in Berlin and sample patients, the
// same rows the server would write.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "clinic/v1/patient_service.pb.h"
#include "services/auth/principal.h"
#include "services/store/database.h"

namespace clinicd::bench {

// One database with one clinic in it; removes its directory when destroyed.
class BenchmarkClinic final {
 public:
  // Creates the database and clinic, then `patients` sample patients (drawn
  // with a fixed seed) validated and inserted as ResourceCrud::Create would,
  // but in one transaction so that set-up does not pay an fsync per patient.
  // Aborts with a message on any failure: benchmarks have no one to report to.
  explicit BenchmarkClinic(int patients);

  BenchmarkClinic(const BenchmarkClinic&) = delete;
  BenchmarkClinic& operator=(const BenchmarkClinic&) = delete;
  ~BenchmarkClinic();

  store::Database& db() { return *db_; }
  // The clinic's name, `clinics/{clinic}`.
  const std::string& clinic() const { return clinic_; }
  // The patients as stored (names set, phone numbers in E.164).
  const std::vector<clinic::v1::Patient>& patients() const { return patients_; }
  // A key for every clinic with the admin role, as the benchmarks' caller.
  const auth::Principal& admin() const { return admin_; }

 private:
  std::string dir_;
  std::unique_ptr<store::Database> db_;
  std::string clinic_;
  std::vector<clinic::v1::Patient> patients_;
  auth::Principal admin_;
};

// The clinic with 10,000 patients the read benchmarks share, built on first
// use (a few seconds) and removed at exit.
BenchmarkClinic& TenThousandPatients();

// Prints `what` and the status, then aborts, unless `status` is OK.
void CheckOk(const absl::Status& status, const char* what);

}  // namespace clinicd::bench
