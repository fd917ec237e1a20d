#!/usr/bin/env bash
# Every test of the dealer system (called by `./dealer test`):
#   1. each module's tests (ModuleTestCase + scenario_*.rst) on SQLite
#   2. the same on PostgreSQL (required when CI=true, skipped with a notice otherwise)
#   3. the wall suite (tests/test_walls.py): every model and RPC method as
#      every restricted role, on a PostgreSQL demo database (required when
#      CI=true, skipped with a notice otherwise)
#   4. tests/: a live trytond spoken to over XML-RPC / JSON-RPC, and the web
#      client in headless Chromium
# Options: --only sqlite|postgresql|walls|e2e (repeatable), then module names to
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
declare -a lines=()
status=0
record() {  # record <exit code> <file with the stage's output>
    local line
    line=$(grep -aE '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$2" | tail -1)
    [ -n "$line" ] || line="$3: 0 passed, 1 failed, 0 skipped"
    lines+=("$line")
    [ "$1" -eq 0 ] || status=1
}

# Cached test databases are keyed by module names only, not by code: drop
# them whenever the modules' code changed since they were made.
addons_hash=$(cd "$ROOT" && find addons -type f \( -name '*.py' -o -name '*.xml' \
    -o -name '*.cfg' -o -name '*.po' -o -name '*.rst' \) -print0 | sort -z \
    | xargs -0 sha256sum | sha256sum | cut -c1-16)

run_modules() {  # run_modules <label> [clock command…]; environment already set
    local label=$1 out=$VAR/test-$1.log
    shift
    "$@" "$PY" "$ROOT/scripts/run_module_tests.py" --label "$label" "${modules[@]}" 2>&1 | tee "$out"
    record "${PIPESTATUS[0]}" "$out" "$label"
}

mkdir -p "$VAR/cache"
unset TRYTOND_DATABASE_URI

# The SQLite suites run under a faked clock at the worst instant for dates:
# 16:30 UTC on 31 December, when the companies' Asia/Shanghai is already in
# the next year (Debian's faketime; DEALER_TEST_CLOCK=real keeps the real
# clock, or names another UTC instant).  PostgreSQL and e2e keep the real
# clock, so both kinds of day are proven on every run.
if wanted sqlite; then
    clock=${DEALER_TEST_CLOCK:-$(date -u +%Y)-12-31 16:30:00}
    faked=()
    if [ "$clock" != real ] && command -v faketime >/dev/null; then
        faked=(env TZ=UTC faketime -f "@$clock")
        say "module tests on SQLite — clock faked at $clock UTC ($(TZ=Asia/Shanghai date -d "$clock UTC" '+%Y-%m-%d %H:%M') in Asia/Shanghai)"
    elif [ "$clock" != real ] && [ "${CI:-}" = "true" ]; then
        say "faketime is missing, and CI requires the faked clock (.ci/run installs it)"
        exit 1
    else
        [ "$clock" = real ] || say "NOTICE: faketime is not installed: the SQLite suites use the real clock (CI fakes it)"
        say "module tests on SQLite — real clock ($(date -u '+%Y-%m-%d %H:%M') UTC)"
    fi
    if [ "$(cat "$VAR/cache/sqlite.hash" 2>/dev/null)" != "$addons_hash" ]; then
        rm -rf "$VAR/cache/sqlite"
        echo "$addons_hash" > "$VAR/cache/sqlite.hash"
    fi
    TRYTOND_DATABASE__URI=sqlite:// DB_NAME=:memory: DB_CACHE=$VAR/cache/sqlite \
        run_modules modules-sqlite "${faked[@]}"
fi

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

if wanted postgresql; then
    if pg_up; then
        say "module tests on PostgreSQL ($PG_URI) — real clock ($(date -u '+%Y-%m-%d %H:%M') UTC)"
        if [ "$(cat "$VAR/cache/postgresql.hash" 2>/dev/null)" != "$addons_hash" ]; then
            "$PY" - "$PG_URI/postgres" <<'EOF'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    for (name,) in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'test-%'"
            " OR datname LIKE 'test\\_dealer\\_%'").fetchall():
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
EOF
            echo "$addons_hash" > "$VAR/cache/postgresql.hash"
        fi
        TRYTOND_DATABASE__URI=$PG_URI/ DB_NAME=test_dealer DB_CACHE=$PG_URI \
            run_modules modules-postgresql
    elif [ "${CI:-}" = "true" ]; then
        say "PostgreSQL at $PG_URI is not reachable, and CI requires it"
        lines+=("modules-postgresql: 0 passed, 1 failed, 0 skipped")
        status=1
    else
        say "SKIPPED: module tests on PostgreSQL — no server at $PG_URI (set DEALER_TEST_PG_URI); CI runs them"
    fi
fi

run_pytest() {  # run_pytest <label> <pytest arguments…>: one summary line
    local label=$1 out=$VAR/test-$1.log xml=$VAR/test-$1.xml rc line
    shift
    (cd "$ROOT" && "$PY" -m pytest "$@" -p no:cacheprovider -rs \
        --junitxml="$xml") 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    line=$("$PY" - "$xml" "$label" <<'EOF'
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
    [ -n "$line" ] || line="$label: 0 passed, 1 failed, 0 skipped"
    [ "$rc" -eq 0 ] || [[ "$line" != *" 0 failed"* ]] || line="$label: 0 passed, 1 failed, 0 skipped"
    lines+=("$line")
    [ "$rc" -eq 0 ] || status=1
}

# The generic wall suite (issue 12): every model and RPC method of the pool
# as every restricted role, on a PostgreSQL demo database.
if wanted walls; then
    if pg_up; then
        say "wall suite on PostgreSQL ($PG_URI) — real clock ($(date -u '+%Y-%m-%d %H:%M') UTC)"
        DEALER_TEST_PG_URI=$PG_URI run_pytest walls tests/test_walls.py -m walls
    elif [ "${CI:-}" = "true" ]; then
        say "PostgreSQL at $PG_URI is not reachable, and CI requires it for the wall suite"
        lines+=("walls: 0 passed, 1 failed, 0 skipped")
        status=1
    else
        say "SKIPPED: the wall suite — no PostgreSQL at $PG_URI (set DEALER_TEST_PG_URI); CI runs it"
    fi
fi

if wanted e2e; then
    say "end-to-end tests: RPC and web client (tests/) — real clock ($(date -u '+%Y-%m-%d %H:%M') UTC)"
    run_pytest e2e tests/ -m "not walls"
fi

echo
say "summary"
passed=0 failed=0 skipped=0
for line in "${lines[@]}"; do
    echo "  $line"
    read -r p f s <<<"$(sed -E 's/^[^:]+: ([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?.*/\1 \2 \4/' <<<"$line")"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
done
echo "all: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] || status=1
exit $status
