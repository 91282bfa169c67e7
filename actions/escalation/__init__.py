"""Deciding when a conversation should go to a person.

Pure functions only: ``turns`` reads the tracker's events into customer turns,
``signals`` scores explicit requests, sensitive topics, frustration and
unresolved conversations, ``decision`` combines them under the settings in
``escalation.yml``, ``routing`` says what the assistant does next, and
``evaluate`` measures all of it on a labelled set. The custom actions in
``actions/escalation_actions.py`` are the I/O edge.
"""
