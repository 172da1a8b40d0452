"""Migrate complex objects to a new schema of the same type: rename a field, add one,
drop one, and rewrite every entry through a scan."""
from collections import OrderedDict
from datetime import date

from pyignite import Client, GenericObjectMeta
from pyignite.datatypes import BoolObject, DateObject, DecimalObject, LongObject, String

from helpers.vouchers import VOUCHERS


# the first version of the accounting app wrote its vouchers with this class
class ExpenseVoucher(
    metaclass=GenericObjectMeta,
    schema=OrderedDict([
        ('date', DateObject),
        ('reported', BoolObject),
        ('purpose', String),
        ('sum', DecimalObject),
        ('recipient', String),
        ('cashier_id', LongObject),
    ]),
):
    pass


client = Client()
with client.connect('127.0.0.1', 10800):
    accounting = client.get_or_create_cache('accounting')

    try:
        accounting.put_all({key: ExpenseVoucher(**fields) for key, fields in VOUCHERS.items()})

        data_classes = client.query_binary_type('ExpenseVoucher')
        print(data_classes)
        # {
        #     -231598180: <class '__main__.ExpenseVoucher'>
        # }

        s_id, data_class = data_classes.popitem()
        schema = data_class.schema

        schema['expense_date'] = schema['date']
        del schema['date']
        schema['report_date'] = DateObject
        del schema['reported']
        schema['sum'] = DecimalObject

        # define new data class
        class ExpenseVoucherV2(
            metaclass=GenericObjectMeta,
            type_name='ExpenseVoucher',
            schema=schema,
        ):
            pass

        def migrate(cache, data, new_class):
            """ Migrate given data pages. """
            for key, old_value in data:
                # read data
                print(old_value)
                # ExpenseVoucher(
                #     date=datetime(2017, 9, 21, 0, 0),
                #     reported=True,
                #     purpose='Praesent eget fermentum massa',
                #     sum=Decimal('666.67'),
                #     recipient='John Doe',
                #     cashier_id=8,
                #     version=1
                # )

                # create new binary object
                new_value = new_class()

                # process data
                new_value.sum = old_value.sum
                new_value.purpose = old_value.purpose
                new_value.recipient = old_value.recipient
                new_value.cashier_id = old_value.cashier_id
                new_value.expense_date = old_value.date
                new_value.report_date = date.today() if old_value.reported else None

                # replace data
                cache.put(key, new_value)

                # verify data
                verify = cache.get(key)
                print(verify)
                # ExpenseVoucherV2(
                #     purpose='Praesent eget fermentum massa',
                #     sum=Decimal('666.67'),
                #     recipient='John Doe',
                #     cashier_id=8,
                #     expense_date=datetime(2017, 9, 21, 0, 0),
                #     report_date=datetime(2018, 8, 29, 0, 0),
                #     version=1,
                # )

        # migrate data
        with accounting.scan() as cursor:
            migrate(accounting, cursor, ExpenseVoucherV2)
    finally:
        # the example leaves the cluster as it found it
        accounting.destroy()
