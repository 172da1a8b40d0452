"""What both clients share between the operations and the transports (no I/O).

:mod:`.frames` cuts received bytes into frames; :mod:`.inbox` decides where each
frame goes: to the request waiting for it, to a notification listener, or (a late
reply to a request given up on) into a request that releases what it opened.
"""
