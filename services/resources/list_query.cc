#include "services/resources/list_query.h"

#include "absl/strings/numbers.h"
#include "services/common/pagination.h"
#include "services/common/resource_name.h"

namespace clinicd::resources {

absl::StatusOr<std::string> ParseClinicParent(const auth::Principal& principal,
                                              absl::string_view parent, absl::string_view field) {
  std::vector<absl::string_view> pattern = {"clinics"};
  absl::StatusOr<std::vector<std::string>> ids = ParseResourceName(field, parent, pattern);
  if (!ids.ok()) return ids.status();
  if (absl::Status s = auth::CheckClinicAccess(principal, ids->front()); !s.ok()) return s;
  return ids->front();
}

void BindPageKey(store::Statement& stmt, int index, const std::vector<std::string>& after) {
  int64_t order_value = 0;
  if (after.size() == 2 && absl::SimpleAtoi(after[0], &order_value)) {
    stmt.Bind(index, order_value).BindText(index + 1, after[1]);
  } else {
    stmt.BindNull(index).BindNull(index + 1);
  }
}

absl::Status ReadPage(store::Statement& stmt, int limit, absl::string_view fingerprint,
                      absl::FunctionRef<absl::StatusOr<std::vector<std::string>>()> read_row,
                      std::string* next_page_token) {
  std::vector<std::string> last_key;
  for (int read = 0;; ++read) {
    absl::StatusOr<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    if (read == limit) {
      *next_page_token = EncodePageToken(last_key, fingerprint);
      return absl::OkStatus();
    }
    absl::StatusOr<std::vector<std::string>> key = read_row();
    if (!key.ok()) return key.status();
    last_key = *std::move(key);
  }
}

}  // namespace clinicd::resources
