"""The generic wall suite (issue 12) on PostgreSQL.

Builds, once, a template database with every dealer module and the demo data
(scripts/setup_database.py --demo), named after a hash of addons/ and
scripts/demo/ so that a change of the modules or the demo builds a new one;
then runs tests/walls.py: as every restricted role, every RPC method of every
model of the pool, on records the role must not see.

Run:  .venv/bin/python -m pytest tests/test_walls.py -m walls -s
Environment:
  DEALER_TEST_PG_URI  the PostgreSQL server (default
                      postgresql://postgres@127.0.0.1:5432); the suite skips
                      when it does not answer, fails with CI=true.
  DEALER_WALLS_ROLES  comma-separated logins to scan (default: every role).

Figures and findings go to tests/artifacts/walls.json.
"""
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
PYTHON = Path(os.environ.get('DEALER_VENV') or ROOT / '.venv') / 'bin' / 'python'
ARTIFACTS = TESTS / 'artifacts'
URI = (os.environ.get('DEALER_TEST_PG_URI')
    or 'postgresql://postgres@127.0.0.1:5432').rstrip('/')
BUILD_TIMEOUT = 1800
SCAN_TIMEOUT = 3600

pytestmark = pytest.mark.walls


def source_hash():
    "12 hex digits of the modules' and the demo's contents"
    digest = hashlib.sha256()
    paths = sorted((ROOT / 'scripts' / 'demo').rglob('*.py')) + sorted(
        p for p in (ROOT / 'addons').rglob('*') if p.is_file()
        and '__pycache__' not in p.parts and p.suffix != '.pyc'
        and not any(part.endswith('.egg-info') for part in p.parts))
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode() + b'\0')
        digest.update(path.read_bytes() + b'\0')
    return digest.hexdigest()[:12]


def _admin_connection():
    import psycopg
    sys.path.insert(0, str(TESTS))
    import walls
    return psycopg.connect(autocommit=True, **walls.conninfo(URI, 'postgres'))


def _databases(conn):
    return {r[0] for r in conn.execute('SELECT datname FROM pg_database')}


def _drop(conn, name):
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ensure_template():
    """Return the name of the demo template database, building it when it is
    missing (dropping the templates of older sources)"""
    name = f'dealer_walls_{source_hash()}'
    building = name + '_build'
    with _admin_connection() as conn:
        existing = _databases(conn)
        for other in sorted(existing):
            if other.startswith('dealer_walls_') and not other.startswith(
                    name):
                _drop(conn, other)
        if name in existing:
            return name
        _drop(conn, building)
    env = os.environ.copy()
    for key in ('TRYTOND_DATABASE_URI', 'TRYTOND_CONFIG',
            'TRYTOND_DATABASE__PATH'):
        env.pop(key, None)
    env['TRYTOND_DATABASE__URI'] = URI + '/'
    env['PYTHONUNBUFFERED'] = '1'
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / 'walls_setup_database.log'
    started = time.monotonic()
    with open(log_path, 'w') as log:
        result = subprocess.run([str(PYTHON),
                str(ROOT / 'scripts' / 'setup_database.py'),
                '--database', building, '--demo'],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            timeout=BUILD_TIMEOUT)
    if result.returncode:
        raise RuntimeError(f'setup_database.py failed ({result.returncode});'
            f' see {log_path}')
    # Built under another name and renamed at the end: an interrupted build
    # is never taken for a template.
    with _admin_connection() as conn:
        conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    print(f'[walls] template {name} built in '
        f'{time.monotonic() - started:.0f}s', file=sys.stderr)
    return name


def _server_answers():
    try:
        with _admin_connection():
            return True
    except Exception:
        return False


KINDS = ['scanner_error', 'escalation', 'state_write', 'change', 'oracle',
    'leak', 'server_error']


def _grouped(findings):
    """One line per finding over the roles that share it; one of each kind
    and method first, so that the first lines show every class"""
    groups = {}
    for f in findings:
        key = (f['kind'], f['model'], f['method'], f['detail'])
        groups.setdefault(key, [f, []])[1].append(f['role'])
    lines, seen, rest = [], set(), []
    for (kind, model, method, _), (f, roles) in sorted(groups.items(),
            key=lambda i: (KINDS.index(i[0][0]) if i[0][0] in KINDS
                else len(KINDS), str(i[0]))):
        line = (f"{kind}: {model}.{method}({f['args']}) -> {f['detail']} "
            f"[{', '.join(roles)}]")
        klass = (kind, (method or '').split('_')[0])
        (rest if klass in seen else lines).append(line)
        seen.add(klass)
    return lines + rest


def test_walls(capsys):
    if not _server_answers():
        if os.environ.get('CI') == 'true':
            pytest.fail(f'PostgreSQL does not answer at {URI}')
        pytest.skip(f'PostgreSQL does not answer at {URI}')
    template = ensure_template()
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / 'walls.json'
    out.unlink(missing_ok=True)
    cmd = [str(PYTHON), str(TESTS / 'walls.py'), '--uri', URI,
        '--template', template, '--json', str(out)]
    if os.environ.get('DEALER_WALLS_ROLES'):
        cmd += ['--roles', os.environ['DEALER_WALLS_ROLES']]
    env = os.environ.copy()
    for key in ('TRYTOND_DATABASE_URI', 'TRYTOND_DATABASE__URI',
            'TRYTOND_CONFIG'):
        env.pop(key, None)
    # A subprocess: the scanner loads a trytond pool of its own.
    result = subprocess.run(cmd, cwd=ROOT, env=env, timeout=SCAN_TIMEOUT,
        capture_output=True, text=True)
    assert out.exists(), (
        f'walls.py wrote no result ({result.returncode}):\n'
        f'{result.stderr[-5000:]}')
    report = json.loads(out.read_text())
    figures = report['figures']
    with capsys.disabled():   # the figures are printed, passed or failed
        print('\n' + result.stdout.split('\n  ', 1)[0], file=sys.stderr)
    assert figures['models_enumerated'] >= figures['models_in_pool'] > 0
    assert figures['rpc_methods_enumerated'] > 0
    assert figures['roles'] >= 2 and figures['canaries_planted'] > 0
    findings = _grouped(report['findings'])
    if findings:
        pytest.fail('%d findings (%s), %d distinct; the first ones:\n%s' % (
                len(report['findings']), ', '.join(f'{k}: {v}' for k, v in
                    figures['findings_by_kind'].items()), len(findings),
                '\n'.join(findings[:30])), pytrace=False)
    assert result.returncode == 0, result.stderr[-5000:]
