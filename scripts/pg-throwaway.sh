#!/usr/bin/env bash
# Shared by the demo and the benchmark: start and stop a throwaway PostgreSQL server on a free
# loopback port. As root the server runs as the postgres user, since PostgreSQL refuses root.
# Source it, then: pg_start DIR; ... ; pg_stop DIR. Sets PG_PORT, PG_PASSWORD, PG_BIN.

pg_bin_dir() {
    if [ -n "${DBSNAP_PG_BIN:-}" ]; then echo "$DBSNAP_PG_BIN"; return; fi
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$newest" ] || [ ! -x "$newest/initdb" ]; then
        echo "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install -y postgresql, or set DBSNAP_PG_BIN" >&2
        return 1
    fi
    echo "$newest"
}

as_server_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# pg_start DIR: initdb into DIR/data unless it exists, then start; remembers port and password in DIR.
pg_start() {
    local dir=$1
    PG_BIN=$(pg_bin_dir) || return 1
    mkdir -p "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        PG_PASSWORD="demo-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
        echo "$PG_PASSWORD" > "$dir/pwfile"
        [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
        as_server_user "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            --pwfile="$dir/pwfile" -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; return 1; }
    fi
    PG_PASSWORD=$(cat "$dir/pwfile")
    PG_PORT=$(free_port)
    as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 ${PG_EXTRA_OPTS:-}" start >/dev/null \
        || { tail -n 20 "$dir/server.log" >&2; return 1; }
    export PG_PORT PG_PASSWORD PG_BIN
}

pg_stop() {
    local dir=$1
    PG_BIN=${PG_BIN:-$(pg_bin_dir)}
    as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_url DB: the URL dbsnap takes, with the password in it.
pg_url() {
    echo "postgresql://postgres:${PG_PASSWORD}@127.0.0.1:${PG_PORT}/$1"
}

# pg_sql DB SQL...: run SQL as the superuser.
pg_sql() {
    local db=$1; shift
    PGPASSWORD=$PG_PASSWORD psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" "$@"
}
