"""OpenTelemetry's DB-API instrumentation traces pyignite.dbapi: one span per statement,
carrying the statement."""
import pytest

pytest.importorskip('opentelemetry.instrumentation.dbapi')
from opentelemetry.instrumentation import dbapi as otel_dbapi  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # noqa: E402
    InMemorySpanExporter,
)

from pyignite import dbapi  # noqa: E402


def test_spans_carry_the_statement(ignite_node):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    conn = dbapi.connect(ignite_node.host, ignite_node.port)
    traced = otel_dbapi.instrument_connection('pyignite', conn, 'ignite',
                                              tracer_provider=provider)
    try:
        cur = traced.cursor()
        cur.execute('SELECT ? + 1', [41])
        assert cur.fetchall() == [[42]]
        with pytest.raises(dbapi.ProgrammingError):
            cur.execute('SELECT * FROM no_such_table')
    finally:
        otel_dbapi.uninstrument_connection(traced)
        conn.close()
    spans = exporter.get_finished_spans()
    assert len(spans) == 2
    statements = [span.attributes.get('db.statement') or span.attributes.get('db.query.text')
                  for span in spans]
    assert statements == ['SELECT ? + 1', 'SELECT * FROM no_such_table']
    assert all(span.attributes.get('db.system') in ('ignite', None) for span in spans)
    assert not spans[0].status.is_ok or spans[0].status.status_code.name == 'UNSET'
    assert spans[1].status.status_code.name == 'ERROR'
