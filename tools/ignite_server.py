#!/usr/bin/env python3
"""Start and stop real Apache Ignite 2.x server nodes for pyignite's tests, examples and benchmarks.

The module is importable (``IgniteCluster``, ``layouts()``, ``handshake()``) and a command line
tool::

    python tools/ignite_server.py libs                      # resolve the jars, print their folder
    python tools/ignite_server.py layouts                   # print the predefined port plan
    python tools/ignite_server.py start --layout single     # run nodes until Ctrl-C
    python tools/ignite_server.py run --layout single -- CMD ARGS...
    python tools/ignite_server.py cleanup [--check]         # kill stray nodes left by any run

It depends on the standard library only: it must work while the ``pyignite`` package itself does
not, so the readiness probe speaks the thin-client handshake over a raw socket. The code lives
in the package ``tools/ignite_launcher`` (one module per concern, listed in its docstring);
this file is its entry point and re-exports its names.

Environment:

* ``IGNITE_VERSION`` -- Ignite version fetched from Maven (default ``DEFAULT_IGNITE_VERSION``).
  Nodes of 2.18.0 and later run the Calcite SQL engine (``ignite-calcite``), older ones H2
  (``ignite-indexing``);
* ``IGNITE_HOME`` -- use the jars of an unpacked binary release instead of Maven (``libs/``
  and its sub-folders, as the release's ``bin/ignite.sh`` does);
* ``PYIGNITE_IT_CACHE`` -- where resolved jars are kept (default ``~/.cache/pyignite-it``);
* ``PYIGNITE_IT_RUN_DIR`` -- logs, configs, work dirs, TLS material, pidfiles
  (default ``.ignite-run/net-<network namespace id>/`` in the checkout; git-ignored);
* ``PYIGNITE_IT_START_TIMEOUT`` -- seconds one node may take to become ready (default 90);
* ``PYIGNITE_IT_JVM_OPTS`` -- extra JVM options appended to every node's command line;
* ``MVN`` -- the Maven executable (default ``mvn``).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ignite_launcher  # noqa: E402  (the package lives next to this file)
from ignite_launcher import *  # noqa: E402,F401,F403
from ignite_launcher import __all__  # noqa: E402,F401
from ignite_launcher.processes import _ACTIVE, _ACTIVE_LOCK  # noqa: E402,F401

if __name__ == '__main__':
    sys.exit(ignite_launcher.main())
