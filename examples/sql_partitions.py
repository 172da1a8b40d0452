"""SQL on some partitions only, the update batch size, and the server's default timeout.

These need a server that negotiates the QRY_PARTITIONS_BATCH_SIZE protocol feature
(Apache Ignite 2.10 and later); with an older one, ``partitions`` and
``update_batch_size`` raise NotSupportedByClusterError before anything is sent.
"""
from pyignite import Client
from pyignite.datatypes import IntObject

PARTITIONS = 1024  # a table's cache has 1024 partitions unless configured otherwise


def partition_of(key: int) -> int:
    """Where Ignite puts an INT key: its hash (the int itself), spread and masked."""
    return (key ^ ((key & 0xFFFFFFFF) >> 16)) & (PARTITIONS - 1)


client = Client()
with client.connect('127.0.0.1', 10800):
    with client.sql('CREATE TABLE City (id INT PRIMARY KEY, name VARCHAR)'):
        pass
    for key, name in [(1, 'Lisbon'), (2, 'Oslo'), (1025, 'Quito'), (7, 'Lima')]:
        with client.sql('INSERT INTO City (id, name) VALUES (?, ?)',
                        query_args=[(key, IntObject), name]):
            pass

    # keys 1 and 1025 share partition 1
    print('Partition of 1 and 1025:', partition_of(1), partition_of(1025))
    with client.sql('SELECT name FROM City ORDER BY name', partitions=[1]) as cursor:
        print('In partition 1:', [row[0] for row in cursor])

    # DML updates rows in batches of this size on the server
    with client.sql("UPDATE City SET name = UPPER(name)", update_batch_size=100) as cursor:
        print('Updated rows:', next(cursor)[0])

    # timeout=None: the server's default query timeout; 0: none; else milliseconds
    with client.sql('SELECT COUNT(*) FROM City', timeout=None) as cursor:
        print('Rows:', next(cursor)[0])

    with client.sql('DROP TABLE City'):
        pass
