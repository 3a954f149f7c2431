# shellcheck disable=SC2034  # PG_URL and the other PG_* variables are for the sourcing script
# A throwaway PostgreSQL cluster on a free loopback port, for tests and benchmarks. Source it
# after common.sh; do not run it.

# start_throwaway_postgres DIR [postgres options…]: creates a cluster in DIR/pg (user `outpost`,
# trust authentication) and starts it on a free 127.0.0.1 port with the given extra options
# (e.g. `-c fsync=off`). Sets PG_BINDIR, PG_OS_USER, PG_PORT and PG_URL
# (postgres://outpost@127.0.0.1:PORT/postgres). Pair with stop_throwaway_postgres DIR in a trap.
start_throwaway_postgres() {
    local workdir=$1; shift
    PG_BINDIR=$(postgres_bindir)
    PG_OS_USER=$(postgres_os_user)
    chmod 755 "$workdir"
    mkdir -p "$workdir/pg"
    chown "$PG_OS_USER" "$workdir/pg"
    say "starting a throwaway PostgreSQL ($("$PG_BINDIR/postgres" --version | awk '{print $3}')) as $PG_OS_USER"
    as_postgres_user "$PG_OS_USER" "$PG_BINDIR/initdb" -D "$workdir/pg/data" -U outpost --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    local started=false
    for _ in 1 2 3 4 5; do
        PG_PORT=$(free_port)
        if as_postgres_user "$PG_OS_USER" "$PG_BINDIR/pg_ctl" -D "$workdir/pg/data" -l "$workdir/pg/log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $workdir/pg $*" >/dev/null; then
            started=true; break
        fi
    done
    $started || { cat "$workdir/pg/log" >&2; die "PostgreSQL did not start"; }
    PG_URL="postgres://outpost@127.0.0.1:$PG_PORT/postgres"
    say "PostgreSQL listening on 127.0.0.1:$PG_PORT"
}

# stop_throwaway_postgres DIR: stops the cluster started in DIR (if running) and removes DIR.
stop_throwaway_postgres() {
    local workdir=$1
    if [ -n "${PG_BINDIR:-}" ] && [ -f "$workdir/pg/data/postmaster.pid" ]; then
        as_postgres_user "$PG_OS_USER" "$PG_BINDIR/pg_ctl" -D "$workdir/pg/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$workdir"
}
