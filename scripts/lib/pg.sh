# scripts/lib/pg.sh: shared helpers for the throwaway-cluster scripts (sourced, not run).
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
export PATH="$PGBIN:$PATH"

# Runs a PostgreSQL server program as the cluster owner: `postgres` when we are root.
pg_run() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- env PATH="$PATH" "$@"
  else
    "$@"
  fi
}

pg_chown() { [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$@" || true; }

pg_as_owner_prepare() {
  local dir=$1
  pg_chown "$dir"
  # postgres must be able to reach the directory through its parents.
  [ "$(id -u)" -eq 0 ] && chmod o+x "$(dirname "$dir")" 2>/dev/null || true
}

# Prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
