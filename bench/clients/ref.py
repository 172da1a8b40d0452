"""The workloads run with the reference client, pyignite 0.6.1 from PyPI.

This module runs only in the interpreter of ``bench/.venv-ref``; the name ``pyignite`` there
is the reference package. The codec micro-benchmarks call the same internal entry points its
``Cache`` methods call before and after the socket (read from its installed source).
"""
import pyignite
from pyignite import Client

import golden
import spec
import wire
from clients import api
from clients._common import WrongResult, expect, registry, workload

NAME = 'ref'
VERSION = getattr(pyignite, '__version__', '?')
WORKLOADS = registry()
close = api.close


# --- codec micro-benchmarks (no server) -----------------------------------------------------

def _protocol_context():
    from pyignite.connection.protocol_context import ProtocolContext
    return ProtocolContext((1, 7, 0))


@workload(WORKLOADS, 'codec_encode_put')
def codec_encode_put(units, env):
    from pyignite.datatypes import AnyDataObject
    from pyignite.queries import Query
    from pyignite.queries.cache_info import CacheInfo
    from pyignite.queries.op_codes import OP_CACHE_PUT
    from pyignite.stream import BinaryStream
    client = Client()
    cache_info = CacheInfo(cache_id=wire.cache_id(spec.KV_CACHE),
                           protocol_context=_protocol_context())
    key, value = 12345, spec.small_value(12345)

    # what Cache.put does before Connection.request
    def step():
        key_hint = AnyDataObject.map_python_type(key)
        query = Query(OP_CACHE_PUT, [('cache_info', CacheInfo), ('key', key_hint),
                                     ('value', AnyDataObject)])
        with BinaryStream(client) as stream:
            query.from_python(stream, {'cache_info': cache_info, 'key': key, 'value': value})
            return stream.getvalue()
    want = wire.frame(wire.OP_CACHE_PUT, wire.cache_prefix(spec.KV_CACHE) + wire.v_long(key)
                      + wire.v_str(value))
    got = step()
    # the request id is a global counter: compare around it
    expect('put request frame', got[:6] + got[14:], want[:6] + want[14:])
    return step


def _decode_step(following, post):
    """Parse a reply with the reference's Response class, as Query.perform does."""
    from pyignite.queries.response import Response
    from pyignite.stream import READ_BACKWARD, BinaryStream
    client = Client()
    context = _protocol_context()

    def run(frame):
        response = Response(following=following, protocol_context=context)
        with BinaryStream(client, frame) as stream:
            ctype = response.parse(stream)
            obj = stream.read_ctype(ctype, direction=READ_BACKWARD)
        return post(response.to_python(obj))
    return run


@workload(WORKLOADS, 'codec_decode_get')
def codec_decode_get(units, env):
    from pyignite.datatypes import AnyDataObject
    frame = wire.reply_frame(golden.get_reply())
    run = _decode_step([('value', AnyDataObject)], lambda value: value['value'])
    expect('decoded get reply', run(frame), spec.small_value(7))
    return lambda: run(frame)


@workload(WORKLOADS, 'codec_sql_page')
def codec_sql_page(units, env):
    from pyignite.datatypes import AnyDataObject, Bool, StructArray
    frame = wire.reply_frame(golden.sql_page(units))
    following = [('data', StructArray([(f'field_{i}', AnyDataObject) for i in range(5)])),
                 ('more', Bool)]

    # the page reply of sql_fields_cursor_get_page and its post-processing into row lists
    def post(value):
        return [list(row.values()) for row in value['data']]
    run = _decode_step(following, post)
    expect('decoded SQL page', run(frame), [spec.sql_row(i) for i in range(units)])
    return lambda: run(frame)


@workload(WORKLOADS, 'codec_scan_page')
def codec_scan_page(units, env):
    from pyignite.datatypes import Bool, Map
    frame = wire.reply_frame(golden.scan_page(units))
    run = _decode_step([('data', Map), ('more', Bool)], lambda value: dict(value)['data'])
    expect('decoded scan page', sorted(run(frame).items()),
           [(i, spec.small_value(i)) for i in range(units)])
    return lambda: run(frame)


def _offline_client(cls) -> Client:
    """An unconnected client whose registry already holds ``cls`` (no server lookups)."""
    client = Client(compact_footer=True)
    client._registry[cls.type_id][cls.schema_id] = cls
    return client


@workload(WORKLOADS, 'codec_complex_encode')
def codec_complex_encode(units, env):
    from pyignite.datatypes.complex import BinaryObject
    from pyignite.stream import BinaryStream
    cls = api.complex_class(spec.COMPLEX_TYPE[NAME])
    client = _offline_client(cls)
    obj = api.complex_object(cls, 42)

    def step():
        with BinaryStream(client) as stream:
            BinaryObject.from_python(stream, obj)
            return stream.getvalue()
    data = step()
    if data[0] != 0x67 or getattr(obj, '_buffer', None):
        raise WrongResult('unexpected serialization (type code or cached buffer)')
    return step


@workload(WORKLOADS, 'codec_complex_decode')
def codec_complex_decode(units, env):
    from pyignite.datatypes.complex import BinaryObject
    from pyignite.stream import READ_BACKWARD, BinaryStream
    cls = api.complex_class(spec.COMPLEX_TYPE[NAME])
    client = _offline_client(cls)
    with BinaryStream(client) as stream:
        BinaryObject.from_python(stream, api.complex_object(cls, 42))
        data = stream.getvalue()

    def step():
        with BinaryStream(client, data) as stream:
            ctype = BinaryObject.parse(stream)
            obj = stream.read_ctype(ctype, direction=READ_BACKWARD)
        return BinaryObject.to_python(obj, client=client)
    api.same_object('decoded complex object', step(), 42)
    return step


for _name, _factory in api.WORKLOADS.items():
    WORKLOADS.setdefault(_name, _factory)
