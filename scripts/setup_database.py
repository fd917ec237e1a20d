#!/usr/bin/env python3
"""Create, or reuse, a database with every dealer module activated.

Never drops or overwrites anything: an existing database is upgraded in place
(missing dealer modules activated, languages loaded) and reused.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODULES = os.environ.get('DEALER_MODULES', (
        'dealer_base dealer_crm dealer_finance dealer_leasing '
        'dealer_parts dealer_expense')).split()
LANGUAGES = ['zh_CN']
ADMIN_PASSWORD = os.environ.get('DEALER_ADMIN_PASSWORD', 'Dealer-Admin-2026')


def log(msg):
    print(f'[dealer] {msg}', file=sys.stderr, flush=True)


def database_state(name):
    """Return 'missing', 'empty' (exists, not a Tryton database) or the set
    of activated modules."""
    from trytond import backend
    from trytond.transaction import Transaction
    database = backend.Database().connect()
    try:
        if name not in database.list():
            if (backend.name == 'sqlite' and os.path.exists(os.path.join(
                            database_path(), name + '.sqlite'))):
                return 'empty'
            return 'missing'
    finally:
        database.close()
    with Transaction().start(name, 0, readonly=True) as tr:
        cursor = tr.connection.cursor()
        try:
            cursor.execute(
                "SELECT name FROM ir_module WHERE state = 'activated'")
        except Exception:
            return 'empty'
        return {r[0] for r in cursor}


def database_path():
    from trytond import config
    return config.get('database', 'path')


def create(name):
    from trytond import backend
    database = backend.Database()
    database.connect()
    connection = database.get_connection(autocommit=True)
    try:
        database.create(connection, name)
    finally:
        database.put_connection(connection)
        database.close()


def admin(config_file, name, update, passfile=None):
    cmd = [os.path.join(os.path.dirname(sys.executable), 'trytond-admin'),
        '-c', config_file, '-d', name, '-u', *update,
        '--activate-dependencies', '-l', *LANGUAGES]
    env = os.environ.copy()
    if passfile:
        env['TRYTONPASSFILE'] = passfile
        cmd += ['--email', 'admin@dealer.example.com']
    subprocess.run(cmd, check=True, env=env)


def setup(config_file, name, demo=False):
    from trytond import config
    config.update_etc(config_file)
    if config.get('database', 'uri', default='').startswith('sqlite'):
        os.makedirs(database_path(), exist_ok=True)
    state = database_state(name)
    if state == 'empty':
        raise SystemExit(
            f'[dealer] database "{name}" exists but is not a dealer '
            'database (no modules table). It is left untouched: remove it '
            'yourself or choose another name with DEALER_DB=<name>.')
    start = time.monotonic()
    if state == 'missing':
        log(f'creating database "{name}" with {", ".join(MODULES)} '
            '(takes a few minutes the first time)')
        create(name)
        with tempfile.NamedTemporaryFile('w', suffix='.pass') as passfile:
            passfile.write(ADMIN_PASSWORD)
            passfile.flush()
            admin(config_file, name, MODULES, passfile.name)
        log(f'database "{name}" created in {time.monotonic() - start:.0f}s')
    else:
        missing = [m for m in MODULES if m not in state]
        if missing:
            log(f'reusing database "{name}": activating {", ".join(missing)}')
            admin(config_file, name, missing)
        else:
            log(f'reusing database "{name}" (all dealer modules active)')
    if demo:
        # Imported once the configuration is read: it chooses the backend.
        sys.path.insert(0, HERE)
        from demo.load import load
        load(name, config_file)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--config', default=os.path.join(
            ROOT, 'config', 'trytond.conf'))
    parser.add_argument('--database', default='dealer')
    parser.add_argument('--demo', action='store_true',
        help='load the demo data (skipped when already loaded)')
    args = parser.parse_args()
    try:
        setup(args.config, args.database, demo=args.demo)
    except subprocess.CalledProcessError as e:
        raise SystemExit(f'[dealer] trytond-admin failed ({e.returncode}); '
            'the messages above say why. Nothing was deleted.')


if __name__ == '__main__':
    main()
