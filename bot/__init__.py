"""The Rasa side's own tools: a terminal chat client and trainer tooling."""
