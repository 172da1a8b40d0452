"""Create an SQL table with key-value calls only: a cache with a query entity and
complex objects of the entity's value type."""
from collections import OrderedDict

from pyignite import Client, GenericObjectMeta
from pyignite.datatypes import DoubleObject, IntObject, String
from pyignite.datatypes.prop_codes import PROP_NAME, PROP_QUERY_ENTITIES, PROP_SQL_SCHEMA
from pyignite.exceptions import SQLError

client = Client()
with client.connect('127.0.0.1', 10800):
    # 1. Create table cache.
    student_cache = client.create_cache({
        PROP_NAME: 'SQL_PUBLIC_STUDENT',
        PROP_SQL_SCHEMA: 'PUBLIC',
        PROP_QUERY_ENTITIES: [
            {
                'table_name': 'Student'.upper(),
                'key_field_name': 'SID',
                'key_type_name': 'java.lang.Integer',
                'field_name_aliases': [],
                'query_fields': [
                    {
                        'name': 'SID',
                        'type_name': 'java.lang.Integer',
                        'is_key_field': True,
                        'is_notnull_constraint_field': True,
                    },
                    {
                        'name': 'NAME',
                        'type_name': 'java.lang.String',
                    },
                    {
                        'name': 'LOGIN',
                        'type_name': 'java.lang.String',
                    },
                    {
                        'name': 'AGE',
                        'type_name': 'java.lang.Integer',
                    },
                    {
                        'name': 'GPA',
                        # the docs print java.math.Double, a class Java does not have
                        'type_name': 'java.lang.Double',
                    },
                ],
                'query_indexes': [],
                'value_type_name': 'SQL_PUBLIC_STUDENT_TYPE',
                'value_field_name': None,
            },
        ],
    })

    try:
        # 2. Define Complex object data class.
        class Student(
            metaclass=GenericObjectMeta,
            type_name='SQL_PUBLIC_STUDENT_TYPE',
            schema=OrderedDict([
                ('NAME', String),
                ('LOGIN', String),
                ('AGE', IntObject),
                ('GPA', DoubleObject),
            ])
        ):
            pass

        # 3. Insert row.
        student_cache.put(
            1,
            Student(LOGIN='jdoe', NAME='John Doe', AGE=17, GPA=4.25),
            key_hint=IntObject
        )

        with client.sql(r'SELECT * FROM Student', include_field_names=True) as cursor:
            print(next(cursor))
            # ['SID', 'NAME', 'LOGIN', 'AGE', 'GPA']

            print(*cursor)
            # [1, 'John Doe', 'jdoe', 17, 4.25]

        # a cache made this way is not a table made with DDL: DROP TABLE refuses it
        DROP_QUERY = 'DROP TABLE Student'
        try:
            client.sql(DROP_QUERY)
        except SQLError as e:
            print('SQLError:', e)
        # SQLError: 50000: class org.apache.ignite.IgniteCheckedException:
        # Only cache created with CREATE TABLE may be removed with DROP TABLE
        # [cacheName=SQL_PUBLIC_STUDENT]
    finally:
        student_cache.destroy()
