#include "tests/postgres/recording_connection.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "services/store/cursor.h"
#include "services/store/postgres_connection.h"

namespace clinicd::testing {
namespace {

// `value` as a quoted SQL literal.
std::string Quoted(absl::string_view value) {
  return absl::StrCat("'", absl::StrReplaceAll(value, {{"'", "''"}}), "'");
}

// An array element as the backend writes one: quoted, " and \ escaped.
std::string ArrayElement(const std::string& value) {
  return absl::StrCat("\"", absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"\"", "\\\""}}), "\"");
}

}  // namespace

// Keeps the values bound to one statement, as literals, in its record.
class RecordingConnection::RecordingCursor final : public store::internal::Cursor {
 public:
  explicit RecordingCursor(RecordedStatement* record) : record_(record) {}

  absl::Status BindInt(int index, int64_t value) override {
    return Set(index, Quoted(absl::StrCat(value)));
  }
  absl::Status BindDouble(int index, double value) override {
    return Set(index, Quoted(absl::StrCat(value)));
  }
  absl::Status BindText(int index, absl::string_view value) override {
    return Set(index, Quoted(value));
  }
  absl::Status BindBlob(int index, absl::string_view value) override {
    return Set(index, Quoted(absl::StrCat("\\x", absl::BytesToHexString(value))));
  }
  absl::Status BindNull(int index) override { return Set(index, "NULL"); }
  absl::Status BindTextList(int index, const std::vector<std::string>& values) override {
    std::vector<std::string> elements;
    for (const std::string& value : values) elements.push_back(ArrayElement(value));
    return Set(index, Quoted(absl::StrCat("{", absl::StrJoin(elements, ","), "}")));
  }
  absl::Status BindIntList(int index, const std::vector<int64_t>& values) override {
    return Set(index, Quoted(absl::StrCat("{", absl::StrJoin(values, ","), "}")));
  }

  absl::StatusOr<bool> Step() override { return false; }
  void Reset() override {}
  int64_t ColumnInt(int) const override { return 0; }
  double ColumnDouble(int) const override { return 0; }
  std::string ColumnText(int) const override { return ""; }
  std::string ColumnBlob(int) const override { return ""; }
  bool ColumnIsNull(int) const override { return true; }
  int ColumnCount() const override { return 0; }
  store::ValueKind ColumnKind(int) const override { return store::ValueKind::kNull; }

 private:
  absl::Status Set(int index, std::string literal) {
    if (index < 1) return absl::InternalError(absl::StrCat("parameter ", index));
    if (record_->params.size() < static_cast<size_t>(index)) {
      record_->params.resize(static_cast<size_t>(index), "NULL");
    }
    record_->params[static_cast<size_t>(index) - 1] = std::move(literal);
    return absl::OkStatus();
  }

  RecordedStatement* record_;
};

RecordingConnection::RecordingConnection() = default;
RecordingConnection::~RecordingConnection() = default;

absl::Status RecordingConnection::Exec(absl::string_view sql) {
  statements_.push_back({label_, store::internal::PostgresPlaceholders(sql), {}});
  return absl::OkStatus();
}

void RecordingConnection::Release(store::internal::Cursor*) {}

absl::StatusOr<store::internal::Cursor*> RecordingConnection::PrepareCursor(absl::string_view sql) {
  // A cursor per Prepare, never reused, so each keeps its own binds.
  statements_.push_back({label_, store::internal::PostgresPlaceholders(sql), {}});
  cursors_.push_back(std::make_unique<RecordingCursor>(&statements_.back()));
  return cursors_.back().get();
}

}  // namespace clinicd::testing
