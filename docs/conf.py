"""Sphinx configuration of the pyignite documentation.

Build: ``make -C docs html`` (warnings are errors) or
``sphinx-build -W --keep-going -b html docs docs/_build/html``.

Three small local additions keep the build green while parts of the project are still being
written, without hiding anything once they exist:

* an API page whose module cannot be imported yet gets a short note instead of its
  ``automodule`` block (the page and its place in the table of contents stay);
* ``.. example:: NAME.py`` includes ``examples/NAME.py`` like ``literalinclude`` (same
  options), or shows a note while that file does not exist;
* pages written by other tools (``OPTIONAL_PAGES``: the benchmark report) appear in the
  table of contents once they exist.
"""
import importlib
import os
import re
import sys
from pathlib import Path

from docutils import nodes
from sphinx.directives.code import LiteralInclude
from sphinx.util import logging

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
EXAMPLES = ROOT / 'examples'
sys.path.insert(0, str(ROOT))

logger = logging.getLogger(__name__)

project = 'pyignite'
author = 'the pyignite authors'
copyright = 'the pyignite authors, Apache License 2.0'
release = re.search(r"__version__ = '([^']+)'",
                    (ROOT / 'pyignite' / '__init__.py').read_text(encoding='utf-8')).group(1)
version = '.'.join(release.split('.')[:2])

extensions = ['sphinx.ext.autodoc']
root_doc = 'index'
exclude_patterns = ['_build', 'Thumbs.db', '.DS_Store']
templates_path = []

# API pages: members in source order, with their base classes; ``__init__`` parameters are
# documented in the class docstrings.
autodoc_default_options = {
    'members': True,
    'member-order': 'bysource',
    'show-inheritance': True,
}
autodoc_typehints = 'signature'
autoclass_content = 'class'
add_module_names = False
python_use_unqualified_type_names = True

try:
    import furo  # noqa: F401
    html_theme = 'furo'
except ImportError:  # requirements/docs.txt installs it; fall back rather than fail
    html_theme = 'alabaster'
html_title = f'pyignite {release}'
html_static_path = []
html_show_sourcelink = False


# --------------------------------------------------------------------------------------------
# API pages of modules that are not importable (yet)
# --------------------------------------------------------------------------------------------

_AUTOMODULE = re.compile(r'^\.\. automodule:: +(\S+)[^\n]*\n(?:[ \t]+[^\n]*\n|[ \t]*\n)*',
                         re.MULTILINE)


def _import_error(module: str):
    try:
        importlib.import_module(module)
    except Exception as exc:  # any failure: the page must still build
        return exc
    return None


# Pages that other parts of the project write into docs/ (the benchmark report); each is
# listed in the table of contents of index.rst, and left out of it while it does not exist.
OPTIONAL_PAGES = ('benchmarks',)


def _adapt_sources(app, docname, source):
    if docname == root_doc:
        for page in OPTIONAL_PAGES:
            if not (DOCS / f'{page}.rst').is_file():
                source[0] = re.sub(rf'^ +{page}\n', '', source[0], flags=re.MULTILINE)
    _stub_missing_modules(docname, source)


def _stub_missing_modules(docname, source):
    def replace(match):
        module = match.group(1)
        error = _import_error(module)
        if error is None:
            return match.group(0)
        logger.info(f'{docname}: {module} is not importable ({error!r}); '
                    f'its API reference is left out of this build')
        return (f'.. note::\n\n   The module ``{module}`` is not part of this build of '
                f'pyignite, so its reference is not shown here.\n\n')
    source[0] = _AUTOMODULE.sub(replace, source[0])


# --------------------------------------------------------------------------------------------
# ``.. example::``
# --------------------------------------------------------------------------------------------

class ExampleInclude(LiteralInclude):
    """``literalinclude`` of a file in ``examples/``, named without the folder."""

    def run(self):
        name = self.arguments[0]
        path = EXAMPLES / name
        if not path.is_file():
            logger.info(f'examples/{name} does not exist; the docs show a note instead')
            text = f'The example file examples/{name} is not part of this source tree.'
            return [nodes.note('', nodes.paragraph(text=text))]
        here = Path(self.env.doc2path(self.env.docname)).parent
        self.arguments[0] = os.path.relpath(path, here)
        self.options.setdefault('language', 'python')
        return super().run()


# Which modules import and which examples exist decides what the pages show, so a change in
# either must make Sphinx read the pages again (a config value of kind 'env' does that).
API_MODULES = (
    'pyignite.client', 'pyignite.aio_client', 'pyignite.cache', 'pyignite.aio_cache',
    'pyignite.cluster', 'pyignite.aio_cluster', 'pyignite.transaction', 'pyignite.cursors',
    'pyignite.binary', 'pyignite.monitoring', 'pyignite.exceptions', 'pyignite.datatypes',
    'pyignite.data_streamer', 'pyignite.atomic_long', 'pyignite.ignite_set',
    'pyignite.datatypes.structures',
)
pyignite_build_inputs = ' '.join(
    [m for m in API_MODULES if _import_error(m) is None]
    + sorted(p.name for p in EXAMPLES.glob('*.py'))
    + [p for p in OPTIONAL_PAGES if (DOCS / f'{p}.rst').is_file()])


# --------------------------------------------------------------------------------------------
# Methods written once for both clients show each client's own types
# --------------------------------------------------------------------------------------------

def _own_types(app, what, name, obj, options, signature, return_annotation):
    """A method of a generic base (``ClientAPI``, ``CacheAPI``) documented on ``Client``,
    ``Cache``... shows that class's types, not the base's type variables (``_Cache``)."""
    if what != 'method' or not (signature or return_annotation):
        return None
    module_name, cls_name = name.rsplit('.', 2)[0], name.rsplit('.', 2)[1]
    cls = getattr(sys.modules.get(module_name), cls_name, None)
    if not isinstance(cls, type):
        return None
    from pyignite._facade import _bound_type_variables
    names = {var.__name__: getattr(value, '__name__', str(value))
             for var, value in _bound_type_variables(cls).items()}
    if not names:
        return None
    pattern = re.compile(r'\b({})\b'.format('|'.join(map(re.escape, names))))
    own = lambda text: text and pattern.sub(lambda m: names[m.group(1)], text)  # noqa: E731
    return own(signature), own(return_annotation)


def setup(app):
    app.add_config_value('pyignite_build_inputs', '', 'env')
    app.connect('source-read', _adapt_sources)
    app.connect('autodoc-process-signature', _own_types)
    app.add_directive('example', ExampleInclude)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
