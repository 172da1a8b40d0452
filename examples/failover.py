"""Failover: keep working while the nodes of a cluster go down.

Needs three nodes on 127.0.0.1:10800..10802 and someone stopping them (the examples
runner kills them one by one). With a retry policy the client does the recovering: when a
node dies, the call that was using its connection is sent again to a node that is still
alive, so no error reaches this loop while a node is left. When no node is left,
ReconnectError is raised.

RetryAllPolicy sends writes again too: a put is safe to repeat. Without a retry policy (the
default, RetryNonePolicy) the call that was using the dead connection raises its OSError,
and the caller decides what to repeat.
"""
from pyignite import Client
from pyignite.datatypes.cache_config import CacheMode, WriteSynchronizationMode
from pyignite.datatypes.prop_codes import (
    PROP_BACKUPS_NUMBER, PROP_CACHE_MODE, PROP_NAME, PROP_WRITE_SYNCHRONIZATION_MODE,
)
from pyignite.exceptions import ReconnectError
from pyignite.retry import RetryAllPolicy

nodes = [
    ('127.0.0.1', 10800),
    ('127.0.0.1', 10801),
    ('127.0.0.1', 10802),
]


def main():
    client = Client(timeout=4.0, retry_policy=RetryAllPolicy())
    with client.connect(nodes):
        print('Connected')

        my_cache = client.get_or_create_cache({
            PROP_NAME: 'my_cache',
            PROP_CACHE_MODE: CacheMode.PARTITIONED,
            # every node holds a copy, and a put returns once every copy has it
            PROP_BACKUPS_NUMBER: 2,
            PROP_WRITE_SYNCHRONIZATION_MODE: WriteSynchronizationMode.FULL_SYNC,
        })
        my_cache.put('test_key', 0)
        test_value = 0
        try:
            # abstract main loop: no error handling needed while a node is left
            while True:
                test_value = my_cache.get('test_key') + 1
                my_cache.put('test_key', test_value)
        except ReconnectError as e:
            # every node is down: nothing left to reconnect to
            print(f'Last value: {test_value}')
            print(f'ReconnectError: {e}')


if __name__ == '__main__':
    main()
