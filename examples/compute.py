"""Running code on the cluster: a compute task, a service, an entry processor and a scan
filter, all Java classes deployed on the server nodes (here, the classes of the test jar
that tools/java builds: see docs/compute.rst for what a server needs).
"""
import asyncio
from collections import OrderedDict

from pyignite import AioClient, Client, GenericObjectMeta
from pyignite.datatypes import IntObject, String
from pyignite.exceptions import ComputeError

JAVA = 'org.pyignite.tests.'


# Java objects the server runs are named by complex object classes of their type name;
# the fields are the Java class's
class IncrementProcessor(metaclass=GenericObjectMeta, type_name=JAVA + 'IncrementProcessor',
                         schema=OrderedDict([('field', String)])):
    pass


class KeyModuloPredicate(metaclass=GenericObjectMeta, type_name=JAVA + 'KeyModuloPredicate',
                         schema=OrderedDict([('modulus', IntObject)])):
    pass


def sync_example():
    client = Client()
    with client.connect('127.0.0.1', 10800):
        # compute: a task by its class name, with an argument; the result comes back
        compute = client.compute()
        print('Echo:', compute.execute(JAVA + 'EchoTask', 'hello'))
        point = compute.execute(JAVA + 'PointTask', 3)
        print('Point:', point.x, point.y, point.label)
        try:
            compute.execute(JAVA + 'FailingTask', 'on purpose')
        except ComputeError as e:
            print('Failed:', e)
        future = compute.submit(JAVA + 'SleepTask', '60000:example')
        print('Cancelled:', future.cancel())

        # a service deployed on the nodes: its methods are the proxy's
        counter = client.services().service_proxy('pyignite_counter')
        base = counter.get()
        print('Counter grew by:', counter.add(5) - base)
        print('Twice 21:', counter.twice((21, IntObject)))  # the method takes a Java int
        print('Greeting:', counter.greet('Python'))

        cache = client.get_or_create_cache('compute_example')
        # an entry processor: runs where the entry lives, atomically
        cache.put('visits', 41)
        print('Old value:', cache.invoke('visits', IncrementProcessor(), 1))
        print('New value:', cache.get('visits'))

        # a scan filter: only the entries it passes travel
        cache.put_all({k: 'v{}'.format(k) for k in range(10)})
        with cache.scan(filter=KeyModuloPredicate(modulus=4)) as cursor:
            print('Filtered:', sorted(k for k, _ in cursor))
        cache.destroy()


async def async_example():
    client = AioClient()
    async with client.connect('127.0.0.1', 10800):
        compute = client.compute()
        results = await asyncio.gather(*(compute.execute(JAVA + 'EchoTask', i)
                                         for i in range(5)))
        print('Async results:', results)
        counter = client.services().service_proxy('pyignite_counter')
        print('Async greeting:', await counter.greet('asyncio'))


if __name__ == '__main__':
    sync_example()
    asyncio.run(async_example())
