"""Deciding when a conversation should go to a person.

Pure functions only: ``turns`` reads the tracker's events into customer turns,
``signals`` scores explicit requests, sensitive topics, frustration and
unresolved conversations (with the words of ``lexicon``), ``decision``
combines them under the settings in ``escalation.yml`` (``settings``),
``routing`` says what the assistant does next, ``reasons`` names why a
conversation goes to a person, and ``person`` tells whether a message asks
for one. Used by the dialogue policy ``bot.policies.escalation`` and by the
custom actions in ``actions/`` (the I/O edge); ``evaluation`` (the report
and plots, ``python -m escalation.evaluation``) is for people, not imported
by either.

This file imports nothing, so that the handoff bridge (another environment,
Python 3.13, without PyYAML or VADER) can import ``reasons`` and ``person``:
they and ``lexicon`` need only the standard library (Python 3.8+).
"""
