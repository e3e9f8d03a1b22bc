#include "services/consent/consent_service.h"

#include "absl/strings/str_cat.h"
#include "clinic/v1/booking_service.pb.h"
#include "clinic/v1/patient_service.pb.h"
#include "clinic/v1/practice_service.pb.h"
#include "services/common/errors.h"
#include "services/common/proto_time.h"
#include "services/common/resource_name.h"
#include "services/consent/clearance_query.h"
#include "services/consent/consent_document.h"
#include "services/consent/consent_kinds.h"
#include "services/domain/clearance.h"
#include "services/resources/load_resource.h"
#include "services/resources/reply.h"
#include "services/store/tables.h"

namespace clinicd::consent {
namespace {

using auth::Principal;
using grpc::ServerContext;
using resources::Reply;

}  // namespace

ConsentServiceImpl::ConsentServiceImpl(store::Database& db,
                                       const plugin_host::TreatmentRegistry& registry, const Clock& clock)
    : db_(db),
      registry_(registry),
      guard_(db, clock, v1::ConsentService::service_full_name()),
      consents_(db, ConsentKind(registry)),
      screenings_(db, ScreeningKind(registry)) {}

void ConsentServiceImpl::SetCurrentState(v1::Consent& consent, absl::Time now) const {
  const std::string& form = consent.consent_form();
  const v1::TreatmentType* type =
      registry_.FindTreatmentType(form.substr(0, form.find("/consentForms/")));
  if (type != nullptr) consent.set_state(domain::ConsentStateAt(consent, *type, now));
}

grpc::Status ConsentServiceImpl::GetConsentForm(ServerContext* context, const v1::GetConsentFormRequest* request, v1::ConsentForm* response) {
  return guard_.Run(context, "GetConsentForm", *request, [&](const Principal&) -> absl::Status {
    const v1::TreatmentType* type = registry_.FindTreatmentType(request->treatment_type());
    if (type == nullptr) {
      return ErrorWithReason(absl::StatusCode::kNotFound, "NOT_FOUND",
                             absl::StrCat(request->treatment_type(), " not found"));
    }
    *response = CurrentForm(*type);
    return absl::OkStatus();
  });
}

grpc::Status ConsentServiceImpl::SignConsent(ServerContext* context, const v1::SignConsentRequest* request, v1::Consent* response) {
  return guard_.Run(context, "SignConsent", *request, [&](const Principal& principal) {
    return Reply(consents_.Create(principal, request->parent(), request->consent(), *request, request->request_id()), response);
  });
}

grpc::Status ConsentServiceImpl::GetConsent(ServerContext* context, const v1::GetConsentRequest* request, v1::Consent* response) {
  return guard_.Run(context, "GetConsent", *request, [&](const Principal& principal) -> absl::Status {
    if (absl::Status s = Reply(consents_.Get(principal, request->name()), response); !s.ok()) return s;
    SetCurrentState(*response, principal.now);
    return absl::OkStatus();
  });
}

grpc::Status ConsentServiceImpl::ListConsents(ServerContext* context, const v1::ListConsentsRequest* request, v1::ListConsentsResponse* response) {
  return guard_.Run(context, "ListConsents", *request, [&](const Principal& principal) -> absl::Status {
    absl::Status s = resources::ReplyPage(
        consents_.List(principal, request->parent(), request->page_size(), request->page_token()),
        response->mutable_consents(), response->mutable_next_page_token());
    for (v1::Consent& consent : *response->mutable_consents()) SetCurrentState(consent, principal.now);
    return s;
  });
}

grpc::Status ConsentServiceImpl::WithdrawConsent(ServerContext* context, const v1::WithdrawConsentRequest* request, v1::Consent* response) {
  return guard_.Run(context, "WithdrawConsent", *request, [&](const Principal& principal) -> absl::Status {
    if (request->reason().find_first_not_of(" \t\n") == std::string::npos) {
      return InvalidField("reason", "is required: record why the patient withdrew consent");
    }
    return Reply(
        consents_.Modify(principal, request->name(), "",
                         [&](store::Transaction&, v1::Consent& consent) -> absl::Status {
                           if (consent.has_withdraw_time()) {
                             return ErrorWithReason(absl::StatusCode::kFailedPrecondition,
                                                    "ALREADY_WITHDRAWN",
                                                    "this consent was already withdrawn");
                           }
                           // The flagged appointments and the clinic's alert
                           // follow in the same transaction (consent_effects.h).
                           *consent.mutable_withdraw_time() = ToProtoTime(principal.now);
                           consent.set_withdraw_reason(request->reason());
                           consent.set_state(v1::CONSENT_STATE_WITHDRAWN);
                           return absl::OkStatus();
                         }),
        response);
  });
}

grpc::Status ConsentServiceImpl::ExportConsentDocument(ServerContext* context, const v1::ExportConsentDocumentRequest* request, v1::ExportConsentDocumentResponse* response) {
  return guard_.Run(context, "ExportConsentDocument", *request, [&](const Principal& principal) -> absl::Status {
    absl::StatusOr<std::vector<std::string>> ids = consents_.ParseName(principal, request->name());
    if (!ids.ok()) return ids.status();
    ConsentDocument document;
    absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
      if (absl::Status s = consents_.Load(tx, *ids, request->name(), document.consent); !s.ok()) {
        return s;
      }
      absl::StatusOr<v1::Clinic> clinic = resources::LoadResource<v1::Clinic>(
          tx, store::kClinicsTable, {}, (*ids)[0], absl::StrCat("clinics/", (*ids)[0]));
      if (!clinic.ok()) return clinic.status();
      document.clinic = *std::move(clinic);
      absl::StatusOr<v1::Patient> patient = resources::LoadResource<v1::Patient>(
          tx, store::kPatientsTable, {(*ids)[0]}, (*ids)[1], "the patient");
      if (!patient.ok()) return patient.status();
      document.patient = *std::move(patient);
      const std::string& witness = document.consent.witness();
      if (!witness.empty()) {
        absl::StatusOr<v1::Practitioner> practitioner = resources::LoadResource<v1::Practitioner>(
            tx, store::kPractitionersTable, {(*ids)[0]}, witness.substr(witness.rfind('/') + 1),
            witness);
        document.witness_name = practitioner.ok() ? practitioner->display_name() : witness;
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    SetCurrentState(document.consent, principal.now);
    const std::string& form = document.consent.consent_form();
    const v1::TreatmentType* type =
        registry_.FindTreatmentType(form.substr(0, form.find("/consentForms/")));
    document.treatment_name = type != nullptr ? type->display_name() : form;
    absl::StatusOr<std::string> pdf = RenderConsentPdf(document);
    if (!pdf.ok()) return pdf.status();
    response->set_pdf(*std::move(pdf));
    return absl::OkStatus();
  });
}

grpc::Status ConsentServiceImpl::SubmitScreening(ServerContext* context, const v1::SubmitScreeningRequest* request, v1::Screening* response) {
  return guard_.Run(context, "SubmitScreening", *request, [&](const Principal& principal) {
    return Reply(screenings_.Create(principal, request->parent(), request->screening(), *request, request->request_id()), response);
  });
}

grpc::Status ConsentServiceImpl::GetScreening(ServerContext* context, const v1::GetScreeningRequest* request, v1::Screening* response) {
  return guard_.Run(context, "GetScreening", *request, [&](const Principal& principal) {
    return Reply(screenings_.Get(principal, request->name()), response);
  });
}

grpc::Status ConsentServiceImpl::ListScreenings(ServerContext* context, const v1::ListScreeningsRequest* request, v1::ListScreeningsResponse* response) {
  return guard_.Run(context, "ListScreenings", *request, [&](const Principal& principal) {
    return resources::ReplyPage(
        screenings_.List(principal, request->parent(), request->page_size(), request->page_token()),
        response->mutable_screenings(), response->mutable_next_page_token());
  });
}

grpc::Status ConsentServiceImpl::ReviewScreening(ServerContext* context, const v1::ReviewScreeningRequest* request, v1::Screening* response) {
  return guard_.Run(context, "ReviewScreening", *request, [&](const Principal& principal) -> absl::Status {
    const v1::ScreeningReview& review = request->review();
    absl::StatusOr<std::vector<std::string>> ids = screenings_.ParseName(principal, request->name());
    if (!ids.ok()) return ids.status();
    FieldViolations v;
    if (review.reason().find_first_not_of(" \t\n") == std::string::npos) {
      v.Add("review.reason", "is required: why the clinician decided so");
    }
    if (review.outcome() == v1::SCREENING_OUTCOME_UNSPECIFIED ||
        review.outcome() == v1::SCREENING_OUTCOME_NEEDS_REVIEW) {
      v.Add("review.outcome", "must be CLEARED, DEFERRED or CONTRAINDICATED");
    }
    std::vector<absl::string_view> staff = {"clinics", "practitioners"};
    absl::StatusOr<std::vector<std::string>> reviewer =
        ParseResourceName("review.reviewer", review.reviewer(), staff);
    if (!reviewer.ok() || (*reviewer)[0] != (*ids)[0]) {
      v.Add("review.reviewer", absl::StrCat("must be a practitioner of clinics/", (*ids)[0]));
    }
    if (!v.empty()) return v.ToStatus();
    return Reply(screenings_.Modify(
                     principal, request->name(), "",
                     [&](store::Transaction& tx, v1::Screening& screening) -> absl::Status {
                       if (absl::Status s = resources::LoadResource<v1::Practitioner>(
                                                tx, store::kPractitionersTable, {(*ids)[0]},
                                                (*reviewer)[1], review.reviewer())
                                                .status();
                           !s.ok()) {
                         return s;
                       }
                       *screening.mutable_review() = review;
                       *screening.mutable_review()->mutable_review_time() = ToProtoTime(principal.now);
                       return absl::OkStatus();
                     }),
                 response);
  });
}

grpc::Status ConsentServiceImpl::GetClearance(ServerContext* context, const v1::GetClearanceRequest* request, v1::Clearance* response) {
  return guard_.Run(context, "GetClearance", *request, [&](const Principal& principal) -> absl::Status {
    std::vector<absl::string_view> pattern = {"clinics", "patients"};
    absl::StatusOr<std::vector<std::string>> ids =
        ParseResourceName("patient", request->patient(), pattern);
    if (!ids.ok()) return ids.status();
    if (absl::Status s = auth::CheckClinicAccess(principal, (*ids)[0]); !s.ok()) return s;
    const v1::TreatmentType* type = registry_.FindTreatmentType(request->treatment_type());
    if (type == nullptr) {
      return InvalidField("treatment_type", "must be a treatment type a loaded plugin provides");
    }
    if (request->has_time() && !IsValidTimestamp(request->time())) {
      return InvalidField("time", "must be a valid timestamp");
    }
    const absl::Time time = request->has_time() ? FromProtoTime(request->time()) : principal.now;
    return db_.Read([&](store::Transaction& tx) -> absl::Status {
      if (absl::Status s = resources::LoadResource<v1::Patient>(tx, store::kPatientsTable,
                                                               {(*ids)[0]}, (*ids)[1],
                                                               request->patient())
                               .status();
          !s.ok()) {
        return s;
      }
      return Reply(ClearanceFor(tx, registry_, *type, (*ids)[0], (*ids)[1], time), response);
    });
  });
}

}  // namespace clinicd::consent
