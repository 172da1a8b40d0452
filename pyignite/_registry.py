"""The per-client registry of complex object types (binary types).

The codecs reach it as their ``ctx``: the encoder records types the server
has not seen yet in :attr:`BinaryRegistry.pending`, and the decoder raises
:class:`MissingBinaryType` for a type or schema it does not know, so the
operation can fetch it and decode again.
"""
from typing import Dict, List, Optional

from .exceptions import ParseError


class MissingBinaryType(Exception):
    """Decoding needs the metadata of a type the registry does not hold yet."""

    def __init__(self, type_id: int, schema_id: Optional[int] = None):
        self.type_id = type_id
        self.schema_id = schema_id
        super().__init__(type_id, schema_id)


class BinaryRegistry:
    """Types known to one client: ``type_id -> {schema_id: class}`` plus server metadata.

    :ivar compact_footer: None to follow the server, or True/False,
    :ivar pending: classes written since the last request that the server must learn first.
    """

    def __init__(self, compact_footer: Optional[bool] = None):
        self.compact_footer = compact_footer
        self.pending: List[type] = []
        self.classes: Dict[int, Dict[int, type]] = {}

    def read_complex(self, data, pos, ctx):
        raise ParseError('complex objects are not supported yet')

    def read_handle(self, data, pos, ctx):
        raise ParseError('back-references are not supported yet')
