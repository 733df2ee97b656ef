#!/usr/bin/env bash
# The county at scale, on both stores, in one run:
#
#   benches/county.sh [STATIONS] [YEARS]        (default 130 10)
#
# builds the release binary, generates the county (`county demo`), starts a throwaway
# PostgreSQL cluster (initdb into a temporary directory, a Unix socket there, stopped at the
# end; as root it runs as the `postgres` user), then prints for SQLite and for PostgreSQL: the
# import of every bundle (records a second, peak memory), the county report's time and memory,
# the county desk's figures (`county measure`: opening, a page of stations and members, search
# by 1 to 4 characters, a year's hot issues, peak memory), and `county migrate` of the SQLite
# county (encrypted, opened by the county's identity) into PostgreSQL. Needs GNU time and PostgreSQL's
# server programs (Debian: `time`, `postgresql`). Takes about ten minutes at 130 × 10.
set -euo pipefail
cd "$(dirname "$0")/.."
stations=${1:-130}
years=${2:-10}
cargo build --release -q
bin=$PWD/target/release/stationdesk
work=$(mktemp -d /tmp/stationdesk-county-bench.XXXXXX)
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$work"
    as_pg=(runuser -u postgres --)
fi
port=$((20000 + $$ % 20000))
"${as_pg[@]}" "$pgbin/initdb" -D "$work/pg" -A trust -U county -E UTF8 >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
    -o "-k $work -p $port -c listen_addresses=''" start >/dev/null
trap '"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null; rm -rf "$work"' EXIT
for db in county migrated; do
    "${as_pg[@]}" "$pgbin/createdb" -h "$work" -p "$port" -U county "$db"
done
pg="host=$work port=$port user=county dbname=county"
migrated="host=$work port=$port user=county dbname=migrated"

# Runs a command under GNU time and prints "LABEL: wall s, peak MB".
measure() {
    local label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || {
        cat "$work/out"
        exit 1
    }
    read -r wall kb <"$work/time"
    echo "$label: ${wall} s, peak ${kb%???} MB" | tee -a "$work/figures"
}

measure "county demo --stations $stations --years $years" \
    "$bin" --lang en county demo --stations "$stations" --years "$years" --out "$work/demo"
tail -1 "$work/out"
records=$(grep -o '([0-9]* records)' "$work/out" | tr -dc 0-9)
bundles=("$work"/demo/bundles/*)
measure "import into SQLite (${#bundles[@]} bundles, $records records)" \
    "$bin" --lang en county import --county-db "$work/county.db" --identity "$work/demo/county.key" "${bundles[@]}"
measure "import into PostgreSQL" \
    "$bin" --lang en county import --county-db "$pg" --identity "$work/demo/county.key" "${bundles[@]}"
echo "county desk on SQLite:"
"$bin" --lang en county measure --county-db "$work/county.db" --identity "$work/demo/county.key" | sed 's/^/  /'
echo "county desk on PostgreSQL:"
"$bin" --lang en county measure --county-db "$pg" | sed 's/^/  /'
measure "county report from SQLite" \
    "$bin" --lang en county report --county-db "$work/county.db" --identity "$work/demo/county.key" --out "$work/sqlite.xlsx"
measure "county report from PostgreSQL" \
    "$bin" --lang en county report --county-db "$pg" --out "$work/pg.xlsx"
measure "county migrate SQLite → PostgreSQL" \
    "$bin" --lang en county migrate --from "$work/county.db" --identity "$work/demo/county.key" --to "$migrated"
tail -1 "$work/out"
awk -v n="$records" '/^import into/ { split($0, a, ": "); split(a[2], b, " "); printf "%s: %.0f records/s\n", a[1], n / b[1] }' "$work/figures"
echo "report.xlsx: $(stat -c %s "$work/sqlite.xlsx") bytes; the same from both stores: $(cmp -s "$work/sqlite.xlsx" "$work/pg.xlsx" && echo yes || echo NO)"
