"""Scan queries: every entry of a cache, a page at a time."""
from pyignite import Client

client = Client()
with client.connect('127.0.0.1', 10800):
    my_cache = client.create_cache('my cache')

    try:
        my_cache.put_all({'key_{}'.format(v): v for v in range(20)})
        # {
        #     'key_0': 0,
        #     'key_1': 1,
        #     'key_2': 2,
        #     ... 20 elements in total...
        #     'key_18': 18,
        #     'key_19': 19
        # }

        with my_cache.scan() as cursor:
            for k, v in cursor:
                print(k, v)
        # 'key_17' 17
        # 'key_10' 10
        # 'key_6' 6,
        # ... 20 elements in total...
        # 'key_16' 16
        # 'key_12' 12

        with my_cache.scan() as cursor:
            print(dict(cursor))
        # {
        #     'key_17': 17,
        #     'key_10': 10,
        #     'key_6': 6,
        #     ... 20 elements in total...
        #     'key_16': 16,
        #     'key_12': 12
        # }
    finally:
        # the example leaves the cluster as it found it
        my_cache.destroy()
