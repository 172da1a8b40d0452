"""Page decoding speed on canned bytes (no server): ``python3 bench/micro/bench_page_decode.py``.

Prints values per second (best of 7 runs of 50 decodes, process CPU time) for a 1,000-row x
5-column SQL-fields page (BIGINT, VARCHAR, DOUBLE, INT, VARCHAR) and a 1,000-entry scan page
(int key, short string value).
"""
import struct
import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pyignite._ops.query import fields_page_reader, read_entry_page  # noqa: E402
from pyignite._codec.registry import BinaryRegistry  # noqa: E402

ROWS = 1000


def _string(s: str) -> bytes:
    data = s.encode()
    return b'\x09' + struct.pack('<i', len(data)) + data


def sql_page() -> bytes:
    body = bytearray(struct.pack('<i', ROWS))
    for i in range(ROWS):
        body += b'\x04' + struct.pack('<q', 10_000_000_000 + i)
        body += _string('name number %d' % i)
        body += b'\x06' + struct.pack('<d', i * 0.25)
        body += b'\x03' + struct.pack('<i', i * 7)
        body += _string('city-%d' % (i % 97))
    body.append(1)
    return bytes(body)


def scan_page() -> bytes:
    body = bytearray(struct.pack('<i', ROWS))
    for i in range(ROWS):
        body += b'\x03' + struct.pack('<i', i)
        body += _string('v%d' % i)
    body.append(0)
    return bytes(body)


def measure(name: str, reader, data: bytes, values: int) -> float:
    ctx = BinaryRegistry()
    (rows, _), end = reader(data, 0, ctx)
    assert end == len(data) and len(rows) == ROWS
    # CPU time of this process: on a shared, busy machine wall time mostly measures the
    # other processes
    timer = timeit.Timer(lambda: reader(data, 0, ctx), timer=time.process_time)
    number = 50
    best = min(timer.repeat(repeat=7, number=number)) / number
    rate = values / best
    print('{:<44} {:8.1f} us/page {:12,.0f} values/s'.format(name, best * 1e6, rate))
    return rate


def main() -> None:
    print('Python', sys.version.split()[0])
    measure('SQL page, 1000 rows x 5 columns', fields_page_reader(5), sql_page(), ROWS * 5)
    measure('scan page, 1000 entries (int, short str)', read_entry_page, scan_page(),
            ROWS * 2)


if __name__ == '__main__':
    main()
