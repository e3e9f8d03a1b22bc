#pragma once

// Made-up but realistic patients of a clinic in Germany: names with accents,
// hyphens and particles from the many origins a Berlin front desk sees, and
// German mobile and landline numbers written the ways people write them. The
// load generator and the benchmarks share them so that name folding, search
// and phone parsing do the work they do in production.

#include <cstdint>
#include <random>
#include <string>

#include "clinic/v1/patient_service.pb.h"

namespace clinicd::loadgen {

// Draws sample patients and the queries a receptionist types to find them.
// Not thread-safe: give each thread its own, seeded differently.
class SamplePatients final {
 public:
  explicit SamplePatients(uint64_t seed);

  // A new patient (without name or output-only fields): given and family
  // name, a birth date between 1940 and 2012, a phone number in nine cases
  // out of ten, an e-mail address in two out of three, a language and
  // consents matching the contact details given.
  clinic::v1::Patient Next();

  // What a receptionist types to find `patient` by name: the first three to
  // six letters of the family name, sometimes followed by the first letters
  // of the given name; case and accents as stored.
  std::string NameQuery(const clinic::v1::Patient& patient);

  // `e164` (e.g. "+4915123456789") in German national form, the trunk 0
  // instead of +49 and a space after the fourth digit ("0151 23456789");
  // other numbers unchanged.
  static std::string NationalPhone(const std::string& e164);

  // A uniformly random index in [0, size); size must be positive.
  size_t Index(size_t size);

 private:
  // A German phone number in one of the written forms people use.
  std::string Phone();

  std::mt19937_64 rng_;
};

}  // namespace clinicd::loadgen
