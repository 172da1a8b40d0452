"""DB-API 2.0 (PEP 249): Ignite SQL through pyignite.dbapi, as pandas and other tools use it."""
from pyignite import dbapi

from helpers.sql_helper import CITY_DATA, COUNTRY_DATA, Query

with dbapi.connect('127.0.0.1', 10800) as conn:
    cur = conn.cursor()
    cur.execute(Query.COUNTRY_CREATE_TABLE)
    cur.execute(Query.CITY_CREATE_TABLE)
    try:
        # executemany sends the rows of one INSERT ... VALUES (?, ...) in batches
        cur.executemany(Query.COUNTRY_INSERT, COUNTRY_DATA)
        cur.executemany(Query.CITY_INSERT, CITY_DATA)
        print('cities inserted:', cur.rowcount)

        cur.execute('SELECT name, population FROM City WHERE countrycode = ? '
                    'ORDER BY population DESC', ['USA'])
        print([column[0] for column in cur.description])
        print([column[1] for column in cur.description])
        for name, population in cur.fetchmany(3):
            print(name, population)

        cur.execute('UPDATE City SET population = population + 1 WHERE countrycode = ?',
                    ['USA'])
        print('cities updated:', cur.rowcount)

        try:
            cur.execute('SELECT * FROM Atlantis')
        except dbapi.ProgrammingError as e:
            print('ProgrammingError, SQLSTATE', e.sqlstate)

        # each statement commits as it runs: Ignite offers no SQL transaction here
        try:
            conn.autocommit = False
        except dbapi.NotSupportedError:
            print('autocommit=False: not supported')
    finally:
        cur.execute('DROP TABLE City')
        cur.execute('DROP TABLE Country')
