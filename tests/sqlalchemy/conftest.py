"""Fixtures of the SQLAlchemy dialect tests: an engine on the single test node."""
import pytest

sqlalchemy = pytest.importorskip('sqlalchemy')  # a test requirement: requirements/tests.txt

from sqlalchemy.dialects import registry  # noqa: E402

# the entry point setup.py declares is only there once the package is installed; the
# tests run from the source tree
registry.register('ignite', 'pyignite.sqlalchemy', 'IgniteDialect')
registry.register('ignite.pyignite', 'pyignite.sqlalchemy', 'IgniteDialect')

# the SQLAlchemy test suite runs in a pytest process of its own (test_sqla_suite.py)
collect_ignore = ['suite']


@pytest.fixture(scope='module')
def engine(ignite_node):
    eng = sqlalchemy.create_engine('ignite://{}:{}/PUBLIC'.format(ignite_node.host,
                                                                  ignite_node.port))
    yield eng
    eng.dispose()
