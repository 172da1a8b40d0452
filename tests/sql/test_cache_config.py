"""Creating caches from properties and reading their configuration back, on a real node."""
import copy
from decimal import Decimal

import pytest

from pyignite.datatypes import ExpiryPolicy, IntObject
from pyignite.datatypes.cache_config import (
    CacheAtomicityMode, CacheMode, IndexType, PartitionLossPolicy, RebalanceMode,
    WriteSynchronizationMode,
)
from pyignite.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER, PROP_CACHE_ATOMICITY_MODE, PROP_CACHE_KEY_CONFIGURATION, PROP_CACHE_MODE,
    PROP_COPY_ON_READ, PROP_DATA_REGION_NAME, PROP_DEFAULT_LOCK_TIMEOUT, PROP_EAGER_TTL,
    PROP_EXPIRY_POLICY, PROP_GROUP_NAME, PROP_IS_ONHEAP_CACHE_ENABLED,
    PROP_MAX_CONCURRENT_ASYNC_OPERATIONS, PROP_MAX_QUERY_ITERATORS, PROP_NAME,
    PROP_PARTITION_LOSS_POLICY, PROP_QUERY_DETAIL_METRIC_SIZE, PROP_QUERY_ENTITIES,
    PROP_QUERY_PARALLELISM, PROP_READ_FROM_BACKUP, PROP_REBALANCE_BATCH_SIZE,
    PROP_REBALANCE_BATCHES_PREFETCH_COUNT, PROP_REBALANCE_DELAY, PROP_REBALANCE_MODE,
    PROP_REBALANCE_ORDER, PROP_REBALANCE_THROTTLE, PROP_REBALANCE_TIMEOUT, PROP_SQL_ESCAPE_ALL,
    PROP_SQL_INDEX_INLINE_MAX_SIZE, PROP_SQL_SCHEMA, PROP_STATISTICS_ENABLED,
    PROP_WRITE_SYNCHRONIZATION_MODE,
)
from pyignite.exceptions import CacheCreationError, NotSupportedByClusterError, ParameterError

#: every property code of the docs' table plus the expiry policy
ALL_CODES = {
    PROP_NAME, PROP_CACHE_MODE, PROP_CACHE_ATOMICITY_MODE, PROP_BACKUPS_NUMBER,
    PROP_WRITE_SYNCHRONIZATION_MODE, PROP_COPY_ON_READ, PROP_READ_FROM_BACKUP,
    PROP_DATA_REGION_NAME, PROP_IS_ONHEAP_CACHE_ENABLED, PROP_QUERY_ENTITIES,
    PROP_QUERY_PARALLELISM, PROP_QUERY_DETAIL_METRIC_SIZE, PROP_SQL_SCHEMA,
    PROP_SQL_INDEX_INLINE_MAX_SIZE, PROP_SQL_ESCAPE_ALL, PROP_MAX_QUERY_ITERATORS,
    PROP_REBALANCE_MODE, PROP_REBALANCE_DELAY, PROP_REBALANCE_TIMEOUT,
    PROP_REBALANCE_BATCH_SIZE, PROP_REBALANCE_BATCHES_PREFETCH_COUNT, PROP_REBALANCE_ORDER,
    PROP_REBALANCE_THROTTLE, PROP_GROUP_NAME, PROP_CACHE_KEY_CONFIGURATION,
    PROP_DEFAULT_LOCK_TIMEOUT, PROP_MAX_CONCURRENT_ASYNC_OPERATIONS,
    PROP_PARTITION_LOSS_POLICY, PROP_EAGER_TTL, PROP_STATISTICS_ENABLED, PROP_EXPIRY_POLICY,
}


def person_entity():
    """A query entity with a composite key, precision and scale, an alias, a default
    value, and a sorted index with a descending field and an inline size."""
    return {
        'table_name': 'PERSON',
        'key_field_name': None,
        'key_type_name': 'PersonKey',
        'value_field_name': None,
        'value_type_name': 'Person',
        'field_name_aliases': [{'field_name': 'BIRTH', 'alias': 'BORN'}],
        'query_fields': [
            {'name': 'ID', 'type_name': 'java.lang.Integer', 'is_key_field': True,
             'is_notnull_constraint_field': True, 'default_value': None,
             'precision': -1, 'scale': -1},
            {'name': 'ORG', 'type_name': 'java.lang.String', 'is_key_field': True,
             'is_notnull_constraint_field': False, 'default_value': None,
             'precision': 20, 'scale': -1},
            {'name': 'NAME', 'type_name': 'java.lang.String', 'is_key_field': False,
             'is_notnull_constraint_field': True, 'default_value': 'nobody',
             'precision': 40, 'scale': -1},
            {'name': 'SALARY', 'type_name': 'java.math.BigDecimal', 'is_key_field': False,
             'is_notnull_constraint_field': False, 'default_value': Decimal('1000.50'),
             'precision': 10, 'scale': 2},
            {'name': 'AGE', 'type_name': 'java.lang.Integer', 'is_key_field': False,
             'is_notnull_constraint_field': False, 'default_value': 42,
             'precision': -1, 'scale': -1},
            {'name': 'BIRTH', 'type_name': 'java.sql.Timestamp', 'is_key_field': False,
             'is_notnull_constraint_field': False, 'default_value': None,
             'precision': -1, 'scale': -1},
        ],
        'query_indexes': [
            {'index_name': 'NAME_AGE_IDX', 'index_type': IndexType.SORTED, 'inline_size': 33,
             'fields': [{'name': 'NAME', 'is_descending': False},
                        {'name': 'AGE', 'is_descending': True}]},
            {'index_name': 'NAME_FT_IDX', 'index_type': IndexType.FULLTEXT, 'inline_size': -1,
             'fields': [{'name': 'NAME', 'is_descending': False}]},
        ],
    }


def every_property(name):
    """Settings with every property but the cache mode away from its default (the one
    non-default mode, REPLICATED, rules out query parallelism above 1)."""
    return {
        PROP_NAME: name,
        PROP_CACHE_MODE: CacheMode.PARTITIONED,
        PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.TRANSACTIONAL,
        PROP_BACKUPS_NUMBER: 2,
        PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
        PROP_COPY_ON_READ: False,
        PROP_READ_FROM_BACKUP: False,
        PROP_DATA_REGION_NAME: 'SmallDataRegion',
        PROP_IS_ONHEAP_CACHE_ENABLED: True,
        PROP_QUERY_ENTITIES: [person_entity()],
        PROP_QUERY_PARALLELISM: 3,
        PROP_QUERY_DETAIL_METRIC_SIZE: 11,
        PROP_SQL_SCHEMA: 'EVERY_PROP',
        PROP_SQL_INDEX_INLINE_MAX_SIZE: 57,
        PROP_SQL_ESCAPE_ALL: True,
        PROP_MAX_QUERY_ITERATORS: 333,
        PROP_REBALANCE_MODE: RebalanceMode.SYNC,
        PROP_REBALANCE_DELAY: 123,
        PROP_REBALANCE_TIMEOUT: 4567,
        PROP_REBALANCE_BATCH_SIZE: 1 << 20,
        PROP_REBALANCE_BATCHES_PREFETCH_COUNT: 7,
        PROP_REBALANCE_ORDER: 5,
        PROP_REBALANCE_THROTTLE: 89,
        PROP_GROUP_NAME: 'test_group',
        PROP_CACHE_KEY_CONFIGURATION: [
            {'type_name': 'PersonKey', 'affinity_key_field_name': 'ORG'}],
        PROP_DEFAULT_LOCK_TIMEOUT: 3000,
        PROP_MAX_CONCURRENT_ASYNC_OPERATIONS: 99,
        PROP_PARTITION_LOSS_POLICY: PartitionLossPolicy.READ_WRITE_SAFE,
        PROP_EAGER_TTL: False,
        PROP_STATISTICS_ENABLED: True,
        PROP_EXPIRY_POLICY: ExpiryPolicy(create=1000, update=2000, access=3000),
    }


def aliases(entity):
    return {a['field_name']: a['alias'] for a in entity['field_name_aliases']}


def test_settings_of_a_plain_cache_hold_every_property(client, cache_names):
    cache = client.create_cache(cache_names())
    settings = cache.settings
    assert set(settings) == ALL_CODES
    assert settings[PROP_NAME] == cache.name
    assert settings[PROP_CACHE_MODE] == CacheMode.PARTITIONED
    assert settings[PROP_QUERY_ENTITIES] == []
    assert settings[PROP_CACHE_KEY_CONFIGURATION] == []
    assert settings[PROP_EXPIRY_POLICY] is None


def test_every_property_reads_back_as_written(client, cache_names):
    defaults = client.create_cache(cache_names()).settings
    wanted = every_property(cache_names())
    for code in ALL_CODES - {PROP_CACHE_MODE}:
        assert wanted[code] != defaults[code], code  # the test sets no default by accident

    settings = client.create_cache(wanted).settings

    assert set(settings) == ALL_CODES
    for code in ALL_CODES - {PROP_QUERY_ENTITIES}:
        assert settings[code] == wanted[code], code
    [got], [sent] = settings[PROP_QUERY_ENTITIES], wanted[PROP_QUERY_ENTITIES]
    # the server adds an identity alias for every field without one; it keeps them in a
    # hash map, so their order is the server's
    assert aliases(got) == dict({f['name']: f['name'] for f in sent['query_fields']},
                                BIRTH='BORN')
    del got['field_name_aliases'], sent['field_name_aliases']
    assert got == sent


def test_replicated_cache(client, cache_names):
    settings = client.create_cache({
        PROP_NAME: cache_names(), PROP_CACHE_MODE: CacheMode.REPLICATED}).settings
    assert settings[PROP_CACHE_MODE] == CacheMode.REPLICATED


def test_settings_are_valid_creation_input(client, cache_names):
    original = client.create_cache(every_property(cache_names())).settings
    clone_settings = copy.deepcopy(original)
    clone_settings[PROP_NAME] = cache_names()
    clone_settings[PROP_SQL_SCHEMA] = 'EVERY_PROP_CLONE'
    clone = client.create_cache(clone_settings).settings
    for code in ALL_CODES - {PROP_NAME, PROP_SQL_SCHEMA, PROP_QUERY_ENTITIES}:
        assert clone[code] == original[code], code
    assert aliases(clone[PROP_QUERY_ENTITIES][0]) == aliases(original[PROP_QUERY_ENTITIES][0])


def test_query_entity_works_in_sql(client, cache_names):
    """The entity's table, default values, precision and key fields are what SQL uses."""
    settings = every_property(cache_names())
    settings[PROP_SQL_ESCAPE_ALL] = False
    client.create_cache(settings)
    client.sql('INSERT INTO EVERY_PROP.PERSON (ID, ORG) VALUES (?, ?)',
               query_args=[(1, IntObject), 'acme'])
    rows = list(client.sql('SELECT ID, ORG, NAME, SALARY, AGE FROM EVERY_PROP.PERSON'))
    assert rows == [[1, 'acme', 'nobody', Decimal('1000.50'), 42]]
    with pytest.raises(Exception, match='(?i)precision|too long|value too long'):
        client.sql('INSERT INTO EVERY_PROP.PERSON (ID, ORG, NAME) VALUES (?, ?, ?)',
                   query_args=[(2, IntObject), 'x' * 21, 'n'])


def test_zero_expiry_policy_is_applied(client, cache_names):
    cache = client.create_cache({PROP_NAME: cache_names(),
                                 PROP_EXPIRY_POLICY: ExpiryPolicy(create=0)})
    cache.put(1, 'gone at once')
    assert cache.get(1) is None
    assert cache.settings[PROP_EXPIRY_POLICY] == ExpiryPolicy(create=0)


def test_creating_an_existing_cache_fails(client, cache_names):
    name = cache_names()
    client.create_cache({PROP_NAME: name, PROP_BACKUPS_NUMBER: 1})
    with pytest.raises(CacheCreationError, match=name):
        client.create_cache({PROP_NAME: name, PROP_BACKUPS_NUMBER: 1})
    with pytest.raises(CacheCreationError, match=name):
        client.create_cache(name)
    # get-or-create with a configuration keeps the existing cache as it is
    cache = client.get_or_create_cache({PROP_NAME: name, PROP_BACKUPS_NUMBER: 3})
    assert cache.settings[PROP_BACKUPS_NUMBER] == 1


def test_get_or_create_with_configuration_creates(client, cache_names):
    cache = client.get_or_create_cache({PROP_NAME: cache_names(), PROP_BACKUPS_NUMBER: 1})
    assert cache.settings[PROP_BACKUPS_NUMBER] == 1
    cache.put('k', 'v')
    assert cache.get('k') == 'v'


def test_sql_caches_are_named_after_schema_and_table(client, table):
    client.sql('CREATE TABLE {} (id INT PRIMARY KEY, v VARCHAR)'.format(table))
    name = 'SQL_PUBLIC_' + table
    assert name in client.get_cache_names()
    [entity] = client.get_cache(name).settings[PROP_QUERY_ENTITIES]
    assert entity['table_name'] == table
    assert {f['name'] for f in entity['query_fields']} == {'ID', 'V'}


# --- client-side validation ----------------------------------------------------------------

def _entity(**changes):
    entity = person_entity()
    entity.update(changes)
    return entity


def _field(**changes):
    field = {'name': 'F', 'type_name': 'java.lang.String'}
    field.update(changes)
    return _entity(query_fields=[field])


def _index(**changes):
    index = {'index_name': 'I', 'index_type': 0, 'inline_size': -1,
             'fields': [{'name': 'NAME'}]}
    index.update(changes)
    return _entity(query_indexes=[index])


BAD_SETTINGS = [
    pytest.param({12345: 1}, '12345', id='unknown code'),
    pytest.param({'backups': 1}, 'backups', id='code is a str'),
    pytest.param({True: 1}, 'True', id='code is a bool'),
    pytest.param({PROP_CACHE_MODE: 0}, 'PROP_CACHE_MODE', id='LOCAL cache mode'),
    pytest.param({PROP_CACHE_MODE: 3}, 'PROP_CACHE_MODE', id='cache mode out of range'),
    pytest.param({PROP_CACHE_ATOMICITY_MODE: 2}, 'PROP_CACHE_ATOMICITY_MODE', id='atomicity'),
    pytest.param({PROP_WRITE_SYNCHRONIZATION_MODE: 3}, 'PROP_WRITE_SYNCHRONIZATION_MODE',
                 id='write sync mode'),
    pytest.param({PROP_REBALANCE_MODE: -1}, 'PROP_REBALANCE_MODE', id='rebalance mode'),
    pytest.param({PROP_PARTITION_LOSS_POLICY: 5}, 'PROP_PARTITION_LOSS_POLICY',
                 id='partition loss policy'),
    pytest.param({PROP_BACKUPS_NUMBER: '1'}, 'PROP_BACKUPS_NUMBER', id='int as str'),
    pytest.param({PROP_BACKUPS_NUMBER: 1.0}, 'PROP_BACKUPS_NUMBER', id='int as float'),
    pytest.param({PROP_BACKUPS_NUMBER: True}, 'PROP_BACKUPS_NUMBER', id='int as bool'),
    pytest.param({PROP_BACKUPS_NUMBER: -1}, 'PROP_BACKUPS_NUMBER', id='negative backups'),
    pytest.param({PROP_BACKUPS_NUMBER: 1 << 31}, 'PROP_BACKUPS_NUMBER', id='int overflow'),
    pytest.param({PROP_QUERY_PARALLELISM: 0}, 'PROP_QUERY_PARALLELISM', id='parallelism 0'),
    pytest.param({PROP_REBALANCE_BATCH_SIZE: 0}, 'PROP_REBALANCE_BATCH_SIZE',
                 id='rebalance batch size 0'),
    pytest.param({PROP_REBALANCE_BATCHES_PREFETCH_COUNT: 0},
                 'PROP_REBALANCE_BATCHES_PREFETCH_COUNT', id='prefetch count 0'),
    pytest.param({PROP_REBALANCE_TIMEOUT: -1}, 'PROP_REBALANCE_TIMEOUT', id='negative timeout'),
    pytest.param({PROP_REBALANCE_THROTTLE: -1}, 'PROP_REBALANCE_THROTTLE',
                 id='negative throttle'),
    pytest.param({PROP_DEFAULT_LOCK_TIMEOUT: 1 << 63}, 'PROP_DEFAULT_LOCK_TIMEOUT',
                 id='long overflow'),
    pytest.param({PROP_COPY_ON_READ: 1}, 'PROP_COPY_ON_READ', id='bool as int'),
    pytest.param({PROP_EAGER_TTL: 'yes'}, 'PROP_EAGER_TTL', id='bool as str'),
    pytest.param({PROP_DATA_REGION_NAME: 5}, 'PROP_DATA_REGION_NAME', id='str as int'),
    pytest.param({PROP_GROUP_NAME: ''}, 'PROP_GROUP_NAME', id='empty group name'),
    pytest.param({PROP_EXPIRY_POLICY: 1000}, 'PROP_EXPIRY_POLICY', id='expiry as int'),
    pytest.param({PROP_QUERY_ENTITIES: {'table_name': 'T'}}, 'PROP_QUERY_ENTITIES',
                 id='entities not a list'),
    pytest.param({PROP_QUERY_ENTITIES: [_entity(tablename='T')]}, 'tablename',
                 id='entity key misspelt'),
    pytest.param({PROP_QUERY_ENTITIES: [_entity(table_name=7)]}, 'table_name',
                 id='entity table name not a str'),
    pytest.param({PROP_QUERY_ENTITIES: [_entity(query_fields=[{'name': 'X'}])]}, 'type_name',
                 id='field without a type'),
    pytest.param({PROP_QUERY_ENTITIES: [_field(is_key_field='no')]}, 'is_key_field',
                 id='field flag not a bool'),
    pytest.param({PROP_QUERY_ENTITIES: [_field(precision='10')]}, 'precision',
                 id='precision not an int'),
    pytest.param({PROP_QUERY_ENTITIES: [_field(scale=-2)]}, 'scale', id='scale below -1'),
    pytest.param({PROP_QUERY_ENTITIES: [_field(default_value=object())]}, 'default_value',
                 id='default value of no Ignite type'),
    pytest.param({PROP_QUERY_ENTITIES: [_field(type_name='java.lang.Integer',
                                               default_value=1 << 40)]},
                 'default_value', id='default value out of the field type'),
    pytest.param({PROP_QUERY_ENTITIES: [_entity(field_name_aliases=[{'field_name': 'A'}])]},
                 'alias', id='alias missing'),
    pytest.param({PROP_QUERY_ENTITIES: [_index(index_type=3)]}, 'index_type',
                 id='index type out of range'),
    pytest.param({PROP_QUERY_ENTITIES: [_index(inline_size='big')]}, 'inline_size',
                 id='inline size not an int'),
    pytest.param({PROP_QUERY_ENTITIES: [_index(fields=['NAME'])]}, 'fields',
                 id='index field not a dict'),
    pytest.param({PROP_QUERY_ENTITIES: [_index(fields=[{'name': 'N', 'is_descending': 1}])]},
                 'is_descending', id='descending not a bool'),
    pytest.param({PROP_CACHE_KEY_CONFIGURATION: [{'type_name': 'T'}]},
                 'affinity_key_field_name', id='key configuration incomplete'),
    pytest.param({PROP_CACHE_KEY_CONFIGURATION: 'T'}, 'PROP_CACHE_KEY_CONFIGURATION',
                 id='key configuration not a list'),
]


@pytest.mark.parametrize('bad, named', BAD_SETTINGS)
def test_bad_settings_are_refused_before_sending(client, cache_names, bad, named):
    name = cache_names()
    settings = {PROP_NAME: name}
    settings.update(bad)
    with pytest.raises(ParameterError) as raised:
        client.create_cache(settings)
    assert named in str(raised.value)
    with pytest.raises(ParameterError):
        client.get_or_create_cache(settings)
    # nothing reached the server and the connection is as good as before
    assert name not in client.get_cache_names()
    ok = client.create_cache({PROP_NAME: name, PROP_BACKUPS_NUMBER: 1})
    ok.put(1, 'still connected')
    assert ok.get(1) == 'still connected'


def test_cache_settings_need_a_name(client):
    with pytest.raises(ParameterError, match='name'):
        client.create_cache({PROP_BACKUPS_NUMBER: 1})
    with pytest.raises(ParameterError, match='name'):
        client.create_cache({PROP_NAME: 12, PROP_BACKUPS_NUMBER: 1})


def test_expiry_policy_needs_protocol_1_6(client, cache_names, monkeypatch):
    """Servers speaking an older protocol do not know the property."""
    from pyignite._ops import cache_config
    name = cache_names()
    real_version = cache_config._protocol_version
    monkeypatch.setattr(cache_config, '_protocol_version', lambda client: (1, 5, 0))
    with pytest.raises(NotSupportedByClusterError):
        client.create_cache({PROP_NAME: name, PROP_EXPIRY_POLICY: ExpiryPolicy(create=5)})
    monkeypatch.setattr(cache_config, '_protocol_version', real_version)
    assert name not in client.get_cache_names()
