"""The wire protocol's vocabulary: frame headers, the handshake and
feature bits (:mod:`.wire`), operation codes (:mod:`.opcodes`), and the request and
response objects the operations exchange (:mod:`.request`). No I/O.
"""
