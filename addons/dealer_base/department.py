# This file is part of the dealer management system.  The COPYRIGHT file
# at the top level of this repository contains the full copyright notices.
"""Departments (R-ORG-04): they may cut across the companies of the group
(a group-wide finance or risk-control department)."""
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields, tree


class Department(DeactivableMixin, tree(), ModelSQL, ModelView):
    "Department"
    __name__ = 'dealer.department'
    __string__ = "Department"
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code")
    parent = fields.Many2One(
        'dealer.department', "Parent", ondelete='RESTRICT')
    children = fields.One2Many('dealer.department', 'parent', "Children")
    companies = fields.Many2Many(
        'dealer.department-company.company', 'department', 'company',
        "Companies", help="The companies the department works for.")
    manager = fields.Many2One('company.employee', "Manager")
    members = fields.Many2Many(
        'dealer.department-company.employee', 'department', 'employee',
        "Members")


class DepartmentCompany(ModelSQL):
    "Department - Company"
    __name__ = 'dealer.department-company.company'
    __string__ = "Department - Company"
    department = fields.Many2One(
        'dealer.department', "Department", required=True, ondelete='CASCADE')
    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')


class DepartmentEmployee(ModelSQL):
    "Department - Employee"
    __name__ = 'dealer.department-company.employee'
    __string__ = "Department - Employee"
    department = fields.Many2One(
        'dealer.department', "Department", required=True, ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')
