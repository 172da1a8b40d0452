"""Partition awareness: the partition maps and Java's key hashing
(:mod:`.affinity`), and the router that turns them into connections plus the schedule of
reconnection attempts (:mod:`.router`). No I/O.
"""
