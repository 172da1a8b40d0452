"""The documentation builds without a warning and covers every public module and example."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / 'docs'
PUBLIC_MODULES = (
    'pyignite.client', 'pyignite.aio_client', 'pyignite.cache', 'pyignite.aio_cache',
    'pyignite.cluster', 'pyignite.aio_cluster', 'pyignite.cluster_group', 'pyignite.transaction',
    'pyignite.cursors', 'pyignite.continuous_query', 'pyignite.index_query', 'pyignite.compute',
    'pyignite.services',
    'pyignite.binary', 'pyignite.monitoring', 'pyignite.retry', 'pyignite.exceptions',
    'pyignite.datatypes',
    'pyignite.datatypes.prop_codes', 'pyignite.datatypes.cache_config',
    'pyignite.data_streamer', 'pyignite.atomic_long', 'pyignite.ignite_set',
    'pyignite.datatypes.structures',
    'pyignite.dbapi', 'pyignite.sqlalchemy',
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def html(tmp_path_factory):
    pytest.importorskip('sphinx', reason='pip install -r requirements/docs.txt')
    out = tmp_path_factory.mktemp('docs-html')
    proc = subprocess.run(
        [sys.executable, '-m', 'sphinx', '-W', '--keep-going', '-E', '-q', '-b', 'html',
         '-d', str(out / '.doctrees'), str(DOCS), str(out)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, f'sphinx-build failed:\n{proc.stdout[-6000:]}'
    return out


def test_every_public_module_has_its_api_reference(html):
    pages = {p: p.read_text(encoding='utf-8') for p in (html / 'api').glob('*.html')}
    missing = [m for m in PUBLIC_MODULES
               if not any(f'id="module-{m}"' in text for text in pages.values())]
    assert not missing, f'no API reference in the HTML for: {missing}'
    client = (html / 'api' / 'client.html').read_text(encoding='utf-8')
    # the reference is generated from the docstrings, methods included
    assert 'id="pyignite.client.Client.get_or_create_cache"' in client


def test_every_example_is_shown_in_the_docs(html):
    shown = set()
    for rst in DOCS.rglob('*.rst'):
        shown.update(re.findall(r'^\.\. example:: +(\S+)', rst.read_text(encoding='utf-8'),
                                re.MULTILINE))
    examples = {p.name for p in (ROOT / 'examples').glob('*.py') if not p.name.startswith('_')}
    assert examples - shown == set(), 'examples the documentation does not show'
    page = re.sub(r'<[^>]+>', '', (html / 'examples.html').read_text(encoding='utf-8'))
    assert "my_cache = client.create_cache('my cache')" in page
