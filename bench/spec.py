"""What every benchmark does: names, data shapes, sizes, units and the targets of the issue.

Imported by the runner and by the worker of each client (ours, the reference and the floor),
so the three always run the same workload on the same data. Standard library only.
"""
from collections import OrderedDict
from typing import Dict, List, NamedTuple, Optional

# --- data ------------------------------------------------------------------------------------

KV_CACHE = 'bench_kv'
SCAN_CACHE = 'bench_scan'
PA_CACHE = 'bench_pa'
SQL_TABLE = 'BENCH_SQL'
SQL_QUERY = f'SELECT id, name, score, qty, note FROM {SQL_TABLE}'
SQL_CREATE = (f'CREATE TABLE {SQL_TABLE} (id BIGINT PRIMARY KEY, name VARCHAR, score DOUBLE, '
              f'qty INT, note VARCHAR) WITH "template=partitioned,backups=0"')
PAGE_SIZE = 1024
BATCH = 1000
KV_KEYS = 10_000          # keys 0..KV_KEYS-1 hold small values before any workload runs
PUT_ALL_BASE = 100_000    # put_all writes keys from here on
PA_KEYS = 3_000

# complex objects: each client has its own type (same shape) and cache, so a bug in one
# client's metadata can never break the other's run
COMPLEX_FIELDS = OrderedDict([
    ('id', 'long'), ('name', 'string'), ('price', 'double'), ('qty', 'int'),
    ('active', 'bool'), ('code', 'string'), ('weight', 'double'), ('count', 'long'),
    ('tag', 'string'), ('rank', 'int'),
])
COMPLEX_TYPE = {'ours': 'BenchComplexOurs', 'ref': 'BenchComplexRefr',
                'floor': 'BenchComplexFlor'}
COMPLEX_CACHE = {'ours': 'bench_complex_ours', 'ref': 'bench_complex_ref',
                 'floor': 'bench_complex_floor'}
COMPLEX_KEYS = 1_000


def small_value(i: int) -> str:
    """The small value stored under key ``i``."""
    return 'value-%06d' % i


def sql_row(i: int) -> list:
    """Row ``i`` of the SQL table: BIGINT, VARCHAR, DOUBLE, INT, VARCHAR."""
    return [i, 'name-%06d' % i, i * 0.25, i % 1000, 'note for row %d' % i]


def complex_values(i: int) -> Dict[str, object]:
    return {'id': i, 'name': 'item-%06d' % i, 'price': i * 1.5, 'qty': i % 100,
            'active': i % 2 == 0, 'code': 'C%05d' % i, 'weight': 0.5 + i, 'count': i * 7,
            'tag': 'tag-%d' % (i % 10), 'rank': i % 17}


# --- workloads -------------------------------------------------------------------------------

class Workload(NamedTuple):
    name: str
    phase: str                 # 'codec' (no server), 'single' (one node), 'cluster' (3 nodes)
    title: str
    unit: str                  # what one measured unit is
    units_per_iter: int        # units one iteration does (full mode)
    iters: int                 # iterations per measurement (full mode)
    target: Optional[float]    # required speedup over the reference (x times faster)
    floor_within: Optional[float] = None  # required closeness to the floor, e.g. 0.15
    quick_units: Optional[int] = None     # units per iteration in quick mode
    quick_iters: Optional[int] = None
    # what is compared: 'wall' (perf_counter) end to end, 'cpu' (process_time) for the codec
    # rows, which do no I/O and so only lose accuracy to other processes on the machine
    metric: str = 'wall'


WORKLOADS: List[Workload] = [
    # codec micro-benchmarks: no server, the exact work a client does on bytes and values
    Workload('codec_encode_put', 'codec', 'encode a put request (int key, short str)',
             'op', 1, 10_000, 10.0, quick_iters=3_000, metric='cpu'),
    Workload('codec_decode_get', 'codec', 'decode a get reply (short str)',
             'op', 1, 10_000, 10.0, quick_iters=3_000, metric='cpu'),
    Workload('codec_sql_page', 'codec', 'decode a 1,000-row SQL page (5 columns)',
             'row', BATCH, 8, 20.0, quick_iters=3, metric='cpu'),
    Workload('codec_scan_page', 'codec', 'decode a 1,000-entry scan page',
             'entry', BATCH, 10, 20.0, quick_iters=3, metric='cpu'),
    Workload('codec_complex_encode', 'codec', 'serialize a 10-field complex object',
             'op', 1, 5_000, 10.0, quick_iters=1_500, metric='cpu'),
    Workload('codec_complex_decode', 'codec', 'deserialize a 10-field complex object',
             'op', 1, 5_000, 10.0, quick_iters=1_500, metric='cpu'),
    # end to end, one node
    Workload('put', 'single', 'sync put, small value', 'op', 1, 3_000, 1.5, 0.15,
             quick_iters=1_000),
    Workload('get', 'single', 'sync get, small value', 'op', 1, 3_000, 1.5, 0.15,
             quick_iters=1_000),
    Workload('get_all', 'single', 'get_all of 1,000 keys', 'entry', BATCH, 20, 4.0,
             quick_iters=6),
    Workload('put_all', 'single', 'put_all of 1,000 entries', 'entry', BATCH, 20, 4.0,
             quick_iters=6),
    Workload('async_gather', 'single', 'async gather of 1,000 gets', 'op', BATCH, 10, 3.0,
             quick_iters=3),
    Workload('scan', 'single', 'scan of 100,000 entries (page 1,024)', 'entry', 100_000, 1,
             8.0, quick_units=20_000),
    Workload('sql', 'single', 'SQL SELECT of 100,000 rows x 5 columns (page 1,024)', 'row',
             100_000, 1, 8.0, quick_units=20_000),
    # the same query through pyignite.dbapi (fetchall), to set beside the row above: the
    # issue asks for DB-API within 30% of client.sql() iteration; the reference has no DB-API
    Workload('sql_dbapi', 'single', 'the same SELECT through pyignite.dbapi fetchall()', 'row',
             100_000, 1, None, quick_units=20_000),
    Workload('complex_put', 'single', 'put of a 10-field complex object', 'op', 1, 2_000,
             None, quick_iters=600),
    Workload('complex_get', 'single', 'get of a 10-field complex object', 'op', 1, 2_000,
             3.0, quick_iters=600),
    # end to end, three nodes
    Workload('pa_put', 'cluster', 'partition-aware put, 3 nodes', 'op', 1, 3_000, None,
             quick_iters=1_000),
    Workload('pa_get', 'cluster', 'partition-aware get, 3 nodes', 'op', 1, 3_000, None,
             quick_iters=1_000),
]

BY_NAME = {w.name: w for w in WORKLOADS}
PHASES = ('codec', 'single', 'cluster')


def sizes(workload: Workload, quick: bool) -> tuple:
    """``(units per iteration, iterations)`` for a run."""
    if not quick:
        return workload.units_per_iter, workload.iters
    return (workload.quick_units or workload.units_per_iter,
            workload.quick_iters or workload.iters)
