"""Turn the numbers of a run into tables: plain text, Markdown, reST and the README summary."""
import re
import statistics
from pathlib import Path
from typing import List, Optional

import spec

README_BEGIN = '<!-- bench:begin -->'
README_END = '<!-- bench:end -->'

METHOD = [
    'Each client runs in its own process: ours from this repository, the reference '
    '(pyignite 0.6.1 from PyPI, with its C extension) from its own virtualenv '
    '``bench/.venv-ref``, and the floor on raw sockets. All three run the same workloads '
    'on the same data against the same node(s), started once for the run.',
    'The floor is the least any Python client can do: end to end, a minimal loop that sends '
    'request frames encoded before the clock starts and reads the replies without decoding '
    'them (one request in flight for sync work; the 1,000 requests of the async workload '
    'pipelined on one connection); for the codec rows, a minimal plain-Python codec that '
    'knows only the wire format (struct, the common types inline and a type-code table for '
    'the rest, no classes, no checks).',
    'Every workload is checked once against the stored data in each client and run once to '
    'warm up (the server JIT too). It is then measured in several rounds. In a round each '
    'client runs until its measurement has lasted a minimum time, in slices of about a '
    'quarter of it, the clients taking turns slice by slice in a rotating order: a burst of '
    'other work on the machine then lands on all of them alike rather than on one whole '
    'measurement.',
    'Times are per unit (one operation, entry or row) and are medians over the rounds. '
    '"x faster" is the median over rounds of reference time / our time in the same round; '
    '"floor x faster" is the same for the floor, i.e. the best ratio any client could show; '
    '"ours vs floor" is how much slower than the floor ours is (same pairing). Client CPU is the '
    'worker process\'s CPU time (``time.process_time``) per unit: the server shares the '
    'cores, so it shows the client\'s own cost apart from the server\'s; "x less CPU" is the '
    'paired ratio of reference to our client CPU.',
    'With one small request in flight, most of the time is the server\'s and the kernel\'s '
    '(the floor\'s client CPU is nearly all system calls): "floor x faster" is the most any '
    'client could gain over the reference there, and the client CPU columns show what each '
    'client itself costs.',
]


# --- numbers ---------------------------------------------------------------------------------

def _paired(a: List[dict], b: List[dict], key: str = 'wall_us') -> Optional[float]:
    n = min(len(a), len(b))
    if not n:
        return None
    return statistics.median(b[i][key] / a[i][key] for i in range(n))


def summarize(w: spec.Workload, entry: dict) -> dict:
    """Medians, the speedup over the reference, the gap to the floor and the verdict."""
    key = 'cpu_us' if w.metric == 'cpu' else 'wall_us'
    out = {'clients': {}}
    for client, slot in entry['clients'].items():
        rounds = slot.get('rounds') or []
        if slot.get('status') or not rounds:
            out['clients'][client] = {'status': slot.get('status', 'n/a'),
                                      'reason': slot.get('reason', 'no measurement')}
            continue
        times = [r[key] for r in rounds]
        out['clients'][client] = {
            'time': statistics.median(times), 'cpu': statistics.median(
                r['cpu_us'] for r in rounds),
            'spread': (max(times) - min(times)) / statistics.median(times)}
    ours = entry['clients'].get('ours', {}).get('rounds') or []
    ref = entry['clients'].get('ref', {}).get('rounds') or []
    floor = entry['clients'].get('floor', {}).get('rounds') or []
    ok = lambda c: not entry['clients'].get(c, {}).get('status')  # noqa: E731
    out['speedup'] = _paired(ours, ref, key) if ok('ours') and ok('ref') else None
    gap = _paired(floor, ours, key) if ok('ours') and ok('floor') else None
    out['floor_gap'] = gap - 1 if gap is not None else None
    # the best speedup any client could show here: reference time / floor time
    out['ceiling'] = _paired(floor, ref, key) if ok('ref') and ok('floor') else None
    out['cpu_speedup'] = _paired(ours, ref, 'cpu_us') if ok('ours') and ok('ref') else None
    met = None
    if w.target is not None and out['speedup'] is not None:
        met = out['speedup'] >= w.target
        if w.floor_within is not None and out['floor_gap'] is not None:
            met = met and out['floor_gap'] <= w.floor_within
    out['met'] = met
    return out


def meets_targets(w: spec.Workload, entry: dict) -> bool:
    """False only when a target exists and the run shows it missed."""
    return summarize(w, entry)['met'] is not False


def us(x: Optional[float]) -> str:
    if x is None:
        return '-'
    if x >= 100:
        return f'{x:,.0f}'
    if x >= 10:
        return f'{x:.1f}'
    if x >= 1:
        return f'{x:.2f}'
    return f'{x:.3f}'


def _times(x: Optional[float]) -> str:
    if x is None:
        return '-'
    return f'{x:.1f}x' if x >= 10 else f'{x:.2f}x'


def _target(w: spec.Workload) -> str:
    if w.target is None:
        return '-'
    text = f'{w.target:g}x'
    if w.floor_within is not None:
        text += f', floor +{w.floor_within:.0%}'
    return text


def _verdict(s: dict) -> str:
    if s['met'] is None:
        return ''
    return 'yes' if s['met'] else 'NO'


CODEC_HEADER = ['codec (no server), client CPU', 'ours', 'reference', 'x faster', 'target',
                'met', 'minimal codec', 'ours vs minimal']
E2E_HEADER = ['end to end, wall time', 'ours', 'reference', 'x faster', 'target', 'met',
              'floor', 'floor x faster', 'ours vs floor', 'CPU: ours', 'CPU: reference',
              'CPU: floor', 'x less CPU']


def tables(data: dict) -> List[List[List[str]]]:
    """The codec table and the end-to-end table (header row first), for what ran."""
    codec, e2e = [CODEC_HEADER], [E2E_HEADER]
    for w in spec.WORKLOADS:
        entry = data['results'].get(w.name)
        if entry is None:
            continue
        s = summarize(w, entry)
        c = s['clients']

        def cell(client, key='time'):
            v = c.get(client, {})
            return us(v[key]) if key in v else v.get('status', '-')
        gap = '-' if s['floor_gap'] is None else f'{s["floor_gap"]:+.0%}'
        first = [f'{w.title} [µs/{w.unit}]', cell('ours'), cell('ref'), _times(s['speedup']),
                 _target(w), _verdict(s), cell('floor')]
        if w.phase == 'codec':
            codec.append(first + [gap])
        else:
            e2e.append(first + [_times(s['ceiling']), gap, cell('ours', 'cpu'),
                                cell('ref', 'cpu'), cell('floor', 'cpu'),
                                _times(s['cpu_speedup'])])
    return [t for t in (codec, e2e) if len(t) > 1]


def notes(data: dict) -> List[str]:
    out = []
    for w in spec.WORKLOADS:
        entry = data['results'].get(w.name)
        if entry is None:
            continue
        for client, slot in entry['clients'].items():
            if slot.get('status'):
                out.append(f'{w.name}, {client}: {slot["status"]} ({slot.get("reason")})')
            elif slot.get('info'):
                info = ', '.join(f'{k} {v}' for k, v in slot['info'].items())
                out.append(f'{w.name}, {client}: {info}')
    return out


def profiles(data: dict) -> List[dict]:
    """The profiles of ours taken on workloads that met their targets (``--profile all``)."""
    missed = {m['workload'] for m in misses(data)}
    return [{'workload': w.name, 'title': w.title, 'profile': data['results'][w.name]['profile'],
             'iters': data['results'][w.name].get('profile_iters')}
            for w in spec.WORKLOADS
            if w.name in data['results'] and data['results'][w.name].get('profile')
            and w.name not in missed]


def misses(data: dict) -> List[dict]:
    """Targets missed: by how much, and the profile of ours when there is one."""
    out = []
    for w in spec.WORKLOADS:
        entry = data['results'].get(w.name)
        if entry is None or w.target is None:
            continue
        s = summarize(w, entry)
        if s['met'] is not False:
            continue
        parts = []
        if s['speedup'] is not None and s['speedup'] < w.target:
            parts.append(f'{_times(s["speedup"])} the reference against {w.target:g}x '
                         f'({1 - s["speedup"] / w.target:.0%} short)')
            if s['ceiling'] is not None and s['ceiling'] < w.target:
                parts.append(f'the floor itself is only {_times(s["ceiling"])} the reference '
                             'here, so no Python client can reach the target on this machine')
        if w.floor_within is not None and s['floor_gap'] is not None \
                and s['floor_gap'] > w.floor_within:
            parts.append(f'{s["floor_gap"]:+.0%} over the floor against '
                         f'+{w.floor_within:.0%}')
        out.append({'workload': w.name, 'title': w.title, 'text': '; '.join(parts),
                    'profile': entry.get('profile'), 'iters': entry.get('profile_iters')})
    return out


def facts(data: dict) -> List[tuple]:
    m = data['machine']
    workers = data.get('workers', {})
    ours = workers.get('ours', {})
    ref = workers.get('ref', {})
    return [
        ('Command', data['command']),
        ('Date', f'{data["date"]} (run took {data["duration_s"]} s)'),
        ('Machine', f'{m["nproc"]} CPUs ({m["cpu"]}), {m["memory"]} RAM, {m["os"]}'),
        ('Python', f'ours {ours.get("python", "?")}, reference {ref.get("python", "?")}'),
        ('Clients', f'ours {ours.get("version", "?")} at git {data["git"]}; '
                    f'reference pyignite {ref.get("version", "?")}'),
        ('Server', f'Apache Ignite {data["ignite"]} on {m["java"]}; same machine'),
        ('Rounds', f'{data["rounds"]} measured rounds after a warm-up, each measurement '
                   f'at least {data["min_time_s"]} s ({data.get("min_time_codec_s", "?")} s '
                   'for the codec rows)'
                   + ('; quick mode (20,000-row scan and SQL)' if data['quick'] else '')),
        ('Network', 'private network namespace (loopback)' if data['isolated']
         else 'host loopback'),
        ('Load average', f'{data["load"][0]} at the start, {data["load"][1]} at the end '
                         '(1 minute; other work on the machine competes for the cores)'),
    ]


# --- renderings ------------------------------------------------------------------------------

def text_table(data: dict) -> str:
    out = ['']
    for table in tables(data):
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
        lines = ['  '.join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                           for i, cell in enumerate(r)) for r in table]
        lines.insert(1, '-' * len(lines[0]))
        out += lines + ['']
    for n in notes(data):
        out.append('note: ' + n)
    for m in misses(data):
        out.append(f'MISSED {m["workload"]}: {m["text"]}')
    return '\n'.join(out)


def _md_cell(text: str) -> str:
    return text.replace('|', '\\|')


def markdown_tables(data: dict) -> str:
    out = []
    for table in tables(data):
        out += ['| ' + ' | '.join(_md_cell(c) for c in table[0]) + ' |',
                '|' + '|'.join(['---'] + ['---:'] * (len(table[0]) - 1)) + '|']
        out += ['| ' + ' | '.join(_md_cell(c) for c in r) + ' |' for r in table[1:]]
        out.append('')
    return '\n'.join(out)


def markdown_page(data: dict) -> str:
    out = ['# Benchmark results', '']
    out += [f'- **{k}:** {v}' for k, v in facts(data)]
    out += ['', markdown_tables(data)]
    for n in notes(data):
        out.append(f'- {n}')
    for m in misses(data):
        out += ['', f'## Missed: {m["title"]}', '', m['text']]
        if m['profile']:
            out += ['', f'cProfile of ours ({m["iters"]} iterations, by own time):', '',
                    '```', m['profile'], '```']
    for p in profiles(data):
        out += ['', f'## Profile: {p["title"]}', '',
                f'cProfile of ours ({p["iters"]} iterations, by own time):', '',
                '```', p['profile'], '```']
    return '\n'.join(out) + '\n'


def _rst_escape(text: str) -> str:
    return re.sub(r'([*`|_\\])', r'\\\1', text)


def rst_tables(data: dict) -> List[str]:
    out = []
    for table in tables(data):
        out += ['.. list-table::', '   :header-rows: 1', '']
        for r in table:
            out.append('   * - ' + _rst_escape(r[0]))
            out += ['     - ' + _rst_escape(c) for c in r[1:]]
        out.append('')
    return out


def rst_page(data: dict) -> str:
    title = 'Benchmarks'
    out = [':orphan:', '', '=' * len(title), title, '=' * len(title), '',
           'How fast *pyignite* is next to the reference client, `pyignite 0.6.1`_ from PyPI, '
           'and next to the floor: what any Python client could reach on the same node. This '
           'page is written by the benchmark itself; run it again with ``make bench`` '
           '(``make bench QUICK=1`` for a short run), see ``bench/run.py``.', '',
           '.. _pyignite 0.6.1: https://pypi.org/project/pyignite/0.6.1/', '',
           'The run', '-------', '']
    for key, value in facts(data):
        out += [f'{key}', f'   {_rst_escape(value)}']
    out += ['', 'Results', '-------', '',
            'Times in microseconds per unit (the unit is in brackets); medians over the '
            'rounds. "met" says whether the targets of the issue are reached.', '']
    out += rst_tables(data)
    n = notes(data)
    if n:
        out += ['', 'Notes:', '']
        out += [f'* {_rst_escape(x)}' for x in n]
    out += ['', 'How it is measured', '------------------', '']
    for para in METHOD:
        out += [para, '']
    ms = misses(data)
    out += ['Targets missed', '--------------', '']
    if not ms:
        out += ['None in this run.', '']
    for m in ms:
        out += [f'**{_rst_escape(m["title"])}**: {_rst_escape(m["text"])}.', '']
        if m['profile']:
            out += [f'cProfile of ours ({m["iters"]} iterations), functions by own time:', '',
                    '.. code-block:: text', '']
            out += ['   ' + line for line in m['profile'].splitlines()]
            out.append('')
    return '\n'.join(out).rstrip() + '\n'


def readme_summary(data: dict) -> str:
    lines = [f'Measured with `{data["command"]}` on {data["machine"]["nproc"]} CPUs '
             f'({data["machine"]["cpu"]}), Apache Ignite {data["ignite"]} on the same machine, '
             f'{data["date"]}. Microseconds per unit; the reference is pyignite 0.6.1. '
             'Codec rows are client CPU time without a server, the others wall time end to '
             'end. Floor, client CPU and the method: '
             '[docs/benchmarks.rst](docs/benchmarks.rst).', '',
             '| workload | ours | reference | x faster | target | met |',
             '|---|---:|---:|---:|---:|:---:|']
    for table in tables(data):
        for r in table[1:]:
            lines.append('| ' + ' | '.join(_md_cell(c) for c in r[:6]) + ' |')
    return '\n'.join(lines)


def update_readme(path: Path, data: dict) -> bool:
    """Replace the text between the README's bench markers, if it has them."""
    text = path.read_text(encoding='utf-8')
    start, end = text.find(README_BEGIN), text.find(README_END)
    if start < 0 or end < start:
        return False
    new = (text[:start + len(README_BEGIN)] + '\n' + readme_summary(data) + '\n'
           + text[end:])
    path.write_text(new, encoding='utf-8')
    return True
