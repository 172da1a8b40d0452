"""Operations as generators: they yield requests and receive responses.

Everything an operation does between the bytes (encode, decode, extra round
trips such as registering a binary type) is written here once and driven by
the sync client and by the asyncio client alike.
"""
