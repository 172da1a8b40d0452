"""SQLAlchemy on Ignite: declare tables, create them with Ignite options, upsert with
merge(), query, and reflect what is there (pip install pyignite[sqlalchemy])."""
import sqlalchemy as sa

from pyignite.sqlalchemy import merge

engine = sa.create_engine('ignite://127.0.0.1:10800/PUBLIC')
meta = sa.MetaData()
city = sa.Table(
    'city', meta,
    sa.Column('id', sa.Integer, primary_key=True),
    sa.Column('countrycode', sa.String(3), primary_key=True),
    sa.Column('name', sa.String(35)),
    sa.Column('population', sa.Integer),
    sa.Index('idx_city_countrycode', 'countrycode'),
    # Ignite's own CREATE TABLE options: WITH "template=partitioned,affinity_key=..."
    ignite_with={'template': 'partitioned', 'affinity_key': 'countrycode'},
)

meta.create_all(engine)
try:
    with engine.connect() as conn:
        conn.execute(city.insert(), [
            {'id': 5, 'countrycode': 'NLD', 'name': 'Amsterdam', 'population': 731200},
            {'id': 6, 'countrycode': 'NLD', 'name': 'Rotterdam', 'population': 593321},
            {'id': 7, 'countrycode': 'NLD', 'name': 'Haag', 'population': 440900},
        ])
        # an upsert by primary key: replaces Haag's row, adds Utrecht
        conn.execute(merge(city), [
            {'id': 7, 'countrycode': 'NLD', 'name': 'Den Haag', 'population': 440901},
            {'id': 8, 'countrycode': 'NLD', 'name': 'Utrecht', 'population': 234323},
        ])
        query = (sa.select(city.c.name, city.c.population)
                 .where(city.c.population > sa.bindparam('least'))
                 .order_by(city.c.population.desc()))
        for row in conn.execute(query, {'least': 300000}):
            print(row.name, row.population)
        # a big result is read a page at a time
        streamed = conn.execute(sa.select(city.c.id),
                                execution_options={'stream_results': True})
        print(sum(1 for _ in streamed), 'rows streamed')

    inspector = sa.inspect(engine)
    print(inspector.has_table('city'))
    for column in inspector.get_columns('city'):
        print(column['name'], column['type'], column['nullable'])
    print(inspector.get_pk_constraint('city')['constrained_columns'])
    print([index['column_names'] for index in inspector.get_indexes('city')])
finally:
    meta.drop_all(engine)
    engine.dispose()
