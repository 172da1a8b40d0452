"""Cutting a byte stream into frames: the receive buffer of both transports.

Every frame a node sends is ``int32 length | body``. :class:`FrameBuffer` takes
bytes in whatever chunks the transport gets them and hands back whole bodies. A
length is checked against the buffer's bounds as soon as its four bytes are in,
before anything waits for (or buffers) the body, so a garbled or hostile length
fails the stream at once instead of allocating up to 2 GiB.
"""
from typing import List, Union

from .._codec import structs as S
from ..exceptions import ParseError

__all__ = ['FrameBuffer']

_unpack_i = S.INT.unpack_from


class FrameBuffer:
    """Bytes in, frame bodies out.

    :ivar shortest: the shortest body that makes sense, bytes,
    :ivar limit: the longest body accepted, bytes,
    :ivar completed: counts the chunks that completed at least one frame, so a
     request can tell whether the node sent anything while it waited,
    :ivar held: the bytes of a frame begun but not complete (read only; empty between
     frames, so a transport knows without a call that :meth:`want` is small).
    """

    __slots__ = ('_buf', 'shortest', 'limit', 'completed', 'held')

    def __init__(self, shortest: int = 1, limit: int = 1 << 20):
        # one bytearray for the buffer's life, changed in place: ``held`` is the same one
        self._buf = self.held = bytearray()
        self.shortest = shortest
        self.limit = limit
        self.completed = 0

    def __len__(self) -> int:
        """Bytes held that are not part of a frame handed out yet."""
        return len(self._buf)

    def feed(self, data: Union[bytes, bytearray, memoryview]) -> List[bytes]:
        """Take a chunk (bytes or a memoryview the caller may reuse afterwards); return
        the frame bodies it completes, in order.

        :raises ParseError: a frame length is out of bounds; the stream is unusable then.
        """
        size = len(data)
        buf = self._buf
        if not buf and size >= 4:
            # the usual case: the chunk is one whole frame, copied once out of it
            n = _unpack_i(data, 0)[0]
            if n + 4 == size and self.shortest <= n <= self.limit:
                self.completed += 1
                return [bytes(data[4:])]
        if buf:
            buf += data
            data = buf
            size = len(data)
        frames = []
        pos = 0
        shortest = self.shortest
        limit = self.limit
        while size - pos >= 4:
            n = _unpack_i(data, pos)[0]
            if n < shortest or n > limit:
                raise ParseError('bad frame length {}'.format(n))
            end = pos + 4 + n
            if end > size:
                break
            frames.append(bytes(data[pos + 4:end]))
            pos = end
        if frames:
            self.completed += 1
        if buf:
            del buf[:pos]
        elif pos < size:
            buf += data[pos:]
        return frames

    def received(self, view: memoryview, size: int) -> List[bytes]:
        """:meth:`feed` for a transport that reads into a buffer of its own: the chunk is
        the first ``size`` bytes of ``view``, which the caller may reuse afterwards."""
        if not self._buf and size >= 4:
            # feed()'s usual case, without slicing the view first and with the faster
            # copy of a view (tobytes(): bytes(view) takes about 100 ns more)
            n = _unpack_i(view, 0)[0]
            if n + 4 == size and self.shortest <= n <= self.limit:
                self.completed += 1
                return [view[4:size].tobytes()]
        return self.feed(view[:size])

    def want(self) -> int:
        """Bytes still missing from the frame being received (at least 1)."""
        buf = self._buf
        if len(buf) < 4:
            return 4 - len(buf)
        length: int = _unpack_i(buf, 0)[0]
        return max(4 + length - len(buf), 1)
