"The staff's employees and logins"
import datetime as dt

from proteus import Model

from ..group import COMPANIES
from ..staff import DEMO_PASSWORD, USERS


def create(config, companies):
    """The employees and logins of USERS (companies: those of COMPANIES);
    return the employees by (login, GroupCompany)"""
    Party = Model.get('party.party', config=config)
    Employee = Model.get('company.employee', config=config)
    User = Model.get('res.user', config=config)
    Position = Model.get('res.role', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    Lang = Model.get('ir.lang', config=config)
    Company = Model.get('company.company', config=config)
    zh, = Lang.find([('code', '=', 'zh_CN')])
    records = dict(zip(COMPANIES, companies))
    employees = {}
    for person in USERS:
        granted = COMPANIES if person.role == 'boss' else [person.company]
        party = Party(name=person.name)
        party.save()
        # A supervisor is an employee of the same company: the group leader
        # is employed by every company of the group.
        for member in granted:
            employee = Employee(party=party, company=records[member],
                start_date=dt.date(2020, 1, 1))
            if person.supervisor:
                employee.supervisor = employees[person.supervisor, member]
            employee.save()
            employees[person.login, member] = employee
        user = User(login=person.login, name=person.name,
            password=DEMO_PASSWORD, language=zh)
        user.email = f'{person.login}@dealer.example.com'
        user.companies.extend(Company(records[m].id) for m in granted)
        user.company = records[person.company]
        user.employees.extend(Employee(employees[person.login, m].id)
            for m in granted)
        user.employee = Employee(employees[person.login, person.company].id)
        holding = user.roles.new()
        holding.role = Position(ModelData.get_id(
                'dealer_base', f'position_{person.role}', config.context))
        if len(granted) > 1:
            user.company_filter = 'all'
        user.save()
    return employees
