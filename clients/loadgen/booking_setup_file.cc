#include "clients/loadgen/booking_setup_file.h"

#include <fstream>
#include <sstream>

namespace clinicd::loadgen {

absl::TimeZone Berlin() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Europe/Berlin", &zone)) zone = absl::UTCTimeZone();
  return zone;
}

BookingGrid BookingSetup::Grid() const {
  return BookingGrid(static_cast<int>(practitioners.size()), Berlin());
}

grpc::Status SaveBookingSetup(const BookingSetup& setup, const std::string& path) {
  std::ofstream out(path);
  out << "clinic " << setup.clinic << "\n"
      << "first_session_day " << absl::FormatCivilTime(setup.first_session_day) << "\n";
  for (const std::string& name : setup.practitioners) out << "practitioner " << name << "\n";
  for (const std::string& name : setup.rooms) out << "room " << name << "\n";
  for (const std::string& name : setup.patients) out << "patient " << name << "\n";
  out.close();
  if (!out) return grpc::Status(grpc::StatusCode::INTERNAL, "cannot write " + path);
  return grpc::Status::OK;
}

grpc::Status LoadBookingSetup(const std::string& path, BookingSetup* setup) {
  std::ifstream in(path);
  if (!in) return grpc::Status(grpc::StatusCode::NOT_FOUND, "cannot read " + path);
  std::string line;
  bool has_day = false;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key, value;
    words >> key >> value;
    if (key == "clinic") {
      setup->clinic = value;
    } else if (key == "first_session_day") {
      has_day = absl::ParseCivilTime(value, &setup->first_session_day);
    } else if (key == "practitioner") {
      setup->practitioners.push_back(value);
    } else if (key == "room") {
      setup->rooms.push_back(value);
    } else if (key == "patient") {
      setup->patients.push_back(value);
    }
  }
  if (setup->clinic.empty() || !has_day || setup->practitioners.empty() ||
      setup->rooms.size() != setup->practitioners.size() ||
      static_cast<int>(setup->patients.size()) != setup->Grid().patients()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        path + " is not a booking set-up written by --scenario=setup_booking");
  }
  return grpc::Status::OK;
}

}  // namespace clinicd::loadgen
