"""Benchmark (not a test): reading 100,000 rows x 5 columns through ``pyignite.dbapi``
against iterating ``client.sql()`` on the same connection.

Run against a real node, e.g. ``tools/isolated python3 tools/ignite_server.py run --layout
single -- python3 bench/micro/bench_dbapi.py``. The two readers take turns, round by round;
the medians are printed, with DB-API's cost over ``client.sql()`` (the target: within 30%).
"""
import argparse
import statistics
import time

from pyignite import dbapi

QUERY = 'SELECT id, name, score, amount, note FROM bench_dbapi'


def _fill(cur, n: int) -> None:
    cur.execute('DROP TABLE IF EXISTS bench_dbapi')
    cur.execute('CREATE TABLE bench_dbapi (id INT PRIMARY KEY, name VARCHAR, score DOUBLE, '
                'amount BIGINT, note VARCHAR)')
    cur.executemany('INSERT INTO bench_dbapi (id, name, score, amount, note) '
                    'VALUES (?, ?, ?, ?, ?)',
                    [(i, 'name-%d' % i, i * 0.5, i * 1000, 'note') for i in range(n)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=10800)
    parser.add_argument('--rows', type=int, default=100_000)
    parser.add_argument('--rounds', type=int, default=7)
    args = parser.parse_args()
    conn = dbapi.connect(args.host, args.port, page_size=1024)
    client = conn.client
    cur = conn.cursor()
    _fill(cur, args.rows)

    def with_dbapi() -> int:
        cur.execute(QUERY)
        return len(cur.fetchall())

    def with_dbapi_iter() -> int:
        cur.execute(QUERY)
        return sum(1 for _ in cur)

    def with_sql() -> int:
        return sum(1 for _ in client.sql(QUERY, page_size=1024))

    readers = {'client.sql() iteration': with_sql, 'DB-API fetchall()': with_dbapi,
               'DB-API cursor iteration': with_dbapi_iter}
    times = {name: [] for name in readers}
    for name, read in readers.items():  # warm up, and check the row count
        assert read() == args.rows, name
    for r in range(args.rounds):
        order = list(readers)[r % 3:] + list(readers)[:r % 3]
        for name in order:
            start = time.perf_counter()
            readers[name]()
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times['client.sql() iteration'])
    print('{:,} rows x 5 columns, page 1,024, median of {} rounds'.format(args.rows, args.rounds))
    print('| reader | us/row | vs client.sql() |')
    print('|---|---:|---:|')
    for name, values in times.items():
        median = statistics.median(values)
        print('| {} | {:.2f} | {:+.0%} |'.format(name, median / args.rows * 1e6,
                                                 median / base - 1))
    cur.execute('DROP TABLE bench_dbapi')
    conn.close()


if __name__ == '__main__':
    main()
