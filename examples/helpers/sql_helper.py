"""Tables, statements and the world sample data shared by the SQL examples."""
import json
from decimal import Decimal
from enum import Enum
from pathlib import Path

_HERE = Path(__file__).resolve().parent


class TableNames(Enum):
    COUNTRY_TABLE_NAME = 'Country'
    CITY_TABLE_NAME = 'City'
    LANGUAGE_TABLE_NAME = 'CountryLanguage'


class Query:
    COUNTRY_CREATE_TABLE = '''CREATE TABLE Country (
        Code CHAR(3) PRIMARY KEY,
        Name CHAR(52),
        Continent CHAR(50),
        Region CHAR(26),
        SurfaceArea DECIMAL(10,2),
        IndepYear SMALLINT,
        Population INT,
        LifeExpectancy DECIMAL(3,1),
        GNP DECIMAL(10,2),
        GNPOld DECIMAL(10,2),
        LocalName CHAR(45),
        GovernmentForm CHAR(45),
        HeadOfState CHAR(60),
        Capital INT,
        Code2 CHAR(2)
    )'''

    CITY_CREATE_TABLE = '''CREATE TABLE City (
        ID INT,
        Name CHAR(35),
        CountryCode CHAR(3),
        District CHAR(20),
        Population INT,
        PRIMARY KEY (ID, CountryCode)
    ) WITH "affinity_key=CountryCode"'''

    LANGUAGE_CREATE_TABLE = '''CREATE TABLE CountryLanguage (
        CountryCode CHAR(3),
        Language CHAR(30),
        IsOfficial BOOLEAN,
        Percentage DECIMAL(4,1),
        PRIMARY KEY (CountryCode, Language)
    ) WITH "affinity_key=CountryCode"'''

    CITY_CREATE_INDEX = '''
    CREATE INDEX idx_country_code ON city (CountryCode)'''

    LANGUAGE_CREATE_INDEX = '''
    CREATE INDEX idx_lang_country_code ON CountryLanguage (CountryCode)'''

    COUNTRY_INSERT = '''INSERT INTO Country(
        Code, Name, Continent, Region,
        SurfaceArea, IndepYear, Population,
        LifeExpectancy, GNP, GNPOld,
        LocalName, GovernmentForm, HeadOfState,
        Capital, Code2
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'''

    CITY_INSERT = '''INSERT INTO City(
        ID, Name, CountryCode, District, Population
    ) VALUES (?, ?, ?, ?, ?)'''

    LANGUAGE_INSERT = '''INSERT INTO CountryLanguage(
        CountryCode, Language, IsOfficial, Percentage
    ) VALUES (?, ?, ?, ?)'''

    DROP_TABLE = '''DROP TABLE IF EXISTS {}'''


def _rows(table: dict) -> list:
    """The rows of one table of the sample, decimal columns as Decimal (they are strings
    in the file, to keep their scale)."""
    decimal_columns = {table['columns'].index(name) for name in table['decimal_columns']}
    return [
        [Decimal(value) if i in decimal_columns else value for i, value in enumerate(row)]
        for row in table['rows']
    ]


with open(_HERE / 'world_sample.json', encoding='utf-8') as _file:
    _SAMPLE = json.load(_file)

COUNTRY_DATA = _rows(_SAMPLE['country'])
CITY_DATA = _rows(_SAMPLE['city'])
LANGUAGE_DATA = _rows(_SAMPLE['country_language'])


def create_tables(client) -> None:
    """Create the three tables with their indexes and fill them with the sample."""
    for query in [
        Query.COUNTRY_CREATE_TABLE,
        Query.CITY_CREATE_TABLE,
        Query.LANGUAGE_CREATE_TABLE,
    ]:
        client.sql(query)

    for query in [Query.CITY_CREATE_INDEX, Query.LANGUAGE_CREATE_INDEX]:
        client.sql(query)

    for row in COUNTRY_DATA:
        client.sql(Query.COUNTRY_INSERT, query_args=row)

    for row in CITY_DATA:
        client.sql(Query.CITY_INSERT, query_args=row)

    for row in LANGUAGE_DATA:
        client.sql(Query.LANGUAGE_INSERT, query_args=row)


def drop_tables(client) -> None:
    for table_name in [
        TableNames.CITY_TABLE_NAME,
        TableNames.LANGUAGE_TABLE_NAME,
        TableNames.COUNTRY_TABLE_NAME,
    ]:
        client.sql(Query.DROP_TABLE.format(table_name.value))
