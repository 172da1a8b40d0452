"""Complex objects written to and read back from a real node."""
import threading
from collections import OrderedDict
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from pyignite import GenericObjectMeta
from pyignite._codec.ids import entity_id
from pyignite.datatypes import (
    BinaryEnumObject, BinaryObject, BoolArrayObject, BoolObject, ByteArrayObject, ByteObject,
    CharArrayObject, CharObject, CollectionObject, DateArrayObject, DateObject, DecimalArrayObject,
    DecimalObject, DoubleArrayObject, DoubleObject, EnumArrayObject, EnumObject, FloatArrayObject,
    FloatObject, IntArrayObject, IntObject, LongArrayObject, LongObject, MapObject,
    ObjectArrayObject, ShortArrayObject, ShortObject, StringArrayObject, String, TimeArrayObject,
    TimeObject, TimestampArrayObject, TimestampObject, UUIDArrayObject, UUIDObject,
)
from pyignite.exceptions import ParameterError

from ._helpers import unique

EVERY_TYPE = OrderedDict([
    ('byte', ByteObject), ('short', ShortObject), ('int', IntObject), ('long', LongObject),
    ('float', FloatObject), ('double', DoubleObject), ('char', CharObject), ('bool', BoolObject),
    ('str', String), ('uuid', UUIDObject), ('date', DateObject), ('ts', TimestampObject),
    ('time', TimeObject), ('dec', DecimalObject), ('enum', EnumObject),
    ('benum', BinaryEnumObject),
    ('bytes', ByteArrayObject), ('shorts', ShortArrayObject), ('ints', IntArrayObject),
    ('longs', LongArrayObject), ('floats', FloatArrayObject), ('doubles', DoubleArrayObject),
    ('chars', CharArrayObject), ('bools', BoolArrayObject), ('strs', StringArrayObject),
    ('uuids', UUIDArrayObject), ('dates', DateArrayObject), ('tss', TimestampArrayObject),
    ('times', TimeArrayObject), ('decs', DecimalArrayObject), ('enums', EnumArrayObject),
    ('objs', ObjectArrayObject), ('col', CollectionObject), ('map', MapObject),
    ('obj', BinaryObject),
])

UID = UUID('123e4567-e89b-12d3-a456-426614174000')
DT = datetime(2020, 1, 1, 12, 30, 15, 123000)


def every_type_values(color_id):
    return dict(
        byte=-5, short=-300, int=1 << 30, long=-(1 << 60), float=0.5, double=3.25, char='ж',
        bool=True, str='Привет', uuid=UID, date=DT, ts=(DT, 456), time=timedelta(seconds=3),
        dec=Decimal('-12.345'), enum=(color_id, 1), benum=(color_id, 2),
        bytes=b'\x00\x01\xff', shorts=[1, -2], ints=[3, 4, 5], longs=[1 << 40],
        floats=[1.5], doubles=[2.25, -0.0], chars=['a', 'b'], bools=[True, False],
        strs=['x', None], uuids=[UID, None], dates=[DT, None], tss=[(DT, 7), None],
        times=[timedelta(milliseconds=5), None], decs=[Decimal('1.10'), None],
        enums=(color_id, [(color_id, 0), None]), objs=(-1, [1, 'two', 3.0]),
        col=(CollectionObject.LINKED_LIST, [1, 'x']),
        map=(MapObject.LINKED_HASH_MAP, OrderedDict([('a', 1), ('b', 2)])), obj='anything',
    )


@pytest.fixture(scope='module')
def color_id(client):
    name = unique('Color')
    client.put_binary_type(name, is_enum=True, schema={'RED': 0, 'GREEN': 1, 'BLUE': 2})
    return entity_id(name)


def test_every_field_type_round_trips(client, cache, color_id, ignite_node, connect):
    AllTypes = GenericObjectMeta('AllTypes', (), {}, type_name=unique('AllTypes'),
                                 schema=EVERY_TYPE)
    value = AllTypes(**every_type_values(color_id))
    cache.put(1, value)
    got = cache.get(1)
    assert got.__class__ is AllTypes
    expected = every_type_values(color_id)
    for name in EVERY_TYPE:
        assert getattr(got, name) == expected[name], name

    # a client that never saw the class builds one from the server's metadata
    other = connect(ignite_node)
    try:
        fetched = other.get_cache(cache.name).get(1)
    finally:
        other.close()
    assert fetched.__class__ is not AllTypes
    assert fetched.type_name == AllTypes.type_name
    assert fetched.schema == AllTypes.schema
    assert [getattr(fetched, n) for n in EVERY_TYPE] == [getattr(got, n) for n in EVERY_TYPE]


def test_null_fields_round_trip(client, cache):
    Nulls = GenericObjectMeta('Nulls', (), {}, type_name=unique('Nulls'), schema=EVERY_TYPE)
    value = Nulls(**{name: None for name in EVERY_TYPE})
    cache.put('nulls', value)
    assert cache.get('nulls') == value
    assert all(getattr(cache.get('nulls'), name) is None for name in EVERY_TYPE)


def test_defaults_are_java_defaults(client, cache):
    Defaults = GenericObjectMeta('Defaults', (), {}, type_name=unique('Defaults'),
                                 schema=EVERY_TYPE)
    cache.put(2, Defaults())
    got = cache.get(2)
    assert (got.byte, got.int, got.long, got.double, got.bool, got.char) == \
        (0, 0, 0, 0.0, False, '\x00')
    assert got.str is None and got.uuid is None and got.ints is None


def test_empty_schema(client, cache, fresh_client):
    name = unique('Empty')

    class Empty(metaclass=GenericObjectMeta, type_name=name):
        pass

    cache.put('empty', Empty())
    assert cache.get('empty') == Empty()
    got = fresh_client.get_cache(cache.name).get('empty')
    assert got.type_name == name and got.schema == OrderedDict() and got.schema_id == 0


def test_nested_objects(client, cache, fresh_client):
    inner_name, outer_name = unique('Inner'), unique('Outer')

    class Inner(metaclass=GenericObjectMeta, type_name=inner_name,
                schema={'x': IntObject, 'label': String}):
        pass

    class Outer(metaclass=GenericObjectMeta, type_name=outer_name,
                schema={'inner': Inner, 'any': BinaryObject, 'name': String}):
        pass

    value = Outer(inner=Inner(1, 'a'), any=Outer(Inner(2, 'b'), None, 'deep'), name='top')
    cache.put('nested', value)
    got = cache.get('nested')
    assert got == value
    assert got.any.inner.label == 'b'
    # a fresh client learns both types from the server
    fetched = fresh_client.get_cache(cache.name).get('nested')
    assert fetched.type_name == outer_name
    assert fetched.inner.type_name == inner_name
    assert (fetched.inner.x, fetched.any.name, fetched.any.inner.x) == (1, 'deep', 2)


def test_objects_in_collections_maps_and_arrays(client, cache):
    Item = GenericObjectMeta('Item', (), {}, type_name=unique('Item'),
                             schema={'n': IntObject})
    items = [Item(i) for i in range(3)]
    cache.put('list', items)
    assert cache.get('list') == (CollectionObject.ARR_LIST, items)
    cache.put('set', (CollectionObject.LINKED_HASH_SET, items))
    assert cache.get('set') == (CollectionObject.LINKED_HASH_SET, items)
    cache.put('map', {'a': items[0], 'b': [items[1], items[2]]})
    assert cache.get('map') == (MapObject.HASH_MAP, {
        'a': items[0], 'b': (CollectionObject.ARR_LIST, [items[1], items[2]])})
    cache.put('keys', (MapObject.LINKED_HASH_MAP, OrderedDict([(items[0], 'zero')])))
    assert cache.get('keys') == (MapObject.LINKED_HASH_MAP, OrderedDict([(items[0], 'zero')]))
    cache.put('array', (ObjectArrayObject.OBJECT, items), value_hint=ObjectArrayObject)
    assert cache.get('array') == (ObjectArrayObject.OBJECT, items)
    # objects as keys, one by one and in bulk
    cache.put(items[0], 'by object')
    assert cache.get(Item(0)) == 'by object'
    cache.put_all({items[1]: 1, items[2]: 2})
    assert cache.get_all([Item(1), Item(2)]) == {items[1]: 1, items[2]: 2}


def test_offset_widths_round_trip(client, cache, fresh_client):
    Wide = GenericObjectMeta('Wide', (), {}, type_name=unique('Wide'),
                             schema={'text': String, 'n': IntObject})
    for size in (10, 300, 70000):  # last offset < 0x100, < 0x10000, beyond
        value = Wide('x' * size, size)
        cache.put(size, value)
        assert cache.get(size) == value
        assert fresh_client.get_cache(cache.name).get(size).n == size


def test_schema_evolution(client, cache, fresh_client):
    """Two schemas of one type, as migrate_binary.py does: each object keeps its fields."""
    name = unique('ExpenseVoucher')

    class V1(metaclass=GenericObjectMeta, type_name=name, schema=OrderedDict([
        ('date', DateObject), ('reported', BoolObject), ('purpose', String),
        ('sum', DecimalObject), ('recipient', String), ('cashier_id', LongObject),
    ])):
        pass

    old = V1(datetime(2017, 9, 21), True, 'Praesent eget fermentum massa',
             Decimal('666.67'), 'John Doe', 8)
    cache.put(1, old)

    classes = fresh_client.query_binary_type(name)
    assert list(classes) == [V1.schema_id]
    schema = classes[V1.schema_id].schema
    schema['expense_date'] = schema.pop('date')
    schema['report_date'] = DateObject
    del schema['reported']
    schema['sum'] = DecimalObject

    class V2(metaclass=GenericObjectMeta, type_name=name, schema=schema):
        pass

    assert V2.schema_id != V1.schema_id and V2.type_id == V1.type_id
    new = V2(purpose=old.purpose, sum=old.sum, recipient=old.recipient,
             cashier_id=old.cashier_id, expense_date=old.date,
             report_date=datetime(2018, 8, 29))
    cache.put(2, new)

    assert cache.get(1) == old and cache.get(2) == new
    reader = fresh_client.get_cache(cache.name)
    first, second = reader.get(1), reader.get(2)
    assert first.schema_id == V1.schema_id and second.schema_id == V2.schema_id
    assert (first.date, first.reported) == (datetime(2017, 9, 21), True)
    assert (second.expense_date, second.report_date) == \
        (datetime(2017, 9, 21), datetime(2018, 8, 29))
    assert not hasattr(second, 'reported') and not hasattr(first, 'expense_date')
    assert set(fresh_client.query_binary_type(name)) == {V1.schema_id, V2.schema_id}


def test_bad_field_value_is_a_parameter_error(client, cache):
    Typed = GenericObjectMeta('Typed', (), {}, type_name=unique('Typed'),
                              schema={'n': IntObject, 's': String})
    with pytest.raises(ParameterError, match=r'Typed\.n'):
        cache.put(1, Typed(n='not a number'))
    with pytest.raises(ParameterError, match=r'Typed\.s'):
        cache.put(1, Typed(n=1, s=5))
    with pytest.raises(ParameterError, match='out of range'):
        cache.put(1, Typed(n=1 << 40))
    # the connection is still good and nothing was written
    assert cache.get(1) is None
    cache.put(1, Typed(1, 'ok'))
    assert cache.get(1) == Typed(1, 'ok')


def test_attribute_changes_are_written(client, cache):
    Mutable = GenericObjectMeta('Mutable', (), {}, type_name=unique('Mutable'),
                                schema={'a': IntObject, 'b': String})
    value = Mutable(1, 'one')
    cache.put(1, value)
    value.a, value.b = 2, 'two'
    cache.put(1, value)
    assert cache.get(1) == Mutable(2, 'two')


@pytest.mark.sync_only('threads share one client: an event loop runs in one thread')
def test_threads_share_one_client(client, cache, fresh_client):
    """Threads writing objects of new classes, and reading types the client must fetch,
    through one client at the same time.
    """
    classes = [GenericObjectMeta('Shared', (), {}, type_name=unique('Shared'),
                                 schema={'n': IntObject, 's': String}) for _ in range(4)]
    reader = fresh_client.get_cache(cache.name)
    errors = []

    def work(worker):
        try:
            for i in range(20):
                cls = classes[(worker + i) % len(classes)]
                key = worker * 100 + i
                cache.put(key, [cls(key, str(key)), cls(-key, None)])
                kind, (first, second) = reader.get(key)
                assert first.type_name == cls.type_name and (first.n, first.s) == \
                    (key, str(key))
                assert second.n == -key and second.s is None
        except Exception as e:  # reported below, with the thread's own traceback
            errors.append(e)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(fresh_client.query_binary_type(classes[0].type_name)) == {classes[0].schema_id}
