"""The binary type API: get/put/register/query_binary_type, enums, class names, unwrap."""
from collections import OrderedDict

import pytest

from pyignite import GenericObjectMeta
from pyignite._codec import encoder as _encoder
from pyignite._codec.ids import entity_id, schema_id
from pyignite.datatypes import (
    BinaryEnumObject, DoubleObject, EnumObject, IntObject, LongObject, String,
)
from pyignite.exceptions import BinaryTypeError, ParameterError

from ._helpers import unique


def make_class(type_name, schema, name='Data'):
    return GenericObjectMeta(name, (), {}, type_name=type_name, schema=OrderedDict(schema))


def test_get_binary_type_shape(client):
    name = unique('Shape')
    schema = OrderedDict([('id', IntObject), ('label', String)])
    assert client.put_binary_type(name, affinity_key_field='id', schema=schema) == {
        'type_id': entity_id(name), 'schema_id': schema_id([entity_id('id'), entity_id('label')])}
    for key in (name, entity_id(name)):
        assert client.get_binary_type(key) == {
            'type_exists': True,
            'type_id': entity_id(name),
            'type_name': name,
            'affinity_key_field': 'id',
            'is_enum': False,
            'schemas': [schema],
        }


def test_get_unknown_binary_type(client):
    assert client.get_binary_type(unique('Nothing')) == {'type_exists': False}
    assert client.get_binary_type(12345) == {'type_exists': False}


def test_put_binary_type_leaves_the_local_registry_alone(client):
    name = unique('Untouched')
    client.put_binary_type(name, schema={'x': IntObject})
    assert entity_id(name) not in client._session.binary.classes


def test_schema_grows_by_merge(client):
    name = unique('Merged')
    client.put_binary_type(name, schema=OrderedDict([('a', IntObject)]))
    client.put_binary_type(name, schema=OrderedDict([('a', IntObject), ('b', String)]))
    schemas = client.get_binary_type(name)['schemas']
    assert sorted(map(list, schemas)) == [['a'], ['a', 'b']]


def test_enum_type(client, cache, fresh_client):
    name = unique('Weekday')
    values = OrderedDict([('MON', 0), ('TUE', 1), ('WED', 2)])
    client.put_binary_type(name, is_enum=True, schema=values)
    info = fresh_client.get_binary_type(name)
    assert info == {
        'type_exists': True, 'type_id': entity_id(name), 'type_name': name,
        'affinity_key_field': None, 'is_enum': True, 'schemas': [], 'enums': values,
    }
    # enum values travel as (type id, ordinal), alone and inside objects
    cache.put('day', (entity_id(name), 2), value_hint=BinaryEnumObject)
    assert cache.get('day') == (entity_id(name), 2)
    Meeting = make_class(unique('Meeting'), [('day', EnumObject), ('hour', IntObject)])
    cache.put('meeting', Meeting((entity_id(name), 1), 10))
    assert fresh_client.get_cache(cache.name).get('meeting').day == (entity_id(name), 1)
    # more values merge in; a conflicting ordinal is refused
    client.put_binary_type(name, is_enum=True, schema={'THU': 3})
    assert fresh_client.get_binary_type(name)['enums'] == OrderedDict(
        [('MON', 0), ('TUE', 1), ('WED', 2), ('THU', 3)])
    with pytest.raises(BinaryTypeError):
        client.put_binary_type(name, is_enum=True, schema={'FRI': 0})


def test_put_binary_type_bad_input(client):
    with pytest.raises(ParameterError):
        client.put_binary_type('', schema={'a': IntObject})
    with pytest.raises(ParameterError):
        client.put_binary_type(unique('Bad'), schema={'a': int})
    with pytest.raises(ParameterError):
        client.put_binary_type(unique('BadEnum'), is_enum=True, schema={'A': 'zero'})
    with pytest.raises(ParameterError):
        client.get_binary_type(None)


def test_conflicting_field_type_is_a_binary_type_error(client, cache):
    name = unique('Conflict')
    client.put_binary_type(name, schema={'f': IntObject})
    with pytest.raises(BinaryTypeError, match='f'):
        client.register_binary_type(make_class(name, [('f', String)]))
    # writing a conflicting class registers it first, which fails the same way ...
    with pytest.raises(BinaryTypeError):
        cache.put(1, make_class(name, [('f', String)])('text'))
    # ... and leaves nothing behind: the client keeps working
    cache.put(1, make_class(name, [('f', IntObject)])(5))
    assert cache.get(1).f == 5


def test_written_class_is_registered(client, cache):
    """As the docs show: after a put, reading gives back the class that was written."""
    schema = [('first_name', String), ('last_name', String), ('age', IntObject)]
    Person = make_class(unique('Person'), schema, name='Person')
    cache.put(1, Person(first_name='Ivan', last_name='Ivanov', age=33))
    person = cache.get(1)
    assert person.__class__ is Person
    assert client.get_binary_type(Person.type_name)['schemas'] == [Person.schema]
    assert client.query_binary_type(Person.type_name) == {Person.schema_id: Person}
    assert repr(person) == "Person(first_name='Ivan', last_name='Ivanov', age=33, version=1)"


def test_register_binary_type_replaces_generated_class(client, cache, fresh_client):
    name = unique('Point')
    Point = make_class(name, [('x', IntObject), ('y', IntObject)], name='Point')
    cache.put(1, Point(1, 2))
    reader = fresh_client.get_cache(cache.name)
    generated = reader.get(1).__class__
    assert generated is not Point and generated.__name__ == name

    class MyPoint(metaclass=GenericObjectMeta, type_name=name,
                  schema=OrderedDict([('x', IntObject), ('y', IntObject)])):
        def norm(self):
            return abs(self.x) + abs(self.y)

    fresh_client.register_binary_type(MyPoint)
    got = reader.get(1)
    assert got.__class__ is MyPoint and got.norm() == 3
    assert fresh_client.query_binary_type(name, MyPoint.schema_id) is MyPoint
    with pytest.raises(ParameterError):
        fresh_client.register_binary_type(dict)


def test_affinity_key_field(client, cache, fresh_client):
    """The server refuses to change a type's affinity key field, to None as well: classes
    registered or written later keep the one the server has.
    """
    name = unique('Located')
    Located = make_class(name, [('city', String), ('n', IntObject)])
    client.register_binary_type(Located, affinity_key_field='city')
    assert client.get_binary_type(name)['affinity_key_field'] == 'city'
    with pytest.raises(BinaryTypeError, match='affinity'):
        client.register_binary_type(Located, affinity_key_field='n')
    # a client that knows nothing of the type writes a new schema of it
    Wider = make_class(name, [('city', String), ('n', IntObject), ('extra', String)])
    fresh_client.get_cache(cache.name).put(1, Wider('Oslo', 1, 'x'))
    fresh_client.register_binary_type(Located)
    info = client.get_binary_type(name)
    assert info['affinity_key_field'] == 'city' and len(info['schemas']) == 2
    assert cache.get(1).extra == 'x'


def test_query_binary_type_shapes(client, cache, fresh_client):
    name = unique('Queried')
    V1 = make_class(name, [('a', IntObject)])
    V2 = make_class(name, [('a', IntObject), ('b', DoubleObject)])
    cache.put(1, V1(1))
    cache.put(2, V2(2, 2.5))
    # the writing client has both classes
    assert client.query_binary_type(name) == {V1.schema_id: V1, V2.schema_id: V2}
    assert client.query_binary_type(entity_id(name), V2.schema_id) is V2
    assert client.query_binary_type(name, OrderedDict([('a', IntObject)])) is V1
    # a fresh client fetches the type and makes a class for each schema
    classes = fresh_client.query_binary_type(name)
    assert set(classes) == {V1.schema_id, V2.schema_id}
    assert classes[V2.schema_id].schema == V2.schema
    assert all(cls.type_name == name for cls in classes.values())
    # unknown types and schemas
    assert fresh_client.query_binary_type(unique('Missing')) == {}
    assert fresh_client.query_binary_type(unique('Missing'), 1234) is None
    assert fresh_client.query_binary_type(name, {'zzz': IntObject}) is None


@pytest.mark.parametrize('type_name, class_name', [
    ('Non.Pythonic#type-name$', 'NonPythonicTypeName'),
    ('org.foo.Bar', 'OrgFooBar'),
    ('Outer$Inner', 'OuterInner'),
    ('A+B', 'AB'),
    ('SQL_PUBLIC_CITY_9ac8e17a_2f99_KEY', 'SQL_PUBLIC_CITY_9ac8e17a_2f99_KEY'),
    ('1st.class', 'StClass'),
    ('class', 'class_'),
])
def test_generated_class_names(client, cache, fresh_client, type_name, class_name):
    Data = make_class(type_name, [('value', LongObject)])
    cache.put(type_name, Data(7))
    got = fresh_client.get_cache(cache.name).get(type_name)
    assert got.__class__.__name__ == class_name
    assert got.__class__.type_name == got.type_name == type_name
    assert got.value == 7


def test_unwrap_binary(client, cache, fresh_client):
    Wrapped = make_class(unique('Wrapped'), [('n', IntObject)])
    blob = bytearray()
    _encoder.write(blob, Wrapped(9), None, client._session.binary)
    cache.put('register', Wrapped(0))  # the server learns the type
    wrapped = (bytes(blob), 0)
    assert fresh_client.unwrap_binary(wrapped).n == 9
    nested = fresh_client.unwrap_binary((1, [wrapped, 'plain', {'k': wrapped}]))
    assert nested[0] == 1
    assert [nested[1][0].n, nested[1][1], nested[1][2]['k'].n] == [9, 'plain', 9]
    assert fresh_client.unwrap_binary('nothing to do') == 'nothing to do'
    with pytest.raises(ParameterError):
        fresh_client.unwrap_binary((bytes(blob), 100))
