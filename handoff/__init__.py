"""The handoff bridge: the customer widget ⇄ Rasa ⇄ human agents, over Socket.IO.

It runs in its own environment (.venv-bridge, a current Python with current
aiohttp, python-socketio and redis-py) and talks to Rasa over HTTP only.
"""
