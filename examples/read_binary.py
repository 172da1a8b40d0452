"""Read SQL data as complex objects: the caches behind SQL tables, their query entities,
and their entries through a scan."""
from pprint import pprint

from pyignite import Client
from pyignite.datatypes.prop_codes import PROP_NAME, PROP_QUERY_ENTITIES

from helpers.sql_helper import create_tables, drop_tables

client = Client()
with client.connect('127.0.0.1', 10800):
    create_tables(client)

    try:
        result = client.get_cache_names()
        print(sorted(result))
        # [
        #   'SQL_PUBLIC_CITY',
        #   'SQL_PUBLIC_COUNTRY',
        #   'SQL_PUBLIC_COUNTRYLANGUAGE'
        # ]

        city_cache = client.get_or_create_cache('SQL_PUBLIC_CITY')
        print(city_cache.settings[PROP_NAME])
        # 'SQL_PUBLIC_CITY'

        # the names of the key and value types end with a random UUID
        pprint(city_cache.settings[PROP_QUERY_ENTITIES], sort_dicts=False)
        # [{'key_type_name': 'SQL_PUBLIC_CITY_9ac8e17a_2f99_45b7_958e_06da32882e9d_KEY',
        #   'value_type_name': 'SQL_PUBLIC_CITY_9ac8e17a_2f99_45b7_958e_06da32882e9d',
        #   'table_name': 'CITY',
        #   'key_field_name': None,
        #   'value_field_name': None,
        #   'query_fields': [{'name': 'ID',
        #                     'type_name': 'java.lang.Integer',
        #                     ...
        #   'field_name_aliases': [...],
        #   'query_indexes': [...]}]

        with city_cache.scan() as cursor:
            print(next(cursor))
        # (
        #     SQL_PUBLIC_CITY_6fe650e1_700f_4e74_867d_58f52f433c43_KEY(
        #         ID=1890,
        #         COUNTRYCODE='CHN',
        #         version=1
        #     ),
        #     SQL_PUBLIC_CITY_6fe650e1_700f_4e74_867d_58f52f433c43(
        #         NAME='Shanghai',
        #         DISTRICT='Shanghai',
        #         POPULATION=9696300,
        #         version=1
        #     )
        # )
    finally:
        drop_tables(client)
