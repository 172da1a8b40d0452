"""Helpers of the binary object tests."""
import uuid

from pyignite._codec import encoder as _encoder
from pyignite._protocol.opcodes import OP_CACHE_GET
from pyignite._protocol.request import cache_request


def unique(prefix: str) -> str:
    """A type name no other test uses (the node keeps every type it ever saw)."""
    return '{}_{}'.format(prefix, uuid.uuid4().hex[:12])


def raw_get(client, cache, key, key_hint=None) -> bytes:
    """The value bytes the server sends for ``cache.get(key)``, undecoded (through the
    client's ``_run``, so in either API mode)."""
    def op():
        req = cache_request(OP_CACHE_GET, cache)
        _encoder.write(req.buf, key, key_hint, client._session.binary)
        resp = yield req
        return bytes(resp.data[resp.pos:])
    return client._run(op())


def unwrap_raw(data: bytes) -> bytes:
    """The complex object inside a value that may be wrapped (type code 27)."""
    if data[0] == 0x1b:
        size = int.from_bytes(data[1:5], 'little', signed=True)
        offset = int.from_bytes(data[5 + size:9 + size], 'little', signed=True)
        inner = data[5:5 + size]
        length = int.from_bytes(inner[offset + 12:offset + 16], 'little', signed=True)
        return inner[offset:offset + length]
    length = int.from_bytes(data[12:16], 'little', signed=True)
    return data[:length]


def sql(client, query: str, args=None) -> list:
    """Run SQL and return every row."""
    with client.sql(query, query_args=args) as cursor:
        return list(cursor)
