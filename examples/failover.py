"""Failover: keep working while the nodes of a cluster go down.

Needs three nodes on 127.0.0.1:10800..10802 and someone stopping them (the examples
runner kills them one by one). When a node dies, the call that was using its
connection raises the original OSError; the next calls reconnect to the next node of
the list by themselves. When no node is left, ReconnectError is raised.

The client here uses one connection at a time (partition_aware=False), so every node
stop shows as one error. With partition awareness (the default) it keeps a connection
to every node, and only the calls that were using a stopped node's connection fail.
"""
from pyignite import Client
from pyignite.datatypes.cache_config import CacheMode
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_CACHE_MODE, PROP_NAME
from pyignite.exceptions import ReconnectError, SocketError

nodes = [
    ('127.0.0.1', 10800),
    ('127.0.0.1', 10801),
    ('127.0.0.1', 10802),
]


def main():
    client = Client(timeout=4.0, partition_aware=False)
    with client.connect(nodes):
        print('Connected')

        my_cache = client.get_or_create_cache({
            PROP_NAME: 'my_cache',
            PROP_CACHE_MODE: CacheMode.PARTITIONED,
            PROP_BACKUPS_NUMBER: 2,
        })
        my_cache.put('test_key', 0)
        test_value = 0

        # abstract main loop
        while True:
            try:
                # do the work
                test_value = my_cache.get('test_key') or 0
                my_cache.put('test_key', test_value + 1)
            except (OSError, SocketError) as e:
                # recover from error (repeat last command, check data
                # consistency or just continue depends on the task)
                print(f'Error: {e}')
                print(f'Last value: {test_value}')
                print('Reconnecting')


if __name__ == '__main__':
    try:
        main()
    except ReconnectError as e:
        # every node is down: nothing left to reconnect to
        print(f'ReconnectError: {e}')
