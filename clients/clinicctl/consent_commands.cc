// consent status: whether a patient may be treated (GetClearance: every
// reason, the earliest treatable time) and the consents on file; consent
// sign: the current form's exact text shown, then signed with its hash;
// screening submit: the treatment's questions answered and evaluated.

#include <algorithm>
#include <iostream>
#include <map>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "clients/clinicctl/command.h"
#include "clients/clinicctl/flags.h"
#include "clients/clinicctl/local_time.h"
#include "clients/clinicctl/output.h"
#include "clients/clinicctl/resolve.h"
#include "clients/clinicctl/table.h"

namespace clinicd::clinicctl {
namespace {

// "Anna Schmidt (patient)", "Karl Schmidt (guardian, father)".
std::string Signer(const v1::Consent& consent) {
  std::string who = Word(consent.signer_kind());
  if (!consent.signer_relationship().empty())
    absl::StrAppend(&who, ", ", consent.signer_relationship());
  return absl::StrCat(consent.signer_name(), " (", who, ")");
}

absl::Status Status(Session& session, const Arguments& arguments) {
  absl::StatusOr<std::string> patient = ResolvePatient(session, "PATIENT", arguments[0]);
  if (!patient.ok()) return patient.status();
  absl::StatusOr<absl::TimeZone> zone = session.ZoneOf(ClinicOf(*patient));
  if (!zone.ok()) return zone.status();
  session.refusal().patient = arguments[0];
  session.refusal().treatment = absl::GetFlag(FLAGS_treatment);
  absl::Time at = absl::Now();
  if (const std::string text = absl::GetFlag(FLAGS_at); !text.empty()) {
    absl::StatusOr<absl::Time> parsed = ParseLocalTime(text, *zone, absl::Now());
    if (!parsed.ok()) return FlagError("at", std::string(parsed.status().message()));
    at = *parsed;
  }
  v1::GetClearanceRequest request;
  request.set_patient(*patient);
  request.set_treatment_type(TreatmentTypeName(absl::GetFlag(FLAGS_treatment)));
  *request.mutable_time() = ToProto(at);
  session.refusal().field_flags = {{"treatment_type", "treatment"}, {"time", "at"}};
  v1::Clearance clearance;
  if (absl::Status s =
          session.rpc().Call(&v1::ConsentService::Stub::GetClearance, request, &clearance);
      !s.ok()) {
    return s;
  }
  v1::ListConsentsRequest list;
  list.set_parent(*patient);
  list.set_page_size(500);
  v1::ListConsentsResponse consents;
  if (absl::Status s = session.rpc().Call(&v1::ConsentService::Stub::ListConsents, list, &consents);
      !s.ok()) {
    return s;
  }
  if (session.json()) {
    return PrintJsonObject({{"clearance", &clearance}, {"consents", &consents}}, session.out());
  }

  std::ostream& out = session.out();
  const std::string treatment = session.TreatmentName(request.treatment_type());
  out << Printable(session.PatientName(*patient)) << ", " << treatment << " at "
      << FormatDateTime(at, *zone) << ": "
      << (clearance.treatable() ? "TREATABLE" : "NOT TREATABLE") << "\n";
  if (!clearance.reasons().empty()) {
    Table reasons({"REASON", "WHAT IT MEANS", "LIFTS"});
    for (const v1::ClearanceReason& reason : clearance.reasons()) {
      reasons.AddRow({reason.reason(), LocalizeTimes(reason.description(), *zone),
                      reason.has_until_time()
                          ? FormatDateTime(FromProto(reason.until_time()), *zone)
                          : "when acted on"});
    }
    out << reasons.Render();
    out << (clearance.has_earliest_treatable_time()
                ? absl::StrCat(
                      "Earliest treatable: ",
                      FormatDateTime(FromProto(clearance.earliest_treatable_time()), *zone))
                : std::string("Earliest treatable: once the reasons above are dealt with"))
        << "\n";
  }
  const std::string prefix = request.treatment_type() + "/consentForms/";
  Table table({"SIGNED", "FORM", "STATE", "EXPIRES", "SIGNER", "CONSENT"});
  for (const v1::Consent& consent : consents.consents()) {
    if (!absl::StartsWith(consent.consent_form(), prefix)) continue;
    table.AddRow(
        {FormatDateTime(FromProto(consent.sign_time()), *zone),
         "v" + consent.consent_form().substr(prefix.size()), Word(consent.state()),
         consent.has_expire_time() ? FormatDate(FromProto(consent.expire_time()), *zone) : "",
         Signer(consent), ShortId(consent.name())});
  }
  if (table.empty()) {
    out << "No " << treatment << " consent on file.\n";
  } else {
    out << treatment << " consents on file:\n" << table.Render();
  }
  return absl::OkStatus();
}

// The patient `arguments[0]` names, with the refusal context filled in.
absl::StatusOr<std::string> PatientArgument(Session& session, const Arguments& arguments) {
  absl::StatusOr<std::string> patient = ResolvePatient(session, "PATIENT", arguments[0]);
  if (!patient.ok()) return patient.status();
  if (absl::StatusOr<absl::TimeZone> zone = session.ZoneOf(ClinicOf(*patient)); !zone.ok()) {
    return zone.status();
  }
  session.refusal().patient = arguments[0];
  session.refusal().treatment = absl::GetFlag(FLAGS_treatment);
  return patient;
}

absl::Status Sign(Session& session, const Arguments& arguments) {
  absl::StatusOr<std::string> patient_name = PatientArgument(session, arguments);
  if (!patient_name.ok()) return patient_name.status();
  v1::Consent consent;
  const std::string method = absl::AsciiStrToLower(absl::GetFlag(FLAGS_method));
  if (method == "typed") {
    consent.set_method(v1::SIGNATURE_METHOD_TYPED_NAME);
  } else if (method == "verbal") {
    consent.set_method(v1::SIGNATURE_METHOD_VERBAL);
  } else {
    return FlagError("method", "typed or verbal (a drawn signature needs the tablet app)");
  }
  const std::string guardian = absl::GetFlag(FLAGS_guardian);
  const std::string relationship = absl::GetFlag(FLAGS_relationship);
  std::string signer = absl::GetFlag(FLAGS_signer);
  if (!guardian.empty()) {
    if (relationship.empty()) return FlagError("relationship", "a guardian signs with one");
    if (!signer.empty() && signer != guardian) {
      return FlagError("signer", "the guardian signs; leave --signer out or give the same name");
    }
    signer = guardian;
    consent.set_signer_kind(v1::SIGNER_KIND_GUARDIAN);
    consent.set_signer_relationship(relationship);
  } else {
    if (!relationship.empty()) return FlagError("relationship", "only with --guardian");
    consent.set_signer_kind(v1::SIGNER_KIND_PATIENT);
  }
  if (signer.empty()) {
    v1::GetPatientRequest get;
    get.set_name(*patient_name);
    v1::Patient patient;
    if (absl::Status s = session.rpc().Call(&v1::PatientService::Stub::GetPatient, get, &patient);
        !s.ok()) {
      return s;
    }
    signer = PersonName(patient);
  }
  consent.set_signer_name(signer);

  v1::GetConsentFormRequest form_request;
  form_request.set_treatment_type(TreatmentTypeName(absl::GetFlag(FLAGS_treatment)));
  session.refusal().field_flags = {{"treatment_type", "treatment"}};
  v1::ConsentForm form;
  if (absl::Status s =
          session.rpc().Call(&v1::ConsentService::Stub::GetConsentForm, form_request, &form);
      !s.ok()) {
    return s;
  }
  // The text goes where the person reads it; with --json stdout is for the result.
  std::ostream& shown = session.json() ? std::cerr : session.out();
  shown << "Consent form " << form.name() << " (version " << form.version()
        << ", sha256 " << form.text_sha256() << "):\n\n"
        << form.text() << (absl::EndsWith(form.text(), "\n") ? "" : "\n") << "\n";
  if (!absl::GetFlag(FLAGS_shown)) {
    shown << "To sign, " << signer << " types their full name (anything else cancels): "
          << std::flush;
    std::string typed;
    if (!std::getline(std::cin, typed)) {
      return FlagError("shown",
                       "no one typed a name; sign interactively, or confirm the patient read "
                       "this exact text with --shown");
    }
    if (absl::StripAsciiWhitespace(typed) != absl::StripAsciiWhitespace(signer)) {
      return absl::CancelledError(
          absl::StrCat("\"", typed, "\" is not \"", signer, "\"; nothing was signed"));
    }
  }
  consent.set_consent_form(form.name());
  consent.set_text_sha256(form.text_sha256());
  v1::SignConsentRequest request;
  request.set_parent(*patient_name);
  *request.mutable_consent() = consent;
  request.set_request_id(NewRequestId());
  session.refusal().field_flags = {{"consent.signer_name", "signer"},
                                   {"consent.signer_relationship", "relationship"},
                                   {"consent.method", "method"},
                                   {"consent.consent_form", "treatment"}};
  v1::Consent signed_consent;
  if (absl::Status s =
          session.rpc().Call(&v1::ConsentService::Stub::SignConsent, request, &signed_consent);
      !s.ok()) {
    return s;
  }
  if (session.json()) {
    return PrintJsonObject({{"consentForm", &form}, {"consent", &signed_consent}}, session.out());
  }
  absl::StatusOr<absl::TimeZone> zone = session.ZoneOf(ClinicOf(*patient_name));
  session.out() << "Signed: " << Signer(signed_consent) << ", version " << form.version()
                << ", consent " << ShortId(signed_consent.name());
  if (signed_consent.has_expire_time() && zone.ok()) {
    session.out() << ", valid until " << FormatDate(FromProto(signed_consent.expire_time()), *zone);
  }
  session.out() << ".\n";
  return absl::OkStatus();
}

// One --answer to `question`: yes/no, a local date (midnight in `zone`), or text.
absl::StatusOr<v1::ScreeningAnswer> Answer(const v1::ScreeningQuestion& question,
                                           const std::string& value, const absl::TimeZone& zone) {
  v1::ScreeningAnswer answer;
  answer.set_question_id(question.id());
  const std::string lower = absl::AsciiStrToLower(value);
  switch (question.answer_kind()) {
    case v1::ANSWER_KIND_YES_NO:
      if (lower != "yes" && lower != "no") {
        return FlagError("answer", absl::StrCat(question.id(), " is answered yes or no"));
      }
      answer.set_yes(lower == "yes");
      return answer;
    case v1::ANSWER_KIND_TIME: {
      if (lower == "never") return answer;
      absl::StatusOr<absl::Time> time = ParseLocalTime(value, zone, absl::Now());
      if (!time.ok()) {
        absl::StatusOr<absl::CivilDay> day = ParseLocalDate(value, zone, absl::Now());
        if (!day.ok()) {
          return FlagError("answer", absl::StrCat(question.id(), " is answered with a date, "
                                                                 "YYYY-MM-DD: ",
                                                  day.status().message()));
        }
        time = absl::FromCivil(*day, zone);
      }
      *answer.mutable_time() = ToProto(*time);
      return answer;
    }
    default:
      answer.set_text(value);
      return answer;
  }
}

absl::Status Screen(Session& session, const Arguments& arguments) {
  absl::StatusOr<std::string> patient = PatientArgument(session, arguments);
  if (!patient.ok()) return patient.status();
  absl::StatusOr<absl::TimeZone> zone = session.ZoneOf(ClinicOf(*patient));
  if (!zone.ok()) return zone.status();
  v1::GetTreatmentTypeRequest type_request;
  type_request.set_name(TreatmentTypeName(absl::GetFlag(FLAGS_treatment)));
  session.refusal().field_flags = {{"name", "treatment"}};
  v1::TreatmentType type;
  if (absl::Status s = session.rpc().Call(&v1::TreatmentCatalogService::Stub::GetTreatmentType,
                                          type_request, &type);
      !s.ok()) {
    return s;
  }
  std::map<std::string, std::string> given;
  for (const std::string& item : absl::GetFlag(FLAGS_answer)) {
    std::pair<std::string, std::string> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
    kv.first = std::string(absl::StripAsciiWhitespace(kv.first));
    const bool known = std::any_of(
        type.screening_questions().begin(), type.screening_questions().end(),
        [&](const v1::ScreeningQuestion& q) { return q.id() == kv.first; });
    if (!known) {
      std::vector<std::string> ids;
      for (const auto& q : type.screening_questions()) ids.push_back(q.id());
      return FlagError("answer", absl::StrCat("no question \"", kv.first, "\" for ",
                                              type.display_name(), "; questions: ",
                                              absl::StrJoin(ids, ", ")));
    }
    if (kv.second.empty()) return FlagError("answer", absl::StrCat(kv.first, " has no answer"));
    given[kv.first] = kv.second;
  }
  v1::SubmitScreeningRequest request;
  request.set_parent(*patient);
  v1::Screening& screening = *request.mutable_screening();
  screening.set_treatment_type(type.name());
  if (const std::string at = absl::GetFlag(FLAGS_at); !at.empty()) {
    absl::StatusOr<absl::Time> parsed = ParseLocalTime(at, *zone, absl::Now());
    if (!parsed.ok()) return FlagError("at", std::string(parsed.status().message()));
    *screening.mutable_evaluate_time() = ToProto(*parsed);
  }
  Table questions({"QUESTION", "ANSWER", "ASKED"});
  for (const v1::ScreeningQuestion& question : type.screening_questions()) {
    auto it = given.find(question.id());
    std::string shown;
    if (it != given.end()) {
      absl::StatusOr<v1::ScreeningAnswer> answer = Answer(question, it->second, *zone);
      if (!answer.ok()) return answer.status();
      *screening.add_answers() = *answer;
      shown = it->second;
    } else {
      // Unanswered: no for yes/no, never for a date, nothing for text.
      v1::ScreeningAnswer* answer = screening.add_answers();
      answer->set_question_id(question.id());
      shown = question.answer_kind() == v1::ANSWER_KIND_YES_NO ? "no (not given)"
              : question.answer_kind() == v1::ANSWER_KIND_TIME ? "never (not given)"
                                                                : "(not given)";
    }
    questions.AddRow({question.id(), shown, question.text()});
  }
  request.set_request_id(NewRequestId());
  session.refusal().field_flags = {{"screening.answers", "answer"},
                                   {"screening.evaluate_time", "at"}};
  v1::Screening result;
  if (absl::Status s =
          session.rpc().Call(&v1::ConsentService::Stub::SubmitScreening, request, &result);
      !s.ok()) {
    return s;
  }
  if (session.json()) return PrintJson(result, session.out());
  std::ostream& out = session.out();
  out << questions.Render();
  out << "Screening " << ShortId(result.name()) << " for " << type.display_name() << ": "
      << absl::AsciiStrToUpper(Word(result.outcome()));
  if (result.has_until_time()) {
    out << " until " << FormatDateTime(FromProto(result.until_time()), *zone);
  }
  out << "\n";
  if (!result.findings().empty()) {
    Table findings({"RULE", "OUTCOME", "UNTIL", "WHY"});
    for (const v1::ScreeningFinding& finding : result.findings()) {
      findings.AddRow(
          {finding.rule_id(), Word(finding.outcome()),
           finding.has_until_time() ? FormatDateTime(FromProto(finding.until_time()), *zone) : "",
           LocalizeTimes(finding.explanation(), *zone)});
    }
    out << findings.Render();
  }
  return absl::OkStatus();
}

}  // namespace

CommandGroup ConsentCommands() {
  return {"Consent and clearance",
          {
              {"consent status",
               "PATIENT",
               "may the patient be treated: every reason, earliest time, consents on file",
               "Asks clinicd's clearance for --treatment now (or at --at): a current consent\n"
               "and a screening from the last 30 days that clears the patient.",
               {"treatment", "at"},
               {},
               Status},
              {"consent sign",
               "PATIENT",
               "show the current consent form and sign it for the patient",
               "Prints the form's full text and version. The patient (or with --guardian,\n"
               "their guardian) then types their full name to sign; --shown instead records\n"
               "that staff saw them read this exact text. clinicd keeps the text's SHA-256.",
               {"treatment", "signer", "method", "shown", "guardian", "relationship"},
               {},
               Sign},
              {"screening submit",
               "PATIENT",
               "answer the treatment's health questions and show the outcome",
               "Questions come from the treatment's protocol; yes/no questions not given in\n"
               "--answer are answered no, date questions (when last ...) never.\n"
               "The answers are evaluated for now, or for the session at --at.",
               {"treatment", "answer", "at"},
               {},
               Screen},
          }};
}

}  // namespace clinicd::clinicctl
