#include "services/consent/consent_document.h"

#include <hpdf.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/proto_time.h"
#include "services/consent/signature_image.h"

namespace clinicd::consent {
namespace {

constexpr float kMargin = 56;  // 2 cm
constexpr float kBodySize = 10;
constexpr float kLineGap = 4;

// The first libharu error raised while rendering.
struct ErrorState {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void OnError(HPDF_STATUS code, HPDF_STATUS detail, void* data) {
  auto* state = static_cast<ErrorState*>(data);
  if (state->code == HPDF_OK) {
    state->code = code;
    state->detail = detail;
  }
}

// Writes lines top to bottom, wrapping words and starting new pages.
class Writer final {
 public:
  Writer(HPDF_Doc pdf, HPDF_Font font) : pdf_(pdf), font_(font) { NewPage(); }

  // A paragraph in `size` points, wrapped to the page width.
  void Paragraph(const std::string& text, float size = kBodySize) {
    for (absl::string_view line : absl::StrSplit(text, '\n')) WrappedLine(std::string(line), size);
    y_ -= kLineGap;
  }

  // "Label: value" on one wrapped paragraph.
  void Field(const std::string& label, const std::string& value) {
    WrappedLine(absl::StrCat(label, ": ", value), kBodySize);
  }

  // Room for `height` points, on a new page when needed; returns the top.
  float Reserve(float height) {
    if (y_ - height < kMargin) NewPage();
    const float top = y_;
    y_ -= height;
    return top;
  }

  HPDF_Page page() const { return page_; }

 private:
  void NewPage() {
    page_ = HPDF_AddPage(pdf_);
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    y_ = HPDF_Page_GetHeight(page_) - kMargin;
  }

  void WrappedLine(const std::string& text, float size) {
    const float width = HPDF_Page_GetWidth(page_) - 2 * kMargin;
    HPDF_Page_SetFontAndSize(page_, font_, size);
    std::string line;
    for (absl::string_view word : absl::StrSplit(text, ' ')) {
      std::string candidate = line.empty() ? std::string(word) : absl::StrCat(line, " ", word);
      if (!line.empty() && HPDF_Page_TextWidth(page_, candidate.c_str()) > width) {
        Emit(line, size);
        candidate = std::string(word);
      }
      // A word wider than the page (a resource name, a hash) is broken
      // between UTF-8 characters.
      while (HPDF_Page_TextWidth(page_, candidate.c_str()) > width) {
        size_t cut = candidate.size();
        do {
          do --cut; while (cut > 0 && (candidate[cut] & 0xC0) == 0x80);
        } while (cut > 1 && HPDF_Page_TextWidth(page_, candidate.substr(0, cut).c_str()) > width);
        Emit(candidate.substr(0, cut), size);
        candidate.erase(0, cut);
      }
      line = std::move(candidate);
    }
    Emit(line, size);
  }

  void Emit(const std::string& text, float size) {
    if (y_ - size < kMargin) NewPage();
    y_ -= size + kLineGap;
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, font_, size);
    HPDF_Page_TextOut(page_, kMargin, y_, text.c_str());
    HPDF_Page_EndText(page_);
  }

  HPDF_Doc pdf_;
  HPDF_Font font_;
  HPDF_Page page_ = nullptr;
  float y_ = 0;
};

std::string SignerKind(const clinic::v1::Consent& consent) {
  return consent.signer_kind() == clinic::v1::SIGNER_KIND_GUARDIAN
             ? absl::StrCat("guardian (", consent.signer_relationship(), ")")
             : "patient";
}

std::string Method(clinic::v1::SignatureMethod method) {
  switch (method) {
    case clinic::v1::SIGNATURE_METHOD_TYPED_NAME:
      return "typed full name";
    case clinic::v1::SIGNATURE_METHOD_DRAWN:
      return "drawn signature (below)";
    case clinic::v1::SIGNATURE_METHOD_VERBAL:
      return "verbal, with a witness";
    default:
      return "unknown";
  }
}

}  // namespace

absl::StatusOr<std::string> RenderConsentPdf(const ConsentDocument& document) {
  ErrorState errors;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)> pdf(
      HPDF_New(&OnError, &errors), &HPDF_Free);
  if (!pdf) return absl::InternalError("cannot create a PDF document");
  HPDF_UseUTFEncodings(pdf.get());
  HPDF_SetCompressionMode(pdf.get(), HPDF_COMP_ALL);
  const char* font_name = HPDF_LoadTTFontFromFile(pdf.get(), kDocumentFont, HPDF_TRUE);
  HPDF_Font font = font_name ? HPDF_GetFont(pdf.get(), font_name, "UTF-8") : nullptr;
  if (font == nullptr) {
    return absl::InternalError(absl::StrCat("cannot load the document font ", kDocumentFont,
                                            " (install fonts-dejavu-core)"));
  }

  absl::TimeZone zone;
  if (!absl::LoadTimeZone(document.clinic.time_zone(), &zone)) zone = absl::UTCTimeZone();
  auto when = [&](const google::protobuf::Timestamp& t) {
    const absl::Time time = FromProtoTime(t);
    return absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M:%S %Z", time, zone), " (",
                        absl::FormatTime(absl::RFC3339_sec, time, absl::UTCTimeZone()), ")");
  };
  const clinic::v1::Consent& consent = document.consent;
  Writer writer(pdf.get(), font);
  writer.Paragraph(absl::StrCat("Consent to treatment: ", document.treatment_name), 16);
  writer.Field("Clinic", document.clinic.display_name());
  writer.Field("Patient", absl::StrCat(document.patient.given_name(), " ",
                                       document.patient.family_name()));
  writer.Field("Consent record", consent.name());
  writer.Field("Form", consent.consent_form());
  writer.Field("Signed", when(consent.sign_time()));
  writer.Field("Signed by", absl::StrCat(consent.signer_name(), ", ", SignerKind(consent)));
  writer.Field("Method", Method(consent.method()));
  if (!document.witness_name.empty()) writer.Field("Witness", document.witness_name);
  writer.Field("Valid until", when(consent.expire_time()));
  if (consent.has_withdraw_time()) {
    writer.Field("WITHDRAWN", absl::StrCat(when(consent.withdraw_time()), ": ",
                                           consent.withdraw_reason()));
  }
  writer.Field("SHA-256 of the text", consent.text_sha256());
  writer.Paragraph("");
  writer.Paragraph("Text shown to and agreed by the signer:", 12);
  writer.Paragraph(consent.form_text());

  if (consent.method() == clinic::v1::SIGNATURE_METHOD_DRAWN && !consent.signature_image().empty()) {
    // Decoded here rather than by libharu, whose PNG loader aborts on a
    // broken image.
    absl::StatusOr<RgbImage> decoded = DecodeSignaturePng(consent.signature_image());
    if (!decoded.ok()) return decoded.status();
    HPDF_Image image = HPDF_LoadRawImageFromMem(
        pdf.get(), reinterpret_cast<const HPDF_BYTE*>(decoded->pixels.data()), decoded->width,
        decoded->height, HPDF_CS_DEVICE_RGB, 8);
    if (image != nullptr) {
      const float width = std::min<float>(decoded->width, 240);
      const float height = decoded->height * width / std::max<float>(1, decoded->width);
      writer.Paragraph("Signature:", 12);
      const float top = writer.Reserve(height);
      HPDF_Page_DrawImage(writer.page(), image, kMargin, top - height, width, height);
    }
  }
  if (errors.code != HPDF_OK) {
    return absl::InternalError(absl::StrCat("PDF rendering failed (libharu error 0x",
                                            absl::Hex(errors.code), ", detail ", errors.detail,
                                            ")"));
  }
  if (HPDF_SaveToStream(pdf.get()) != HPDF_OK) return absl::InternalError("cannot write the PDF");
  std::string bytes(HPDF_GetStreamSize(pdf.get()), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(bytes.size());
  HPDF_ReadFromStream(pdf.get(), reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  bytes.resize(size);
  return bytes;
}

}  // namespace clinicd::consent
