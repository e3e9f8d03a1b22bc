#include "services/store/postgres_connection.h"

#include <libpq-fe.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/store/postgres_status.h"

namespace clinicd::store::internal {
namespace {

// libpq prints NOTICEs (say, "extension already exists") to stderr; the
// server's log is ours to write.
void IgnoreNotice(void*, const char*) {}

// The first line of a libpq error message, without its trailing newline.
std::string FirstLine(const char* message) {
  absl::string_view text = message != nullptr ? message : "";
  text = text.substr(0, text.find('\n'));
  return std::string(absl::StripAsciiWhitespace(text));
}

// A PostgreSQL array literal element: quoted, with " and \ escaped.
std::string ArrayElement(absl::string_view value) {
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

}  // namespace

std::string PostgresPlaceholders(absl::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int next_bare = 1;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      // Quoted text or name, with the quote doubled inside: copied as is.
      const size_t end = sql.find(c, i + 1);
      const size_t stop = end == absl::string_view::npos ? sql.size() : end + 1;
      out.append(sql.data() + i, stop - i);
      i = stop;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const size_t end = sql.find('\n', i);
      const size_t stop = end == absl::string_view::npos ? sql.size() : end;
      out.append(sql.data() + i, stop - i);
      i = stop;
    } else if (c == '?') {
      size_t digits = i + 1;
      while (digits < sql.size() && absl::ascii_isdigit(static_cast<unsigned char>(sql[digits]))) {
        ++digits;
      }
      if (digits > i + 1) {
        absl::StrAppend(&out, "$", sql.substr(i + 1, digits - i - 1));
      } else {
        absl::StrAppend(&out, "$", next_bare++);
      }
      i = digits;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

// A named prepared statement and, once run, its result; cached by its
// connection under the SQL text `*sql`.
class PostgresCursor final : public Cursor {
 public:
  PostgresCursor(PostgresConnection* connection, const std::string* sql, std::string name,
                 int parameters)
      : connection_(connection),
        sql_(sql),
        name_(std::move(name)),
        values_(static_cast<size_t>(parameters)),
        bound_(static_cast<size_t>(parameters), false),
        binary_(static_cast<size_t>(parameters), 0) {}
  ~PostgresCursor() override { Reset(); }

  const std::string& sql() const { return *sql_; }

  // Rewinds and clears the bindings, for the cache.
  void Clear() {
    Reset();
    for (size_t i = 0; i < values_.size(); ++i) {
      values_[i].clear();
      bound_[i] = false;
      binary_[i] = 0;
    }
  }

  absl::Status BindInt(int index, int64_t value) override {
    return Set(index, absl::StrCat(value), false);
  }
  absl::Status BindDouble(int index, double value) override {
    return Set(index, absl::StrFormat("%.17g", value), false);
  }
  absl::Status BindText(int index, absl::string_view value) override {
    // Text parameters travel as C strings, and PostgreSQL's text has no NUL:
    // refused here rather than cut short.
    if (value.find('\0') != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("parameter ", index, ": text with a NUL character cannot be stored"));
    }
    return Set(index, std::string(value), false);
  }
  absl::Status BindBlob(int index, absl::string_view value) override {
    return Set(index, std::string(value), true);
  }
  absl::Status BindNull(int index) override {
    if (absl::Status s = CheckIndex(index); !s.ok()) return s;
    Reset();
    bound_[static_cast<size_t>(index - 1)] = false;
    return absl::OkStatus();
  }
  absl::Status BindTextList(int index, const std::vector<std::string>& values) override {
    std::vector<std::string> elements;
    elements.reserve(values.size());
    for (const std::string& value : values) elements.push_back(ArrayElement(value));
    return Set(index, absl::StrCat("{", absl::StrJoin(elements, ","), "}"), false);
  }
  absl::Status BindIntList(int index, const std::vector<int64_t>& values) override {
    return Set(index, absl::StrCat("{", absl::StrJoin(values, ","), "}"), false);
  }

  absl::StatusOr<bool> Step() override {
    if (result_ == nullptr) {
      std::vector<const char*> values(values_.size());
      std::vector<int> lengths(values_.size());
      for (size_t i = 0; i < values_.size(); ++i) {
        values[i] = bound_[i] ? values_[i].data() : nullptr;
        lengths[i] = static_cast<int>(values_[i].size());
      }
      result_ = PQexecPrepared(connection_->handle(), name_.c_str(),
                               static_cast<int>(values_.size()), values.data(), lengths.data(),
                               binary_.data(), /*resultFormat=*/0);
      row_ = -1;
      if (absl::Status s = connection_->Check(result_, ""); !s.ok()) {
        // Kept (and cleared by Reset) so a second Step does not run it again.
        rows_ = 0;
        return s;
      }
      rows_ = PQntuples(result_);
    }
    if (row_ < rows_) ++row_;
    return row_ < rows_;
  }

  void Reset() override {
    if (result_ != nullptr) PQclear(result_);
    result_ = nullptr;
    row_ = -1;
    rows_ = 0;
  }

  int64_t ColumnInt(int column) const override {
    const char* text = Value(column);
    if (text == nullptr) return 0;
    if (text[0] == 't' && text[1] == '\0') return 1;  // A boolean.
    int64_t value = 0;
    if (absl::SimpleAtoi(text, &value)) return value;
    double real = 0;
    return absl::SimpleAtod(text, &real) ? static_cast<int64_t>(real) : 0;
  }
  double ColumnDouble(int column) const override {
    const char* text = Value(column);
    double value = 0;
    return text != nullptr && absl::SimpleAtod(text, &value) ? value : 0.0;
  }
  std::string ColumnText(int column) const override {
    const char* text = Value(column);
    if (text == nullptr) return std::string();
    return std::string(text, static_cast<size_t>(PQgetlength(result_, row_, column)));
  }
  std::string ColumnBlob(int column) const override {
    const char* text = Value(column);
    if (text == nullptr) return std::string();
    absl::string_view hex(text, static_cast<size_t>(PQgetlength(result_, row_, column)));
    // bytea answers in hex ("\x0a1b..."); other types as their text.
    if (!absl::ConsumePrefix(&hex, "\\x")) return std::string(hex);
    return absl::HexStringToBytes(hex);
  }
  bool ColumnIsNull(int column) const override {
    return !OnRow(column) || PQgetisnull(result_, row_, column) == 1;
  }
  int ColumnCount() const override { return result_ != nullptr ? PQnfields(result_) : 0; }
  ValueKind ColumnKind(int column) const override {
    if (ColumnIsNull(column)) return ValueKind::kNull;
    // Type oids of pg_type.h, which is not a client header.
    switch (PQftype(result_, column)) {
      case 16:  // bool
      case 20:  // int8
      case 21:  // int2
      case 23:  // int4
        return ValueKind::kInteger;
      case 700:   // float4
      case 701:   // float8
      case 1700:  // numeric
        return ValueKind::kReal;
      case 17:  // bytea
        return ValueKind::kBlob;
      default:
        return ValueKind::kText;
    }
  }

 private:
  absl::Status CheckIndex(int index) const {
    if (index < 1 || static_cast<size_t>(index) > values_.size()) {
      return absl::InternalError(absl::StrCat("binding parameter ", index,
                                              ": column index out of range (the statement takes ",
                                              values_.size(), ")"));
    }
    return absl::OkStatus();
  }
  absl::Status Set(int index, std::string value, bool binary) {
    if (absl::Status s = CheckIndex(index); !s.ok()) return s;
    Reset();
    const size_t i = static_cast<size_t>(index - 1);
    values_[i] = std::move(value);
    bound_[i] = true;
    binary_[i] = binary ? 1 : 0;
    return absl::OkStatus();
  }
  bool OnRow(int column) const {
    return result_ != nullptr && row_ >= 0 && row_ < rows_ && column >= 0 &&
           column < PQnfields(result_);
  }
  const char* Value(int column) const {
    if (!OnRow(column) || PQgetisnull(result_, row_, column) == 1) return nullptr;
    return PQgetvalue(result_, row_, column);
  }

  PostgresConnection* connection_;
  const std::string* sql_;
  std::string name_;
  std::vector<std::string> values_;
  std::vector<bool> bound_;
  std::vector<int> binary_;
  pg_result* result_ = nullptr;
  int row_ = -1;
  int rows_ = 0;
};

absl::StatusOr<std::unique_ptr<PostgresConnection>> PostgresConnection::Open(
    const std::string& conninfo, absl::Duration lock_timeout) {
  pg_conn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return absl::ResourceExhaustedError("out of memory connecting to PostgreSQL");
  auto connection = std::make_unique<PostgresConnection>(conn, conninfo, lock_timeout);
  if (absl::Status s = connection->EnsureConnected(); !s.ok()) return s;
  return connection;
}

PostgresConnection::PostgresConnection(pg_conn* conn, std::string conninfo,
                                       absl::Duration lock_timeout)
    : conn_(conn), conninfo_(std::move(conninfo)), lock_timeout_(lock_timeout) {
  PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
}

PostgresConnection::~PostgresConnection() {
  idle_.clear();
  cursors_.clear();
  PQfinish(conn_);
}

absl::Status PostgresConnection::EnsureConnected() {
  // Reading what is waiting notices a session the server ended (it says so,
  // then closes the socket) before a transaction would fail on it.
  if (PQstatus(conn_) != CONNECTION_OK || PQconsumeInput(conn_) == 0 ||
      PQstatus(conn_) != CONNECTION_OK) {
    PQreset(conn_);
    configured_ = false;
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    return PostgresStatus("", absl::StrCat("cannot connect to PostgreSQL: ",
                                           FirstLine(PQerrorMessage(conn_))));
  }
  if (configured_) return absl::OkStatus();
  // A new session has none of the old one's prepared statements.
  idle_.clear();
  cursors_.clear();
  // A lock wait is bounded as SQLite's busy timeout bounds it.
  absl::Status set = Exec(absl::StrCat("SET lock_timeout = ",
                                       absl::ToInt64Milliseconds(lock_timeout_),
                                       "; SET client_min_messages = warning"));
  configured_ = set.ok();
  return set;
}

void PostgresConnection::ForgetTransaction() {
  retry_sqlstate_.clear();
  wrote_ = false;
  changes_ = 0;
}

absl::Status PostgresConnection::Check(pg_result* result, absl::string_view context) {
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    const absl::string_view command = PQcmdStatus(result);
    if (absl::StartsWith(command, "INSERT") || absl::StartsWith(command, "UPDATE") ||
        absl::StartsWith(command, "DELETE") || absl::StartsWith(command, "MERGE")) {
      int changed = 0;
      if (!absl::SimpleAtoi(PQcmdTuples(result), &changed)) changed = 0;
      changes_ = changed;
      if (changed > 0) wrote_ = true;
    }
    return absl::OkStatus();
  }
  const char* field = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = field != nullptr ? field : "";
  if (retry_sqlstate_.empty() && IsRetryableSqlstate(sqlstate)) retry_sqlstate_ = sqlstate;
  const char* message = result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
  std::string text = FirstLine(message);
  if (text.empty()) text = FirstLine(PQerrorMessage(conn_));
  return Annotate(PostgresStatus(sqlstate, text), context);
}

absl::Status PostgresConnection::Exec(absl::string_view sql) {
  const std::string script = PostgresPlaceholders(sql);
  pg_result* result = PQexec(conn_, script.c_str());
  absl::Status status = Check(result, "");
  PQclear(result);
  return status;
}

absl::StatusOr<Cursor*> PostgresConnection::PrepareCursor(absl::string_view sql) {
  auto slot = idle_.find(sql);
  if (slot != idle_.end() && !slot->second.empty()) {
    PostgresCursor* cursor = slot->second.back();
    slot->second.pop_back();
    return cursor;
  }
  const std::string name = absl::StrCat("clinicd_", cursors_.size());
  const std::string text = PostgresPlaceholders(sql);
  pg_result* prepared = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
  absl::Status status = Check(prepared, "");
  PQclear(prepared);
  if (!status.ok()) {
    if (absl::IsInternal(status)) {
      status = Annotate(status, absl::StrCat("preparing \"", text, "\": "));
    }
    return status;
  }
  pg_result* described = PQdescribePrepared(conn_, name.c_str());
  status = Check(described, "describing a prepared statement: ");
  const int parameters = status.ok() ? PQnparams(described) : 0;
  PQclear(described);
  if (!status.ok()) return status;
  if (slot == idle_.end()) {
    slot = idle_.emplace(std::string(sql), std::vector<PostgresCursor*>()).first;
  }
  cursors_.push_back(std::make_unique<PostgresCursor>(this, &slot->first, name, parameters));
  return cursors_.back().get();
}

void PostgresConnection::Release(Cursor* cursor) {
  auto* postgres_cursor = static_cast<PostgresCursor*>(cursor);
  postgres_cursor->Clear();
  idle_[postgres_cursor->sql()].push_back(postgres_cursor);
}

bool PostgresConnection::InTransaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

}  // namespace clinicd::store::internal
