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

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1

    def startTest(self, test):
        super().startTest(test)
        if isinstance(test, doctest.DocFileCase):
            self.scenarios.add(os.path.basename(test._dt_test.filename))


def run_one(module, verbosity):
    """Run one module's tests in this process; return a summary dict."""
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
        }


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
        print(f'== {args.label}: {module}: {summary["passed"]} passed, '
            f'{summary["failed"]} failed, {summary["skipped"]} skipped, '
            f'{len(summary["scenarios_run"])} scenarios '
            f'({time.monotonic() - start:.0f}s)', file=sys.stderr, flush=True)
    for problem in problems:
        print(f'!! {problem}', file=sys.stderr)
    print(f'{args.label} scenarios run: {scenarios}')
    print(f'{args.label}: {totals["passed"]} passed, {totals["failed"]} '
        f'failed, {totals["skipped"]} skipped')
    sys.exit(1 if totals['failed'] or problems else 0)


if __name__ == '__main__':
    main()
