# Shared shell helpers for Outpost's scripts. Source it; do not run it.

say()  { printf '\033[1m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[33mwarning:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs a command as root (directly, or through sudo).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages that are missing; quiet when all are present.
ensure_apt_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# Puts the Swift toolchain on PATH (it lives in /opt/swift on the project's machines).
ensure_swift() {
    command -v swift >/dev/null 2>&1 && return 0
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        if [ -x "$candidate/swift" ]; then export PATH="$candidate:$PATH"; return 0; fi
    done
    die "Swift 6.3 toolchain not found: install it from swift.org into /opt/swift"
}

# `swift build` flags of the agent as shipped (scripts/package) and as the benchmarks measure
# it: the Swift standard library linked in, optimised for size, linked by lld with packed
# relative relocations (DT_RELR: a 2.7 MB relocation table the dynamic linker reads at every
# start becomes ~40 KB, and the binary stays position-independent) and without exporting its
# symbols (nobody looks them up). Its own build directory keeps .build/release as it is
# (docs/architecture.md, "Agent memory").
# shellcheck disable=SC2034  # used by the scripts that source this file
agent_release_flags=(-c release --static-swift-stdlib --scratch-path .build/agent-release
    -Xswiftc -Osize -Xswiftc -use-ld=lld
    -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic)

# The PostgreSQL server binaries directory (Debian layout), newest first.
postgres_bindir() {
    local dir
    for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5 -rn); do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    die "PostgreSQL server binaries not found (apt package postgresql)"
}

# The server settings for a cluster that Outpost starts itself (the embedded cluster, and the
# benchmarks' cluster, so both measure the same thing), as postgres options (BENCHMARKS.md).
# Ingest inserts into the `(device_id, timestamp)` index of the day's partition at
# random device ids:
# - with PostgreSQL's 128 MB default buffer pool that index outgrows the pool within minutes at
#   tens of thousands of devices, and every COPY then reads its pages back: shared_buffers is
#   a quarter of RAM, PostgreSQL's own sizing advice, between 128 MB and 4 GB;
# - after each checkpoint the first change to every index page writes the whole page to the
#   WAL, and at the default max_wal_size (1 GB) a checkpoint came every minute or so under load,
#   each one stalling acknowledgements for seconds: checkpoints at most every 15 min or 8 GB of
#   WAL (that much disk), page images compressed.
ingest_postgres_options() {
    local ram_mb buffers_mb
    ram_mb=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 ))
    buffers_mb=$(( ram_mb / 4 ))
    (( buffers_mb < 128 )) && buffers_mb=128
    (( buffers_mb > 4096 )) && buffers_mb=4096
    echo "-c shared_buffers=${buffers_mb}MB -c max_wal_size=8GB -c checkpoint_timeout=15min -c wal_compression=lz4"
}

# A port on 127.0.0.1 that no socket uses and no other caller of this function or of the
# tests' FreePort has been handed in the last hour. It comes from below the kernel's ephemeral
# range (net.ipv4.ip_local_port_range), so no outgoing connection can take it before its
# server binds it; the claim is a directory made atomically in a folder both share.
free_port() {
    local low claims port
    read -r low _ < /proc/sys/net/ipv4/ip_local_port_range
    (( low > 11000 )) || die "the ephemeral port range starts at $low: no room below it for test ports"
    claims=${TMPDIR:-/tmp}/outpost-port-claims
    # Sticky and writable by all, as /tmp: scripts and tests may run as different users.
    [ -d "$claims" ] || { mkdir -p "$claims" && chmod 1777 "$claims"; }
    find "$claims" -mindepth 1 -maxdepth 1 -mmin +60 -exec rmdir {} + 2>/dev/null || true
    for _ in $(seq 1 200); do
        port=$(( 10000 + (RANDOM * 32768 + RANDOM) % (low - 10000) ))
        ss -Htuan "sport = :$port" 2>/dev/null | grep -q . && continue
        mkdir "$claims/$port" 2>/dev/null || continue
        echo "$port"
        return 0
    done
    die "no free port found below $low"
}

# PostgreSQL refuses to run as root: the user the cluster runs as.
postgres_os_user() {
    if [ "$(id -u)" -ne 0 ]; then id -un; return 0; fi
    id outpost >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin outpost
    echo outpost
}

# Runs a command as the cluster's OS user.
as_postgres_user() {
    local user=$1; shift
    if [ "$(id -un)" = "$user" ]; then "$@"; else runuser -u "$user" -- "$@"; fi
}
