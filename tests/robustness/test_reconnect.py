"""What callers see after a connection breaks, and what the log says about a node that
stays down."""
import logging
import socket
import threading

from pyignite import Client
from pyignite.monitoring import ConnectionEventListener

THREADS = 8
CALLS = 300
#: the connection is dropped after these many calls of thread 0
BREAKS = (20, 80, 140, 200, 260)


def test_calls_after_a_break_reconnect_instead_of_failing(proxy, made_cache):
    """The node drops the connection five times under eight busy threads: each time a
    thread may lose the call it had in flight, and every call after that reconnects."""
    client = Client(partition_aware=False)
    with client.connect(proxy.host, proxy.port):
        cache = client.get_cache(made_cache)
        cache.put('k', 'v')
        failures = [[] for _ in range(THREADS)]
        results = [[] for _ in range(THREADS)]
        breaks = []

        def work(i: int) -> None:
            while len(results[i]) < CALLS:
                try:
                    results[i].append(cache.get('k'))
                except OSError as e:
                    failures[i].append((len(results[i]), e))
                done = len(results[i])
                if i == 0 and done in BREAKS and done not in breaks:
                    breaks.append(done)
                    proxy.tamper_next(lambda body: (b'', True))  # swallow a reply, hang up

        threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert breaks == list(BREAKS)
        assert proxy.connections >= 1 + len(BREAKS)  # it did reconnect
        for i in range(THREADS):
            assert results[i] == ['v'] * CALLS
            # at most the call in flight when the connection went away fails
            assert len(failures[i]) <= len(BREAKS), failures[i]
            assert len({done for done, _ in failures[i]}) == len(failures[i])
            for _, error in failures[i]:
                assert isinstance(error, ConnectionError), repr(error)
        assert sum(len(f) for f in failures) >= 1


class _Recorder(ConnectionEventListener):
    def __init__(self):
        self.fails = []

    def on_handshake_fail(self, event):
        self.fails.append(event)


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_a_node_that_stays_down_is_logged_loudly_once(ignite_node, caplog):
    """Each failed attempt still reaches the monitoring listeners, but only the first one
    per node is logged above DEBUG; reaching the node again resets that."""
    dead = _dead_port()
    recorder = _Recorder()
    client = Client(partition_aware=False, event_listeners=[recorder])
    caplog.set_level(logging.DEBUG, logger='pyignite')
    for _ in range(5):
        client.connect([('127.0.0.1', dead), (ignite_node.host, ignite_node.port)])
        client.close()
    about_dead = [r for r in caplog.records
                  if r.name == 'pyignite.connection' and str(dead) in r.getMessage()
                  and 'Failed to perform handshake' in r.getMessage()]
    assert len(about_dead) == 5
    assert [r.levelno > logging.DEBUG for r in about_dead] == [True] + [False] * 4
    assert [e.port for e in recorder.fails] == [dead] * 5
