#include "services/server/flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, config, "",
          "Configuration file, a clinicd.config.v1.ServerConfig in protobuf text "
          "format; flags given on the command line override it");
ABSL_FLAG(std::string, listen, "", "HOST:PORT to serve on (port 0 picks one); default 127.0.0.1:50051");
ABSL_FLAG(std::string, db, "",
          "SQLite database file (default ./clinicd.db) or a postgresql:// URI "
          "(several clinicd processes may share one PostgreSQL database)");
ABSL_FLAG(std::string, plugin_dir, "", "Directory of treatment-type plugins (*.so)");
ABSL_FLAG(std::string, log_level, "", "trace, debug, info, warn or error; default info");
ABSL_FLAG(std::string, role, "",
          "keys create: admin, front_desk, clinician, reminder_worker or integration");
ABSL_FLAG(std::string, clinic, "",
          "keys create: comma-separated clinic ids the key is limited to; all when empty");
ABSL_FLAG(std::string, description, "", "keys create: what the key is for");
ABSL_FLAG(std::string, key_id, "", "keys revoke: id of the key to revoke");
ABSL_FLAG(std::string, test_clock, "",
          "TESTS ONLY: serve with a clock that stands at this time (`now` or RFC 3339) "
          "until moved through clinicd.test_clock.v1.TestClockService; refused unless "
          "--listen is a loopback address");
ABSL_FLAG(std::string, to, "",
          "backup: the file to write the copy to; migrate-data: the postgresql:// URI to copy into");
ABSL_FLAG(bool, overwrite, false, "backup: replace --to when it already exists");
