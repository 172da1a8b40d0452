"""SQL with the asyncio client: create tables, fill them concurrently, ask questions,
drop the tables."""
import asyncio

from pyignite import AioClient

from helpers.sql_helper import (
    CITY_DATA, COUNTRY_DATA, LANGUAGE_DATA, Query, TableNames,
)


async def main():
    client = AioClient()
    async with client.connect('127.0.0.1', 10800):
        # create tables
        for query in [
            Query.COUNTRY_CREATE_TABLE,
            Query.CITY_CREATE_TABLE,
            Query.LANGUAGE_CREATE_TABLE,
        ]:
            await client.sql(query)

        try:
            # create indices
            for query in [Query.CITY_CREATE_INDEX, Query.LANGUAGE_CREATE_INDEX]:
                await client.sql(query)

            # load data concurrently.
            await asyncio.gather(*[
                client.sql(Query.COUNTRY_INSERT, query_args=row) for row in COUNTRY_DATA
            ])

            await asyncio.gather(*[
                client.sql(Query.CITY_INSERT, query_args=row) for row in CITY_DATA
            ])

            await asyncio.gather(*[
                client.sql(Query.LANGUAGE_INSERT, query_args=row) for row in LANGUAGE_DATA
            ])

            # 10 most populated cities (with pagination)
            MOST_POPULATED_QUERY = '''
            SELECT name, population FROM City ORDER BY population DESC LIMIT 10'''

            async with client.sql(MOST_POPULATED_QUERY) as cursor:
                print('Most 10 populated cities:')

                async for row in cursor:
                    print(row)
            # Most 10 populated cities:
            # ['Mumbai (Bombay)', 10500000]
            # ['Shanghai', 9696300]
            # ['New York', 8008278]
            # ['Peking', 7472000]
            # ['Delhi', 7206704]
            # ['Chongqing', 6351600]
            # ['Tianjin', 5286800]
            # ['Calcutta [Kolkata]', 4399819]
            # ['Wuhan', 4344600]
            # ['Harbin', 4289800]

            # 10 most populated cities in 3 countries (with pagination and header row)
            MOST_POPULATED_IN_3_COUNTRIES_QUERY = '''
            SELECT country.name as country_name, city.name as city_name, MAX(city.population) AS max_pop FROM country
                JOIN city ON city.countrycode = country.code
                WHERE country.code IN ('USA','IND','CHN')
                GROUP BY country.name, city.name ORDER BY max_pop DESC LIMIT 10
            '''  # noqa: E501

            async with client.sql(MOST_POPULATED_IN_3_COUNTRIES_QUERY,
                                  include_field_names=True) as cursor:
                print('Most 10 populated cities in USA, India and China:')
                # there is no async next(): await the cursor's __anext__() instead
                print(await cursor.__anext__())
                print('-----')
                async for row in cursor:
                    print(row)
            # Most 10 populated cities in USA, India and China:
            # ['COUNTRY_NAME', 'CITY_NAME', 'MAX_POP']
            # -----
            # ['India', 'Mumbai (Bombay)', 10500000]
            # ['China', 'Shanghai', 9696300]
            # ['United States', 'New York', 8008278]
            # ['China', 'Peking', 7472000]
            # ['India', 'Delhi', 7206704]
            # ['China', 'Chongqing', 6351600]
            # ['China', 'Tianjin', 5286800]
            # ['India', 'Calcutta [Kolkata]', 4399819]
            # ['China', 'Wuhan', 4344600]
            # ['China', 'Harbin', 4289800]

            # show city info
            CITY_INFO_QUERY = '''SELECT * FROM City WHERE id = ?'''

            async with client.sql(CITY_INFO_QUERY, query_args=[3802],
                                  include_field_names=True) as cursor:
                field_names = await cursor.__anext__()
                field_data = await cursor.__anext__()

                print('City info:')
                for field_name, field_value in zip(field_names * len(field_data), field_data):
                    print('{}: {}'.format(field_name, field_value))
            # City info:
            # ID: 3802
            # NAME: Detroit
            # COUNTRYCODE: USA
            # DISTRICT: Michigan
            # POPULATION: 951270
        finally:
            # clean up concurrently.
            await asyncio.gather(*[
                client.sql(Query.DROP_TABLE.format(table_name.value)) for table_name in [
                    TableNames.CITY_TABLE_NAME,
                    TableNames.LANGUAGE_TABLE_NAME,
                    TableNames.COUNTRY_TABLE_NAME,
                ]
            ])


asyncio.run(main())
