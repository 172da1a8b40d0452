"""Values to bytes and back: the data type codecs (:mod:`.encoder`,
:mod:`.decoder`), complex objects (:mod:`.objects`), the binary type registry
(:mod:`.registry`), Java's hash codes and ids (:mod:`.ids`) and the struct packers
(:mod:`.structs`). No I/O, no knowledge of requests beyond the buffer they write to.
"""
