"""Root of the test suite.

Two environments run these tests: the Rasa side's (.venv-rasa: actions, Rasa,
end-to-end through Rasa) and the bridge's (.venv-bridge: tests/handoff). This
file imports nothing from either, so both can collect their own folders.
"""
