"""The workloads run with this repository's client (imported from the repository)."""
import pyignite
from pyignite import Client
from pyignite._protocol.request import Frame

import golden
import spec
import wire
from clients import api
from clients._common import NotAvailable, WrongResult, expect, registry, workload

NAME = 'ours'
VERSION = getattr(pyignite, '__version__', '?')
WORKLOADS = registry()
close = api.close


# --- codec micro-benchmarks (no server) -----------------------------------------------------

class _EncodeOnly(Client):
    """A client whose driver takes the request an operation built and finishes its frame.

    So ``cache.put(...)`` runs the client's path of a put from the facade through the
    operation and the codecs to the frame. The driver's checks before sending
    (``Session.exchange``: a retry due, a type to register, a stale partition map) are
    left out, as the row has always left them out (before the session core, the stub
    replaced ``Client._call``, checks included); the end-to-end rows pay for them.
    """

    frame = None

    def _run(self, op):
        self.frame = op.req.finish(1)


@workload(WORKLOADS, 'codec_encode_put')
def codec_encode_put(units, env):
    client = _EncodeOnly()
    cache = client.get_cache(spec.KV_CACHE)
    key, value = 12345, spec.small_value(12345)
    cache.put(key, value)
    want = wire.frame(wire.OP_CACHE_PUT, wire.cache_prefix(spec.KV_CACHE) + wire.v_long(key)
                      + wire.v_str(value))
    expect('put request frame', bytes(client.frame), want)
    put = cache.put
    return lambda: put(key, value)


@workload(WORKLOADS, 'codec_decode_get')
def codec_decode_get(units, env):
    from pyignite._codec.decoder import read
    from pyignite._protocol.wire import parse_response_header
    ctx = Client()._session.binary
    body = golden.reply_body(golden.get_reply())

    def step():
        header = parse_response_header(body, True)
        return read(body, header.payload_pos, ctx)[0]
    expect('decoded get reply', step(), spec.small_value(7))
    return step


def _page_step(body, reader, ctx):
    from pyignite._protocol.wire import parse_response_header

    def step():
        header = parse_response_header(body, True)
        (rows, more), _ = reader(body, header.payload_pos, ctx)
        return rows
    return step


@workload(WORKLOADS, 'codec_sql_page')
def codec_sql_page(units, env):
    try:
        from pyignite._ops.query import fields_page_reader
    except ImportError as exc:
        raise NotAvailable(f'no SQL page reader ({exc})')
    ctx = Client()._session.binary
    step = _page_step(golden.reply_body(golden.sql_page(units)), fields_page_reader(5), ctx)
    expect('decoded SQL page', step(), [spec.sql_row(i) for i in range(units)])
    return step


@workload(WORKLOADS, 'codec_scan_page')
def codec_scan_page(units, env):
    try:
        from pyignite._ops.query import read_entry_page
    except ImportError as exc:
        raise NotAvailable(f'no scan page reader ({exc})')
    ctx = Client()._session.binary
    step = _page_step(golden.reply_body(golden.scan_page(units)), read_entry_page, ctx)
    expect('decoded scan page', [tuple(kv) for kv in step()],
           [(i, spec.small_value(i)) for i in range(units)])
    return step


def _offline_registry(cls):
    """The codec context of an unconnected client whose server already knows ``cls``
    (as after the first put of a connected one), and the encoder's ``write``."""
    from pyignite._codec.encoder import write
    ctx = Client(compact_footer=True)._session.binary
    ctx.class_registered(cls)
    return ctx, write


@workload(WORKLOADS, 'codec_complex_encode')
def codec_complex_encode(units, env):
    cls = api.complex_class(spec.COMPLEX_TYPE[NAME])
    ctx, write = _offline_registry(cls)
    obj = api.complex_object(cls, 42)

    def step():
        buf = Frame()  # a request's buffer, as in a put
        write(buf, obj, None, ctx)
        return buf
    data = step()
    if data[0] != 0x67 or data.pending:
        raise WrongResult(f'complex object encodes with type code {data[0]}, '
                          f'pending types {data.pending}')
    return step


@workload(WORKLOADS, 'codec_complex_decode')
def codec_complex_decode(units, env):
    from pyignite._codec.decoder import read
    cls = api.complex_class(spec.COMPLEX_TYPE[NAME])
    ctx, write = _offline_registry(cls)
    buf = bytearray()
    write(buf, api.complex_object(cls, 42), None, ctx)
    data = bytes(buf)

    def step():
        return read(data, 0, ctx)[0]
    api.same_object('decoded complex object', step(), 42)
    return step


for _name, _factory in api.WORKLOADS.items():
    WORKLOADS.setdefault(_name, _factory)
