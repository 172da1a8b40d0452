"""Real Apache Ignite 2.x server nodes for pyignite's tests, examples and benchmarks.

Standard library only. One module per concern:

* ``common`` -- names, ports and passwords every part uses; the errors; messages; file locks;
* ``libs`` -- the server's jars (Maven, or ``IGNITE_HOME``) and the SQL engine they give;
* ``tls`` -- the TLS material of the test nodes and client TLS contexts;
* ``probe`` -- a raw thin-client handshake and the cluster-state requests;
* ``testjar`` -- the server-side test code (``tools/java``) compiled into a jar;
* ``configs`` -- the Spring XML of one node;
* ``processes`` -- JVM command lines, the registry of running clusters, stray-node cleanup;
* ``clusters`` -- ``IgniteCluster``, the predefined layouts, ``ExternalNode``;
* ``cli`` -- the command line.

``tools/ignite_server.py`` is the entry point (``python tools/ignite_server.py --help``) and the
module the tests import; it re-exports what is listed here.
"""
from .cli import main
from .clusters import (
    START_TIMEOUT, STOP_GRACE, ExternalNode, IgniteCluster, Layout, cluster_for_layout, layouts,
)
from .common import (
    CLIENT_KEY_PASSWORD, DEFAULT_PASSWORD, DEFAULT_USERNAME, HOST, KEYSTORE_PASSWORD,
    MARKER_PROPERTY, LauncherError, LibsError, NodeStartError, ProtocolError, default_run_dir,
)
from .configs import SSL_MODES, render_config
from .libs import (
    CALCITE_SINCE, DEFAULT_IGNITE_VERSION, ENGINE_MODULES, ENGINE_NAMES, FALLBACK_IGNITE_VERSION,
    IgniteLibs, cache_root, detect_engine, engine_for_version, libs_from_home, resolve_libs,
    version_tuple,
)
from .probe import (
    OP_CLUSTER_CHANGE_STATE, OP_CLUSTER_GET_STATE, STATE_ACTIVE, STATE_ACTIVE_READ_ONLY,
    STATE_INACTIVE, STATUS_AUTH_FAILED, HandshakeResult, RawConnection, handshake,
)
from .processes import JAVA_OPENS, JVM_OPTIONS, MAIN_CLASS, cleanup, find_marked_processes
from .testjar import server_test_jar
from .tls import client_ssl_context, ensure_ssl_material

__all__ = [
    'DEFAULT_IGNITE_VERSION', 'FALLBACK_IGNITE_VERSION', 'CALCITE_SINCE', 'ENGINE_MODULES',
    'ENGINE_NAMES', 'MARKER_PROPERTY', 'HOST', 'KEYSTORE_PASSWORD', 'CLIENT_KEY_PASSWORD',
    'DEFAULT_USERNAME', 'DEFAULT_PASSWORD', 'START_TIMEOUT', 'STOP_GRACE', 'SSL_MODES',
    'JAVA_OPENS', 'JVM_OPTIONS', 'MAIN_CLASS',
    'LauncherError', 'LibsError', 'NodeStartError', 'ProtocolError',
    'IgniteLibs', 'resolve_libs', 'libs_from_home', 'engine_for_version', 'detect_engine',
    'version_tuple', 'cache_root', 'default_run_dir',
    'Layout', 'layouts', 'cluster_for_layout', 'IgniteCluster', 'ExternalNode',
    'render_config', 'ensure_ssl_material', 'client_ssl_context',
    'OP_CLUSTER_GET_STATE', 'OP_CLUSTER_CHANGE_STATE', 'STATE_INACTIVE', 'STATE_ACTIVE',
    'STATE_ACTIVE_READ_ONLY', 'STATUS_AUTH_FAILED',
    'HandshakeResult', 'RawConnection', 'handshake',
    'find_marked_processes', 'cleanup', 'main', 'server_test_jar',
]
