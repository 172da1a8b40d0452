"""Index queries: entries found through a sorted index, narrowed by criteria on its fields
(as Java's IndexQuery), without SQL. The table and its indexes are made with SQL DDL here;
a cache configured with query entities and indexes works the same way.
"""
import asyncio

from pyignite import AioClient, Client
from pyignite.datatypes import IntObject
from pyignite.exceptions import NotSupportedByClusterError
from pyignite.index_query import between, eq, gt, in_, is_null

PEOPLE = [(1, 'Ann', 34, 'Oslo'), (2, 'Bob', 27, 'Lima'), (3, 'Cid', 41, 'Oslo'),
          (4, 'Dan', None, 'Lima'), (5, 'Eve', 29, 'Oslo'), (6, 'Fay', 52, 'Pune')]


def names(cursor):
    with cursor:
        return [value.NAME for _, value in cursor]


def sync_example():
    client = Client()
    with client.connect('127.0.0.1', 10800):
        client.sql('CREATE TABLE IF NOT EXISTS iq_person (id INT PRIMARY KEY, name VARCHAR, '
                   'age INT, city VARCHAR) WITH "CACHE_NAME=iq_person, VALUE_TYPE=IqPerson"')
        client.sql('CREATE INDEX IF NOT EXISTS iq_person_age ON iq_person (age)')
        client.sql('CREATE INDEX IF NOT EXISTS iq_person_city_age ON iq_person (city, age)')
        for row in PEOPLE:
            client.sql('INSERT INTO iq_person (id, name, age, city) VALUES (?, ?, ?, ?)',
                       query_args=[(row[0], IntObject), row[1],
                                   None if row[2] is None else (row[2], IntObject), row[3]])
        cache = client.get_cache('iq_person')
        try:
            # AGE is an INT column: values are given as Java ints with a hint
            print('Over 30:', names(cache.index_query('IqPerson', criteria=[
                gt('AGE', (30, IntObject))])))
            print('In Oslo, 30 to 40:', names(cache.index_query(
                'IqPerson', index_name='IQ_PERSON_CITY_AGE',
                criteria=[eq('CITY', 'Oslo'), between('AGE', (30, IntObject), (40, IntObject))])))
            print('Aged 27 or 52:', names(cache.index_query('IqPerson', criteria=[
                in_('AGE', [(27, IntObject), (52, IntObject)])])))
            print('Age unknown:', names(cache.index_query('IqPerson',
                                                          criteria=[is_null('AGE')])))
            print('The two youngest:', names(cache.index_query(
                'IqPerson', criteria=[gt('AGE', (0, IntObject))], limit=2)))
        except NotSupportedByClusterError:
            print('The server does not support index queries')
        finally:
            client.sql('DROP TABLE iq_person')


async def async_example():
    client = AioClient()
    async with client.connect('127.0.0.1', 10800):
        await client.sql('CREATE TABLE aio_iq_person (id INT PRIMARY KEY, name VARCHAR, age INT) '
                         'WITH "CACHE_NAME=aio_iq_person, VALUE_TYPE=AioIqPerson"')
        await client.sql('CREATE INDEX aio_iq_person_age ON aio_iq_person (age)')
        for id_, name, age, _ in PEOPLE[:3]:
            await client.sql('INSERT INTO aio_iq_person (id, name, age) VALUES (?, ?, ?)',
                             query_args=[(id_, IntObject), name, (age, IntObject)])
        cache = await client.get_cache('aio_iq_person')
        try:
            async with cache.index_query('AioIqPerson', criteria=[
                    gt('AGE', (30, IntObject))]) as cursor:
                print('Async, over 30:', [value.NAME async for _, value in cursor])
        finally:
            await client.sql('DROP TABLE aio_iq_person')


sync_example()
asyncio.run(async_example())
