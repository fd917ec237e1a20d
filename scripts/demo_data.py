#!/usr/bin/env python3
"""The demo data's command line: print the demo logins, or load the demo
into a database made with every dealer module (setup_database.py --demo does
it itself).  The records are in scripts/demo/, how they are loaded in
scripts/demo/load/."""
import argparse

from demo.load import load
from demo.load.group import currency as _currency  # noqa: F401 (bench/)
from demo.staff import print_logins

if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--logins', action='store_true',
        help='print the demo logins')
    parser.add_argument('--database')
    parser.add_argument('--config')
    args = parser.parse_args()
    if args.logins:
        print_logins()
    if args.database:
        load(args.database, args.config)
