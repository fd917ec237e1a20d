"""The group's staff: an employee in each company they work for and one
login per role, holding the standard position of that role"""
import os
import sys
from dataclasses import dataclass

from .group import GUANGZHOU, SHANGHAI, GroupCompany

DEMO_PASSWORD = 'dealer-demo-2026'


@dataclass(frozen=True)
class Staff:
    login: str
    name: str
    role: str       # its standard position in dealer_base: position_<role>
    company: GroupCompany
    supervisor: str = None  # login


# The position gives the groups, companies and data scope.
USERS = [
    Staff('boss', '王建国', 'boss', SHANGHAI),
    Staff('sales_manager', '李明', 'sales_manager', SHANGHAI, 'boss'),
    Staff('sales_zhang', '张伟', 'salesperson', SHANGHAI, 'sales_manager'),
    Staff('sales_liu', '刘洋', 'salesperson', SHANGHAI, 'sales_manager'),
    Staff('sales_chen', '陈静', 'salesperson', GUANGZHOU, 'boss'),
    Staff('back_office', '赵敏', 'back_office', SHANGHAI, 'sales_manager'),
    Staff('finance', '孙丽', 'finance', SHANGHAI, 'boss'),
    Staff('cashier', '吴敏', 'finance', SHANGHAI, 'finance'),
    Staff('collector', '周强', 'collector', SHANGHAI, 'finance'),
    Staff('purchaser', '吴刚', 'purchaser', SHANGHAI, 'boss'),
    Staff('warehouse', '郑磊', 'warehouse', SHANGHAI, 'boss'),
    Staff('service', '冯芳', 'service', SHANGHAI, 'boss'),
    Staff('maintenance', '何军', 'maintenance', SHANGHAI, 'service'),
    Staff('technician', '马超', 'technician', SHANGHAI, 'maintenance'),
    Staff('sysadmin', '高飞', 'administrator', SHANGHAI, 'boss'),
    ]

ROLE_LABELS = {
    'boss': '集团总经理 / group leader',
    'sales_manager': '销售经理 / sales manager',
    'salesperson': '销售员 / salesperson',
    'back_office': '内勤 / back office',
    'finance': '财务 / finance',
    'collector': '催收 / collection staff',
    'purchaser': '采购 / purchaser',
    'warehouse': '库管 / warehouse keeper',
    'service': '客服 / customer service',
    'maintenance': '维修 / maintenance',
    'technician': '技术员 / technician',
    'administrator': '系统管理员 / administrator',
    }


def print_logins():
    width = max(len(u.login) for u in USERS)
    print('[dealer] demo logins (password for all: %s):' % DEMO_PASSWORD,
        file=sys.stderr)
    print(f'[dealer]   {"admin":<{width}}  administrator (password: '
        f'{os.environ.get("DEALER_ADMIN_PASSWORD", "Dealer-Admin-2026")})',
        file=sys.stderr)
    for u in USERS:
        print(f'[dealer]   {u.login:<{width}}  {u.name} · '
            f'{ROLE_LABELS[u.role]} · {u.company.name}', file=sys.stderr)
