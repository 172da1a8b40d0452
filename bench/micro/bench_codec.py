"""Complex object encode/decode speed, no server: ``python3 bench/micro/bench_codec.py``.

A 10-field object (int, long, double, bool, 3 strings, UUID, Decimal, Date), timed with
timeit on process CPU time (so other load on the machine barely skews it); prints objects
per second for the compact and the full footer.
"""
import sys
import time
import timeit
from collections import OrderedDict
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pyignite import GenericObjectMeta  # noqa: E402
from pyignite._codec import decoder as _decoder, encoder as _encoder  # noqa: E402
from pyignite._codec.registry import BinaryRegistry  # noqa: E402
from pyignite.datatypes import (  # noqa: E402
    BoolObject, DateObject, DecimalObject, DoubleObject, IntObject, LongObject, String, UUIDObject,
)


class Order(metaclass=GenericObjectMeta, schema=OrderedDict([
    ('id', IntObject), ('amount_cents', LongObject), ('rate', DoubleObject),
    ('paid', BoolObject), ('customer', String), ('city', String), ('note', String),
    ('uid', UUIDObject), ('price', DecimalObject), ('created', DateObject),
])):
    pass


def main(rounds: int = 5, number: int = 20000) -> None:
    value = Order(42, 1234567890123, 0.175, True, 'Ivan Ivanov', 'Saint Petersburg',
                  'leave at the door', UUID('123e4567-e89b-12d3-a456-426614174000'),
                  Decimal('1234.56'), datetime(2024, 5, 17, 10, 30))
    write, read = _encoder.write, _decoder.read
    for compact in (True, False):
        registry = BinaryRegistry(compact)
        registry.class_registered(Order)
        buf = bytearray()
        write(buf, value, None, registry)
        data = bytes(buf)
        assert read(data, 0, registry)[0] == value

        def encode():
            write(bytearray(), value, None, registry)

        def decode():
            read(data, 0, registry)

        footer = 'compact' if compact else 'full'
        for name, func in (('encode', encode), ('decode', decode)):
            best = min(timeit.repeat(func, number=number, repeat=rounds,
                                     timer=time.process_time)) / number
            print('{} ({} footer, {} bytes): {:,.0f} objects/s ({:.2f} us each)'.format(
                name, footer, len(data), 1 / best, best * 1e6))


if __name__ == '__main__':
    main()
