"""The expense vouchers of the migration example, as written by the first version of the
accounting app."""
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

with open(Path(__file__).resolve().parent / 'expense_vouchers.json', encoding='utf-8') as _file:
    _VOUCHERS = json.load(_file)['vouchers']

#: voucher number -> field values of the first ExpenseVoucher schema
VOUCHERS = {
    int(number): {
        'date': datetime.strptime(voucher['date'], '%Y-%m-%d'),
        'reported': voucher['reported'],
        'purpose': voucher['purpose'],
        'sum': Decimal(voucher['sum']),
        'recipient': voucher['recipient'],
        'cashier_id': voucher['cashier_id'],
    }
    for number, voucher in _VOUCHERS.items()
}
