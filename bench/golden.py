"""Reply payloads the codec micro-benchmarks decode, identical for every client."""
import spec
import wire


def reply_body(payload: bytes) -> bytes:
    """A successful reply frame without its length prefix (what a transport hands on)."""
    return wire.reply_frame(payload)[4:]


def get_reply() -> bytes:
    """Payload of a get reply holding a small string."""
    return wire.v_str(spec.small_value(7))


def sql_page(rows: int) -> bytes:
    """Payload of an SQL-fields cursor page (OP 2005 reply) of ``rows`` 5-column rows."""
    parts = [wire.I32.pack(rows)]
    for i in range(rows):
        a, b, c, d, e = spec.sql_row(i)
        parts.append(wire.v_long(a) + wire.v_str(b) + wire.v_double(c) + wire.v_int(d)
                     + wire.v_str(e))
    parts.append(b'\x01')
    return b''.join(parts)


def scan_page(entries: int) -> bytes:
    """Payload of a scan cursor page (OP 2001 reply) of ``entries`` entries."""
    parts = [wire.I32.pack(entries)]
    for i in range(entries):
        parts.append(wire.v_long(i) + wire.v_str(spec.small_value(i)))
    parts.append(b'\x01')
    return b''.join(parts)
