#include "services/store/keyset_statement.h"

#include <cstdint>

#include "absl/strings/numbers.h"

namespace clinicd::store {

void BindIntegerPageKey(Statement& stmt, int index, const std::vector<std::string>& after) {
  int64_t order_value = 0;
  if (after.size() == 2 && absl::SimpleAtoi(after[0], &order_value)) {
    stmt.Bind(index, order_value).BindText(index + 1, after[1]);
  } else {
    stmt.BindNull(index).BindNull(index + 1);
  }
}

absl::Status ReadKeysetPage(Statement& stmt, int limit,
                            absl::FunctionRef<absl::StatusOr<std::vector<std::string>>()> read_row,
                            std::vector<std::string>& next_after) {
  std::vector<std::string> last_key;
  for (int read = 0;; ++read) {
    absl::StatusOr<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    if (read == limit) {
      next_after = std::move(last_key);
      return absl::OkStatus();
    }
    absl::StatusOr<std::vector<std::string>> key = read_row();
    if (!key.ok()) return key.status();
    last_key = *std::move(key);
  }
}

absl::StatusOr<KeysetPage<ResourceRow>> ReadResourceRowPage(Statement& stmt, int limit) {
  KeysetPage<ResourceRow> page;
  absl::Status status = ReadKeysetPage(
      stmt, limit,
      [&]() -> absl::StatusOr<std::vector<std::string>> {
        page.items.push_back({stmt.ColumnText(0), stmt.ColumnInt(1), stmt.ColumnBlob(2)});
        // An INTEGER order value reads as its decimal text, as page keys hold it.
        return std::vector<std::string>{stmt.ColumnText(3), stmt.ColumnText(0)};
      },
      page.next_after);
  if (!status.ok()) return status;
  return page;
}

}  // namespace clinicd::store
