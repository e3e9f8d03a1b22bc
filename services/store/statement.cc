#include "services/store/statement.h"

#include <utility>

#include "services/store/connection.h"
#include "services/store/cursor.h"

namespace clinicd::store {
namespace {

// Returned when a moved-from Statement is used, instead of crashing.
absl::Status MovedFromError() {
  return absl::FailedPreconditionError("statement was moved from");
}

}  // namespace

Statement::Statement(internal::Connection* connection, internal::Cursor* cursor)
    : connection_(connection), cursor_(cursor) {}

Statement::Statement(Statement&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)),
      cursor_(std::exchange(other.cursor_, nullptr)),
      bind_status_(std::move(other.bind_status_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    ReturnToCache();
    connection_ = std::exchange(other.connection_, nullptr);
    cursor_ = std::exchange(other.cursor_, nullptr);
    bind_status_ = std::move(other.bind_status_);
  }
  return *this;
}

Statement::~Statement() { ReturnToCache(); }

void Statement::ReturnToCache() {
  if (cursor_ == nullptr) return;
  connection_->Release(cursor_);
  cursor_ = nullptr;
}

Statement& Statement::CheckBind(absl::Status bound) {
  if (bind_status_.ok()) bind_status_ = std::move(bound);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  if (cursor_ == nullptr) return CheckBind(MovedFromError());
  return CheckBind(cursor_->BindInt(index, value));
}

Statement& Statement::Bind(int index, int value) {
  return Bind(index, static_cast<int64_t>(value));
}

Statement& Statement::Bind(int index, double value) {
  if (cursor_ == nullptr) return CheckBind(MovedFromError());
  return CheckBind(cursor_->BindDouble(index, value));
}

Statement& Statement::Bind(int index, absl::Time value) {
  return Bind(index, absl::ToUnixMicros(value));
}

Statement& Statement::BindText(int index, absl::string_view value) {
  if (cursor_ == nullptr) return CheckBind(MovedFromError());
  return CheckBind(cursor_->BindText(index, value));
}

Statement& Statement::BindBlob(int index, absl::string_view value) {
  if (cursor_ == nullptr) return CheckBind(MovedFromError());
  return CheckBind(cursor_->BindBlob(index, value));
}

Statement& Statement::BindNull(int index) {
  if (cursor_ == nullptr) return CheckBind(MovedFromError());
  return CheckBind(cursor_->BindNull(index));
}

Statement& Statement::BindOptionalText(int index, absl::string_view value) {
  return value.empty() ? BindNull(index) : BindText(index, value);
}

Statement& Statement::BindTextList(int index, const std::vector<std::string>& values) {
  if (cursor_ == nullptr) return CheckBind(MovedFromError());
  return CheckBind(cursor_->BindTextList(index, values));
}

Statement& Statement::BindIntList(int index, const std::vector<int64_t>& values) {
  if (cursor_ == nullptr) return CheckBind(MovedFromError());
  return CheckBind(cursor_->BindIntList(index, values));
}

absl::StatusOr<bool> Statement::Step() {
  if (cursor_ == nullptr) return MovedFromError();
  if (!bind_status_.ok()) return bind_status_;
  return cursor_->Step();
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  while (row.ok() && *row) row = Step();
  Reset();
  return row.status();
}

void Statement::Reset() {
  if (cursor_ != nullptr) cursor_->Reset();
}

int64_t Statement::ColumnInt(int column) const { return cursor_->ColumnInt(column); }

double Statement::ColumnDouble(int column) const { return cursor_->ColumnDouble(column); }

std::string Statement::ColumnText(int column) const { return cursor_->ColumnText(column); }

std::string Statement::ColumnBlob(int column) const { return cursor_->ColumnBlob(column); }

absl::Time Statement::ColumnTime(int column) const {
  return absl::FromUnixMicros(cursor_->ColumnInt(column));
}

bool Statement::ColumnIsNull(int column) const { return cursor_->ColumnIsNull(column); }

int Statement::ColumnCount() const { return cursor_->ColumnCount(); }

ValueKind Statement::ColumnKind(int column) const { return cursor_->ColumnKind(column); }

}  // namespace clinicd::store
