// clinicctl: the front desk's command line for clinicd.
//
//   export CLINICD_ADDRESS=clinicd:50051 CLINICD_API_KEY=... CLINICD_CLINIC=...
//   clinicctl slots --patient='Anna Schmidt' --from=tomorrow
//   clinicctl appointment book --patient='Anna Schmidt' --at='2027-03-15 10:00'
//   clinicctl daybook --date=2027-03-15
//
// `clinicctl help` lists the commands. Exit status: 0 done, 1 refused by
// clinicd, 2 usage error, 3 clinicd unreachable.

#include <cstdlib>
#include <iostream>

#include "clients/clinicctl/cli.h"

int main(int argc, char** argv) {
  return clinicd::clinicctl::RunClinicctl(argc, argv, std::cout, std::cerr, &std::getenv);
}
