"""Framing, handshake and response headers of the thin client protocol. No I/O.

A request frame is ``int32 length | int16 op | int64 request id | payload``.
A response is ``int32 length | int64 request id`` and then, from protocol
1.4.0, ``int16 flags`` (error, affinity topology changed, notification) with
an optional topology version and error block; before 1.4.0 an ``int32``
status and, on error, a message. The length prefix is consumed by the
transport; everything here works on the frame body.
"""
import struct
from typing import AbstractSet, FrozenSet, Iterable, Mapping, NamedTuple, Optional, Tuple
from uuid import UUID

from .._codec import structs as S
from .._codec.decoder import read_str_or_none
from ..exceptions import ParameterError, ParseError

Version = Tuple[int, int, int]

#: protocol versions this client speaks, newest first
PROTOCOL_VERSIONS = ((1, 7, 0), (1, 6, 0), (1, 5, 0), (1, 4, 0), (1, 3, 0), (1, 2, 0))
LATEST = PROTOCOL_VERSIONS[0]

# feature bits (ClientBitmaskFeature) this client implements
FEATURE_USER_ATTRIBUTES = 0
FEATURE_EXECUTE_TASK_BY_NAME = 1
FEATURE_CLUSTER_STATES = 2
FEATURE_CLUSTER_GROUP_GET_NODES_ENDPOINTS = 3
FEATURE_CLUSTER_GROUPS = 4
FEATURE_SERVICE_INVOKE = 5
FEATURE_DEFAULT_QUERY_TIMEOUT = 6
FEATURE_QUERY_PARTITIONS_BATCH_SIZE = 7
FEATURE_BINARY_CONFIGURATION = 8
FEATURE_GET_SERVICE_DESCRIPTORS = 9
#: the service call request gains a trailing map of call-context attributes
FEATURE_SERVICE_INVOKE_CALLCTX = 10
FEATURE_HEARTBEAT = 11
FEATURE_INDEX_QUERY = 14
FEATURE_INDEX_QUERY_LIMIT = 15
FEATURE_SERVICE_TOPOLOGY = 16
FEATURE_CACHE_INVOKE = 17
FEATURE_TX_AWARE_QUERIES = 18
#: what every handshake offers; USER_ATTRIBUTES is added when there are attributes to send
CLIENT_FEATURES = (FEATURE_EXECUTE_TASK_BY_NAME, FEATURE_CLUSTER_STATES,
                   FEATURE_CLUSTER_GROUP_GET_NODES_ENDPOINTS, FEATURE_CLUSTER_GROUPS,
                   FEATURE_SERVICE_INVOKE, FEATURE_DEFAULT_QUERY_TIMEOUT,
                   FEATURE_QUERY_PARTITIONS_BATCH_SIZE, FEATURE_BINARY_CONFIGURATION,
                   FEATURE_GET_SERVICE_DESCRIPTORS, FEATURE_SERVICE_INVOKE_CALLCTX,
                   FEATURE_HEARTBEAT, FEATURE_INDEX_QUERY, FEATURE_INDEX_QUERY_LIMIT,
                   FEATURE_SERVICE_TOPOLOGY, FEATURE_CACHE_INVOKE, FEATURE_TX_AWARE_QUERIES)

FLAG_ERROR = 0x1
FLAG_AFFINITY_TOPOLOGY_CHANGED = 0x2
FLAG_NOTIFICATION = 0x4

STATUS_SUCCESS = 0
STATUS_AUTH_FAILED = 2000
STATUS_CACHE_DOES_NOT_EXIST = 1000
STATUS_CACHE_EXISTS = 1001
STATUS_RESOURCE_DOES_NOT_EXIST = 1011

#: largest frame accepted from a server; a bigger length means a broken stream
MAX_FRAME = 1 << 30
#: largest handshake reply accepted (a real one is a few dozen bytes plus a message)
MAX_HANDSHAKE_FRAME = 1 << 20
#: feature bytes looked at in a handshake reply: more than any server defines, and a bound
#: on the work a hostile reply can cause
_MAX_FEATURE_BYTES = 64
#: bytes in front of every request payload
REQUEST_HEADER_SIZE = 14

_unpack_i = S.INT.unpack_from
_unpack_q = S.LONG.unpack_from
_unpack_h = S.SHORT.unpack_from
_unpack_qi = S.QI.unpack_from
_unpack_hhh = struct.Struct('<hhh').unpack_from


def features_to_bytes(bits: Iterable[int]) -> bytes:
    """Java ``BitSet.toByteArray()`` of the given bit numbers."""
    mask = 0
    for bit in bits:
        mask |= 1 << bit
    return mask.to_bytes((mask.bit_length() + 7) // 8, 'little')


def features_from_bytes(data: bytes) -> FrozenSet[int]:
    """The bit numbers set in a Java ``BitSet.toByteArray()``."""
    return frozenset(8 * i + bit for i, byte in enumerate(data[:_MAX_FEATURE_BYTES]) if byte
                     for bit in range(8) if byte >> bit & 1)


class ProtocolContext:
    """The protocol version and feature set negotiated with a node.

    :param version: the protocol version, a tuple of three ints,
    :param features: the feature bit numbers both sides support.
    """

    __slots__ = ('version', 'features')

    def __init__(self, version: Version, features: AbstractSet[int] = frozenset()):
        # tuple() of a Version keeps its three ints; mypy only sees tuple[int, ...]
        self.version: Version = tuple(version)  # type: ignore[assignment]
        self.features = frozenset(features)

    def copy(self) -> 'ProtocolContext':
        return ProtocolContext(self.version, self.features)

    def is_status_flags_supported(self) -> bool:
        return self.version >= (1, 4, 0)

    def is_partition_awareness_supported(self) -> bool:
        return self.version >= (1, 4, 0)

    def is_transactions_supported(self) -> bool:
        return self.version >= (1, 5, 0)

    def is_expiry_policy_supported(self) -> bool:
        return self.version >= (1, 6, 0)

    def is_feature_flags_supported(self) -> bool:
        return self.version >= (1, 7, 0)

    def is_cluster_api_supported(self) -> bool:
        return FEATURE_CLUSTER_STATES in self.features

    def is_cluster_groups_supported(self) -> bool:
        return FEATURE_CLUSTER_GROUPS in self.features

    def is_index_query_supported(self) -> bool:
        return FEATURE_INDEX_QUERY in self.features

    def is_index_query_limit_supported(self) -> bool:
        return FEATURE_INDEX_QUERY_LIMIT in self.features

    def is_binary_configuration_supported(self) -> bool:
        return FEATURE_BINARY_CONFIGURATION in self.features

    def is_default_query_timeout_supported(self) -> bool:
        return FEATURE_DEFAULT_QUERY_TIMEOUT in self.features

    def is_query_partitions_batch_size_supported(self) -> bool:
        return FEATURE_QUERY_PARTITIONS_BATCH_SIZE in self.features

    def is_tx_aware_queries_supported(self) -> bool:
        return FEATURE_TX_AWARE_QUERIES in self.features

    def is_discovery_supported(self) -> bool:
        return FEATURE_CLUSTER_GROUP_GET_NODES_ENDPOINTS in self.features

    def is_heartbeat_supported(self) -> bool:
        return FEATURE_HEARTBEAT in self.features

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProtocolContext) and \
            (self.version, self.features) == (other.version, other.features)

    def __repr__(self) -> str:
        return 'ProtocolContext(version={}, features={})'.format(
            self.version, sorted(self.features))


def _credential(name: str, value: str) -> bytes:
    try:
        data = value.encode('utf-8')
    except UnicodeEncodeError as e:
        raise ParameterError('{} is not valid Unicode text: it holds a lone surrogate at '
                             'index {}, which has no UTF-8 form'.format(name, e.start)) from None
    except AttributeError:
        raise ParameterError('{} should be a str, not {}'.format(
            name, type(value).__name__)) from None
    return b'\x09' + S.INT.pack(len(data)) + data


def _user_attributes(attributes: Mapping[str, str]) -> bytes:
    """A typed Map of String to String (the handshake's user attributes)."""
    out = bytearray(b'\x19') + S.INT.pack(len(attributes)) + b'\x01'  # a HashMap
    for name, value in attributes.items():
        out += _credential('user attribute name', name)
        out += _credential('user attribute {!r}'.format(name), value)
    return bytes(out)


def handshake_request(version: Version, username: Optional[str] = None,
                      password: Optional[str] = None,
                      user_attributes: Optional[Mapping[str, str]] = None) -> bytes:
    """The whole handshake frame, length prefix included.

    :param user_attributes: (optional) sent from protocol 1.7.0 on (feature USER_ATTRIBUTES),
    :raises ParameterError: the credentials or attributes cannot be written as UTF-8 strings.
    """
    body = bytearray(b'\x01')
    body += S.SHORT.pack(version[0]) + S.SHORT.pack(version[1]) + S.SHORT.pack(version[2])
    body.append(2)  # thin client
    if version >= (1, 7, 0):
        bits = CLIENT_FEATURES + ((FEATURE_USER_ATTRIBUTES,) if user_attributes else ())
        features = features_to_bytes(bits)
        body += b'\x0c' + S.INT.pack(len(features)) + features
        if user_attributes:
            body += _user_attributes(user_attributes)
    if username and password is not None and version >= (1, 1, 0):
        body += _credential('username', username)
        body += _credential('password', password)
    return S.INT.pack(len(body)) + bytes(body)


class HandshakeResult(NamedTuple):
    """A parsed handshake reply."""
    success: bool
    features: FrozenSet[int] = frozenset()
    node_uuid: Optional[UUID] = None
    server_version: Optional[Version] = None
    message: str = ''
    status: int = 0


def parse_handshake_response(body: bytes, version: Version) -> HandshakeResult:
    """Parse a handshake reply body (after the length prefix).

    :raises ParseError: the bytes are not a handshake reply.
    """
    try:
        if body[0] == 1:
            pos = 1
            features: FrozenSet[int] = frozenset()
            node_uuid = None
            if version >= (1, 7, 0):
                code = body[pos]
                if code == 0x0c:
                    n = _unpack_i(body, pos + 1)[0]
                    if n < 0 or pos + 5 + n > len(body):
                        raise ParseError('bad feature array length {}'.format(n))
                    features = features_from_bytes(body[pos + 5:pos + 5 + n])
                    pos += 5 + n
                elif code == 0x65:
                    pos += 1
                else:
                    raise ParseError('expected a feature array, found type code {}'.format(code))
            if version >= (1, 4, 0) and len(body) > pos and body[pos] == 0x0a:
                msb, lsb = S.QQ.unpack_from(body, pos + 1)
                node_uuid = UUID(int=(msb << 64) | lsb)
            return HandshakeResult(True, features, node_uuid)
        if body[0] != 0:
            raise ParseError('a handshake reply starts with 0 or 1, not {}'.format(body[0]))
        major, minor, patch = _unpack_hhh(body, 1)
        message, pos = read_str_or_none(body, 7)
        status = _unpack_i(body, pos)[0] if len(body) >= pos + 4 else 1
        return HandshakeResult(False, server_version=(major, minor, patch),
                               message=message or '', status=status)
    except (IndexError, ValueError, struct.error) as e:
        raise ParseError('malformed handshake response: {}'.format(e)) from None


def next_version(rejected: Version, offered_by_server: Version) -> Optional[Version]:
    """The version to retry a handshake with after a rejection, or None to give up."""
    if offered_by_server == rejected:
        return None
    for candidate in PROTOCOL_VERSIONS:
        if candidate <= offered_by_server and candidate != rejected:
            return candidate
    return None


class ResponseHeader(NamedTuple):
    """What precedes the payload of a response frame."""
    request_id: int
    flags: int
    topology: Optional[Tuple[int, int]]
    status: int
    message: Optional[str]
    payload_pos: int


# every reply makes one: tuple.__new__ skips the Python-level __new__ of a NamedTuple
_header = tuple.__new__


def parse_response_header(frame: bytes, flags_header: bool) -> ResponseHeader:
    """Parse the header of a response frame body (after the length prefix).

    :raises ParseError: the frame is too short for its header, or its error message is
     not a string.
    """
    try:
        request_id = _unpack_q(frame, 0)[0]
        if flags_header:
            flags = _unpack_h(frame, 8)[0]
            pos = 10
            topology = None
            if flags & FLAG_AFFINITY_TOPOLOGY_CHANGED:
                topology = _unpack_qi(frame, pos)
                pos += 12
            if flags & FLAG_NOTIFICATION:
                pos += 2
            if flags & FLAG_ERROR:
                status = _unpack_i(frame, pos)[0]
                message, pos = read_str_or_none(frame, pos + 4)
                return _header(ResponseHeader, (request_id, flags, topology, status, message,
                                                pos))
            return _header(ResponseHeader, (request_id, flags, topology, 0, None, pos))
        status = _unpack_i(frame, 8)[0]
        if status:
            message, pos = read_str_or_none(frame, 12)
            return _header(ResponseHeader, (request_id, FLAG_ERROR, None, status, message, pos))
        return _header(ResponseHeader, (request_id, 0, None, 0, None, 12))
    except (IndexError, struct.error) as e:
        raise ParseError('malformed response header: {}'.format(e)) from None
