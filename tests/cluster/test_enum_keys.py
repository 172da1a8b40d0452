"""Enum keys against a real three-node cluster: each one is put on its primary node.

A partition-aware client hashes an enum key itself (``_affinity._hash_enum``) to pick the
node. Every check here is made on the server: the caches have no backups, so only a key's
primary node holds it, and OP_CACHE_LOCAL_PEEK sent on one node's own connection shows what
that node holds. The node a ``put`` went to is taken from the client's query events.

The client writes an enum as a ``(type_id, ordinal)`` tuple, with the hint ``EnumObject``
(type code 0x1C) or ``BinaryEnumObject`` (0x26); both are covered.
"""
import random

import pytest

from pyignite.datatypes import BinaryEnumObject, EnumObject

from cluster_util import connection_of, peek, unique

HINTS = [pytest.param(EnumObject, id='enum-0x1c'),
         pytest.param(BinaryEnumObject, id='binary-enum-0x26')]

#: A Java-like enum: ordinals 0..DENSE-1.
DENSE = 600
#: A thin client may register any int as an ordinal: these spread over the whole int range.
SPARSE = 100


@pytest.fixture(scope='module')
def enum_types(client):
    """Two registered enum types: ``{type name: {value name: ordinal}}``."""
    rnd = random.Random(1976)
    types = {
        unique('org.example.Dense'): {'V{}'.format(i): i for i in range(DENSE)},
        unique('org.example.Sparse'): {
            'S{}'.format(i): o for i, o in enumerate(rnd.sample(range(-2 ** 31, 2 ** 31), SPARSE))
        },
    }
    for name, values in types.items():
        client.put_binary_type(name, is_enum=True, schema=values)
    return types


@pytest.fixture(scope='module')
def enum_keys(client, enum_types):
    """Every ``(type_id, ordinal)`` of ``enum_types``, the dense type first."""
    keys = []
    for name, values in enum_types.items():
        type_id = client.get_binary_type(name)['type_id']
        keys += [(type_id, ordinal) for ordinal in values.values()]
    return keys


def put_each_on_its_primary(client, recorder, cache, keys, hint, tag):
    """Put each key, check the node it went to holds it, and read it back with a get.

    :return: the ids of the nodes that got puts
    """
    used = set()
    misrouted = []
    lost = []
    for n, key in enumerate(keys):
        value = '{}-{}'.format(tag, n)
        recorder.clear()
        cache.put(key, value, key_hint=hint)
        [node] = recorder.nodes_of('OP_CACHE_PUT')
        used.add(node)
        if peek(client, cache, connection_of(client, node), key, hint) != value:
            misrouted.append(key)
        if cache.get(key, key_hint=hint) != value:
            lost.append(key)
    assert not misrouted, '{} of {} keys were not put on their primary node, e.g. {}'.format(
        len(misrouted), len(keys), misrouted[:5])
    assert not lost, '{} of {} keys did not read back, e.g. {}'.format(
        len(lost), len(keys), lost[:5])
    return used


def test_enum_types_are_registered(client, enum_types, enum_keys):
    assert len(enum_keys) == DENSE + SPARSE
    for name, values in enum_types.items():
        info = client.get_binary_type(name)
        assert info['type_exists'] and info['is_enum']
        assert dict(info['enums']) == values


@pytest.mark.parametrize('hint', HINTS)
def test_enum_keys_go_to_primary(client, recorder, plain_cache, enum_keys, hint):
    assert client.partition_aware
    used = put_each_on_its_primary(client, recorder, plain_cache, enum_keys, hint,
                                   hint.__name__)
    assert len(used) == 3  # so the keys were spread, not all sent to one node


@pytest.mark.parametrize('hint', HINTS)
def test_enum_keys_go_to_primary_with_1000_partitions(
        client, recorder, parts1000_cache, enum_keys, hint):
    parts1000_cache.get(0)  # the map is fetched with the first keyed request
    group = client._session.router.affinity.group(parts1000_cache.cache_id)
    assert group is not None and group.parts == 1000
    used = put_each_on_its_primary(client, recorder, parts1000_cache, enum_keys, hint,
                                   hint.__name__)
    assert len(used) == 3


def test_both_type_codes_name_one_entry(plain_cache, enum_keys):
    """The server reads 0x1C and 0x26 into the same binary enum: one key, either code."""
    for n, key in enumerate(enum_keys[::7]):
        plain_cache.put(key, n, key_hint=EnumObject)
        assert plain_cache.get(key, key_hint=BinaryEnumObject) == n
        plain_cache.put(key, -n, key_hint=BinaryEnumObject)
        assert plain_cache.get(key, key_hint=EnumObject) == -n


@pytest.mark.parametrize('hint', HINTS)
def test_enum_values_round_trip(plain_cache, enum_keys, hint):
    for key in enum_keys[::5]:
        value = (key[0], key[1] ^ 1)
        plain_cache.put(key, value, key_hint=hint, value_hint=hint)
        assert plain_cache.get(key, key_hint=hint) == value
