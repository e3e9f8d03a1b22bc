#!/usr/bin/env bash
# Checks clinicd's PostgreSQL schema and statements on a throwaway PostgreSQL
# 15 cluster it starts and removes itself:
#   1. the migrations clinicd-print-schema prints apply in one SERIALIZABLE
#      transaction, and two `clinicd migrate` run at once end with the same
#      schema at version 7;
#   2. every statement whose PostgreSQL text differs from SQLite's prepares
#      with untyped parameters (as the backend sends them), runs, and uses an
#      index in its custom and generic plans (seed.sql gives the planner rows);
#   3. the schema keeps its invariants: exclusion constraints, byte order,
#      word-prefix search, indexed foreign-key checks (invariants.sql), and
#      between two sessions: migration races, event order, claims
#      (two_sessions.sql).
# Exits 0 when all hold, 77 (skipped) without PostgreSQL 15, 1 otherwise.
#
# usage: check_schema.sh PATH/TO/clinicd-print-schema PATH/TO/clinicd

set -euo pipefail

print_schema=$1
clinicd=$2
here=$(cd "$(dirname "$0")" && pwd)
bin=/usr/lib/postgresql/15/bin

if [[ ! -x $bin/initdb || ! -x $bin/pg_ctl || ! -x $bin/psql ]]; then
  echo "SKIP: PostgreSQL 15 is not installed in $bin"
  exit 77
fi
# initdb refuses to run as root: the cluster then belongs to user postgres.
as_owner=()
if [[ $(id -u) == 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "SKIP: running as root and there is no postgres user to own the cluster"
    exit 77
  fi
  as_owner=(runuser -u postgres --)
fi

work=$(mktemp -d /tmp/clinicd-pgschema.XXXXXX)
[[ ${#as_owner[@]} == 0 ]] || chown postgres: "$work"
cleanup() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  echo "--- server log"
  cat "$work/log" 2>/dev/null || true
  exit 1
}

# The default collation is ICU's English, not byte order: the check that ids
# and sort keys still order bytewise then means something. No TCP: the socket
# lives in $work, so any port number is free.
port=5432
"${as_owner[@]}" "$bin/initdb" -D "$work/data" -U postgres --auth=trust -E UTF8 --locale=C \
  --locale-provider=icu --icu-locale=en >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log"; fail "initdb"; }
"${as_owner[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/log" -w -o \
  "-c listen_addresses='' -c unix_socket_directories=$work -p $port -c fsync=off" start \
  >/dev/null || fail "the server did not start"

sql() { "$bin/psql" -h "$work" -p "$port" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
address() { echo "postgresql:///$1?host=$work&port=$port&user=postgres"; }
for db in clinic raced fresh driver; do sql -d postgres -c "CREATE DATABASE $db"; done

echo "=== 1. migrations"
"$print_schema" --dialect=postgres >"$work/schema.sql"
PGOPTIONS='-c default_transaction_isolation=serializable' \
  sql -d clinic --single-transaction -f "$work/schema.sql" || fail "the migrations do not apply"
"$clinicd" migrate --db="$(address raced)" >"$work/migrate1.log" 2>&1 &
first=$!
"$clinicd" migrate --db="$(address raced)" >"$work/migrate2.log" 2>&1 ||
  { cat "$work/migrate2.log"; fail "clinicd migrate (second)"; }
wait "$first" || { cat "$work/migrate1.log"; fail "clinicd migrate (first)"; }
version=$(sql -d raced -Atc "SELECT version FROM schema_version")
[[ $version == 7 ]] || fail "two clinicd migrate left schema version $version"
# (Without comments and pg_dump's per-run \restrict keys.)
dump() {
  "$bin/pg_dump" -h "$work" -p "$port" -U postgres -s -T schema_version "$1" |
    grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict'
}
diff <(dump clinic) <(dump raced) || fail "clinicd migrate made another schema than the printed one"
echo "psql applied the printed migrations; two clinicd migrate at once reached version 7 with the same schema"
if grep -q "could not serialize access" "$work/log"; then
  echo "(one of them was sent back to retry, as two_sessions.sql checks step by step)"
fi

echo "=== 2. statements"
sql -d clinic -f "$here/seed.sql"
"$print_schema" --store-statements >"$work/statements.sql"
{ echo "BEGIN ISOLATION LEVEL SERIALIZABLE;"; cat "$work/statements.sql"; echo "ROLLBACK;"; } |
  sql -d clinic -f - >"$work/plans.txt" 2>&1 || { cat "$work/plans.txt"; fail "a statement failed"; }
cat "$work/plans.txt"
# Each plan (from one `=== ` line to the next) must use an index and read no
# table whole; an INSERT has no scan at all.
awk '
  function judge() {
    if (name == "") return
    if (plan ~ /Seq Scan/ || (plan !~ /Index/ && plan !~ /Insert on/)) { print "no index: " name; bad = 1 }
  }
  /^=== / { judge(); name = $0; plan = ""; next }
  { plan = plan $0 "\n" }
  END { judge(); exit bad }
' "$work/plans.txt" || fail "a statement reads a table without an index"
echo "every statement prepared, ran, and used an index in its custom and generic plans"

echo "=== 3. invariants"
sql -d clinic -f "$here/invariants.sql" 2>&1 || fail "invariants.sql"
statement() { "$print_schema" --statement="$1"; }
sql -d driver \
  -v fresh="$(address fresh)" -v clinic="$(address clinic)" \
  -v lock_migrations="$(statement take_migration_lock)" \
  -v has_version_table="$(statement has_version_table)" \
  -v create_version_table="$(statement create_version_table)" \
  -v claim_version_row="$(statement claim_version_row)" \
  -v locked_version="$(statement locked_version)" \
  -v claim_prepare="$(grep '^PREPARE ClaimableNotifications_1 ' "$work/statements.sql")" \
  -v claim_execute="$(grep -o 'EXECUTE ClaimableNotifications_1(.*)' "$work/statements.sql" | head -1)" \
  -f "$here/two_sessions.sql" 2>&1 || fail "two_sessions.sql"

echo "PASS"
