#!/usr/bin/env bash
# Every test of the dealer system (called by `./dealer test`):
#   1. each module's tests (ModuleTestCase + scenario_*.rst) on SQLite
#   2. the same on PostgreSQL (required when CI=true, skipped with a notice otherwise)
#   3. the wall suite (tests/test_walls.py): every model and RPC method as
#      every restricted role, on a PostgreSQL demo database (required when
#      CI=true, skipped with a notice otherwise)
#   4. multiprocess (tests/test_multiprocess.py): two gunicorn servers, two
#      trytond-cron and a trytond-worker on one PostgreSQL database (required
#      when CI=true, skipped with a notice otherwise)
#   5. tests/: a live trytond spoken to over XML-RPC / JSON-RPC, and the web
#      client in headless Chromium
# The stages share nothing (their own databases, processes and clock), so
# they run in two lanes at once, one per core: PostgreSQL's suites, the
# multi-process test then e2e, beside the wall suite then SQLite's.  Each stage writes its output to
# var/test-<stage>.log, printed whole when the stage ends; the summary gives
# each stage's minutes, so growth shows (DEALER_TEST_LANES=1: one at a time).
# Options: --only sqlite|postgresql|walls|multiprocess|e2e (repeatable), then module names to
# restrict stages 1 and 2 (e.g. `./dealer test --only sqlite dealer_base`).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${DEALER_VENV:-$ROOT/.venv}
PY=$VENV/bin/python
VAR=$ROOT/var
PG_URI=${DEALER_TEST_PG_URI:-postgresql://postgres@127.0.0.1:5432}
PG_URI=${PG_URI%/}

only=() modules=()
while [ $# -gt 0 ]; do
    case "$1" in
        --only) only+=("$2"); shift 2 ;;
        *) modules+=("$1"); shift ;;
    esac
done
wanted() { [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $1 "* ]]; }

say() { printf '\033[1m[dealer test]\033[0m %s\n' "$*" >&2; }
# A stage's result is a file var/test-<stage>.result: its summary line
# ("<stage>: N passed, N failed, N skipped") and its exit status.
result() {  # result <stage> <exit code> [summary line]
    local line=${3:-}
    [ -n "$line" ] || line="$1: 0 passed, 1 failed, 0 skipped"
    printf '%s\n%s\n' "$line" "$2" > "$VAR/test-$1.result"
}
record() {  # record <exit code> <file with the stage's output> <stage>
    result "$3" "$1" "$(grep -aE '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$2" | tail -1)"
}

# Cached test databases are keyed by module and set-up names only, not by
# code nor date: drop them whenever the modules' code or the day changed
# since they were made (a set-up's dates count from its day).
addons_hash=$(cd "$ROOT" && find addons -type f \( -name '*.py' -o -name '*.xml' \
    -o -name '*.cfg' -o -name '*.po' -o -name '*.rst' \) -print0 | sort -z \
    | xargs -0 sha256sum | sha256sum | cut -c1-16)

run_modules() {  # run_modules <stage> [clock command…]; environment already set
    local stage=$1 out=$VAR/test-$1.out
    shift
    "$@" "$PY" "$ROOT/scripts/run_module_tests.py" --label "modules-$stage" "${modules[@]}" 2>&1 | tee "$out"
    record "${PIPESTATUS[0]}" "$out" "$stage"
}

mkdir -p "$VAR/cache"
unset TRYTOND_DATABASE_URI
# The test databases are thrown away: their commits need not wait for the
# disk (libpq's PGOPTIONS reaches every PostgreSQL connection the stages
# make; about 2 ms less per commit here).  Isolation and locks are
# unchanged, and a killed trytond process still loses nothing committed
# (only a crash of PostgreSQL itself could).
export PGOPTIONS="${PGOPTIONS:+$PGOPTIONS }-c synchronous_commit=off"

# The SQLite suites run under a faked clock at the worst instant for dates:
# 16:30 UTC on 31 December, when the companies' Asia/Shanghai is already in
# the next year (Debian's faketime; DEALER_TEST_CLOCK=real keeps the real
# clock, or names another UTC instant).  PostgreSQL and e2e keep the real
# clock, so both kinds of day are proven on every run.
stage_sqlite() {
    local clock=${DEALER_TEST_CLOCK:-$(date -u +%Y)-12-31 16:30:00}
    local faked=()
    if [ "$clock" != real ] && command -v faketime >/dev/null; then
        faked=(env TZ=UTC faketime -f "@$clock")
        say "module tests on SQLite — clock faked at $clock UTC ($(TZ=Asia/Shanghai date -d "$clock UTC" '+%Y-%m-%d %H:%M') in Asia/Shanghai)"
    elif [ "$clock" != real ] && [ "${CI:-}" = "true" ]; then
        say "faketime is missing, and CI requires the faked clock (.ci/run installs it)"
        result sqlite 1
        return
    else
        [ "$clock" = real ] || say "NOTICE: faketime is not installed: the SQLite suites use the real clock (CI fakes it)"
        say "module tests on SQLite — real clock ($(date -u '+%Y-%m-%d %H:%M') UTC)"
    fi
    local key="$addons_hash $clock"
    [ "$clock" != real ] || key="$addons_hash $(TZ=Asia/Shanghai date +%F)"
    if [ "$(cat "$VAR/cache/sqlite.hash" 2>/dev/null)" != "$key" ]; then
        rm -rf "$VAR/cache/sqlite"
        echo "$key" > "$VAR/cache/sqlite.hash"
    fi
    TRYTOND_DATABASE__URI=sqlite:// DB_NAME=:memory: DB_CACHE=$VAR/cache/sqlite \
        run_modules sqlite "${faked[@]}"
}

pg_up() {
    "$PY" - "$PG_URI/postgres" <<'EOF'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=5).close()
except Exception as e:
    print(e, file=sys.stderr)
    sys.exit(1)
EOF
}

# PostgreSQL is required when CI=true, skipped with a notice otherwise.
pg_missing() {  # pg_missing <stage> <what>: true when the stage cannot run
    pg_up && return 1
    if [ "${CI:-}" = "true" ]; then
        say "PostgreSQL at $PG_URI is not reachable, and CI requires it for $2"
        result "$1" 1
    else
        say "SKIPPED: $2 — no PostgreSQL at $PG_URI (set DEALER_TEST_PG_URI); CI runs it"
        result "$1" 0 "$1: 0 passed, 0 failed, 0 skipped"
    fi
}

stage_postgresql() {
    pg_missing postgresql "the module tests" && return
    say "module tests on PostgreSQL ($PG_URI) — real clock ($(date -u '+%Y-%m-%d %H:%M') UTC)"
    local day
    day=$(TZ=Asia/Shanghai date +%F)
    if [ "$(cat "$VAR/cache/postgresql.hash" 2>/dev/null)" != "$addons_hash $day" ]; then
        "$PY" - "$PG_URI/postgres" <<'EOF'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    for (name,) in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'test-%'"
            " OR datname LIKE 'test\\_dealer\\_%'").fetchall():
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
EOF
        echo "$addons_hash $day" > "$VAR/cache/postgresql.hash"
    fi
    TRYTOND_DATABASE__URI=$PG_URI/ DB_NAME=test_dealer DB_CACHE=$PG_URI \
        run_modules postgresql
}

run_pytest() {  # run_pytest <stage> <pytest arguments…>: one summary line
    local stage=$1 xml=$VAR/test-$1.xml rc line
    shift
    (cd "$ROOT" && "$PY" -m pytest "$@" -p no:cacheprovider -rs \
        --junitxml="$xml") 2>&1
    rc=$?
    line=$("$PY" - "$xml" "$stage" <<'EOF'
import sys, xml.etree.ElementTree as ET
try:
    s = ET.parse(sys.argv[1]).getroot()
    s = s if s.tag == 'testsuite' else s.find('testsuite')
    t, f, e, k = (int(s.get(a, 0)) for a in ('tests', 'failures', 'errors', 'skipped'))
    print(f'{sys.argv[2]}: {t - f - e - k} passed, {f + e} failed, {k} skipped')
except Exception:
    pass
EOF
)
    [ "$rc" -eq 0 ] || [[ "$line" != *" 0 failed"* ]] || line=""
    result "$stage" "$rc" "$line"
}

# The generic wall suite (issue 12): every model and RPC method of the pool
# as every restricted role, on a PostgreSQL demo database.
stage_walls() {
    pg_missing walls "the wall suite" && return
    say "wall suite on PostgreSQL ($PG_URI) — real clock ($(date -u '+%Y-%m-%d %H:%M') UTC)"
    DEALER_TEST_PG_URI=$PG_URI run_pytest walls tests/test_walls.py -m walls
}

# Several processes on one PostgreSQL database (issue 17): a session, a
# position's removal, the nightly accrual, a queued report and a killed
# server across two gunicorn servers, two trytond-cron and a trytond-worker.
stage_multiprocess() {
    pg_missing multiprocess "the multi-process test" && return
    say "several processes on PostgreSQL ($PG_URI) — real clock ($(date -u '+%Y-%m-%d %H:%M') UTC)"
    DEALER_TEST_PG_URI=$PG_URI run_pytest multiprocess tests/test_multiprocess.py -m multiprocess
}

stage_e2e() {
    say "end-to-end tests: RPC and web client (tests/) — real clock ($(date -u '+%Y-%m-%d %H:%M') UTC)"
    run_pytest e2e tests/ -m "not walls and not multiprocess"
}

run_stage() {  # run_stage <stage>: its output to var/test-<stage>.log, shown when it ends
    local stage=$1 log=$VAR/test-$1.log started=$SECONDS
    rm -f "$VAR/test-$stage.result"
    say "$stage: started ($(date -u '+%H:%M:%S') UTC; output in ${log#$ROOT/})"
    "stage_$stage" > "$log" 2>&1 < /dev/null
    [ -f "$VAR/test-$stage.result" ] || result "$stage" 1
    echo "$((SECONDS - started))" >> "$VAR/test-$stage.result"
    # One stage's output at a time, whole, whichever lane ends first.
    flock "$VAR/.test-output" sh -c 'printf "\n===== %s (%s s) =====\n" "$1" "$2"; cat "$3"' \
        - "$stage" "$((SECONDS - started))" "$log"
}

lane() {  # lane <stage…>: the wanted ones, one after the other
    local stage
    for stage; do
        if wanted "$stage"; then run_stage "$stage"; fi
    done
}

started=$SECONDS
if [ "${DEALER_TEST_LANES:-2}" -ge 2 ]; then
    lane postgresql multiprocess e2e &
    lane walls sqlite &
    wait
else
    lane sqlite postgresql multiprocess walls e2e
fi

echo
say "summary ($(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s)"
status=0 passed=0 failed=0 skipped=0
for stage in sqlite postgresql multiprocess walls e2e; do
    wanted "$stage" || continue
    { read -r line; read -r rc; read -r seconds; } < "$VAR/test-$stage.result"
    printf '  %-52s %3d min %02d s\n' "$line" $((seconds / 60)) $((seconds % 60))
    [ "$rc" -eq 0 ] || status=1
    read -r p f s <<<"$(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?.*/\1 \2 \4/' <<<"$line")"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
done
echo "all: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] || status=1
exit $status
