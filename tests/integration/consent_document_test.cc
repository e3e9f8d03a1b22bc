// ExportConsentDocument over a real server: the PDF is valid (qpdf --check)
// and carries the signer, the text hash and the exact text (pdftotext).

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "clinic/v1/consent_service.grpc.pb.h"
#include "tests/integration/rpc_test_base.h"

namespace clinicd::testing {
namespace {

// A valid 2x2 black RGBA PNG, as a drawn signature.
const unsigned char kTinyPng[] = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x06, 0x00, 0x00, 0x00, 0x72,
    0xB6, 0x0D, 0x24, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60,
    0x60, 0x60, 0xF8, 0x0F, 0xC5, 0x10, 0x06, 0x00, 0x1D, 0xF4, 0x03, 0xFD, 0xC8, 0xE1, 0xF6,
    0xA8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};

// Runs a shell command and returns its stdout (and its exit status).
std::string RunShell(const std::string& command, int* status) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
  *status = pclose(pipe);
  return output;
}

class ConsentDocumentTest : public RpcTest {};

TEST_F(ConsentDocumentTest, SignedConsentExportsAsAValidPdfWithTheExactText) {
  const clinic::v1::Clinic clinic = MakeClinic("Hautzentrum Mitte");
  const clinic::v1::Patient patient = MakePatient(clinic.name(), "Jürgen", "Müller");
  auto consent = clinic::v1::ConsentService::NewStub(server_.channel());

  clinic::v1::GetConsentFormRequest form_request;
  form_request.set_treatment_type("treatmentTypes/microneedling");
  clinic::v1::ConsentForm form;
  ASSERT_TRUE(consent->GetConsentForm(AuthedContext(admin_key_).get(), form_request, &form).ok());

  clinic::v1::SignConsentRequest sign;
  sign.set_parent(patient.name());
  sign.mutable_consent()->set_consent_form(form.name());
  sign.mutable_consent()->set_text_sha256(form.text_sha256());
  sign.mutable_consent()->set_signer_kind(clinic::v1::SIGNER_KIND_PATIENT);
  sign.mutable_consent()->set_signer_name("Jürgen Müller");
  sign.mutable_consent()->set_method(clinic::v1::SIGNATURE_METHOD_DRAWN);
  sign.mutable_consent()->set_signature_image(
      std::string(reinterpret_cast<const char*>(kTinyPng), sizeof(kTinyPng)));
  clinic::v1::Consent signed_consent;
  grpc::Status status = consent->SignConsent(AuthedContext(admin_key_).get(), sign, &signed_consent);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(signed_consent.form_text(), form.text());

  clinic::v1::ExportConsentDocumentRequest request;
  request.set_name(signed_consent.name());
  clinic::v1::ExportConsentDocumentResponse response;
  status = consent->ExportConsentDocument(AuthedContext(admin_key_).get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.pdf().compare(0, 5, "%PDF-"), 0);

  char path[] = "/tmp/clinicd-consent-XXXXXX.pdf";
  const int fd = mkstemps(path, 4);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path, std::ios::binary) << response.pdf();
  int check = -1;
  const std::string qpdf = RunShell(std::string("qpdf --check ") + path + " 2>&1", &check);
  EXPECT_EQ(check, 0) << qpdf;
  int extract = -1;
  std::string text = RunShell(std::string("pdftotext -enc UTF-8 ") + path + " - 2>/dev/null", &extract);
  std::remove(path);
  ASSERT_EQ(extract, 0) << text;
  // pdftotext re-flows lines; compare with whitespace collapsed.
  auto collapse = [](const std::string& in) {
    std::string out;
    for (char c : in) {
      const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f';
      if (space && (out.empty() || out.back() == ' ')) continue;
      out.push_back(space ? ' ' : c);
    }
    return out;
  };
  text = collapse(text);
  EXPECT_NE(text.find("Jürgen Müller"), std::string::npos) << text.substr(0, 600);
  EXPECT_NE(text.find(form.text_sha256()), std::string::npos);
  // The consent name is longer than a line; it is broken, not cut off.
  std::string unbroken = text;
  unbroken.erase(std::remove(unbroken.begin(), unbroken.end(), ' '), unbroken.end());
  EXPECT_NE(unbroken.find(signed_consent.name()), std::string::npos) << text.substr(0, 600);
  const std::string form_text = collapse(form.text());
  EXPECT_NE(text.find(form_text.substr(0, 120)), std::string::npos) << text.substr(0, 1200);
  EXPECT_NE(text.find(form_text.substr(form_text.size() - 120)), std::string::npos);
}

TEST_F(ConsentDocumentTest, BrokenSignatureImageIsRefusedAtSigningAndNothingIsWritten) {
  const clinic::v1::Clinic clinic = MakeClinic();
  const clinic::v1::Patient patient = MakePatient(clinic.name(), "Ada", "Lovelace");
  auto consent = clinic::v1::ConsentService::NewStub(server_.channel());
  clinic::v1::GetConsentFormRequest form_request;
  form_request.set_treatment_type("treatmentTypes/microneedling");
  clinic::v1::ConsentForm form;
  ASSERT_TRUE(consent->GetConsentForm(AuthedContext(admin_key_).get(), form_request, &form).ok());
  std::string broken(reinterpret_cast<const char*>(kTinyPng), sizeof(kTinyPng));
  broken[45] ^= 0x55;  // Inside the image data: the CRC no longer matches.
  clinic::v1::SignConsentRequest sign;
  sign.set_parent(patient.name());
  sign.mutable_consent()->set_consent_form(form.name());
  sign.mutable_consent()->set_text_sha256(form.text_sha256());
  sign.mutable_consent()->set_signer_kind(clinic::v1::SIGNER_KIND_PATIENT);
  sign.mutable_consent()->set_signer_name("Ada Lovelace");
  sign.mutable_consent()->set_method(clinic::v1::SIGNATURE_METHOD_DRAWN);
  sign.mutable_consent()->set_signature_image(broken);
  clinic::v1::Consent out;
  grpc::Status status = consent->SignConsent(AuthedContext(admin_key_).get(), sign, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFieldsOf(status), (std::set<std::string>{"consent.signature_image"}));
  clinic::v1::ListConsentsRequest list;
  list.set_parent(patient.name());
  clinic::v1::ListConsentsResponse consents;
  ASSERT_TRUE(consent->ListConsents(AuthedContext(admin_key_).get(), list, &consents).ok());
  EXPECT_EQ(consents.consents_size(), 0);
}

}  // namespace
}  // namespace clinicd::testing
