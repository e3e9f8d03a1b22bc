#include "tests/benchmarks/benchmark_clinic.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "absl/time/clock.h"
#include "clients/loadgen/sample_patients.h"
#include "services/common/ids.h"
#include "services/common/resource_name.h"
#include "services/patient/patient_kind.h"
#include "services/practice/practice_kinds.h"
#include "services/resources/resource_crud.h"
#include "services/resources/resource_fields.h"
#include "services/store/migrations.h"
#include "services/store/schema.h"

namespace clinicd::bench {

void CheckOk(const absl::Status& status, const char* what) {
  if (status.ok()) return;
  std::fprintf(stderr, "clinicd_benchmarks: %s: %s\n", what, status.ToString().c_str());
  std::abort();
}

BenchmarkClinic::BenchmarkClinic(int patients) {
  char pattern[] = "/tmp/clinicd-bench-XXXXXX";
  if (mkdtemp(pattern) == nullptr) CheckOk(absl::InternalError("mkdtemp failed"), "set-up");
  dir_ = pattern;
  store::DatabaseOptions options;
  options.path = dir_ + "/clinicd.db";
  absl::StatusOr<std::unique_ptr<store::Database>> db = store::Database::Open(options);
  CheckOk(db.status(), "opening the database");
  db_ = std::move(*db);
  CheckOk(store::Migrate(*db_, store::SchemaMigrations()), "migrating");

  admin_.key_id = "key_benchmark";
  admin_.role = auth::Role::kAdmin;
  admin_.all_clinics = true;
  admin_.now = absl::Now();

  resources::ResourceCrud<clinic::v1::Clinic> clinics(*db_, practice::ClinicKind());
  clinic::v1::CreateClinicRequest request;
  request.mutable_clinic()->set_display_name("Hautzentrum Benchmark");
  request.mutable_clinic()->set_time_zone("Europe/Berlin");
  request.mutable_clinic()->set_region_code("DE");
  absl::StatusOr<clinic::v1::Clinic> created =
      clinics.Create(admin_, "", request.clinic(), request, "");
  CheckOk(created.status(), "creating the clinic");
  clinic_ = created->name();

  const resources::ResourceKind<clinic::v1::Patient> kind = patient::PatientKind();
  const std::vector<std::string> scope = {clinic_.substr(clinic_.rfind('/') + 1)};
  loadgen::SamplePatients samples(/*seed=*/20240601);
  CheckOk(db_->Write([&](store::Transaction& tx) -> absl::Status {
    for (int i = 0; i < patients; ++i) {
      clinic::v1::Patient patient = samples.Next();
      std::vector<std::string> ids = scope;
      ids.push_back(NewResourceId());
      resources::StampCreated(patient, FormatResourceName(kind.collections, ids), absl::Now());
      if (absl::Status s = kind.validate(tx, absl::Now(), scope, nullptr, patient); !s.ok()) return s;
      store::ResourceRow row{ids.back(), 1, resources::StoredBytes(patient)};
      if (absl::Status s = store::InsertRow(tx, kind.table, scope, row, kind.columns(patient));
          !s.ok()) {
        return s;
      }
      resources::SetEtag(patient, 1);
      patients_.push_back(std::move(patient));
    }
    return absl::OkStatus();
  }),
          "loading patients");
}

BenchmarkClinic::~BenchmarkClinic() {
  db_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

BenchmarkClinic& TenThousandPatients() {
  static const std::unique_ptr<BenchmarkClinic> clinic = std::make_unique<BenchmarkClinic>(10000);
  return *clinic;
}

}  // namespace clinicd::bench
