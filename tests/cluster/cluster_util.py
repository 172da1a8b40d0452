"""Helpers of the cluster tests (imported by their conftest and test modules)."""
import threading
import uuid

from pyignite._ops import key_value as kv
from pyignite.datatypes.cache_config import CacheAtomicityMode
from pyignite.datatypes.prop_codes import PROP_CACHE_ATOMICITY_MODE, PROP_NAME
from pyignite.monitoring import QueryEventListener

# Ports no layout of tools/ignite_server.py uses (`ignite_server.py layouts`).
OWN_CLIENT_PORT = 10840
OWN_DISCOVERY_PORT = 47840
OWN_COMMUNICATION_PORT = 47440


def unique(prefix: str) -> str:
    return '{}-{}'.format(prefix, uuid.uuid4().hex[:12])


class Recorder(QueryEventListener):
    """Keeps the query events of a client."""

    def __init__(self):
        self.started = []
        self.succeeded = []
        self.failed = []
        self._lock = threading.Lock()

    def on_query_start(self, event):
        with self._lock:
            self.started.append(event)

    def on_query_success(self, event):
        with self._lock:
            self.succeeded.append(event)

    def on_query_fail(self, event):
        with self._lock:
            self.failed.append(event)

    def clear(self):
        with self._lock:
            self.started.clear()
            self.succeeded.clear()
            self.failed.clear()

    def nodes_of(self, op_name: str) -> list:
        """Node ids (str) the requests of ``op_name`` went to, in order."""
        with self._lock:
            return [e.node_uuid for e in self.started if e.op_name == op_name]


def pinned(call, conn):
    """A one-request operation (a ``Call``) sent to ``conn``, whatever routing would say."""
    call.req.conn = conn
    return call


def peek(client, cache, conn, key, hint=None):
    """What the node behind ``conn`` holds of ``key`` itself (OP_CACHE_LOCAL_PEEK)."""
    return client._run(pinned(kv.local_peek(client._session, cache, key, hint), conn))


def connection_of(client, node_uuid):
    """The client's connection to a node id (a UUID or its str)."""
    for conn in client._session.nodes:
        if conn.uuid is not None and str(conn.uuid) == str(node_uuid):
            return conn
    raise LookupError('no connection to node {}'.format(node_uuid))


def create_tx_cache(client, name=None):
    """A TRANSACTIONAL cache (the server refuses atomic caches inside transactions)."""
    return client.create_cache({
        PROP_NAME: name or unique('tx'),
        PROP_CACHE_ATOMICITY_MODE: CacheAtomicityMode.TRANSACTIONAL,
    })


def restore(cluster, nodes=(0, 1, 2)):
    """Start whichever of ``nodes`` is not running."""
    for idx in nodes:
        if not cluster.is_running(idx):
            cluster.start_node(idx)
