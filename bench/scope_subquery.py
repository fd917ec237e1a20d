#!/usr/bin/env python3
# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""The team of a scope rule as an array or as a sub-query (R-ORG-03).

The scope rules say ('owner', 'in', Eval('team')): trytond sends the team,
computed once per user and cached, as one array parameter (owner =
ANY(%s)). This measures the statements of a team-scope customer list both
ways, the other being a sub-query that computes the team in the statement
(owner IN (WITH RECURSIVE team ...)), through psycopg on a kept bench
database that has team_scope's trees and the crm scale's customers:

    ./dealer bench --only team_scope --database bench_... --calls 100
    .venv/bin/python bench/scope_subquery.py bench_... [--all-trees]

The salespeople of team_root's company (and with --all-trees the roots of
the other trees) are moved under team_root for the measure, so that the
team owns real customers, in a transaction that is rolled back: the
database is left as it was. Both forms must return the same rows.
"""
import argparse

import psycopg

from harness import bench_uri, percentiles, timed
TEAM = ('WITH RECURSIVE team(id) AS (SELECT %(root)s::int4 UNION '
    'SELECT e.id FROM company_employee e JOIN team t '
    'ON e.supervisor = t.id) ')
PAGE = ('SELECT id, name FROM party_party WHERE is_customer AND active '
    'AND company = ANY(%(companies)s) AND (owner IS NULL OR owner {owner}) '
    'ORDER BY name, id LIMIT 80')
COUNT = ('SELECT count(*) FROM party_party WHERE is_customer AND active '
    'AND company = ANY(%(companies)s) AND (owner IS NULL OR owner {owner})')
FORMS = {
    'array': '= ANY(%(team)s)',
    'sub-query': 'IN (' + TEAM + 'SELECT id FROM team)',
    }


def measure(conn, sql, params, runs):
    figures = percentiles(timed(
            lambda: conn.execute(sql, params).fetchall(), runs))
    return figures['p50_ms'], figures['p95_ms']


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('database')
    parser.add_argument('--all-trees', action='store_true',
        help="put every tree's root under team_root's")
    parser.add_argument('--runs', type=int, default=200)
    args = parser.parse_args()
    uri = bench_uri()
    with psycopg.connect(uri, dbname=args.database) as conn:
        row = conn.execute('SELECT u.employee, e.company FROM res_user u '
            'JOIN company_employee e ON e.id = u.employee '
            "WHERE u.login = 'team_root'").fetchone()
        if not row:
            raise SystemExit('no team_root: run the team_scope benchmark '
                'on this database first')
        root, company = row
        conn.execute('UPDATE company_employee SET supervisor = %s '
            'WHERE company = %s AND id IN (SELECT employee FROM res_user '
                "WHERE login LIKE 'sales\\_%%')", (root, company))
        if args.all_trees:
            conn.execute('UPDATE company_employee SET supervisor = %s '
                'WHERE supervisor IS NULL AND id <> %s AND id > %s',
                (root, root, root))
        team = [i for i, in conn.execute(
                TEAM + 'SELECT id FROM team', {'root': root})]
        owned = conn.execute('SELECT count(*) FROM party_party '
            'WHERE owner = ANY(%s)', (team,)).fetchone()[0]
        print(f'team of {len(team)} employees owning {owned} customers '
            f'and contacts (company {company})')
        params = {'team': team, 'root': root, 'companies': [company]}
        for label, sql in [('first page', PAGE), ('count', COUNT)]:
            rows = {}
            for form, owner in FORMS.items():
                query = sql.format(owner=owner)
                rows[form] = conn.execute(query, params).fetchall()
                p50, p95 = measure(conn, query, params, args.runs)
                print(f'{label:<10} {form:<9} p50 {p50:8.2f} ms  '
                    f'p95 {p95:8.2f} ms')
            if rows['array'] != rows['sub-query']:
                raise SystemExit('the two forms return different rows')
        conn.rollback()


if __name__ == '__main__':
    main()
