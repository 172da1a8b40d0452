"""Complex objects: a class made with GenericObjectMeta, written and read back."""
from collections import OrderedDict

from pyignite import Client, GenericObjectMeta
from pyignite.datatypes import IntObject, String


class Person(metaclass=GenericObjectMeta, schema=OrderedDict([
    ('first_name', String),
    ('last_name', String),
    ('age', IntObject),
])):
    pass


client = Client()
with client.connect('127.0.0.1', 10800):
    person_cache = client.get_or_create_cache('person')

    try:
        person_cache.put(
            1, Person(first_name='Ivan', last_name='Ivanov', age=33)
        )

        person = person_cache.get(1)
        print(person.__class__.__name__)
        # Person

        # True: writing the object registered the class with the client
        print(person.__class__ is Person)
        # True

        print(person)
        # Person(first_name='Ivan', last_name='Ivanov', age=33, version=1)

        # registering explicitly is needed only to read objects of this type
        # before writing any
        client.register_binary_type(Person)

        # the class of an object read back can be used for writes as well
        Person = person.__class__
        person_cache.put(
            2, Person(first_name='Petr', last_name='Petrov', age=44)
        )
        print(person_cache.get(2))
        # Person(first_name='Petr', last_name='Petrov', age=44, version=1)
    finally:
        # the example leaves the cluster as it found it
        person_cache.destroy()
