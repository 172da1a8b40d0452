"""Runs SQLAlchemy's third-party dialect test suite (``sqlalchemy.testing.suite``) on the
ignite dialect. Not collected by the project's own pytest run (its plugin takes over the
session): tests/sqlalchemy/test_sqla_suite.py starts it in a process of its own."""
import sys
from pathlib import Path

import pytest
from sqlalchemy.dialects import registry

sys.path.insert(0, str(Path(__file__).resolve().parent))
registry.register('ignite', 'pyignite.sqlalchemy', 'IgniteDialect')
registry.register('ignite.pyignite', 'pyignite.sqlalchemy', 'IgniteDialect')
pytest.register_assert_rewrite('sqlalchemy.testing.assertions')

from sqlalchemy.testing.plugin.pytestplugin import *  # noqa: E402,F401,F403
