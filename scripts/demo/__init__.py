"""Demo data of the dealer management system, by area.

The records, frozen dataclasses that the tests import by name (no trytond
import, so the tests' process stays as it was):
  group     the group's three companies
  staff     employees with a login for every role, their password
  products  serialised machines and parts in stock
  crm       customers and their contacts, opportunities, sale approval
  finance   sale contracts on payment plans, penalty terms, the supplier
  leasing   rents, leases, the financed machine bought back
  parts     parts suppliers and purchase chains, from the requisition to
            the payment
  expense   expense categories, cities, standards and budgets, claims in
            every state, an open cash advance

How they are created in a database, area by area: load/ (load.load).
"""
