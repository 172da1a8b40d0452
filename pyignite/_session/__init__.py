"""What both clients share between the operations and the transports (no I/O).

:mod:`.session` holds what a client knows and decides (routing, connect plans, the
rule for preparing a request, and starting the :mod:`~pyignite._ops.exchange` that
steps one operation from request to reply); :mod:`.events` logs and reports to the
monitoring listeners. On the receiving side, :mod:`.frames` cuts bytes into frames and
:mod:`.inbox` decides where each frame goes: to the request waiting for it, to a
notification listener, or (a late reply to a request given up on) into a request that
releases what it opened. :mod:`.timeouts` is
the one timeout rule of both clients.
"""
