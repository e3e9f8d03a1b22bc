#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the test suites, private to DIR: a
# fresh initdb each start, reached only through a unix socket (no TCP), every
# local connection trusted, C collation, UTF-8. Never for real data: it
# trades durability for speed (see the settings below).
#   pg_cluster.sh start DIR   stop any cluster left in DIR, initdb a new one, start
#                             it; writes its base URI to DIR/url. A start that
#                             fails prints the server log and exits 1.
#   pg_cluster.sh stop DIR    stop it (fast shutdown) and remove its data; does
#                             nothing when none runs; keeps DIR/server.log
#   pg_cluster.sh url DIR     print the base URI: the superuser `postgres` on the
#                             database `postgres`, e.g.
#                             postgresql:///postgres?host=DIR/cluster/socket&port=5432&user=postgres
# initdb refuses to run as root: as root (CI) the cluster runs as `postgres`
# when that user exists (Debian's postgresql-common creates it), else as the
# system user `clinicd-test`, created here. PG_BINDIR overrides the binaries'
# folder (default /usr/lib/postgresql/15/bin).
set -euo pipefail

bindir=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
# The port only names the socket file (.s.PGSQL.PORT) in the cluster's own
# socket folder, and listen_addresses='' binds no TCP port; shared memory is
# keyed on the data folder, not the port. So any port is free here, and a
# fixed one keeps the URI predictable.
port=5432
# A unix socket path holds at most 107 bytes (sun_path).
max_socket_path=107

usage() {
  echo "usage: $0 start|stop|url DIR" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
command=$1
if [[ $command == start ]]; then
  mkdir -p "$2"
elif [[ ! -d "$2" ]]; then
  [[ $command == stop ]] && exit 0
  echo "pg_cluster: no cluster in $2" >&2
  exit 1
fi
dir=$(cd "$2" && pwd)
# The cluster's home: DIR/cluster, or (see pick_home) a symlink there to a
# folder under /tmp.
home_link=$dir/cluster

# The user the server runs as.
cluster_user() {
  if [[ $(id -u) -ne 0 ]]; then
    id -un
  elif getent passwd postgres >/dev/null; then
    echo postgres
  else
    if ! getent passwd clinicd-test >/dev/null; then
      useradd --system --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin clinicd-test
    fi
    echo clinicd-test
  fi
}

# as_cluster_user COMMAND...: runs COMMAND as the cluster's user, from its
# home (so no tool complains that it cannot stay in root's working folder).
as_cluster_user() {
  local user
  user=$(cluster_user)
  if [[ $(id -u) -eq 0 ]]; then
    (cd "$home_link/" && runuser -u "$user" -- "$@")
  else
    (cd "$home_link/" && "$@")
  fi
}

# Creates the cluster's home, owned by its user: DIR/cluster when that user
# can reach it (every folder above DIR searchable) and the socket path fits;
# otherwise a private folder under /tmp, linked from DIR/cluster.
pick_home() {
  local user
  user=$(cluster_user)
  mkdir "$home_link"
  chown "$user:" "$home_link"
  chmod 0700 "$home_link"
  local socket_path="$home_link/socket/.s.PGSQL.$port"
  if as_cluster_user test -w "$home_link/" 2>/dev/null &&
     [[ ${#socket_path} -le $max_socket_path ]]; then
    return
  fi
  rmdir "$home_link"
  local elsewhere
  elsewhere=$(mktemp -d /tmp/clinicd-pg.XXXXXX)
  chown "$user:" "$elsewhere"
  ln -s "$elsewhere" "$home_link"
  echo "pg_cluster: $dir is out of $user's reach or too deep for a socket;" \
    "the cluster lives in $elsewhere" >&2
}

# Percent-encodes a path for a URI's query.
uri_encode() {
  local LC_ALL=C text=$1 encoded="" i c
  for ((i = 0; i < ${#text}; i++)); do
    c=${text:i:1}
    case "$c" in
      [A-Za-z0-9/._~-]) encoded+=$c ;;
      *) encoded+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$encoded"
}

running() {
  [[ -f "$home_link/data/postmaster.pid" ]] &&
    as_cluster_user "$bindir/pg_ctl" -D "$home_link/data" status >/dev/null 2>&1
}

stop() {
  [[ -e "$home_link" || -L "$home_link" ]] || return 0
  if running; then
    as_cluster_user "$bindir/pg_ctl" -D "$home_link/data" -m fast -w -t 60 stop >/dev/null
  fi
  if [[ -f "$home_link/server.log" ]]; then cp "$home_link/server.log" "$dir/server.log"; fi
  rm -f "$dir/url"
  if [[ -L "$home_link" ]]; then
    rm -rf "$(readlink "$home_link")"
    rm -f "$home_link"
  else
    rm -rf "$home_link"
  fi
}

start() {
  stop
  rm -f "$dir/url" "$dir/server.log"
  pick_home
  local home
  home=$(cd "$home_link" && pwd -P)
  as_cluster_user mkdir -m 0700 "$home/socket"
  # --no-sync: nothing here needs to survive a crash of the machine.
  as_cluster_user "$bindir/initdb" -D "$home/data" -U postgres --auth=trust \
    --locale=C --encoding=UTF8 --no-sync >"$home/initdb.log" 2>&1 || {
    cat "$home/initdb.log" >&2
    echo "pg_cluster: initdb failed (log above)" >&2
    exit 1
  }
  # Settings for a throwaway cluster on a small (2-core) test machine.
  # fsync, synchronous_commit and full_page_writes off make commits cheap and
  # lose data on a crash: acceptable only because this cluster is thrown
  # away after the run. Never copy them to a real deployment.
  cat >>"$home/data/postgresql.conf" <<EOF

# ---- pg_cluster.sh: throwaway test cluster ----
listen_addresses = ''
port = $port
unix_socket_directories = '$home/socket'
# ~2 ctest processes x several clinicd processes x a pool of ~8 each, and
# the harness's own connections that create and drop databases.
max_connections = 400
fsync = off
synchronous_commit = off
full_page_writes = off
# Containers often give /dev/shm only 64 MB; parallel queries' shared memory
# goes to files in the data folder instead. Parallel workers and JIT cost
# more than they save on two cores and test-sized tables.
dynamic_shared_memory_type = mmap
max_parallel_workers_per_gather = 0
jit = off
timezone = 'UTC'
log_timezone = 'UTC'
log_line_prefix = '%m [%p] %d '
EOF
  if ! as_cluster_user "$bindir/pg_ctl" -D "$home/data" -l "$home/server.log" \
      -w -t 60 start >/dev/null; then
    echo "pg_cluster: the server did not start; its log:" >&2
    cat "$home/server.log" >&2 || true
    stop
    exit 1
  fi
  url >"$dir/url"
  echo "pg_cluster: PostgreSQL $("$bindir/postgres" -V | awk '{print $3}') at $(cat "$dir/url")"
}

url() {
  local home
  home=$(cd "$home_link" && pwd -P)
  echo "postgresql:///postgres?host=$(uri_encode "$home/socket")&port=$port&user=postgres"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  url)
    [[ -d "$home_link/data" ]] || { echo "pg_cluster: no cluster in $dir" >&2; exit 1; }
    url
    ;;
  *) usage ;;
esac
