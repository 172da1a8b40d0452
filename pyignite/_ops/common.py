"""Steps shared by many operations."""
from .._registry import MissingBinaryType, _pending


def needs_prepare(client, req) -> bool:
    """Whether :func:`prepare` may have work to do before ``req`` is sent.

    Runs before every request, so it only looks at cheap flags; a false alarm (types pending
    for another client of this thread) just costs a :func:`prepare` that finds nothing.
    """
    if _pending.get() or client._abandoned_cursors:
        return True
    router = client._router
    return router is not None and req.key_pos >= 0 and router.is_stale(req.cache_id)


def prepare(client, req):
    """Register pending binary types, close cursors dropped while open and refresh a stale
    partition map, then return."""
    if client._abandoned_cursors:
        from .query import close_abandoned
        yield from close_abandoned(client)
    if client._binary.pending:
        from .binary_types import put_pending_types
        yield from put_pending_types(client)
    if req.key_pos >= 0 and client._affinity_stale(req.cache_id):
        from .affinity import refresh_partitions
        yield from refresh_partitions(client, req.cache_id)


def read_fetching_types(client, reader, data, pos):
    """Run ``reader(data, pos, ctx)`` until every binary type it needs is known."""
    from .binary_types import fetch_type
    seen = set()
    while True:
        try:
            return reader(data, pos, client._binary)
        except MissingBinaryType as missing:
            key = (missing.type_id, missing.schema_id)
            if key in seen:
                raise
            seen.add(key)
            yield from fetch_type(client, missing.type_id)
