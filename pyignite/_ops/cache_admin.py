"""Creating, listing and destroying caches."""
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from .._codec import structs as S
from .._codec.decoder import read_str_or_none
from .._codec.encoder import write_string
from .._protocol.opcodes import (
    OP_CACHE_CREATE_WITH_NAME, OP_CACHE_DESTROY, OP_CACHE_GET_NAMES,
    OP_CACHE_GET_OR_CREATE_WITH_NAME,
)
from .._protocol.request import Request
from ..datatypes.prop_codes import PROP_NAME
from ..exceptions import CacheCreationError, CacheError, ParameterError
from .common import Operation

if TYPE_CHECKING:
    from .common import Session


def parse_settings(settings: Any) -> Tuple[str, Dict[int, Any]]:
    """Split cache settings into the name and the other properties.

    :raises ParameterError: no name, or a name that is not a non-empty string.
    """
    if isinstance(settings, str):
        name, props = settings, {}
    elif isinstance(settings, dict):
        props = dict(settings)
        name = props.pop(PROP_NAME, None)
    else:
        raise ParameterError('cache settings must be a name or a dict of property codes, '
                             'not {}'.format(type(settings).__name__))
    if not isinstance(name, str) or not name:
        raise ParameterError('You should supply at least cache name (PROP_NAME)')
    return name, props


def name_only(settings: Any) -> str:
    """The cache name of ``get_cache`` settings, which may hold nothing else.

    :raises ParameterError: no name, or properties besides the name.
    """
    name, props = parse_settings(settings)
    if props:
        raise ParameterError('Only cache name allowed as a parameter')
    return name


def create(session: 'Session', settings: Any, only_new: bool) -> Operation:
    """Create a cache (``only_new``) or get it, creating it if needed; return its name."""
    name, props = parse_settings(settings)
    if props:
        from .cache_config import create_with_config
        yield from create_with_config(session, name, props, only_new)
        return name
    req = Request(OP_CACHE_CREATE_WITH_NAME if only_new else OP_CACHE_GET_OR_CREATE_WITH_NAME,
                  CacheCreationError)
    write_string(req.buf, name)
    yield req
    return name


def destroy(session: 'Session', cache: Any) -> Operation:
    req = Request(OP_CACHE_DESTROY, CacheError)
    req.buf += S.INT.pack(cache.cache_id)
    yield req


def get_names(session: 'Session') -> Operation:
    resp = yield Request(OP_CACHE_GET_NAMES, CacheError)
    data, pos = resp.data, resp.pos
    count = S.INT.unpack_from(data, pos)[0]
    pos += 4
    names: List[Optional[str]] = []
    for _ in range(count):
        name, pos = read_str_or_none(data, pos)
        names.append(name)
    return names
