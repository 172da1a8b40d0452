"""What SQL gains with the optional protocol features, on real nodes and through both
clients: partitions and the update batch size (bit 7), the server-default timeout (bit 6),
SQL inside a transaction (bit 18, on a node configured for it)."""
import uuid

import pytest

from _aio_adapter import Connector
from pyignite._codec.encoder import write
from pyignite._ops import sql_extras
from pyignite._protocol.wire import ProtocolContext
from pyignite._routing.affinity import key_hash
from pyignite.datatypes import IntObject
from pyignite.datatypes.transactions import TransactionIsolation
from pyignite.exceptions import NotSupportedByClusterError, ParameterError, SQLError

PARTS = 1024  # the default partition count of a table's cache
#: the primary keys of the test table, spread over the partitions (an int key's hash is the
#: int itself: 0..199 would all be in partitions 0..199)
KEYS = [i * 10007 for i in range(200)]


def partition_of(key):
    """The partition the server puts an INT primary key in (rendezvous affinity, 1024
    partitions: the hash spread, masked)."""
    buf = bytearray()
    write(buf, (key, IntObject))
    h = key_hash(buf, 0)
    return (h ^ ((h & 0xFFFFFFFF) >> 16)) & (PARTS - 1)


@pytest.fixture
def table(client):
    name = 'T' + uuid.uuid4().hex[:10].upper()
    with client.sql('CREATE TABLE {} (id INT PRIMARY KEY, v VARCHAR)'.format(name)):
        pass
    for i in KEYS:
        with client.sql('INSERT INTO {} (id, v) VALUES (?, ?)'.format(name),
                        query_args=[(i, IntObject), 'v{}'.format(i)]):
            pass
    yield name
    with client.sql('DROP TABLE {}'.format(name)):
        pass


def ids(client, query, **kwargs):
    with client.sql(query, **kwargs) as cursor:
        return sorted(row[0] for row in cursor)


def test_the_features_are_negotiated(client):
    ctx = client.protocol_context
    assert ctx.is_default_query_timeout_supported()
    assert ctx.is_query_partitions_batch_size_supported()


def test_partitions_restrict_the_result(client, table):
    query = 'SELECT id FROM {}'.format(table)
    everything = ids(client, query)
    assert everything == KEYS
    by_part = {}
    for i in everything:
        by_part.setdefault(partition_of(i), []).append(i)
    some = sorted(by_part)[:5]
    expected = sorted(i for p in some for i in by_part[p])
    assert ids(client, query, partitions=some) == expected
    # every row is in exactly one half
    low = ids(client, query, partitions=range(PARTS // 2))
    high = ids(client, query, partitions=range(PARTS // 2, PARTS))
    assert low and high and sorted(low + high) == everything
    assert low == sorted(i for i in everything if partition_of(i) < PARTS // 2)


def test_update_batch_size(client, table):
    with client.sql('UPDATE {} SET v = ? WHERE id < ?'.format(table),
                    query_args=['new', KEYS[50]], update_batch_size=7) as cursor:
        assert list(cursor) == [[50]]
    assert ids(client, "SELECT id FROM {} WHERE v = 'new'".format(table)) == KEYS[:50]


def test_the_server_reads_the_update_batch_size(client, table, monkeypatch):
    """A size the client would refuse, sent anyway: the server reads the field and
    refuses it, so the value sent is the value it uses."""
    monkeypatch.setattr(sql_extras, 'check_extras', lambda session, parts, size: (None, 0))
    with pytest.raises(SQLError, match='(?i)batch ?size'):
        with client.sql('UPDATE {} SET v = v'.format(table)):
            pass


@pytest.mark.parametrize('kwargs', [
    {'partitions': [-1]}, {'partitions': 3}, {'partitions': ['a']}, {'update_batch_size': 0},
    {'update_batch_size': True}, {'timeout': -5}, {'timeout': 2 ** 31},
])
def test_bad_values(client, kwargs):
    with pytest.raises(ParameterError):
        client.sql('SELECT 1', **kwargs)
    assert ids(client, 'SELECT 1') == [1]


def test_server_default_timeout(client, table):
    # None: the server's default (none configured here), 0: no timeout, ms otherwise
    for timeout in (None, 0, 60_000):
        assert len(ids(client, 'SELECT id FROM {}'.format(table), timeout=timeout)) == 200


@pytest.mark.parametrize('features, value, sent', [
    ({6}, None, -1), ({6}, 0, 0), ({6}, 5, 5),
    (set(), None, 0), (set(), 0, 2 ** 31 - 1), (set(), 5, 5),
])
def test_timeout_field_by_feature(features, value, sent):
    class Session:
        protocol_context = ProtocolContext((1, 7, 0), features)
    assert sql_extras.sql_timeout(Session(), value) == sent


def test_partitions_need_the_feature():
    class Session:
        protocol_context = ProtocolContext((1, 7, 0), {6})
    with pytest.raises(NotSupportedByClusterError, match='QRY_PARTITIONS_BATCH_SIZE'):
        sql_extras.check_extras(Session(), [1], None)
    with pytest.raises(NotSupportedByClusterError):
        sql_extras.check_extras(Session(), None, 5)
    assert sql_extras.check_extras(Session(), None, None) == (None, 1)


def test_sql_outside_a_transaction_without_the_feature(client, table):
    """The single node does not enable tx-aware queries: no bit 18, and SQL in a transaction
    runs on its own (it sees committed data only)."""
    assert not client.protocol_context.is_tx_aware_queries_supported()


@pytest.fixture(scope='module')
def tx_client(api, tx_sql_node):
    connector = Connector(api)
    client = connector(tx_sql_node)
    yield client
    connector.close()


@pytest.fixture
def tx_table(tx_client):
    name = 'TX' + uuid.uuid4().hex[:10].upper()
    with tx_client.sql('CREATE TABLE {} (id INT PRIMARY KEY, v VARCHAR) '
                       'WITH "ATOMICITY=TRANSACTIONAL"'.format(name)):
        pass
    yield name
    with tx_client.sql('DROP TABLE {}'.format(name)):
        pass


#: the only isolation the server allows SQL in a transaction with
READ_COMMITTED = TransactionIsolation.READ_COMMITTED


def _in_tx(client, table, commit):
    """Insert two rows by SQL in a transaction, read them back inside it, then end it."""
    with client.tx_start(isolation=READ_COMMITTED) as tx:
        with client.sql('INSERT INTO {} (id, v) VALUES (1, ?), (2, ?)'.format(table),
                        query_args=['a', 'b']):
            pass
        inside = ids(client, 'SELECT id FROM {}'.format(table))
        if commit:
            tx.commit()
        else:
            tx.rollback()
    return inside


@pytest.mark.sync_only('transactions belong to a thread or task; the adapter runs each '
                       'call in a task of its own')
def test_tx_aware_sql_commit_and_rollback(tx_client, tx_table, tx_sql_node, sql_engine):
    assert tx_client.protocol_context.is_tx_aware_queries_supported()
    other = Connector('sync')(tx_sql_node)
    try:
        if sql_engine == 'h2':
            # the H2 engine refuses SQL in a transaction, even with the feature negotiated
            with tx_client.tx_start(isolation=READ_COMMITTED):
                with pytest.raises(SQLError, match='not supported'):
                    with tx_client.sql('INSERT INTO {} (id, v) VALUES (9, ?)'.format(
                            tx_table), query_args=['x']):
                        pass
            assert ids(other, 'SELECT id FROM {}'.format(tx_table)) == []
            return
        with tx_client.tx_start(isolation=READ_COMMITTED):
            with tx_client.sql('INSERT INTO {} (id, v) VALUES (9, ?)'.format(tx_table),
                               query_args=['x']):
                pass
            assert ids(tx_client, 'SELECT id FROM {}'.format(tx_table)) == [9]
            # not committed: another client does not see it
            assert ids(other, 'SELECT id FROM {}'.format(tx_table)) == []
        # left without commit: rolled back
        assert ids(other, 'SELECT id FROM {}'.format(tx_table)) == []

        assert _in_tx(tx_client, tx_table, commit=False) == [1, 2]
        assert ids(other, 'SELECT id FROM {}'.format(tx_table)) == []
        assert _in_tx(tx_client, tx_table, commit=True) == [1, 2]
        assert ids(other, 'SELECT id FROM {}'.format(tx_table)) == [1, 2]
    finally:
        other.close()
