"""Key-value basics: create a cache, put and get values, read several keys at once."""
from pyignite import Client

client = Client()
with client.connect('127.0.0.1', 10800):
    my_cache = client.create_cache('my cache')

    try:
        my_cache.put('my key', 42)

        result = my_cache.get('my key')
        print(result)  # 42

        result = my_cache.get('non-existent key')
        print(result)  # None

        result = my_cache.get_all([
            'my key',
            'non-existent key',
            'other-key',
        ])
        print(result)  # {'my key': 42}

        my_cache.clear_key('my key')
        print(my_cache.contains_key('my key'))  # False
    finally:
        # the example leaves the cluster as it found it
        my_cache.destroy()
