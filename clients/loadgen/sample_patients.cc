#include "clients/loadgen/sample_patients.h"

#include <cstddef>

namespace clinicd::loadgen {
namespace {

// A name as written, and an ASCII spelling for e-mail addresses.
struct Name {
  const char* written;
  const char* ascii;
};

// clang-format off
constexpr Name kGivenNames[] = {
    {"Jürgen", "juergen"}, {"Anna-Lena", "anna-lena"}, {"Zoë", "zoe"}, {"Ömer", "oemer"},
    {"Søren", "soeren"}, {"François", "francois"}, {"Małgorzata", "malgorzata"},
    {"Ayşe", "ayse"}, {"Björn", "bjoern"}, {"Lukas", "lukas"}, {"Émilie", "emilie"},
    {"José", "jose"}, {"Chloé", "chloe"}, {"Renée", "renee"}, {"Mehmet", "mehmet"},
    {"Agnieszka", "agnieszka"}, {"Noémie", "noemie"}, {"Jörg", "joerg"}, {"Käthe", "kaethe"},
    {"Dragan", "dragan"}, {"Marie", "marie"}, {"Sophie", "sophie"}, {"Leon", "leon"},
    {"Maximilian", "maximilian"}, {"Hannah", "hannah"}, {"Emma", "emma"}, {"Paul", "paul"},
    {"Mia", "mia"}, {"Felix", "felix"}, {"Lea", "lea"}, {"Jonas", "jonas"}, {"Lina", "lina"},
    {"Elias", "elias"}, {"Ida", "ida"}, {"Fatma", "fatma"}, {"Yusuf", "yusuf"},
    {"Zeynep", "zeynep"}, {"Olena", "olena"}, {"Dmytro", "dmytro"}, {"Nguyễn Thị Lan", "lan"},
    {"Ingrid", "ingrid"}, {"Gisela", "gisela"}, {"Hans-Peter", "hans-peter"},
    {"Karl-Heinz", "karl-heinz"}, {"Ursula", "ursula"}, {"Sebastián", "sebastian"},
    {"Inês", "ines"}, {"Åsa", "asa"}, {"Niklas", "niklas"}, {"Charlotte", "charlotte"},
    {"Matthias", "matthias"}, {"Sabine", "sabine"}, {"Thomas", "thomas"},
    {"Katarzyna", "katarzyna"}, {"Aleksandra", "aleksandra"}, {"Luca", "luca"},
    {"Giulia", "giulia"}, {"Amélie", "amelie"}, {"Helene", "helene"}, {"Tobias", "tobias"},
};
// clang-format on

// clang-format off
constexpr Name kFamilyNames[] = {
    {"Müller", "mueller"}, {"Schmidt", "schmidt"}, {"Schneider", "schneider"},
    {"Fischer", "fischer"}, {"Weber", "weber"}, {"Meyer", "meyer"}, {"Wagner", "wagner"},
    {"Becker", "becker"}, {"Schulz", "schulz"}, {"Hoffmann", "hoffmann"},
    {"Schäfer", "schaefer"}, {"Koch", "koch"}, {"Bauer", "bauer"}, {"Richter", "richter"},
    {"Klein", "klein"}, {"Wolf", "wolf"}, {"Schröder", "schroeder"}, {"Neumann", "neumann"},
    {"Schwarz", "schwarz"}, {"Zimmermann", "zimmermann"}, {"Braun", "braun"},
    {"Krüger", "krueger"}, {"Hofmann", "hofmann"}, {"Hartmann", "hartmann"}, {"Lange", "lange"},
    {"Schmitt", "schmitt"}, {"Werner", "werner"}, {"Krause", "krause"}, {"Meier", "meier"},
    {"Lehmann", "lehmann"}, {"Köhler", "koehler"}, {"Günther", "guenther"},
    {"Özdemir", "oezdemir"}, {"Yılmaz", "yilmaz"}, {"Kaya", "kaya"}, {"Demir", "demir"},
    {"Şahin", "sahin"}, {"Kowalski", "kowalski"}, {"Nowak", "nowak"},
    {"Wiśniewska", "wisniewska"}, {"Đorđević", "djordjevic"}, {"Ørsted", "oersted"},
    {"García", "garcia"}, {"Dubois", "dubois"}, {"Lefèvre", "lefevre"}, {"Šimić", "simic"},
    {"von Bülow", "vonbuelow"}, {"Mueller-Schmidt", "mueller-schmidt"},
    {"de la Cruz", "delacruz"}, {"O'Brien", "obrien"}, {"Nguyễn", "nguyen"},
    {"Popescu", "popescu"}, {"Kovačević", "kovacevic"},
    {"Schulze-Wöhrmann", "schulze-woehrmann"}, {"Papadopoulos", "papadopoulos"},
    {"Rossi", "rossi"}, {"Ferreira", "ferreira"}, {"Bondarenko", "bondarenko"},
    {"Jansen", "jansen"}, {"Petersen", "petersen"}, {"Voß", "voss"}, {"Strauß", "strauss"},
    {"Weiß", "weiss"}, {"Böhm", "boehm"}, {"Jäger", "jaeger"}, {"Kühn", "kuehn"},
    {"Sauer", "sauer"}, {"Arslan", "arslan"}, {"Ivanova", "ivanova"},
};
// clang-format on

// A mobile or area prefix (after the trunk 0) and how many subscriber
// digits follow it.
struct NumberPlan {
  const char* prefix;
  int digits;
};

// clang-format off
constexpr NumberPlan kNumberPlans[] = {
    {"151", 8}, {"152", 8}, {"157", 8}, {"159", 8}, {"160", 7}, {"162", 7},
    {"170", 7}, {"171", 7}, {"172", 7}, {"173", 7}, {"175", 7}, {"176", 8},
    {"177", 7}, {"178", 7}, {"179", 7}, {"30", 8}, {"89", 8}, {"40", 8},
    {"69", 8}, {"221", 7}, {"211", 7}, {"711", 7}, {"341", 7}, {"351", 7},
};
// clang-format on

constexpr const char* kLanguages[] = {"de", "de", "de", "de", "en",
                                      "tr", "pl", "fr", "uk", "en-GB"};
constexpr const char* kMailDomains[] = {"example.de", "example.org", "example.com"};

template <typename T, size_t N>
const T& Pick(std::mt19937_64& rng, const T (&items)[N]) {
  return items[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

// The first `count` code points of UTF-8 `text` (all of it when shorter).
std::string Utf8Prefix(const std::string& text, int count) {
  size_t end = 0;
  while (end < text.size() && count > 0) {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      ++end;
    }
    --count;
  }
  return text.substr(0, end);
}

}  // namespace

SamplePatients::SamplePatients(uint64_t seed) : rng_(seed) {}

size_t SamplePatients::Index(size_t size) {
  return std::uniform_int_distribution<size_t>(0, size - 1)(rng_);
}

std::string SamplePatients::Phone() {
  const NumberPlan& plan = Pick(rng_, kNumberPlans);
  std::string subscriber(1, static_cast<char>('2' + Index(8)));
  while (static_cast<int>(subscriber.size()) < plan.digits) {
    subscriber += static_cast<char>('0' + Index(10));
  }
  const std::string prefix = plan.prefix;
  switch (Index(5)) {
    case 0:
      return "+49 " + prefix + " " + subscriber;
    case 1:
      return "0" + prefix + "/" + subscriber;
    case 2:
      return "+49" + prefix + subscriber;
    case 3:
      return "(0" + prefix + ") " + subscriber;
    default:
      return "0" + prefix + " " + subscriber;
  }
}

clinic::v1::Patient SamplePatients::Next() {
  const Name& given = Pick(rng_, kGivenNames);
  const Name& family = Pick(rng_, kFamilyNames);
  clinic::v1::Patient patient;
  patient.set_given_name(given.written);
  patient.set_family_name(family.written);
  patient.mutable_birth_date()->set_year(static_cast<int32_t>(1940 + Index(73)));
  patient.mutable_birth_date()->set_month(static_cast<int32_t>(1 + Index(12)));
  patient.mutable_birth_date()->set_day(static_cast<int32_t>(1 + Index(28)));
  patient.set_preferred_language(Pick(rng_, kLanguages));
  if (Index(10) != 0) {
    patient.set_phone_number(Phone());
    clinic::v1::ChannelConsent* sms = patient.add_channel_consents();
    sms->set_channel(clinic::v1::NOTIFICATION_CHANNEL_SMS);
    sms->set_opted_in(Index(4) != 0);
  }
  if (Index(3) != 0) {
    patient.set_email(std::string(given.ascii) + "." + family.ascii + std::to_string(Index(1000)) +
                      "@" + Pick(rng_, kMailDomains));
    clinic::v1::ChannelConsent* email = patient.add_channel_consents();
    email->set_channel(clinic::v1::NOTIFICATION_CHANNEL_EMAIL);
    email->set_opted_in(Index(2) != 0);
  }
  return patient;
}

std::string SamplePatients::NameQuery(const clinic::v1::Patient& patient) {
  std::string query = Utf8Prefix(patient.family_name(), static_cast<int>(3 + Index(4)));
  if (Index(3) == 0) {
    query += " " + Utf8Prefix(patient.given_name(), static_cast<int>(2 + Index(3)));
  }
  return query;
}

std::string SamplePatients::NationalPhone(const std::string& e164) {
  if (e164.rfind("+49", 0) != 0 || e164.size() < 7) return e164;
  return "0" + e164.substr(3, 3) + " " + e164.substr(6);
}

}  // namespace clinicd::loadgen
