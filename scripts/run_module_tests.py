#!/usr/bin/env python3
"""Run the dealer modules' own tests: each module's ModuleTestCase and its
scenario_*.rst doctests, one module per process (as Tryton runs them).

The database backend comes from the environment (TRYTOND_DATABASE__URI or
TRYTOND_DATABASE_URI, DB_NAME, DB_CACHE).  Prints one closing line
`<label>: N passed, N failed, N skipped` and fails when a scenario file of a
module did not run.
"""
import argparse
import doctest
import glob
import importlib
import json
import os
import subprocess
import sys
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = os.environ.get('DEALER_MODULES', (
        'dealer_base dealer_crm dealer_finance dealer_leasing '
        'dealer_parts dealer_expense')).split()


class CountingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0
        self.scenarios = set()
        self.durations = {}

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1

    def startTest(self, test):
        super().startTest(test)
        self._started = time.monotonic()
        if isinstance(test, doctest.DocFileCase):
            self.scenarios.add(os.path.basename(test._dt_test.filename))

    def stopTest(self, test):
        super().stopTest(test)
        self.durations[test_name(test)] = time.monotonic() - self._started


def test_name(test):
    "A scenario by its file, a test method by class and name"
    if isinstance(test, doctest.DocFileCase):
        return os.path.basename(test._dt_test.filename)
    return f'{type(test).__name__}.{getattr(test, "_testMethodName", test)}'


def activate_on_dependency(module):
    """Cache the module's activated database, built on the cached database
    of its nearest dealer dependency: only what the module adds is
    activated.  Tryton's ModuleTestCase activates every dependency again,
    the larger part of a module's time on PostgreSQL (dealer_leasing: 224 s
    of 504).  Its tests then start from this cache, as from their own."""
    from trytond.modules import get_module_info
    from trytond.tests import test_tryton
    if not test_tryton.DB_CACHE or cached(module):
        return
    depends = set(get_module_info(module).get('depends', []))
    # MODULES lists each module after its dependencies: the last one
    # depended on holds the others.
    for dependency in reversed(MODULES[:MODULES.index(module)]
            if module in MODULES else []):
        if dependency in depends and cached(dependency):
            test_tryton.drop_db()
            if test_tryton.restore_db_cache(dependency):
                test_tryton.activate_module(module)  # and caches it
            return


def cached(name):
    "Whether the modules' test database is cached, without restoring it"
    from trytond.tests import test_tryton
    # trytond has no public call for it: its own cache path (private; a
    # rename fails here loudly, never silently rebuilds or skips).
    cache = test_tryton._db_cache_file(test_tryton.DB_CACHE, name)
    if cache.startswith('postgresql://'):
        return test_tryton.db_exist(cache[len(test_tryton.DB_CACHE) + 1:])
    return os.path.exists(cache)


def run_one(module, verbosity):
    """Run one module's tests in this process; return a summary dict."""
    activate_on_dependency(module)
    package = importlib.import_module(f'trytond.modules.{module}.tests')
    directory = os.path.dirname(package.__file__)
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for path in sorted(glob.glob(os.path.join(directory, 'test_*.py'))):
        name = os.path.splitext(os.path.basename(path))[0]
        suite.addTests(loader.loadTestsFromModule(importlib.import_module(
                    f'trytond.modules.{module}.tests.{name}')))
    expected = sorted(os.path.basename(p) for p in glob.glob(
            os.path.join(directory, 'scenario_*.rst')))
    runner = unittest.TextTestRunner(
        verbosity=verbosity, resultclass=CountingResult, stream=sys.stderr)
    result = runner.run(suite)
    return {
        'module': module,
        'passed': result.passed,
        'failed': len(result.failures) + len(result.errors)
        + len(result.unexpectedSuccesses),
        'skipped': len(result.skipped),
        'scenarios_expected': expected,
        'scenarios_run': sorted(result.scenarios),
        'durations': result.durations,
        }


def print_budget(label, budget, slowest=5):
    """Where the time went: each module's process (start-up and module
    activation included) and its slowest tests, so growth shows"""
    print(f'{label} time budget:', file=sys.stderr)
    for module, seconds, durations in budget:
        tests = sum(durations.values())
        print(f'  {module:<16} {seconds:6.0f}s  (tests {tests:.0f}s, '
            f'start-up {seconds - tests:.0f}s)', file=sys.stderr)
        for name, spent in sorted(durations.items(),
                key=lambda d: -d[1])[:slowest]:
            print(f'      {spent:6.1f}s  {name}', file=sys.stderr)
    print(f'  {"total":<16} {sum(b[1] for b in budget):6.0f}s',
        file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('modules', nargs='*', default=MODULES)
    parser.add_argument('--label', default='modules')
    parser.add_argument('-v', '--verbose', action='count', default=1)
    parser.add_argument('--one', help=argparse.SUPPRESS)
    parser.add_argument('--out', help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        summary = run_one(args.one, args.verbose)
        with open(args.out, 'w') as f:
            json.dump(summary, f)
        return

    totals = {'passed': 0, 'failed': 0, 'skipped': 0}
    problems = []
    scenarios = 0
    budget = []
    for module in args.modules:
        start = time.monotonic()
        out = os.path.join(ROOT, 'var', f'.tests-{os.getpid()}-{module}.json')
        env = os.environ.copy()
        if env.get('DB_NAME') and env['DB_NAME'] != ':memory:':
            # One database per module process, so runs never share state.
            env['DB_NAME'] = f"{env['DB_NAME']}_{module}"
        print(f'== {args.label}: {module}', file=sys.stderr, flush=True)
        proc = subprocess.run([sys.executable, __file__, '--one', module,
                '--out', out, *(['-v'] * (args.verbose - 1))], env=env)
        try:
            with open(out) as f:
                summary = json.load(f)
            os.unlink(out)
        except FileNotFoundError:
            problems.append(f'{module}: the test process died '
                f'(exit {proc.returncode}) before reporting')
            totals['failed'] += 1
            continue
        for key in totals:
            totals[key] += summary[key]
        missing = set(summary['scenarios_expected']) - set(
            summary['scenarios_run'])
        if missing:
            problems.append(f'{module}: scenarios that did not run: '
                + ', '.join(sorted(missing)))
        scenarios += len(summary['scenarios_run'])
        seconds = time.monotonic() - start
        budget.append((module, seconds, summary['durations']))
        print(f'== {args.label}: {module}: {summary["passed"]} passed, '
            f'{summary["failed"]} failed, {summary["skipped"]} skipped, '
            f'{len(summary["scenarios_run"])} scenarios '
            f'({seconds:.0f}s)', file=sys.stderr, flush=True)
    print_budget(args.label, budget)
    for problem in problems:
        print(f'!! {problem}', file=sys.stderr)
    print(f'{args.label} scenarios run: {scenarios}')
    print(f'{args.label}: {totals["passed"]} passed, {totals["failed"]} '
        f'failed, {totals["skipped"]} skipped')
    sys.exit(1 if totals['failed'] or problems else 0)


if __name__ == '__main__':
    main()
