"""SQLAlchemy's third-party dialect test suite (``sqlalchemy.testing.suite``) on the
ignite dialect, against the test node.

The suite brings its own pytest plugin, which takes over the whole session, so it runs in a
pytest process of its own from ``tests/sqlalchemy/suite`` (``requirements.py`` there closes
what Ignite lacks, ``suite_sqla.py`` lists the single tests left out and why).
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parent / 'suite'
ROOT = SUITE.parents[2]

pytestmark = pytest.mark.slow


def test_sqlalchemy_dialect_suite(ignite_node):
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join([str(ROOT)] + [p for p in [env.get('PYTHONPATH')] if p])
    proc = subprocess.run(
        [sys.executable, '-m', 'pytest', '-c', 'setup.cfg', '--rootdir', '.', '-q',
         '--dburi', 'ignite://{}:{}/PUBLIC'.format(ignite_node.host, ignite_node.port),
         'suite_sqla.py'],
        cwd=SUITE, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=1200)
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ''
    print(summary)
    assert proc.returncode == 0, proc.stdout[-8000:]
    passed = int(re.search(r'(\d+) passed', summary).group(1))
    assert passed >= 300, summary  # the suite ran, not only its skips
